-- Run in a database with funnel 0.1: views, a materialized view, an SQL
-- function and a prepared statement that call the aggregates whose state
-- moves from internal to a value type in 0.2; then ALTER EXTENSION funnel
-- UPDATE in the same session.  Prints one line per check, "ok: ..." or
-- "FAILED: ...".
SET client_min_messages = warning;
CREATE TABLE uv_events AS
SELECT 1 + g % 50 AS deal, g % 3 AS team,
       timestamptz '2026-01-01 00:00+00' + ((g::bigint * 7919) % 1000000) * interval '1 minute' AS ts,
       (ARRAY['visit', 'call', 'demo', 'offer'])[1 + g % 4] AS kind,
       (1 + g % 4 || ':s' || g % 4)::stage AS s
FROM generate_series(1, 3000) g;

CREATE VIEW uv_funnels AS
SELECT deal,
       window_funnel(interval '2 days', ts, kind = 'visit', kind = 'call', kind = 'offer') AS level,
       window_funnel(interval '2 days', 'strict_order', ts, VARIADIC ARRAY[kind = 'visit', kind = 'demo']) AS strict_level,
       window_funnel(86400::bigint, extract(epoch FROM ts)::bigint, kind = 'call', kind = 'offer') AS bigint_level,
       window_funnel_times(interval '2 days', ts, kind = 'visit', kind = 'call') AS times,
       contact_chain_agg(kind, ts) AS chain
FROM uv_events GROUP BY deal;
CREATE VIEW uv_velocity AS
SELECT team, stage_velocity(deal, s, ts) AS v FROM uv_events GROUP BY team;
CREATE MATERIALIZED VIEW uv_levels AS SELECT level, count(*) AS deals FROM uv_funnels GROUP BY level;
CREATE FUNCTION uv_chain_of(d int) RETURNS contact_chain LANGUAGE sql STABLE
    AS $$ SELECT contact_chain_agg(kind, ts) FROM uv_events WHERE deal = d $$;
PREPARE uv_prepared AS SELECT md5(string_agg(level::text || ':' || chain::text, ',' ORDER BY deal)) FROM uv_funnels;

-- what they give under 0.1
CREATE TABLE uv_before AS
SELECT 'funnels' AS what, md5(string_agg(u::text, ',' ORDER BY deal)) AS result FROM uv_funnels u
UNION ALL SELECT 'velocity', md5(string_agg(v::text, ',' ORDER BY team)) FROM uv_velocity
UNION ALL SELECT 'chain function', uv_chain_of(7)::text;
CREATE TEMP TABLE uv_prepared_before (result) AS EXECUTE uv_prepared;

ALTER EXTENSION funnel UPDATE;

-- the same results after the update, in this session (plans made again)
-- and through the views made under 0.1
SELECT CASE WHEN b.result = a.result THEN 'ok: ' ELSE 'FAILED: ' END || b.what || ' the same after the update'
FROM uv_before b
JOIN (SELECT 'funnels' AS what, md5(string_agg(u::text, ',' ORDER BY deal)) AS result FROM uv_funnels u
      UNION ALL SELECT 'velocity', md5(string_agg(v::text, ',' ORDER BY team)) FROM uv_velocity
      UNION ALL SELECT 'chain function', uv_chain_of(7)::text) a USING (what)
ORDER BY b.what;
CREATE TEMP TABLE uv_prepared_after (result) AS EXECUTE uv_prepared;
SELECT CASE WHEN b.result = a.result THEN 'ok: ' ELSE 'FAILED: ' END || 'statement prepared under 0.1 the same after the update'
FROM uv_prepared_before b, uv_prepared_after a;
REFRESH MATERIALIZED VIEW uv_levels;
SELECT CASE WHEN sum(deals) = 50 THEN 'ok: ' ELSE 'FAILED: ' END || 'materialized view refreshed after the update'
FROM uv_levels;

-- no aggregate is left on internal, and no 0.1 support function on internal
-- remains: only the recv functions and the planner support functions
-- (prosupport, whose signature is internal) take one
SELECT CASE WHEN count(*) = 0 THEN 'ok: ' ELSE 'FAILED: ' END || 'no aggregate of the extension on an internal state'
FROM pg_aggregate a JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
WHERE a.aggtranstype = 'internal'::regtype;
SELECT CASE WHEN count(*) = 0 THEN 'ok: ' ELSE 'FAILED: ' || string_agg(p.oid::regprocedure::text, ', ') || ': ' END
       || 'no function of the extension takes or returns internal but the recv and planner support functions'
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
WHERE ('internal'::regtype = ANY (p.proargtypes::oid[]) OR p.prorettype = 'internal'::regtype)
  AND p.proname NOT LIKE '%\_recv' AND p.oid NOT IN (SELECT prosupport FROM pg_proc);

-- each moved aggregate's catalog row and dependencies are what CREATE
-- AGGREGATE makes of the same definition
CREATE FUNCTION pg_temp.agg_catalog(agg regprocedure) RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws(' | ', a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggfinalfn::regprocedure,
                     a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
                     a.aggmfinalfn, a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                     a.aggsortop, a.aggtranstype::regtype, a.aggtransspace, a.aggmtranstype, a.aggmtransspace,
                     a.agginitval, a.aggminitval,
                     (SELECT string_agg(dep, ', ' ORDER BY dep)
                      FROM (SELECT d.refclassid::regclass || ' ' ||
                                   CASE WHEN d.refclassid = 'pg_proc'::regclass THEN d.refobjid::regprocedure::text
                                        ELSE d.refobjid::text END || ' ' || d.deptype::text AS dep
                            FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
                              AND d.deptype = 'n' AND d.refclassid <> 'pg_namespace'::regclass) deps))
    FROM pg_aggregate a WHERE a.aggfnoid = agg
$$;
DO $$
DECLARE
    agg record;
    made text;
    bad int := 0;
BEGIN
    FOR agg IN
        SELECT a.aggfnoid::regprocedure AS fn, pg_get_function_identity_arguments(a.aggfnoid) AS args,
               a.aggtransfn::regproc AS trans, a.aggtranstype::regtype AS state, a.aggtransspace AS space,
               a.aggfinalfn::regproc AS final, a.aggcombinefn::regproc AS combine
        FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
        WHERE p.proname IN ('window_funnel', 'window_funnel_times', 'contact_chain_agg', 'stage_velocity')
          AND a.aggtranstype <> 'velocity'::regtype
    LOOP
        EXECUTE format('CREATE AGGREGATE pg_temp.uv_made(%s) (SFUNC = %s, STYPE = %s, SSPACE = %s, '
                       'FINALFUNC = %s, COMBINEFUNC = %s, PARALLEL = SAFE)',
                       agg.args, agg.trans, agg.state, agg.space, agg.final, agg.combine);
        SELECT pg_temp.agg_catalog(p.oid) INTO made FROM pg_proc p
        WHERE p.proname = 'uv_made' AND p.pronamespace = pg_my_temp_schema();
        IF made IS DISTINCT FROM pg_temp.agg_catalog(agg.fn) THEN
            IF bad = 0 THEN
                RAISE WARNING 'moved % differs: % / made: %', agg.fn, pg_temp.agg_catalog(agg.fn), made;
            END IF;
            bad := bad + 1;
        END IF;
        EXECUTE format('DROP AGGREGATE pg_temp.uv_made(%s)', agg.args);
    END LOOP;
    CREATE TEMP TABLE uv_catalog_bad AS SELECT bad;
END
$$;
SELECT CASE WHEN bad = 0 THEN 'ok: ' ELSE 'FAILED: ' || bad || ' ' END
       || 'moved aggregates catalogued as CREATE AGGREGATE makes them'
FROM uv_catalog_bad;
