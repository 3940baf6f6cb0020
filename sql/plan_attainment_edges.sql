-- plan_attainment at the edges (digits, zero plans, negatives, tiny groups) against plain SQL.
--
-- plan_attainment at the edges, against plain SQL: up to 18 decimals and 38
-- significant digits, zero plans, negative actuals, one-day and one-row
-- groups; equality and hashing (GROUP BY, DISTINCT, UNION, hash joins) that
-- compare sums as numbers whatever the scale.  Every check prints
-- mismatches (must be 0) and cases.
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.2718);
-- per group a magnitude (10^0 .. 10^19) and a number of decimals (0 .. 18),
-- at most 36 digits per value so sums of a few hundred rows still fit
CREATE TABLE ae AS
SELECT grp, date '2026-03-01' + (random() * (grp % 9))::int AS day,
       round(((random() * 1.3 - 0.3) * 10::numeric ^ mag)::numeric, dec) AS actual,
       CASE WHEN random() < 0.15 THEN 0 ELSE round((random() * 10::numeric ^ mag)::numeric, dec) END AS plan
FROM (SELECT grp, (grp * 7) % 20 AS mag, least(18, 36 - (grp * 7) % 20, (grp * 5) % 19) AS dec
      FROM generate_series(1, 400) grp) g,
     LATERAL generate_series(1, 1 + (random() * (grp % 5) * 3)::int + grp * 0) i;
SELECT count(*) AS rows, count(DISTINCT grp) AS groups, max(scale(actual)) AS most_decimals,
       max(length(trunc(abs(actual))::text)) AS most_integer_digits,
       count(*) FILTER (WHERE actual < 0) > 0 AS negative_actuals, count(*) FILTER (WHERE plan = 0) > 0 AS zero_plans
FROM ae;

CREATE TEMP VIEW ae_days AS
  SELECT grp, day, sum(actual) AS a, sum(plan) AS p, sum(actual) >= sum(plan) AS met FROM ae GROUP BY grp, day;
CREATE TEMP VIEW ae_ref AS
WITH i AS (
  SELECT *, row_number() OVER (PARTITION BY grp ORDER BY day)
          - row_number() OVER (PARTITION BY grp, met ORDER BY day) AS island
  FROM ae_days),
runs AS (SELECT grp, met, island, count(*) AS len, max(day) AS last_day FROM i GROUP BY grp, met, island),
cur AS (SELECT DISTINCT ON (grp) grp, CASE WHEN met THEN len ELSE -len END AS current_streak
        FROM runs ORDER BY grp, last_day DESC)
SELECT d.grp, sum(a) AS actual, sum(p) AS plan,
       CASE WHEN sum(p) = 0 THEN NULL ELSE (sum(a) / sum(p))::float8 END AS ratio,
       count(*)::int AS days, count(*) FILTER (WHERE met)::int AS days_met,
       count(*) FILTER (WHERE NOT met)::int AS days_missed,
       coalesce((SELECT max(len) FROM runs r WHERE r.grp = d.grp AND NOT r.met), 0)::int AS longest_miss_streak,
       (SELECT current_streak FROM cur WHERE cur.grp = d.grp)::int AS current_streak,
       coalesce(sum(p - a) FILTER (WHERE NOT met), 0) AS shortfall
FROM ae_days d GROUP BY d.grp;
CREATE TABLE ae_a AS SELECT grp, plan_attainment(actual, plan, day) AS a FROM ae GROUP BY grp;

-- totals and shortfall exact (at the most decimals an input needs), ratios
-- within 1e-15, every other figure equal
SELECT count(*) FILTER (WHERE c.actual IS DISTINCT FROM r.actual OR c.plan IS DISTINCT FROM r.plan
                           OR c.shortfall IS DISTINCT FROM r.shortfall
                           OR scale(c.actual) <> (SELECT max(scale(trim_scale(x))) FROM ae, unnest(ARRAY[actual, plan]) x
                                                 WHERE ae.grp = r.grp)
                           OR NOT ((c.ratio IS NULL AND r.ratio IS NULL) OR abs(c.ratio - r.ratio) <= 1e-15 * abs(r.ratio))
                           OR (c.days, c.days_met, c.days_missed, c.longest_miss_streak, c.current_streak)
                              IS DISTINCT FROM (r.days, r.days_met, r.days_missed, r.longest_miss_streak, r.current_streak))
         AS report_mismatches,
       count(*) AS groups
FROM ae_ref r FULL JOIN (SELECT grp, rep.* FROM ae_a, attainment_report(a) rep) c USING (grp);
SELECT count(*) FILTER (WHERE c.actual IS DISTINCT FROM r.a OR c.plan IS DISTINCT FROM r.p OR c.met IS DISTINCT FROM r.met)
         AS day_mismatches,
       count(*) AS days
FROM ae_days r FULL JOIN (SELECT grp, d.* FROM ae_a, attainment_days(a) d) c USING (grp, day);
-- text and binary round trips are exact
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
SELECT count(*) FILTER (WHERE a::text::attainment::text <> a::text
                           OR pg_temp.recv_as('attainment', attainment_send(a)) <> a::text) AS round_trip_mismatches,
       count(*) AS groups
FROM ae_a WHERE grp % 5 = 0;

-- equality compares sums as numbers: the same rows with a cancelling pair of
-- extra-decimal rows have a larger scale and are equal, with equal hashes
CREATE TABLE ae_b AS
SELECT grp, plan_attainment(actual, plan, day) AS a
FROM (SELECT grp, actual, plan, day FROM ae
      UNION ALL
      SELECT grp, x, 0, day FROM (SELECT DISTINCT ON (grp) grp, day FROM ae ORDER BY grp, day) f,
             unnest(ARRAY[0.000000000000000011, -0.000000000000000011]) x
      WHERE grp % 2 = 0 AND (grp * 7) % 20 <= 16) u
GROUP BY grp;
SELECT count(*) FILTER (WHERE NOT (a.a = b.a AND b.a = a.a AND NOT a.a <> b.a
                                   AND attainment_hash(a.a) = attainment_hash(b.a)
                                   AND attainment_hash_extended(a.a, 5) = attainment_hash_extended(b.a, 5)))
         AS eq_mismatches,
       count(*) FILTER (WHERE a.a::text <> b.a::text) AS with_other_text,
       count(*) AS groups
FROM ae_a a JOIN ae_b b USING (grp);
-- and every pair agrees with numeric comparison of the days
CREATE TABLE ae_pairs AS
SELECT x.grp AS gx, y.grp AS gy, x.a AS ax, y.a AS ay FROM ae_a x JOIN ae_a y ON x.grp % 40 = y.grp % 40
UNION ALL
SELECT x.grp, y.grp, x.a, y.a + 'v1 2026-03-01:0/0' FROM ae_a x JOIN ae_a y ON x.grp = y.grp;
SELECT count(*) FILTER (WHERE (ax = ay) IS DISTINCT FROM
                              (SELECT bool_and((dx.day, dx.actual, dx.plan) IS NOT DISTINCT FROM (dy.day, dy.actual, dy.plan))
                               FROM attainment_days(ax) WITH ORDINALITY dx
                               FULL JOIN attainment_days(ay) WITH ORDINALITY dy USING (ordinality))
                           OR (ax = ay AND attainment_hash(ax) <> attainment_hash(ay))) AS pair_mismatches,
       count(*) FILTER (WHERE ax = ay) AS equal_pairs, count(*) AS pairs
FROM ae_pairs;
-- GROUP BY, DISTINCT and UNION by hashing; a hash join
SELECT (SELECT count(*) FROM (SELECT a FROM (SELECT a FROM ae_a UNION ALL SELECT a FROM ae_b) t GROUP BY a) g)
         = (SELECT count(*) FROM ae_a) AS group_by_values,
       (SELECT count(*) FROM (SELECT DISTINCT a FROM (SELECT a FROM ae_a UNION ALL SELECT a FROM ae_b) t) d)
         = (SELECT count(*) FROM ae_a) AS distinct_values,
       (SELECT count(*) FROM (SELECT a FROM ae_a UNION SELECT a FROM ae_b) u)
         = (SELECT count(*) FROM ae_a) AS union_values;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ae_a x JOIN ae_b y ON x.a = y.a;
SELECT count(*) = (SELECT count(*) FROM ae_a) AS hash_join_matches FROM ae_a x JOIN ae_b y ON x.a = y.a;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT NULL::attainment = 'v1 2026-01-01:1/1' IS NULL AS null_eq, attainment_hash(NULL) IS NULL AS null_hash;

DROP VIEW ae_ref, ae_days;
DROP TABLE ae, ae_a, ae_b, ae_pairs;
