-- window_funnel in parallel plans gives the results of serial plans.
SET timezone = 'UTC';
SELECT setseed(0.77);
-- parallel workers cannot read temporary tables; odd groups are stored in
-- random order, even groups in time order (states that arrive sorted are
-- merged without a sort)
CREATE TABLE wf_par AS
SELECT g, ts, tz, steps
FROM (SELECT g, floor(random() * 40)::bigint AS ts,
             timestamptz '2024-01-01' + floor(random() * 40) * interval '1 hour' AS tz,
             ARRAY[random() < 0.4, random() < 0.3, random() < 0.3, random() < 0.25] AS steps,
             random() AS shuffle
      FROM generate_series(1, 3000) g, generate_series(1, 12) r) x
ORDER BY CASE WHEN g % 2 = 1 THEN -1 ELSE ts END, shuffle;
ANALYZE wf_par;

CREATE FUNCTION pg_temp.wf_plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  partial boolean := false;
  finalize boolean := false;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    partial := partial OR line ~ 'Partial .*Aggregate';
    finalize := finalize OR line ~ 'Finalize .*Aggregate';
  END LOOP;
  RETURN CASE WHEN partial AND finalize THEN 'Partial and Finalize Aggregate' ELSE 'serial' END;
END $$;

CREATE TEMP TABLE wf_par_modes (mode text);
INSERT INTO wf_par_modes VALUES (''), ('strict_deduplication'), ('strict_order'), ('strict_increase'),
  ('strict_once'), ('strict_order, allow_reentry'), ('strict_once, strict_deduplication'),
  ('strict_once, strict_increase, strict_order'), ('strict_order, allow_reentry, strict_deduplication, strict_once');

-- serial
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.wf_plan('SELECT g, window_funnel(5, ts, VARIADIC steps) FROM wf_par GROUP BY g') AS plan;
CREATE TEMP TABLE wf_serial AS
SELECT m.mode, x.*
FROM wf_par_modes m CROSS JOIN LATERAL (
    SELECT g, window_funnel(5, m.mode, ts, VARIADIC steps) AS level,
           window_funnel_times(5, m.mode, ts, VARIADIC steps) AS times,
           window_funnel(interval '5 hours', m.mode, tz, VARIADIC steps) AS level_tz,
           window_funnel_times(interval '5 hours', m.mode, tz, VARIADIC steps) AS times_tz
    FROM wf_par GROUP BY g) x;

-- parallel, forced by the cost settings
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- only the workers aggregate, so most groups are split between two of them
SET parallel_leader_participation = off;
-- hash aggregation keeps the order rows arrive in: even groups reach the
-- combine function as sorted states
SET enable_sort = off;
SELECT pg_temp.wf_plan('SELECT g, window_funnel(5, ts, VARIADIC steps) FROM wf_par GROUP BY g') AS plan;
SELECT pg_temp.wf_plan('SELECT g, window_funnel_times(interval ''5 hours'', ''strict_once'', tz, VARIADIC steps) FROM wf_par GROUP BY g') AS plan;
-- one comparison per mode, each a top-level query whose aggregation runs in
-- the workers (queries that write data, or run in a function, stay serial);
-- for each: its plan, then groups compared and mismatches
\set ECHO none
SELECT format('SELECT %L AS mode, pg_temp.wf_plan(%L) AS plan', mode, q), q
FROM (SELECT mode, format($q$
SELECT %1$L AS mode, count(*) AS groups,
       count(*) FILTER (WHERE s.g IS NULL OR p.g IS NULL
                              OR (s.level, s.times, s.level_tz, s.times_tz)
                                 IS DISTINCT FROM (p.level, p.times, p.level_tz, p.times_tz)) AS mismatches,
       count(*) FILTER (WHERE p.level >= 3) AS deep_groups
FROM (SELECT * FROM wf_serial WHERE mode = %1$L) s
FULL JOIN (SELECT g, window_funnel(5, %1$L, ts, VARIADIC steps) AS level,
                  window_funnel_times(5, %1$L, ts, VARIADIC steps) AS times,
                  window_funnel(interval '5 hours', %1$L, tz, VARIADIC steps) AS level_tz,
                  window_funnel_times(interval '5 hours', %1$L, tz, VARIADIC steps) AS times_tz
           FROM wf_par GROUP BY g) p USING (g)$q$, mode) AS q
      FROM wf_par_modes) x
ORDER BY mode \gexec
\set ECHO all

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_sort;
DROP TABLE wf_par;
