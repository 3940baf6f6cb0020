-- funnel_conversion in parallel plans gives the results of a serial plan.
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.31);
CREATE TABLE fp_rows AS
SELECT deal, team, seller,
       CASE WHEN r < 0.03 THEN NULL
            ELSE stage(p, CASE WHEN variant < 0.1 THEN upper(n) WHEN variant < 0.15 THEN NULL ELSE n END) END AS s
FROM (SELECT i AS deal, i % 7 AS team, i % 40 AS seller, random() AS r, random() AS variant,
             1 + floor(random() ^ 2 * 8)::int AS p
      FROM generate_series(1, 60000) i) x,
     LATERAL (SELECT (ARRAY['lead', 'qualified', 'meeting', 'demo', 'proposal', 'negotiation', 'contract', 'won'])[x.p] AS n) m;
ANALYZE fp_rows;

-- serial
CREATE TABLE fp_serial_all AS SELECT funnel_conversion(s) AS f FROM fp_rows;
CREATE TABLE fp_serial_team AS SELECT team, funnel_conversion(s) AS f FROM fp_rows GROUP BY team;
-- stored funnels per seller and deal bucket, to merge
CREATE TABLE fp_seller AS SELECT team, seller, deal % 1000 AS bucket, funnel_conversion(s) AS f FROM fp_rows GROUP BY 1, 2, 3;
ANALYZE fp_seller;
CREATE TABLE fp_serial_merged AS SELECT team, funnel_conversion(f) AS f FROM fp_seller GROUP BY team;

-- forced parallel
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT funnel_conversion(s) FROM fp_rows;
EXPLAIN (COSTS OFF) SELECT team, funnel_conversion(s) FROM fp_rows GROUP BY team;
EXPLAIN (COSTS OFF) SELECT team, funnel_conversion(f) FROM fp_seller GROUP BY team;
CREATE TABLE fp_parallel_all AS SELECT funnel_conversion(s) AS f FROM fp_rows;
CREATE TABLE fp_parallel_team AS SELECT team, funnel_conversion(s) AS f FROM fp_rows GROUP BY team;
CREATE TABLE fp_parallel_merged AS SELECT team, funnel_conversion(f) AS f FROM fp_seller GROUP BY team;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT team, funnel_conversion(s) FROM fp_rows GROUP BY team;
CREATE TABLE fp_parallel_team_sorted AS SELECT team, funnel_conversion(s) AS f FROM fp_rows GROUP BY team;
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;

SELECT f AS serial_all FROM fp_serial_all;
SELECT (SELECT f::text FROM fp_serial_all) = (SELECT f::text FROM fp_parallel_all) AS all_equal;
SELECT count(*) AS teams,
       count(*) FILTER (WHERE s.f::text IS DISTINCT FROM p.f::text) AS hashed_mismatches,
       count(*) FILTER (WHERE s.f::text IS DISTINCT FROM q.f::text) AS sorted_mismatches,
       count(*) FILTER (WHERE s.f::text IS DISTINCT FROM m.f::text) AS serial_merge_mismatches,
       count(*) FILTER (WHERE s.f::text IS DISTINCT FROM pm.f::text) AS parallel_merge_mismatches
FROM fp_serial_team s
FULL JOIN fp_parallel_team p USING (team)
FULL JOIN fp_parallel_team_sorted q USING (team)
FULL JOIN fp_serial_merged m USING (team)
FULL JOIN fp_parallel_merged pm USING (team);
-- the per-team counts add up to the rows, checked in plain SQL
SELECT count(*) AS team_positions,
       count(*) FILTER (WHERE st.stopped IS DISTINCT FROM coalesce(c.n, 0)) AS count_mismatches
FROM (SELECT team, stage_position(s) AS position, count(*) AS n FROM fp_rows WHERE s IS NOT NULL GROUP BY 1, 2) c
FULL JOIN (SELECT team, st.* FROM fp_serial_team, funnel_steps(f) st) st USING (team, position);
DROP TABLE fp_rows, fp_serial_all, fp_serial_team, fp_seller, fp_serial_merged,
  fp_parallel_all, fp_parallel_team, fp_parallel_merged, fp_parallel_team_sorted;
