-- Incremental rollups (INSERT ... ON CONFLICT with a merge) equal values recomputed from rows.
--
-- Incremental rollups: a rollup table kept current with
--   INSERT ... ON CONFLICT DO UPDATE SET f = <merge>(t.f, excluded.f)
-- for funnel, velocity and attainment, loaded batch by batch, equals the
-- values recomputed from the raw rows; and rolling the rollup up further
-- (day -> week, seller -> all) equals aggregating the raw rows directly.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET max_parallel_workers_per_gather = 0;
CREATE SCHEMA rollup_test;
SET search_path = rollup_test, public;

-- the merges: two arguments, not strict (NULL merged with a value is the
-- value, which a rollup row created by another metric relies on), immutable,
-- parallel safe; and the + operator for each type
SELECT p.oid::regprocedure AS merge,
       p.pronargs = 2 AND p.proargtypes[0] = p.prorettype AND p.proargtypes[1] = p.prorettype AS two_of_the_type,
       NOT p.proisstrict AS not_strict,
       p.provolatile = 'i' AS immutable,
       p.proparallel = 's' AS parallel_safe,
       EXISTS (SELECT FROM pg_operator o
               WHERE o.oprname = '+' AND o.oprleft = p.prorettype AND o.oprright = p.prorettype
                 AND o.oprresult = p.prorettype AND o.oprcode = p.oid) AS is_operator_plus
FROM pg_proc p
WHERE p.oid IN ('public.funnel_merge(funnel, funnel)'::regprocedure,
                'public.velocity_merge(velocity, velocity)'::regprocedure,
                'public.attainment_merge(attainment, attainment)'::regprocedure)
ORDER BY p.oid::regprocedure::text COLLATE "C";

SELECT funnel_merge(NULL, NULL) IS NULL AS null_null_is_null,
       funnel_merge(NULL, f)::text = f::text AS null_left, funnel_merge(f, NULL)::text = f::text AS null_right,
       (f + f)::text = funnel_merge(f, f)::text AS plus_is_merge
FROM (SELECT funnel_conversion(s) AS f FROM (VALUES ('1:lead'::stage), ('3:meeting')) v(s)) x;
SELECT velocity_merge(NULL, v)::text = v::text AS null_left, velocity_merge(v, NULL)::text = v::text AS null_right,
       (v + v)::text = velocity_merge(v, v)::text AS plus_is_merge
FROM (SELECT stage_velocity('2:qualified', timestamptz '2026-03-02 10:00', timestamptz '2026-03-04 12:00') AS v) x;
SELECT attainment_merge(NULL, a)::text = a::text AS null_left, attainment_merge(a, NULL)::text = a::text AS null_right,
       (a + a)::text = attainment_merge(a, a)::text AS plus_is_merge
FROM (SELECT plan_attainment(5, 4, date '2026-03-02') AS a) x;

-- raw rows: 4 sellers, 3 weeks; each row belongs to one of 6 load batches
SELECT setseed(0.25);
CREATE TABLE deal_outcome AS                  -- closed deals: the deepest stage reached
SELECT i AS deal_id, 1 + i % 4 AS seller_id,
       date '2026-03-02' + floor(random() * 21)::int AS closed_on,
       stage(1 + floor(random() * 6)::int, NULL) AS reached,
       1 + floor(random() * 6)::int AS batch
FROM generate_series(1, 1500) i;
CREATE TABLE visit AS                         -- stage visits, some still open
SELECT i AS visit_id, 1 + i % 4 AS seller_id,
       stage(1 + floor(random() * 5)::int, NULL) AS stage,
       timestamptz '2026-03-02 08:00' + floor(random() * 21) * interval '1 day' + random() * interval '10 hours' AS entered_at,
       CASE WHEN random() < 0.9 THEN random() * interval '12 days' END AS stay,
       1 + floor(random() * 6)::int AS batch
FROM generate_series(1, 3000) i;
CREATE TABLE plan_row AS                      -- several rows per seller and day
SELECT i AS row_id, 1 + i % 4 AS seller_id,
       date '2026-03-02' + floor(random() * 21)::int AS day,
       round((random() * 10)::numeric, 1) AS plan,
       round((random() * 12)::numeric, 1) AS actual,
       1 + floor(random() * 6)::int AS batch
FROM generate_series(1, 600) i;

-- the rollup: one row per day and seller, one column per metric
CREATE TABLE daily_rollup (
    day date,
    seller_id int,
    funnel funnel,
    velocity velocity,
    attainment attainment,
    PRIMARY KEY (day, seller_id)
);
-- the same kept with the + operator instead of the merge functions
CREATE TABLE daily_rollup_plus (LIKE daily_rollup INCLUDING ALL);

-- one load: the rows of a batch, merged into what is already there
CREATE PROCEDURE load_batch(b int)
LANGUAGE sql
AS $$
    INSERT INTO daily_rollup AS t (day, seller_id, funnel)
    SELECT closed_on, seller_id, funnel_conversion(reached) FROM deal_outcome WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET funnel = funnel_merge(t.funnel, excluded.funnel);
    INSERT INTO daily_rollup AS t (day, seller_id, velocity)
    SELECT entered_at::date, seller_id, stage_velocity(stage, entered_at, entered_at + stay)
    FROM visit WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET velocity = velocity_merge(t.velocity, excluded.velocity);
    INSERT INTO daily_rollup AS t (day, seller_id, attainment)
    SELECT day, seller_id, plan_attainment(actual, plan, day) FROM plan_row WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET attainment = attainment_merge(t.attainment, excluded.attainment);

    INSERT INTO daily_rollup_plus AS t (day, seller_id, funnel)
    SELECT closed_on, seller_id, funnel_conversion(reached) FROM deal_outcome WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET funnel = t.funnel + excluded.funnel;
    INSERT INTO daily_rollup_plus AS t (day, seller_id, velocity)
    SELECT entered_at::date, seller_id, stage_velocity(stage, entered_at, entered_at + stay)
    FROM visit WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET velocity = t.velocity + excluded.velocity;
    INSERT INTO daily_rollup_plus AS t (day, seller_id, attainment)
    SELECT day, seller_id, plan_attainment(actual, plan, day) FROM plan_row WHERE batch = b GROUP BY 1, 2
    ON CONFLICT (day, seller_id) DO UPDATE SET attainment = t.attainment + excluded.attainment;
$$;

CALL load_batch(1);
CALL load_batch(2);
CALL load_batch(3);
CALL load_batch(4);
CALL load_batch(5);
CALL load_batch(6);

-- recomputed from all raw rows at once
CREATE VIEW recomputed AS
SELECT day, seller_id, f.funnel, v.velocity, a.attainment
FROM (SELECT closed_on AS day, seller_id, funnel_conversion(reached) AS funnel FROM deal_outcome GROUP BY 1, 2) f
FULL JOIN (SELECT entered_at::date AS day, seller_id, stage_velocity(stage, entered_at, entered_at + stay) AS velocity
           FROM visit GROUP BY 1, 2) v USING (day, seller_id)
FULL JOIN (SELECT day, seller_id, plan_attainment(actual, plan, day) AS attainment FROM plan_row GROUP BY 1, 2) a
    USING (day, seller_id);

-- every rollup row equals the recomputed one (text forms: exact), with both
-- merge spellings; the keys are the same; most keys were hit by several
-- batches, so the merges did the work
SELECT 'merge functions' AS kept_with,
       count(*) FILTER (WHERE r.funnel::text IS DISTINCT FROM c.funnel::text) AS funnel_mismatches,
       count(*) FILTER (WHERE r.velocity::text IS DISTINCT FROM c.velocity::text) AS velocity_mismatches,
       count(*) FILTER (WHERE r.attainment::text IS DISTINCT FROM c.attainment::text) AS attainment_mismatches,
       count(*) FILTER (WHERE r.day IS NULL OR c.day IS NULL) AS missing_keys,
       count(*) AS keys
FROM daily_rollup r FULL JOIN recomputed c USING (day, seller_id)
UNION ALL
SELECT '+ operator',
       count(*) FILTER (WHERE r.funnel::text IS DISTINCT FROM c.funnel::text),
       count(*) FILTER (WHERE r.velocity::text IS DISTINCT FROM c.velocity::text),
       count(*) FILTER (WHERE r.attainment::text IS DISTINCT FROM c.attainment::text),
       count(*) FILTER (WHERE r.day IS NULL OR c.day IS NULL),
       count(*)
FROM daily_rollup_plus r FULL JOIN recomputed c USING (day, seller_id);

SELECT count(*) FILTER (WHERE n > 1) AS keys_merged_from_several_batches,
       count(*) FILTER (WHERE funnel IS NULL OR velocity IS NULL OR attainment IS NULL) AS keys_missing_a_metric
FROM (SELECT day, seller_id, count(DISTINCT batch) AS n
      FROM (SELECT closed_on AS day, seller_id, batch FROM deal_outcome
            UNION ALL SELECT entered_at::date, seller_id, batch FROM visit
            UNION ALL SELECT day, seller_id, batch FROM plan_row) s
      GROUP BY 1, 2) k
JOIN daily_rollup USING (day, seller_id);

-- rolled up further: week x seller, seller, everything, from the rollup
-- with the aggregate forms, against the raw rows (k names the group: NULL
-- keys of grouping sets do not join)
WITH from_rollup AS (
    SELECT concat_ws('/', coalesce(date_trunc('week', day)::date::text, '*'), coalesce(seller_id::text, '*')) AS k,
           funnel_conversion(funnel) AS funnel, stage_velocity(velocity) AS velocity,
           plan_attainment(attainment) AS attainment
    FROM daily_rollup
    GROUP BY GROUPING SETS ((date_trunc('week', day), seller_id), (seller_id), ())
), from_raw AS (
    SELECT k, f.funnel, v.velocity, a.attainment
    FROM (SELECT concat_ws('/', coalesce(date_trunc('week', closed_on)::date::text, '*'), coalesce(seller_id::text, '*')) AS k,
                 funnel_conversion(reached) AS funnel
          FROM deal_outcome GROUP BY GROUPING SETS ((date_trunc('week', closed_on), seller_id), (seller_id), ())) f
    FULL JOIN (SELECT concat_ws('/', coalesce(date_trunc('week', entered_at)::date::text, '*'), coalesce(seller_id::text, '*')) AS k,
                      stage_velocity(stage, entered_at, entered_at + stay) AS velocity
               FROM visit GROUP BY GROUPING SETS ((date_trunc('week', entered_at), seller_id), (seller_id), ())) v
        USING (k)
    FULL JOIN (SELECT concat_ws('/', coalesce(date_trunc('week', day)::date::text, '*'), coalesce(seller_id::text, '*')) AS k,
                      plan_attainment(actual, plan, day) AS attainment
               FROM plan_row GROUP BY GROUPING SETS ((date_trunc('week', day), seller_id), (seller_id), ())) a
        USING (k)
)
SELECT CASE WHEN k = '*/*' THEN 'all' WHEN k LIKE '*/%' THEN 'seller' ELSE 'week x seller' END AS level,
       count(*) FILTER (WHERE r.funnel::text IS DISTINCT FROM w.funnel::text) AS funnel_mismatches,
       count(*) FILTER (WHERE r.velocity::text IS DISTINCT FROM w.velocity::text) AS velocity_mismatches,
       count(*) FILTER (WHERE r.attainment::text IS DISTINCT FROM w.attainment::text) AS attainment_mismatches,
       count(*) FILTER (WHERE r.k IS NULL OR w.k IS NULL) AS missing_groups,
       count(*) AS groups
FROM from_rollup r
FULL JOIN from_raw w USING (k)
GROUP BY 1
ORDER BY 1;

-- a rollup can be read like the raw data: the whole funnel from the rollup
SELECT s.position, s.reached, s.stopped, round(s.step_conversion::numeric, 3) AS step_conversion
FROM (SELECT funnel_conversion(funnel) AS f FROM daily_rollup) r, funnel_steps(r.f) s
ORDER BY 1;
SELECT count(*) AS deals, count(*) FILTER (WHERE stage_position(reached) >= 2) AS reached_2,
       count(*) FILTER (WHERE stage_position(reached) = 6) AS reached_6
FROM deal_outcome;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rollup_test CASCADE;
RESET client_min_messages;
RESET max_parallel_workers_per_gather;
RESET datestyle;
RESET timezone;
