-- time_to_convert over window_funnel_times results against plain SQL on random funnels.
--
-- time_to_convert: over window_funnel_times results, per step k the arrays
-- that reached it (visits), those that reached a later step (exits) and the
-- time to the next reached step; compared with the same counts and exact
-- percentile_disc in plain SQL on random funnels, merged like any velocity.
SET timezone = 'UTC';
SELECT setseed(0.2026);
CREATE TEMP TABLE deals AS
SELECT d AS deal, timestamptz '2026-01-01' + random() * interval '300 days' AS start
FROM generate_series(1, 3000) d;
-- each deal walks the 4 steps with random gaps, skipping step 2 at times and stopping anywhere
CREATE TEMP TABLE events AS
SELECT deal, k AS step, start + sum(gap) OVER (PARTITION BY deal ORDER BY k) AS at, skip
FROM (SELECT deal, start, k, random() < 0.3 AND k = 2 AS skip,
             CASE WHEN k = 1 THEN interval '0' ELSE random() * random() * interval '40 days' END AS gap,
             random() AS stop
      FROM deals, generate_series(1, 4) k) s
WHERE stop < 0.85 OR k = 1;
DELETE FROM events WHERE skip;
CREATE TEMP TABLE funnels AS
SELECT deal, window_funnel_times(interval '60 days', 'optional 2', at, step = 1, step = 2, step = 3, step = 4) AS t
FROM events GROUP BY deal;

-- plain SQL: position k is reached when not NULL; the next reached position follows it
CREATE TEMP TABLE expected_steps AS
SELECT k AS position, count(*) AS visits, count(next_at) AS exits,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM next_at - at) / 86400) AS p50,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM next_at - at) / 86400) AS p90,
       max(extract(epoch FROM next_at - at) / 86400) AS longest
FROM (SELECT f.deal, k, f.t[k] AS at,
             (SELECT f.t[j] FROM generate_subscripts(f.t, 1) j WHERE j > k AND f.t[j] IS NOT NULL ORDER BY j LIMIT 1) AS next_at
      FROM funnels f, generate_subscripts(f.t, 1) k WHERE f.t[k] IS NOT NULL) x
GROUP BY k;
SELECT count(*) AS positions,
       count(*) FILTER (WHERE e.visits IS DISTINCT FROM v.visits OR e.exits IS DISTINCT FROM v.exits
                        OR v.open <> v.visits - v.exits) AS counts_differ,
       count(*) FILTER (WHERE abs(v.p50_days - e.p50) > 0.01 * e.p50 + 1e-9
                        OR abs(v.p90_days - e.p90) > 0.01 * e.p90 + 1e-9
                        OR abs(v.max_days - e.longest) > 1e-6) AS quantiles_off_by_more_than_1pct,
       sum(v.visits) AS visits
FROM expected_steps e
FULL JOIN velocity_steps((SELECT time_to_convert(t) FROM funnels)) v USING (position);
SELECT position, stage, visits, exits, open FROM velocity_steps((SELECT time_to_convert(t) FROM funnels));

-- the result merges like any velocity: halves added equal the whole
SELECT (SELECT time_to_convert(t) FROM funnels WHERE deal % 2 = 0) +
       (SELECT time_to_convert(t) FROM funnels WHERE deal % 2 = 1) = (SELECT time_to_convert(t) FROM funnels) AS halves_merge,
       (SELECT stage_velocity(v) FROM (SELECT time_to_convert(t) AS v FROM funnels GROUP BY deal % 7) r)
         = (SELECT time_to_convert(t) FROM funnels) AS rollup_merges;

-- and in parallel plans
CREATE TABLE ttc_funnels AS SELECT * FROM funnels;
ANALYZE ttc_funnels;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT time_to_convert(t) FROM ttc_funnels;
SELECT time_to_convert(t) = (SELECT time_to_convert(t) FROM funnels) AS parallel_equal FROM ttc_funnels;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE ttc_funnels;

-- edge cases: NULL and empty arrays add nothing; a last step stays open; skipped steps are not visits
SELECT time_to_convert(t) IS NULL AS nothing FROM (VALUES (NULL::timestamptz[]), ('{}')) v(t);
SELECT position, visits, exits, open, p50_days
FROM velocity_steps((SELECT time_to_convert(t) FROM (VALUES
  ('{2026-01-01, NULL, 2026-01-03}'::timestamptz[]), ('{2026-01-01, 2026-01-02}'), ('{2026-01-05}')) v(t)));
-- errors
SELECT time_to_convert(t) FROM (VALUES ('{2026-01-02, 2026-01-01}'::timestamptz[])) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT time_to_convert(t) FROM (VALUES ('{{2026-01-01}, {2026-01-02}}'::timestamptz[])) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT time_to_convert(t) FROM (VALUES ('{2026-01-01, infinity}'::timestamptz[])) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT time_to_convert(array_fill(timestamptz '2026-01-01', ARRAY[256]));
\echo :LAST_ERROR_SQLSTATE
