-- velocity against exact percentile_disc, avg, max and counts in plain SQL on random data.
--
-- velocity: randomized comparison with exact percentile_disc, avg, max and
-- counts in plain SQL, on skewed durations (zero, microseconds, seconds to
-- years, many ties); rollups and parallel plans equal the one-pass serial
-- result.  Every check prints the number of mismatches (must be 0) and the
-- number of cases checked.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT setseed(0.4242);
CREATE TABLE rv (seller int, s stage, entered_at timestamptz, left_at timestamptz, dur_us bigint);
INSERT INTO rv (seller, s, entered_at, left_at)
SELECT seller, stage(pos, (ARRAY['lead', 'qualified', 'meeting', 'proposal', 'negotiation', 'won'])[pos]),
       entered_at,
       CASE WHEN kind < 0.10 THEN NULL
            ELSE entered_at + dur * interval '1 microsecond' END
FROM (SELECT 1 + (random() * 7)::int AS seller,
             -- stage 1 busy, stage 6 rare: uneven group sizes
             least(6, 1 + floor(-ln(1 - random()) * 2)::int) AS pos,
             timestamptz '2020-01-01' + random() * interval '2000 days' AS entered_at,
             r AS kind,
             CASE WHEN r < 0.15 THEN 0                                              -- instant
                  WHEN r < 0.22 THEN 1 + floor(random() * 1000)::bigint              -- microseconds
                  WHEN r < 0.35 THEN (ARRAY[3600000000, 86400000000, 604800000000])[1 + floor(random() * 3)::int]  -- ties
                  ELSE round(exp(ln(1e6) + random() * (ln(1.6e14) - ln(1e6))))::bigint  -- 1 s .. 5 years, log-uniform
             END AS dur
      FROM (SELECT random() AS r FROM generate_series(1, 30000)) g) x;
-- NULL rows, skipped
INSERT INTO rv (seller, s, entered_at, left_at) VALUES
  (1, NULL, '2021-01-01', '2021-01-02'), (1, '1:lead', NULL, '2021-01-02'), (2, NULL, NULL, NULL);
UPDATE rv SET dur_us = (extract(epoch FROM left_at - entered_at) * 1000000)::bigint;
SELECT count(*) AS rows, count(left_at) AS closed, min(dur_us) AS shortest_us,
       max(dur_us) > 100000000000000 AS longest_over_3_years, count(DISTINCT dur_us) < count(dur_us) AS has_ties
FROM rv WHERE s IS NOT NULL AND entered_at IS NOT NULL;

CREATE TABLE rv_v AS
SELECT seller, stage_velocity(s, entered_at, left_at) AS v FROM rv GROUP BY seller;

-- exact figures per seller and stage
CREATE TABLE rv_exact AS
SELECT seller, s, count(*) AS visits, count(left_at) AS exits, count(*) - count(left_at) AS open,
       avg(dur_us) AS avg_us, max(dur_us) AS max_us,
       percentile_disc(ARRAY[0, 0.001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1])
         WITHIN GROUP (ORDER BY dur_us) AS q_us
FROM rv WHERE s IS NOT NULL AND entered_at IS NOT NULL GROUP BY seller, s;
SELECT count(*) AS stages, sum(exits) AS exits, min(exits) AS fewest_exits FROM rv_exact;

-- counts exact, mean exact up to float rounding, max exact
SELECT count(*) FILTER (WHERE st.visits IS DISTINCT FROM e.visits OR st.exits IS DISTINCT FROM e.exits
                          OR st.open IS DISTINCT FROM e.open) AS count_mismatches,
       count(*) FILTER (WHERE abs(st.avg_days * 86400e6 - e.avg_us::float8) > 1e-9 * e.avg_us) AS mean_mismatches,
       count(*) FILTER (WHERE st.max_days IS DISTINCT FROM e.max_us::float8 / 86400e6) AS max_mismatches,
       count(*) AS stages
FROM rv_exact e
FULL JOIN (SELECT seller, stage(x.position, x.stage) AS s, x.*
           FROM rv_v, velocity_steps(v) x) st USING (seller, s);

-- every quantile within 1% (and within the documented 1/256) of percentile_disc
SELECT count(*) FILTER (WHERE abs(est_us - exact_us) > 0.01 * exact_us) AS over_1_percent,
       count(*) FILTER (WHERE abs(est_us - exact_us) > exact_us / 256.0 + 1e-6) AS over_bound,
       count(*) FILTER (WHERE exact_us = 0 AND est_us <> 0) AS zero_mismatches,
       count(*) AS quantiles,
       max(abs(est_us - exact_us) / nullif(exact_us, 0)) < 0.004 AS max_error_under_0_4_percent
FROM (SELECT e.exact_us::float8 AS exact_us,
             velocity_quantile(v.v, e.s, e.q) * 86400e6 AS est_us
      FROM (SELECT seller, s, q, exact_us
            FROM rv_exact, unnest(ARRAY[0, 0.001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1], q_us) AS u(q, exact_us)
            WHERE exits > 0) e
      JOIN rv_v v USING (seller)) c;

-- time_in_stage agrees with velocity_quantile, to the microsecond
SELECT count(*) FILTER (WHERE abs(extract(epoch FROM time_in_stage(v, s, q)) * 1e6
                                  - velocity_quantile(v, s, q) * 86400e6) > 1) AS interval_mismatches,
       count(*) AS cases
FROM rv_v, (SELECT DISTINCT s FROM rv WHERE s IS NOT NULL) st, unnest(ARRAY[0, 0.5, 0.9, 1]) q;

-- velocity_steps p50/p90 are the 0.5 and 0.9 quantiles
SELECT count(*) FILTER (WHERE x.p50_days IS DISTINCT FROM velocity_quantile(v, stage(x.position), 0.5)
                          OR x.p90_days IS DISTINCT FROM velocity_quantile(v, stage(x.position), 0.9)) AS steps_mismatches,
       count(*) AS stages
FROM rv_v, velocity_steps(v) x;

-- one seller at a time, with a per-stage percentile_disc in time_in_stage's unit
SELECT count(*) FILTER (WHERE abs(extract(epoch FROM time_in_stage(v, s, 0.9) - exact)) > 0.01 * extract(epoch FROM exact)) AS p90_mismatches,
       count(*) AS cases
FROM (SELECT seller, s, percentile_disc(0.9) WITHIN GROUP (ORDER BY left_at - entered_at) AS exact
      FROM rv WHERE left_at IS NOT NULL AND s IS NOT NULL GROUP BY seller, s) e JOIN rv_v USING (seller);

-- rollups: sellers merged in any order equal the one pass over all rows
CREATE TABLE rv_all AS SELECT stage_velocity(s, entered_at, left_at)::text AS one_pass FROM rv;
SELECT (SELECT stage_velocity(v ORDER BY seller)::text FROM rv_v) = one_pass AS merged_in_order,
       (SELECT stage_velocity(v ORDER BY seller DESC)::text FROM rv_v) = one_pass AS merged_reversed,
       (SELECT stage_velocity(v)::text
        FROM (SELECT stage_velocity(v) v FROM rv_v GROUP BY seller % 3) t) = one_pass AS merged_in_two_levels,
       (SELECT (a.v + b.v)::text FROM (SELECT stage_velocity(v) v FROM rv_v WHERE seller <= 4) a,
                                      (SELECT stage_velocity(v) v FROM rv_v WHERE seller > 4) b) = one_pass AS plus,
       (SELECT stage_velocity(v::text::velocity)::text FROM rv_v) = one_pass AS through_text
FROM rv_all;
-- finer rollups (seller x month) stored, merged back per seller
CREATE TABLE rv_month AS
SELECT seller, date_trunc('month', entered_at) AS month, stage_velocity(s, entered_at, left_at) AS v
FROM rv GROUP BY 1, 2;
SELECT count(*) FILTER (WHERE m.v::text IS DISTINCT FROM r.v::text) AS rollup_mismatches, count(*) AS sellers
FROM rv_v r FULL JOIN (SELECT seller, stage_velocity(v) v FROM rv_month GROUP BY seller) m USING (seller);

-- hash and sort aggregation agree
SET enable_hashagg = off;
CREATE TABLE rv_sorted AS SELECT seller, stage_velocity(s, entered_at, left_at) AS v FROM rv GROUP BY seller;
RESET enable_hashagg;
SET enable_sort = off;
CREATE TABLE rv_hashed AS SELECT seller, stage_velocity(s, entered_at, left_at) AS v FROM rv GROUP BY seller;
RESET enable_sort;
SELECT count(*) FILTER (WHERE a.v::text IS DISTINCT FROM b.v::text) AS hash_sort_mismatches, count(*) AS sellers
FROM rv_sorted a FULL JOIN rv_hashed b USING (seller);

-- parallel plans (Partial and Finalize Aggregate) equal the serial result
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT stage_velocity(s, entered_at, left_at) FROM rv;
SELECT (SELECT stage_velocity(s, entered_at, left_at)::text FROM rv) = one_pass AS parallel_equal FROM rv_all;
EXPLAIN (COSTS OFF) SELECT seller, stage_velocity(s, entered_at, left_at) FROM rv GROUP BY seller;
SELECT count(*) FILTER (WHERE p.v::text IS DISTINCT FROM r.v::text) AS parallel_group_mismatches, count(*) AS sellers
FROM rv_v r FULL JOIN (SELECT seller, stage_velocity(s, entered_at, left_at) v FROM rv GROUP BY seller) p USING (seller);
EXPLAIN (COSTS OFF) SELECT stage_velocity(v) FROM rv_month;
SELECT (SELECT stage_velocity(v)::text FROM rv_month) = one_pass AS parallel_merge_equal FROM rv_all;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- state size does not grow with rows: ten times the rows, the same buckets
SELECT pg_column_size(v1) AS packed_bytes_once, pg_column_size(v10) AS packed_bytes_ten_times,
       pg_column_size(v10) < 1.2 * pg_column_size(v1) AS bounded,
       v10::text = (SELECT stage_velocity(v) FROM (SELECT v1 FROM generate_series(1, 10)) t(v))::text AS ten_merges_equal
FROM (SELECT stage_velocity(s, entered_at, left_at) v1 FROM rv) a,
     (SELECT stage_velocity(s, entered_at, left_at) v10 FROM rv, generate_series(1, 10)) b;

DROP TABLE rv, rv_v, rv_exact, rv_all, rv_month, rv_sorted, rv_hashed;
