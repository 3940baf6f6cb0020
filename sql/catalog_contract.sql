-- The catalog properties Citus and BI tools rely on, asserted so that no change can lose them.

-- 1. Citus 13 runs an aggregate as distributed partial aggregates (partial
-- states computed on the workers, combined on the coordinator) only when it
-- has a combine function and its state type is not a pseudotype; the partial
-- states travel between nodes in the state type's text form.  funnel,
-- velocity and attainment are those states, and from 0.2 the types of their
-- own of window_funnel (and window_funnel_times), contact_chain_agg and the
-- entered-only stage_velocity: no serialize/deserialize (they exist only for
-- internal), combine and I/O functions parallel safe.
SELECT p.oid::regprocedure AS aggregate,
       a.aggtranstype::regtype AS state,
       a.aggtranstype = p.prorettype AS state_is_result,
       t.typtype = 'b' AS base_type_not_pseudo,
       a.aggcombinefn <> 0 AS has_combine,
       a.aggserialfn = 0 AND a.aggdeserialfn = 0 AS no_serial_needed,
       p.proparallel = 's' AS parallel_safe
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_type t ON t.oid = a.aggtranstype
WHERE p.oid IN ('funnel_conversion(stage)'::regprocedure,
                'funnel_conversion(funnel)'::regprocedure,
                'stage_velocity(stage, timestamptz, timestamptz)'::regprocedure,
                'stage_velocity(velocity)'::regprocedure,
                'plan_attainment(numeric, numeric, date)'::regprocedure,
                'plan_attainment(attainment)'::regprocedure,
                'window_funnel(interval, timestamptz, boolean[])'::regprocedure,
                'window_funnel_times(bigint, text, bigint, boolean, boolean)'::regprocedure,
                'contact_chain_agg(text, timestamptz)'::regprocedure,
                'stage_velocity(bigint, stage, timestamptz)'::regprocedure)
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- from 0.2 no aggregate of the extension has a pseudotype (internal) state:
-- window_funnel, window_funnel_times, contact_chain_agg and the entered-only
-- stage_velocity have types of their own; the list must stay empty
SELECT a.aggfnoid::regprocedure AS aggregate_with_pseudotype_state
FROM pg_aggregate a
JOIN pg_type t ON t.oid = a.aggtranstype
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
WHERE t.typtype = 'p'
ORDER BY a.aggfnoid::regprocedure::text COLLATE "C";

-- the combine function takes and returns the state type, is not strict (a
-- NULL partial, from a worker with no rows, is skipped) and parallel safe
SELECT a.aggfnoid::regprocedure AS aggregate,
       c.pronargs = 2 AND c.proargtypes[0] = a.aggtranstype AND c.proargtypes[1] = a.aggtranstype
           AND c.prorettype = a.aggtranstype AS combine_takes_two_states,
       NOT c.proisstrict AS combine_not_strict,
       c.proparallel = 's' AS combine_parallel_safe
FROM pg_aggregate a
JOIN pg_proc c ON c.oid = a.aggcombinefn
WHERE a.aggfnoid IN ('funnel_conversion(stage)'::regprocedure,
                     'stage_velocity(stage, timestamptz, timestamptz)'::regprocedure,
                     'plan_attainment(numeric, numeric, date)'::regprocedure,
                     'window_funnel(interval, timestamptz, boolean[])'::regprocedure,
                     'contact_chain_agg(text, timestamptz)'::regprocedure,
                     'stage_velocity(bigint, stage, timestamptz)'::regprocedure)
ORDER BY a.aggfnoid::regprocedure::text COLLATE "C";

-- text and binary I/O of the state types: present, immutable, strict,
-- parallel safe (Citus calls them on every node)
SELECT t.oid::regtype AS state,
       bool_and(f.oid IS NOT NULL) AS has_in_out_recv_send,
       bool_and(f.provolatile = 'i' AND f.proisstrict AND f.proparallel = 's') AS immutable_strict_safe
FROM pg_type t
CROSS JOIN LATERAL (VALUES (t.typinput), (t.typoutput), (t.typreceive), (t.typsend)) io(fn)
LEFT JOIN pg_proc f ON f.oid = io.fn
WHERE t.oid IN ('funnel'::regtype, 'velocity'::regtype, 'attainment'::regtype, 'window_funnel_state'::regtype,
                'contact_chain_agg_state'::regtype, 'stage_velocity_history'::regtype)
GROUP BY t.oid
ORDER BY t.oid::regtype::text COLLATE "C";

-- every aggregate of the extension: parallel safe with a combine function,
-- and serialize/deserialize exactly when its state is internal (PRODUCT.md
-- section 6); the list of offenders must stay empty
CREATE TEMP VIEW funnel_ext_objects AS
SELECT d.classid, d.objid
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'funnel';

SELECT p.oid::regprocedure AS aggregate_breaking_section_6
FROM funnel_ext_objects o
JOIN pg_proc p ON o.classid = 'pg_proc'::regclass AND p.oid = o.objid
JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.proparallel <> 's' OR a.aggcombinefn = 0
   OR (a.aggtranstype = 'internal'::regtype) <> (a.aggserialfn <> 0 AND a.aggdeserialfn <> 0)
   OR (a.aggtranstype <> 'internal'::regtype AND (a.aggserialfn <> 0 OR a.aggdeserialfn <> 0))
ORDER BY p.oid::regprocedure::text COLLATE "C";

-- 2. The Citus path in miniature: partial states per shard, shipped as text,
-- parsed back and combined, give the single-node value
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.8);
CREATE TEMP TABLE contract_rows AS
SELECT i AS deal_id,
       stage(1 + floor(random() * 6)::int, NULL) AS reached,
       stage(1 + floor(random() * 6)::int, NULL) AS visited,
       timestamptz '2026-01-05 09:00+00' + random() * interval '60 days' AS entered_at,
       random() * interval '20 days' AS stay,
       random() < 0.1 AS still_open,
       round((random() * 100)::numeric, 2) AS actual,
       round((random() * 100)::numeric, 2) AS plan,
       date '2026-01-05' + floor(random() * 40)::int AS day
FROM generate_series(1, 2000) i;

CREATE TEMP VIEW contract_whole AS
SELECT funnel_conversion(reached)::text AS f,
       stage_velocity(visited, entered_at, CASE WHEN NOT still_open THEN entered_at + stay END)::text AS v,
       plan_attainment(actual, plan, day)::text AS a
FROM contract_rows;

-- what each of 4 shards would send: text, as Citus ships it
CREATE TEMP VIEW contract_shipped AS
SELECT deal_id % 4 AS shard,
       funnel_conversion(reached)::text AS f,
       stage_velocity(visited, entered_at, CASE WHEN NOT still_open THEN entered_at + stay END)::text AS v,
       plan_attainment(actual, plan, day)::text AS a
FROM contract_rows
GROUP BY 1;

SELECT bool_and(f::funnel::text = f) AS funnel_text_round_trips,
       bool_and(v::velocity::text = v) AS velocity_text_round_trips,
       bool_and(a::attainment::text = a) AS attainment_text_round_trips
FROM contract_shipped;

SELECT (SELECT funnel_conversion(f::funnel)::text FROM contract_shipped) = w.f AS funnel_combined_equals_whole,
       (SELECT stage_velocity(v::velocity)::text FROM contract_shipped) = w.v AS velocity_combined_equals_whole,
       (SELECT plan_attainment(a::attainment)::text FROM contract_shipped) = w.a AS attainment_combined_equals_whole,
       (SELECT count(*) FROM contract_shipped) AS shards
FROM contract_whole w;

-- a shard without rows sends NULL; the combine skips it
SELECT funnel_conversion(f)::text = (SELECT f FROM contract_whole) AS funnel_null_partial_skipped,
       stage_velocity(v)::text = (SELECT v FROM contract_whole) AS velocity_null_partial_skipped,
       plan_attainment(a)::text = (SELECT a FROM contract_whole) AS attainment_null_partial_skipped
FROM (SELECT f::funnel, v::velocity, a::attainment FROM contract_shipped
      UNION ALL
      SELECT NULL, NULL, NULL) s;

-- 3. BI: every function of the extension that returns rows returns plain
-- columns that BI tools chart without help.  int, bigint, float8, numeric,
-- text and timestamptz; also boolean (funnel_steps.below_norm is part of the
-- fixed public contract) and date (a calendar day, e.g. attainment_days).
-- Never a type of the extension, an array, jsonb, interval or an anonymous
-- record.  Functions are found through pg_depend, so a new one is checked
-- without touching this test.
CREATE TEMP VIEW bi_row_columns AS
WITH row_fn AS (
    SELECT p.oid, p.prorettype, p.proallargtypes, p.proargmodes
    FROM funnel_ext_objects o
    JOIN pg_proc p ON o.classid = 'pg_proc'::regclass AND p.oid = o.objid
    WHERE p.prokind = 'f'
      AND (p.proretset OR p.prorettype = 'record'::regtype
           OR (SELECT typtype FROM pg_type WHERE oid = p.prorettype) = 'c')
)
-- OUT, INOUT and TABLE columns
SELECT f.oid, u.typ
FROM row_fn f, unnest(f.proallargtypes, f.proargmodes) u(typ, mode)
WHERE u.mode IN ('o', 'b', 't')
UNION ALL
-- a named composite result
SELECT f.oid, a.atttypid
FROM row_fn f
JOIN pg_type t ON t.oid = f.prorettype AND t.typtype = 'c'
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
-- SETOF a scalar, or an anonymous record (no columns known: reported)
SELECT f.oid, f.prorettype
FROM row_fn f
WHERE f.prorettype <> 'record'::regtype
  AND (SELECT typtype FROM pg_type WHERE oid = f.prorettype) <> 'c'
UNION ALL
SELECT f.oid, 'record'::regtype
FROM row_fn f
WHERE f.prorettype = 'record'::regtype
  AND NOT coalesce('o' = ANY (f.proargmodes) OR 'b' = ANY (f.proargmodes) OR 't' = ANY (f.proargmodes), false);

CREATE TEMP VIEW bi_violations AS
SELECT oid::regprocedure AS function, string_agg(DISTINCT typ::regtype::text, ', ') AS not_plain
FROM bi_row_columns
WHERE typ NOT IN ('integer'::regtype, 'bigint'::regtype, 'double precision'::regtype, 'numeric'::regtype,
                  'text'::regtype, 'timestamptz'::regtype, 'boolean'::regtype, 'date'::regtype)
GROUP BY oid;

SELECT function::text, not_plain FROM bi_violations ORDER BY 1;

-- the check sees the report functions (so it is looking at the right place)
SELECT r.fn AS report_function, EXISTS (SELECT FROM bi_row_columns c WHERE c.oid = r.fn::regprocedure) AS checked
FROM (VALUES ('funnel_steps(funnel)'), ('funnel_steps(funnel, float8)'),
             ('required_pipeline(funnel, float8)'), ('required_pipeline(funnel, float8, funnel)'),
             ('funnel_chart(funnel, integer)'), ('funnel_compare(funnel, funnel, float8)'),
             ('velocity_steps(velocity)'), ('attainment_report(attainment)')) r(fn)
ORDER BY 1;

-- and it catches offenders: a few bad functions added to the extension for
-- the duration of a transaction
BEGIN;
CREATE TYPE pg_temp.bi_row AS (label text, took interval);
CREATE FUNCTION bi_probe_table() RETURNS TABLE (s stage, n integer) LANGUAGE sql AS 'SELECT NULL::stage, 1';
CREATE FUNCTION bi_probe_setof() RETURNS SETOF jsonb LANGUAGE sql AS 'SELECT NULL::jsonb';
CREATE FUNCTION bi_probe_record() RETURNS SETOF record LANGUAGE sql AS 'SELECT 1, 2';
CREATE FUNCTION bi_probe_out(OUT a integer, OUT b text[]) LANGUAGE sql AS 'SELECT 1, NULL::text[]';
CREATE FUNCTION bi_probe_composite() RETURNS pg_temp.bi_row LANGUAGE sql AS 'SELECT NULL::pg_temp.bi_row';
CREATE FUNCTION bi_probe_fine() RETURNS TABLE (d date, at timestamptz, x numeric) LANGUAGE sql AS 'SELECT NULL::date, NULL::timestamptz, 1';
ALTER EXTENSION funnel ADD FUNCTION bi_probe_table();
ALTER EXTENSION funnel ADD FUNCTION bi_probe_setof();
ALTER EXTENSION funnel ADD FUNCTION bi_probe_record();
ALTER EXTENSION funnel ADD FUNCTION bi_probe_out();
ALTER EXTENSION funnel ADD FUNCTION bi_probe_composite();
ALTER EXTENSION funnel ADD FUNCTION bi_probe_fine();
SELECT function::text, not_plain FROM bi_violations ORDER BY 1;
ROLLBACK;

RESET max_parallel_workers_per_gather;
