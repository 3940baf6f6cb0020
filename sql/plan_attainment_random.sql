-- plan_attainment against plain SQL on random data, in rollups and parallel plans.
--
-- plan_attainment against plain SQL on random data: sums, days met and
-- missed, streaks (window functions), shortfall; rollups, input order and
-- parallel plans against one serial pass.  Output: cases checked and
-- mismatches (must be 0).
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.5);

-- 300 groups with gaps between days, several rows per day, zero plans,
-- negative actuals and 0..3 decimals; 20 groups with large values and 6
-- decimals; some NULLs (skipped by both sides).
CREATE TABLE att_rnd AS
SELECT g AS grp,
       date '2026-01-01' + (random() * random() * 120)::int AS day,
       round((random() * 20 - 5)::numeric, (random() * 3)::int) AS actual,
       CASE WHEN random() < 0.1 THEN 0
            ELSE round((random() * 15)::numeric, (random() * 2)::int) END AS plan
FROM generate_series(1, 300) g,
     LATERAL generate_series(1, 1 + (random() * 60 + g * 0)::int) i;
INSERT INTO att_rnd
SELECT 300 + g, date '2025-06-01' + (random() * 400)::int,
       round((random() * 2e15 - 5e14)::numeric, 6), round((random() * 1e15)::numeric, 6)
FROM generate_series(1, 20) g, generate_series(1, 80) i;
INSERT INTO att_rnd
SELECT 340 + g, date '2026-02-01' + i * g, round((random() * 4 - 2)::numeric, 1), 0
FROM generate_series(1, 5) g, generate_series(1, 10) i;
INSERT INTO att_rnd VALUES (1, NULL, 5, 5), (2, '2026-01-01', NULL, 5), (3, '2026-01-01', 5, NULL);

CREATE TEMP VIEW att_ref_days AS
  SELECT grp, day, sum(actual) AS a, sum(plan) AS p, sum(actual) >= sum(plan) AS met
  FROM att_rnd
  WHERE actual IS NOT NULL AND plan IS NOT NULL AND day IS NOT NULL
  GROUP BY grp, day;

-- runs of same-outcome days by the gaps-and-islands difference of row numbers
CREATE TEMP VIEW att_ref AS
WITH i AS (
  SELECT *, row_number() OVER (PARTITION BY grp ORDER BY day)
          - row_number() OVER (PARTITION BY grp, met ORDER BY day) AS island
  FROM att_ref_days),
runs AS (
  SELECT grp, met, island, count(*) AS len, max(day) AS last_day
  FROM i GROUP BY grp, met, island),
cur AS (
  SELECT DISTINCT ON (grp) grp, CASE WHEN met THEN len ELSE -len END AS current_streak
  FROM runs ORDER BY grp, last_day DESC)
SELECT d.grp, sum(a) AS actual, sum(p) AS plan,
       CASE WHEN sum(p) = 0 THEN NULL ELSE (sum(a) / sum(p))::float8 END AS ratio,
       count(*)::int AS days,
       count(*) FILTER (WHERE met)::int AS days_met,
       count(*) FILTER (WHERE NOT met)::int AS days_missed,
       coalesce((SELECT max(len) FROM runs r WHERE r.grp = d.grp AND NOT r.met), 0)::int
         AS longest_miss_streak,
       (SELECT current_streak FROM cur WHERE cur.grp = d.grp)::int AS current_streak,
       coalesce(sum(p - a) FILTER (WHERE NOT met), 0) AS shortfall
FROM att_ref_days d GROUP BY d.grp;

CREATE TABLE att_one_pass AS
  SELECT grp, plan_attainment(actual, plan, day) AS a FROM att_rnd GROUP BY grp;

-- the report against the reference, group by group
SELECT count(*) AS groups_checked,
       count(*) FILTER (WHERE c.actual IS DISTINCT FROM r.actual
                           OR c.plan IS DISTINCT FROM r.plan
                           OR NOT ((c.ratio IS NULL AND r.ratio IS NULL)
                                   OR abs(c.ratio - r.ratio) <= 1e-12 * abs(r.ratio))
                           OR c.days IS DISTINCT FROM r.days
                           OR c.days_met IS DISTINCT FROM r.days_met
                           OR c.days_missed IS DISTINCT FROM r.days_missed
                           OR c.longest_miss_streak IS DISTINCT FROM r.longest_miss_streak
                           OR c.current_streak IS DISTINCT FROM r.current_streak
                           OR c.shortfall IS DISTINCT FROM r.shortfall) AS mismatches
FROM att_ref r
FULL JOIN (SELECT grp, rep.* FROM att_one_pass o, attainment_report(o.a) rep) c USING (grp);
-- the cases cover what they should
SELECT count(*) FILTER (WHERE days_missed > 0 AND days_met > 0) > 200 AS mixed_outcomes,
       count(*) FILTER (WHERE longest_miss_streak >= 3) > 50 AS long_miss_runs,
       count(*) FILTER (WHERE current_streak > 1) > 10 AND count(*) FILTER (WHERE current_streak < -1) > 10
         AS both_streak_signs,
       count(*) FILTER (WHERE actual < 0) > 0 AS negative_totals,
       count(*) FILTER (WHERE ratio IS NULL) > 0 AS zero_plan_totals
FROM att_ref;
SELECT count(*) FILTER (WHERE p = 0) > 0 AS zero_plan_days,
       count(*) FILTER (WHERE a < 0) > 0 AS negative_days,
       (SELECT count(*) FROM (SELECT 1 FROM att_rnd GROUP BY grp, day HAVING count(*) > 1) m) > 500
         AS days_with_several_rows
FROM att_ref_days;
SELECT count(*) FILTER (WHERE attainment_ratio(o.a) IS DISTINCT FROM c.ratio) AS ratio_function_mismatches
FROM att_one_pass o, attainment_report(o.a) c;

-- every day against the reference
SELECT count(*) AS days_checked,
       count(*) FILTER (WHERE c.actual IS DISTINCT FROM r.a OR c.plan IS DISTINCT FROM r.p
                           OR c.met IS DISTINCT FROM r.met) AS mismatches
FROM att_ref_days r
FULL JOIN (SELECT grp, d.* FROM att_one_pass o, attainment_days(o.a) d) c USING (grp, day);

-- rollups: weeks merged, halves added, teams merged, text round trips
CREATE TABLE att_weeks AS
  SELECT grp, date_trunc('week', day) AS week, plan_attainment(actual, plan, day) AS a
  FROM att_rnd GROUP BY 1, 2;
SELECT count(*) AS groups_checked,
       count(*) FILTER (WHERE w.a::text IS DISTINCT FROM o.a::text) AS weeks_mismatches
FROM att_one_pass o FULL JOIN (SELECT grp, plan_attainment(a) a FROM att_weeks GROUP BY grp) w USING (grp);
SELECT count(*) FILTER (WHERE h.a::text IS DISTINCT FROM o.a::text) AS halves_mismatches
FROM att_one_pass o
JOIN (SELECT grp,
             plan_attainment(actual, plan, day) FILTER (WHERE day < '2026-01-20')
             + plan_attainment(actual, plan, day) FILTER (WHERE day >= '2026-01-20') AS a
      FROM att_rnd GROUP BY grp) h USING (grp);
SELECT count(*) AS teams_checked,
       count(*) FILTER (WHERE t.a::text IS DISTINCT FROM d.a::text) AS teams_mismatches
FROM (SELECT grp % 7 AS team, plan_attainment(a) AS a FROM att_one_pass GROUP BY 1) t
JOIN (SELECT grp % 7 AS team, plan_attainment(actual, plan, day) AS a FROM att_rnd GROUP BY 1) d USING (team);
SELECT count(*) FILTER (WHERE t.a::text IS DISTINCT FROM o.a::text) AS text_state_mismatches
FROM att_one_pass o
JOIN (SELECT grp, plan_attainment(a::text::attainment) AS a FROM att_weeks GROUP BY grp) t USING (grp);
SELECT current_setting('data_directory') || '/funnel_att_random.copy' AS funnel_att_random_file \gset
COPY att_one_pass TO :'funnel_att_random_file' WITH (FORMAT binary);
CREATE TABLE att_copied (LIKE att_one_pass);
COPY att_copied FROM :'funnel_att_random_file' WITH (FORMAT binary);
SELECT count(*) FILTER (WHERE b.a::text IS DISTINCT FROM o.a::text) AS binary_mismatches
FROM att_one_pass o FULL JOIN att_copied b USING (grp);

-- the order of the rows does not matter
SELECT count(*) FILTER (WHERE r.a::text IS DISTINCT FROM o.a::text) AS order_mismatches
FROM att_one_pass o
JOIN (SELECT grp, plan_attainment(actual, plan, day ORDER BY day DESC) AS a FROM att_rnd GROUP BY grp
      UNION ALL
      SELECT grp, plan_attainment(actual, plan, day ORDER BY md5(actual::text || day)) FROM att_rnd GROUP BY grp) r
USING (grp);

-- parallel plans: partial states combined equal one serial pass
CREATE TABLE att_big AS
  SELECT i % 40 AS grp, date '2026-01-01' + (i * 7919 % 181) AS day,
         ((i * 31 % 23) - 4)::numeric / 4 AS actual, (i * 17 % 11)::numeric AS plan
  FROM generate_series(1, 200000) i;
ANALYZE att_big;
CREATE TABLE att_serial AS SELECT grp, plan_attainment(actual, plan, day)::text AS a FROM att_big GROUP BY grp;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT grp, plan_attainment(actual, plan, day) FROM att_big GROUP BY grp;
SELECT count(*) AS groups_checked,
       count(*) FILTER (WHERE p.a IS DISTINCT FROM s.a) AS parallel_mismatches
FROM att_serial s FULL JOIN (SELECT grp, plan_attainment(actual, plan, day)::text AS a FROM att_big GROUP BY grp) p
USING (grp);
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT grp, plan_attainment(actual, plan, day) FROM att_big GROUP BY grp;
SELECT count(*) AS groups_checked,
       count(*) FILTER (WHERE p.a IS DISTINCT FROM s.a) AS parallel_mismatches
FROM att_serial s FULL JOIN (SELECT grp, plan_attainment(actual, plan, day)::text AS a FROM att_big GROUP BY grp) p
USING (grp);
RESET enable_hashagg;
EXPLAIN (COSTS OFF) SELECT plan_attainment(actual, plan, day) FROM att_big;
SELECT plan_attainment(actual, plan, day)::text = (SELECT plan_attainment(a::attainment) FROM att_serial)::text
  AS parallel_total_matches
FROM att_big;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE att_rnd, att_one_pass, att_copied, att_weeks, att_big, att_serial;
