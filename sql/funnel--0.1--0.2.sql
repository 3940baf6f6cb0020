-- funnel 0.1 to 0.2: every change to an SQL object after the 0.1 release.
\echo Use "ALTER EXTENSION funnel UPDATE TO '0.2'" to load this file. \quit

-- pipeline_velocity: NULL, not NaN, Infinity or 0, unless every input is a
-- finite number and the cycle length is positive (0.1 let a NaN through,
-- since PostgreSQL orders NaN above every number, and gave 0 for an
-- infinite cycle).
CREATE OR REPLACE FUNCTION pipeline_velocity(open_deals bigint, win_rate float8, avg_deal_size numeric,
                                             avg_cycle_days float8) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN avg_cycle_days > 0 AND avg_cycle_days < 'Infinity'
                 AND win_rate > '-Infinity' AND win_rate < 'Infinity'
                 AND avg_deal_size > '-Infinity' AND avg_deal_size < 'Infinity'
                THEN open_deals::numeric * win_rate::numeric * avg_deal_size / avg_cycle_days::numeric
           END
$$;
COMMENT ON FUNCTION pipeline_velocity(bigint, float8, numeric, float8) IS 'open deals x win rate x average deal size / average cycle length (days): money per day; NULL unless every input is finite and the cycle length is positive';

-- Value-type states for the three aggregates whose 0.1 state was internal
-- (window_funnel and window_funnel_times, contact_chain_agg, the entered-only
-- stage_velocity): Citus distributes an aggregate only when its state type is
-- a value type, sending each partial state through the type's text form (\x
-- and the state's versioned byte form in hex, as bytea prints).  The C entry
-- points of the 0.1 support functions stay in the library for databases not
-- yet updated.
CREATE TYPE window_funnel_state;
CREATE FUNCTION window_funnel_state_in(cstring) RETURNS window_funnel_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_out(window_funnel_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_recv(internal) RETURNS window_funnel_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_state_send(window_funnel_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE window_funnel_state (
    INPUT = window_funnel_state_in, OUTPUT = window_funnel_state_out,
    RECEIVE = window_funnel_state_recv, SEND = window_funnel_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE window_funnel_state IS 'partial state of window_funnel and window_funnel_times: the events of a group';

CREATE TYPE contact_chain_agg_state;
CREATE FUNCTION contact_chain_agg_state_in(cstring) RETURNS contact_chain_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_state_out(contact_chain_agg_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_state_recv(internal) RETURNS contact_chain_agg_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_state_send(contact_chain_agg_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE contact_chain_agg_state (
    INPUT = contact_chain_agg_state_in, OUTPUT = contact_chain_agg_state_out,
    RECEIVE = contact_chain_agg_state_recv, SEND = contact_chain_agg_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE contact_chain_agg_state IS 'partial state of contact_chain_agg: a group''s contacts in arrival order';

CREATE TYPE stage_velocity_history;
CREATE FUNCTION stage_velocity_history_in(cstring) RETURNS stage_velocity_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_velocity_history_out(stage_velocity_history) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_velocity_history_recv(internal) RETURNS stage_velocity_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_velocity_history_send(stage_velocity_history) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE stage_velocity_history (
    INPUT = stage_velocity_history_in, OUTPUT = stage_velocity_history_out,
    RECEIVE = stage_velocity_history_recv, SEND = stage_velocity_history_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE stage_velocity_history IS 'partial state of the entered-only stage_velocity: the stage entries of a group';

-- the support functions on the new states
CREATE FUNCTION contact_chain_agg_transfn(contact_chain_agg_state, text, timestamptz) RETURNS contact_chain_agg_state
    AS 'MODULE_PATHNAME', 'contact_chain_agg_state_transfn' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_combinefn(contact_chain_agg_state, contact_chain_agg_state) RETURNS contact_chain_agg_state
    AS 'MODULE_PATHNAME', 'contact_chain_agg_state_combinefn' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_finalfn(contact_chain_agg_state) RETURNS contact_chain
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_history_trans(stage_velocity_history, bigint, stage, timestamptz) RETURNS stage_velocity_history
    AS 'MODULE_PATHNAME', 'stage_velocity_history_trans' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_history_combine(stage_velocity_history, stage_velocity_history) RETURNS stage_velocity_history
    AS 'MODULE_PATHNAME', 'stage_velocity_history_combine' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_history_final(stage_velocity_history) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION window_funnel_combine(window_funnel_state, window_funnel_state) RETURNS window_funnel_state
    AS 'MODULE_PATHNAME', 'window_funnel_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_final(window_funnel_state) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times_final(window_funnel_state) RETURNS timestamptz[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times_bigint_final(window_funnel_state) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Every aggregate on an internal state moves to its value type in place:
-- the catalog row of the aggregate takes the new support functions and
-- state type, and its dependencies follow, so the aggregates keep their
-- identity and the views, rules and functions that call them keep working
-- (dropping and creating them again would make the update fail wherever a
-- view uses one).  The executor reads an aggregate's support functions and
-- state type from pg_aggregate when it starts a plan.
DO $$
DECLARE
    agg record;
    made text[] := '{}';
    -- the C function of each 0.1 transition, and of its 0.2 counterpart
    state_symbol jsonb := '{
        "window_funnel_trans_interval": "window_funnel_state_trans_interval",
        "window_funnel_trans_interval_args": "window_funnel_state_trans_interval_args",
        "window_funnel_trans_interval_mode": "window_funnel_state_trans_interval_mode",
        "window_funnel_trans_interval_mode_args": "window_funnel_state_trans_interval_mode_args",
        "window_funnel_trans_bigint": "window_funnel_state_trans_bigint",
        "window_funnel_trans_bigint_args": "window_funnel_state_trans_bigint_args",
        "window_funnel_trans_bigint_mode": "window_funnel_state_trans_bigint_mode",
        "window_funnel_trans_bigint_mode_args": "window_funnel_state_trans_bigint_mode_args"}';
    new_trans oid;
    new_final oid;
    new_combine oid;
BEGIN
    FOR agg IN
        SELECT a.aggfnoid, p.proname AS name, pg_get_function_identity_arguments(a.aggfnoid) AS args,
               t.oid AS old_trans, t.proname AS trans, t.prosrc AS trans_symbol, t.proargtypes AS trans_args,
               f.oid AS old_final, f.proname AS final, c.oid AS old_combine, c.proname AS combine,
               a.aggserialfn AS old_serial, a.aggdeserialfn AS old_deserial,
               CASE p.proname WHEN 'contact_chain_agg' THEN 'contact_chain_agg_state'::regtype
                              WHEN 'stage_velocity' THEN 'stage_velocity_history'::regtype
                              ELSE 'window_funnel_state'::regtype END AS state
        FROM pg_aggregate a
        JOIN pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_proc t ON t.oid = a.aggtransfn
        JOIN pg_proc f ON f.oid = a.aggfinalfn
        JOIN pg_proc c ON c.oid = a.aggcombinefn
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
        WHERE a.aggtranstype = 'internal'::regtype
    LOOP
        -- window_funnel and window_funnel_times share their transitions
        IF agg.name IN ('window_funnel', 'window_funnel_times') AND NOT agg.args = ANY (made) THEN
            made := made || agg.args;
            EXECUTE format('CREATE FUNCTION @extschema@.%I(%s, %s) RETURNS %s AS %L, %L '
                           'LANGUAGE C IMMUTABLE PARALLEL SAFE',
                           agg.trans, agg.state, agg.args, agg.state, 'MODULE_PATHNAME',
                           state_symbol ->> agg.trans_symbol);
        END IF;
        SELECT oid INTO STRICT new_trans FROM pg_proc
        WHERE pronamespace = '@extschema@'::regnamespace AND proname = agg.trans
          AND proargtypes[0] = agg.state AND (proargtypes::oid[])[1:] = (agg.trans_args::oid[])[1:];
        SELECT oid INTO STRICT new_final FROM pg_proc
        WHERE pronamespace = '@extschema@'::regnamespace AND proname = agg.final
          AND pronargs = 1 AND proargtypes[0] = agg.state;
        SELECT oid INTO STRICT new_combine FROM pg_proc
        WHERE pronamespace = '@extschema@'::regnamespace AND proname = agg.combine
          AND pronargs = 2 AND proargtypes[0] = agg.state AND proargtypes[1] = agg.state;

        UPDATE pg_catalog.pg_aggregate
        SET aggtransfn = new_trans::regproc, aggfinalfn = new_final::regproc,
            aggcombinefn = new_combine::regproc, aggserialfn = 0, aggdeserialfn = 0,
            aggtranstype = agg.state
        WHERE aggfnoid = agg.aggfnoid;
        -- the dependencies CREATE AGGREGATE records: on each support function
        DELETE FROM pg_catalog.pg_depend
        WHERE classid = 'pg_proc'::regclass AND objid = agg.aggfnoid AND refclassid = 'pg_proc'::regclass
          AND deptype = 'n'
          AND refobjid IN (agg.old_trans, agg.old_final, agg.old_combine, agg.old_serial, agg.old_deserial);
        INSERT INTO pg_catalog.pg_depend (classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
        SELECT 'pg_proc'::regclass, agg.aggfnoid, 0, 'pg_proc'::regclass, fn, 0, 'n'
        FROM unnest(ARRAY[new_trans, new_final, new_combine]) fn;
        -- plans cached by open sessions depend on the aggregate's own row:
        -- updating it (unchanged) makes them plan again
        UPDATE pg_catalog.pg_proc SET proname = proname WHERE oid = agg.aggfnoid;
    END LOOP;
    FOR agg IN
        SELECT p.oid::regprocedure AS fn FROM pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace
          AND p.proname IN ('window_funnel_trans', 'contact_chain_agg_transfn', 'velocity_history_trans')
          AND p.proargtypes[0] = 'internal'::regtype
    LOOP
        EXECUTE format('DROP FUNCTION %s', agg.fn);
    END LOOP;
END
$$;
DROP FUNCTION window_funnel_combine(internal, internal);
DROP FUNCTION window_funnel_serialize(internal);
DROP FUNCTION window_funnel_deserialize(bytea, internal);
DROP FUNCTION window_funnel_final(internal);
DROP FUNCTION window_funnel_times_final(internal);
DROP FUNCTION window_funnel_times_bigint_final(internal);
DROP FUNCTION contact_chain_agg_combinefn(internal, internal);
DROP FUNCTION contact_chain_agg_serialfn(internal);
DROP FUNCTION contact_chain_agg_deserialfn(bytea, internal);
DROP FUNCTION contact_chain_agg_finalfn(internal);
DROP FUNCTION velocity_history_combine(internal, internal);
DROP FUNCTION velocity_history_serialize(internal);
DROP FUNCTION velocity_history_deserialize(bytea, internal);
DROP FUNCTION velocity_history_final(internal);

-- The event-name form of window_funnel and window_funnel_times: a row
-- matches step k when its event equals steps[k], byte for byte; the steps
-- array is read once per call site, not one condition per step and row.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT * FROM (VALUES
            ('interval, timestamptz', 'window_funnel_state_trans_interval_event',
             'window_funnel_times_final', 'time axis timestamptz'),
            ('interval, text, timestamptz', 'window_funnel_state_trans_interval_mode_event',
             'window_funnel_times_final', 'time axis timestamptz, with a mode list'),
            ('bigint, bigint', 'window_funnel_state_trans_bigint_event',
             'window_funnel_times_bigint_final', 'bigint time axis'),
            ('bigint, text, bigint', 'window_funnel_state_trans_bigint_mode_event',
             'window_funnel_times_bigint_final', 'bigint time axis, with a mode list')
        ) v(args, trans, times_final, what)
    LOOP
        EXECUTE format('CREATE FUNCTION @extschema@.window_funnel_trans(@extschema@.window_funnel_state, %s, text, text[]) '
                       'RETURNS @extschema@.window_funnel_state AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
                       f.args, 'MODULE_PATHNAME', f.trans);
        EXECUTE format('CREATE AGGREGATE @extschema@.window_funnel(%s, event text, steps text[]) ('
                       'SFUNC = @extschema@.window_funnel_trans, STYPE = @extschema@.window_funnel_state, SSPACE = 256, '
                       'FINALFUNC = @extschema@.window_funnel_final, COMBINEFUNC = @extschema@.window_funnel_combine, '
                       'PARALLEL = SAFE)', f.args);
        EXECUTE format('COMMENT ON AGGREGATE @extschema@.window_funnel(%s, text, text[]) IS %L',
                       f.args, 'deepest funnel step reached within the window, the steps as event names (' || f.what || ')');
        EXECUTE format('CREATE AGGREGATE @extschema@.window_funnel_times(%s, event text, steps text[]) ('
                       'SFUNC = @extschema@.window_funnel_trans, STYPE = @extschema@.window_funnel_state, SSPACE = 256, '
                       'FINALFUNC = @extschema@.%I, COMBINEFUNC = @extschema@.window_funnel_combine, '
                       'PARALLEL = SAFE)', f.args, f.times_final);
        EXECUTE format('COMMENT ON AGGREGATE @extschema@.window_funnel_times(%s, text, text[]) IS %L',
                       f.args, 'when each step of the chain window_funnel reports happened, the steps as event names (' || f.what || ')');
    END LOOP;
END
$$;

-- A planner support function on every window_funnel transition: hashing
-- the groups of window_funnel is charged for the events it buffers, so an
-- index read in (group, ts) order, which streams, can win with a large
-- work_mem (window_funnel_plan.c; docs/reference/window_funnel.md).
CREATE FUNCTION window_funnel_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace AND p.proname = 'window_funnel_trans'
          AND p.proargtypes[0] = '@extschema@.window_funnel_state'::regtype
    LOOP
        EXECUTE format('ALTER FUNCTION %s SUPPORT @extschema@.window_funnel_support', f);
    END LOOP;
END
$$;

-- window_funnel_values: the value of the row used at each step of the chain
-- window_funnel_times reports (NULL at skipped steps), for attribution:
-- first touch v[1], last touch v[cardinality(v)].  The state is
-- window_funnel_state with the rows' values in their type's binary form; the
-- final function reads the value's type from its extra arguments.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT * FROM (VALUES
            ('interval, timestamptz', 'boolean[]', 'window_funnel_values_trans_interval', 'time axis timestamptz'),
            ('interval, text, timestamptz', 'boolean[]', 'window_funnel_values_trans_interval_mode', 'time axis timestamptz, with a mode list'),
            ('bigint, bigint', 'boolean[]', 'window_funnel_values_trans_bigint', 'bigint time axis'),
            ('bigint, text, bigint', 'boolean[]', 'window_funnel_values_trans_bigint_mode', 'bigint time axis, with a mode list'),
            ('interval, timestamptz', 'text, text[]', 'window_funnel_values_trans_interval_event', 'time axis timestamptz, the steps as event names'),
            ('interval, text, timestamptz', 'text, text[]', 'window_funnel_values_trans_interval_mode_event', 'time axis timestamptz, with a mode list, the steps as event names'),
            ('bigint, bigint', 'text, text[]', 'window_funnel_values_trans_bigint_event', 'bigint time axis, the steps as event names'),
            ('bigint, text, bigint', 'text, text[]', 'window_funnel_values_trans_bigint_mode_event', 'bigint time axis, with a mode list, the steps as event names')
        ) v(args, steps, symbol, what)
    LOOP
        EXECUTE format('CREATE FUNCTION @extschema@.window_funnel_values_trans(@extschema@.window_funnel_state, %s, anyelement, %s%s) '
                       'RETURNS @extschema@.window_funnel_state AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
                       f.args, CASE WHEN f.steps = 'boolean[]' THEN 'VARIADIC ' ELSE '' END, f.steps,
                       'MODULE_PATHNAME', f.symbol);
        EXECUTE format('CREATE FUNCTION @extschema@.window_funnel_values_final(@extschema@.window_funnel_state, %s, anyelement, %s) '
                       'RETURNS anyarray AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
                       f.args, f.steps, 'MODULE_PATHNAME', 'window_funnel_values_final');
        EXECUTE format('CREATE AGGREGATE @extschema@.window_funnel_values(%s, value anyelement, %s) ('
                       'SFUNC = @extschema@.window_funnel_values_trans, STYPE = @extschema@.window_funnel_state, SSPACE = 512, '
                       'FINALFUNC = @extschema@.window_funnel_values_final, FINALFUNC_EXTRA, '
                       'COMBINEFUNC = @extschema@.window_funnel_combine, PARALLEL = SAFE)',
                       f.args, CASE WHEN f.steps = 'boolean[]' THEN 'VARIADIC steps boolean[]' ELSE 'event text, steps text[]' END);
        EXECUTE format('COMMENT ON AGGREGATE @extschema@.window_funnel_values(%s, anyelement, %s) IS %L',
                       f.args, f.steps, 'the value of the row used at each step of the chain window_funnel_times reports (' || f.what || ')');
    END LOOP;
END
$$;

-- time_to_convert: the time from each step to the next reached one, over
-- window_funnel_times results, as a velocity (position k: step k), so
-- velocity_steps gives counts and quantiles and the results merge.
CREATE FUNCTION time_to_convert_trans(velocity, timestamptz[]) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE AGGREGATE time_to_convert(times timestamptz[]) (
    SFUNC = time_to_convert_trans,
    STYPE = velocity,
    SSPACE = 16384,
    FINALFUNC = velocity_final,
    COMBINEFUNC = velocity_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE time_to_convert(timestamptz[]) IS 'time to convert per funnel step over window_funnel_times results: visits reached step k, exits reached a later step, after the time to the next reached step';

-- stage_at: the stage a deal was in at a moment, from its entered-only
-- history (the stage entered last at or before it; at equal times the
-- higher stage).  Its state, stage_at_state, is a value type (text: \x and
-- its byte form in hex), so Citus runs it on the workers.
CREATE TYPE stage_at_state;
CREATE FUNCTION stage_at_state_in(cstring) RETURNS stage_at_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_at_state_out(stage_at_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_at_state_recv(internal) RETURNS stage_at_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_at_state_send(stage_at_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE stage_at_state (
    INPUT = stage_at_state_in, OUTPUT = stage_at_state_out,
    RECEIVE = stage_at_state_recv, SEND = stage_at_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE stage_at_state IS 'partial state of stage_at: the moment and the latest entry at or before it';
CREATE FUNCTION stage_at_trans(stage_at_state, stage, timestamptz, timestamptz) RETURNS stage_at_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_at_combine(stage_at_state, stage_at_state) RETURNS stage_at_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_at_final(stage_at_state) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE stage_at(s stage, entered_at timestamptz, at timestamptz) (
    SFUNC = stage_at_trans, STYPE = stage_at_state, SSPACE = 300,
    FINALFUNC = stage_at_final, COMBINEFUNC = stage_at_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_at(stage, timestamptz, timestamptz) IS 'the stage entered last at or before at (at equal times the higher stage), NULL when none: a deal''s stage on a date from its entered-only history';

-- flow: what moved through each stage in a period (the pipeline waterfall):
-- per stage the visits at its start, entered and exited in it, and at its
-- end (at_start + entered - exited = at_end).  Its text form shows the
-- period in tstzrange's form, so in and out are STABLE, as timestamptz's.
CREATE TYPE flow;
CREATE FUNCTION flow_in(cstring) RETURNS flow
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_out(flow) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_recv(internal) RETURNS flow
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_send(flow) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE flow (
    INPUT = flow_in, OUTPUT = flow_out, RECEIVE = flow_recv, SEND = flow_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended
);
COMMENT ON TYPE flow IS 'per stage, the visits at a period''s start, entered and exited in it, and at its end';

CREATE FUNCTION flow_add(a flow, b flow) RETURNS flow
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION flow_add(flow, flow) IS 'add two flows of the same period; NULL is the identity';
CREATE OPERATOR + (
    LEFTARG = flow, RIGHTARG = flow, FUNCTION = flow_add, COMMUTATOR = +
);

CREATE FUNCTION flow_steps(f flow)
RETURNS TABLE("position" integer, stage text, at_start bigint, entered bigint,
    exited bigint, at_end bigint)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION flow_steps(flow) IS 'one row per stage: visits at the period''s start, entered, exited, and at its end';

CREATE FUNCTION flow_to_jsonb(flow) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (flow AS jsonb) WITH FUNCTION flow_to_jsonb(flow);

-- Equality (same period, stages, names and counts) and hashing, so GROUP BY,
-- DISTINCT, UNION and hash joins work on flows.
CREATE FUNCTION flow_eq(flow, flow) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_ne(flow, flow) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_hash(flow) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION flow_hash_extended(flow, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR = (
    LEFTARG = flow, RIGHTARG = flow, FUNCTION = flow_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR <> (
    LEFTARG = flow, RIGHTARG = flow, FUNCTION = flow_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS flow_hash_ops DEFAULT FOR TYPE flow USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 flow_hash(flow),
    FUNCTION 2 flow_hash_extended(flow, bigint);

-- pipeline_flow over stage visits, and merging flows.  The state,
-- pipeline_flow_state, is a value type (text: \x and the flow's byte form in
-- hex), so Citus runs it on the workers.
CREATE TYPE pipeline_flow_state;
CREATE FUNCTION pipeline_flow_state_in(cstring) RETURNS pipeline_flow_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_state_out(pipeline_flow_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_state_recv(internal) RETURNS pipeline_flow_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_state_send(pipeline_flow_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pipeline_flow_state (
    INPUT = pipeline_flow_state_in, OUTPUT = pipeline_flow_state_out,
    RECEIVE = pipeline_flow_state_recv, SEND = pipeline_flow_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE pipeline_flow_state IS 'partial state of pipeline_flow: the period and the counts per stage';
CREATE FUNCTION pipeline_flow_trans(pipeline_flow_state, stage, timestamptz, timestamptz, tstzrange)
    RETURNS pipeline_flow_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_merge_trans(pipeline_flow_state, flow) RETURNS pipeline_flow_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_combine(pipeline_flow_state, pipeline_flow_state) RETURNS pipeline_flow_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_final(pipeline_flow_state) RETURNS flow
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pipeline_flow(s stage, entered_at timestamptz, left_at timestamptz, period tstzrange) (
    SFUNC = pipeline_flow_trans, STYPE = pipeline_flow_state, SSPACE = 2600,
    FINALFUNC = pipeline_flow_final, COMBINEFUNC = pipeline_flow_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE pipeline_flow(stage, timestamptz, timestamptz, tstzrange) IS 'the flow of a period over stage visits (left_at NULL: still there)';
CREATE AGGREGATE pipeline_flow(f flow) (
    SFUNC = pipeline_flow_merge_trans, STYPE = pipeline_flow_state, SSPACE = 2600,
    FINALFUNC = pipeline_flow_final, COMBINEFUNC = pipeline_flow_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE pipeline_flow(flow) IS 'add up flows of one period (rollups), as if aggregating their visits together';

-- The entered-only pipeline_flow: visits from each deal's stage entries,
-- as the entered-only stage_velocity makes them.  Its state buffers the
-- entries (a value type, so Citus runs it on the workers).
CREATE TYPE pipeline_flow_history;
CREATE FUNCTION pipeline_flow_history_in(cstring) RETURNS pipeline_flow_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_history_out(pipeline_flow_history) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_history_recv(internal) RETURNS pipeline_flow_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_history_send(pipeline_flow_history) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pipeline_flow_history (
    INPUT = pipeline_flow_history_in, OUTPUT = pipeline_flow_history_out,
    RECEIVE = pipeline_flow_history_recv, SEND = pipeline_flow_history_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE pipeline_flow_history IS 'partial state of the entered-only pipeline_flow: the period and the stage entries of a group';
CREATE FUNCTION pipeline_flow_history_trans(pipeline_flow_history, bigint, stage, timestamptz, tstzrange)
    RETURNS pipeline_flow_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_history_combine(pipeline_flow_history, pipeline_flow_history)
    RETURNS pipeline_flow_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pipeline_flow_history_final(pipeline_flow_history) RETURNS flow
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE pipeline_flow(deal_id bigint, s stage, entered_at timestamptz, period tstzrange) (
    SFUNC = pipeline_flow_history_trans, STYPE = pipeline_flow_history, SSPACE = 16384,
    FINALFUNC = pipeline_flow_history_final, COMBINEFUNC = pipeline_flow_history_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pipeline_flow(bigint, stage, timestamptz, tstzrange) IS 'the flow of a period from entered-only stage histories: a visit lasts until the deal''s next entry';
