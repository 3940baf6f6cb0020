-- funnel 0.2 -> 0.3: every change to an SQL object after the release of
-- 0.2 goes here, in plain SQL (0.2's scripts are frozen: the upgrade suite
-- checks their checksums).  A fresh install of 0.3 runs 0.1's script, then
-- 0.1 -> 0.2 and this one, so the fresh and the upgraded catalogs cannot
-- drift apart.
\echo Use "ALTER EXTENSION funnel UPDATE TO '0.3'" to load this file. \quit

-- The sequence aggregates (ClickHouse's sequenceMatch family): the state
-- type, its transitions (boolean conditions or an event and the steps'
-- names, on timestamptz or bigint times), one combine function, and the
-- finals of sequence_match, sequence_count and sequence_match_times.
CREATE TYPE sequence_state;
CREATE FUNCTION sequence_state_in(cstring) RETURNS sequence_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_state_out(sequence_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_state_recv(internal) RETURNS sequence_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_state_send(sequence_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sequence_state (
    INPUT = sequence_state_in, OUTPUT = sequence_state_out,
    RECEIVE = sequence_state_recv, SEND = sequence_state_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE sequence_state IS 'partial state of sequence_match, sequence_count and sequence_match_times: the pattern and the events of a group';

CREATE FUNCTION sequence_trans(sequence_state, text, timestamptz, boolean[]) RETURNS sequence_state
    AS 'MODULE_PATHNAME', 'sequence_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_trans(sequence_state, text, bigint, boolean[]) RETURNS sequence_state
    AS 'MODULE_PATHNAME', 'sequence_trans_bigint' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_trans(sequence_state, text, timestamptz, text, text[]) RETURNS sequence_state
    AS 'MODULE_PATHNAME', 'sequence_trans_event' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_trans(sequence_state, text, bigint, text, text[]) RETURNS sequence_state
    AS 'MODULE_PATHNAME', 'sequence_trans_bigint_event' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_combine(sequence_state, sequence_state) RETURNS sequence_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_final(sequence_state) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_count_final(sequence_state) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_final(sequence_state) RETURNS timestamptz[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_bigint_final(sequence_state) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

DO $$
DECLARE
    f record;
    agg record;
BEGIN
    FOR f IN
        SELECT * FROM (VALUES
            ('ts timestamptz, VARIADIC conds boolean[]', 'text, timestamptz, boolean[]', '', 'timestamptz times, boolean conditions'),
            ('ts bigint, VARIADIC conds boolean[]', 'text, bigint, boolean[]', '_bigint', 'bigint times, boolean conditions'),
            ('ts timestamptz, event text, steps text[]', 'text, timestamptz, text, text[]', '', 'timestamptz times, condition N is event = steps[N]'),
            ('ts bigint, event text, steps text[]', 'text, bigint, text, text[]', '_bigint', 'bigint times, condition N is event = steps[N]')
        ) v(args, types, times_suffix, what)
    LOOP
        FOR agg IN
            SELECT * FROM (VALUES
                ('sequence_match', 'sequence_match_final', 'whether the events match the pattern (ClickHouse''s sequenceMatch)'),
                ('sequence_count', 'sequence_count_final', 'the number of non-overlapping matches of the pattern (ClickHouse''s sequenceCount)'),
                ('sequence_match_times', 'sequence_match_times' || f.times_suffix || '_final',
                 'the times of the events matched by the (?N) of the first match, NULL without one (ClickHouse''s sequenceMatchEvents)')
            ) a(name, final, what)
        LOOP
            EXECUTE format('CREATE AGGREGATE @extschema@.%I(pattern text, %s) ('
                           'SFUNC = @extschema@.sequence_trans, STYPE = @extschema@.sequence_state, SSPACE = 128, '
                           'FINALFUNC = @extschema@.%I, COMBINEFUNC = @extschema@.sequence_combine, '
                           'PARALLEL = SAFE)', agg.name, f.args, agg.final);
            EXECUTE format('COMMENT ON AGGREGATE @extschema@.%I(%s) IS %L',
                           agg.name, f.types, agg.what || ' (' || f.what || ')');
        END LOOP;
    END LOOP;
END
$$;

-- The same with 1 to 8 conditions as separate arguments: the executor then
-- builds no array per row (calls with more conditions, or VARIADIC, take
-- the boolean[] forms above).
DO $$
DECLARE
    axis record;
    agg record;
    n int;
    conds text;
BEGIN
    FOR axis IN SELECT * FROM (VALUES ('timestamptz', 'sequence_trans_args', ''),
                                      ('bigint', 'sequence_trans_bigint_args', '_bigint')) v(ts, symbol, times_suffix)
    LOOP
        FOR n IN 1..8 LOOP
            SELECT string_agg('boolean', ', ') INTO conds FROM generate_series(1, n);
            EXECUTE format('CREATE FUNCTION @extschema@.sequence_trans(@extschema@.sequence_state, text, %s, %s) '
                           'RETURNS @extschema@.sequence_state AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
                           axis.ts, conds, 'MODULE_PATHNAME', axis.symbol);
            FOR agg IN SELECT * FROM (VALUES ('sequence_match', 'sequence_match_final'),
                                             ('sequence_count', 'sequence_count_final'),
                                             ('sequence_match_times', 'sequence_match_times' || axis.times_suffix || '_final')) a(name, final)
            LOOP
                EXECUTE format('CREATE AGGREGATE @extschema@.%I(pattern text, ts %s, %s) ('
                               'SFUNC = @extschema@.sequence_trans, STYPE = @extschema@.sequence_state, SSPACE = 128, '
                               'FINALFUNC = @extschema@.%I, COMBINEFUNC = @extschema@.sequence_combine, '
                               'PARALLEL = SAFE)', agg.name, axis.ts, conds, agg.final);
                EXECUTE format('COMMENT ON AGGREGATE @extschema@.%I(text, %s, %s) IS %L', agg.name, axis.ts, conds,
                               format('%s with %s condition%s as arguments (%s times)', agg.name, n,
                                      CASE WHEN n > 1 THEN 's' ELSE '' END, axis.ts));
            END LOOP;
        END LOOP;
    END LOOP;
END
$$;

-- The sequence aggregates buffer a group's events as window_funnel does:
-- the planner hook that charges hashed groups for them applies alike
-- (window_funnel_plan.c).
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace AND p.proname = 'sequence_trans'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SUPPORT @extschema@.window_funnel_support', f);
    END LOOP;
END
$$;

-- retention (ClickHouse's): element 1 is 1 when some row satisfies
-- condition 1, element k when some row satisfies condition 1 and some row
-- condition k.  The state is an int[] of 0 and 1, one per condition.
CREATE FUNCTION retention_trans(int[], boolean[]) RETURNS int[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_combine(int[], int[]) RETURNS int[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION retention_final(int[]) RETURNS int[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE retention(VARIADIC conds boolean[]) (
    SFUNC = retention_trans, STYPE = int[], FINALFUNC = retention_final,
    COMBINEFUNC = retention_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention(boolean[]) IS 'per condition k, 1 when some row satisfies condition 1 and some row condition k (ClickHouse''s retention)';

-- Charts and significance: ClickHouse's bar, the funnel drawn with bars,
-- and a funnel compared with a baseline (Wilson's interval of each step
-- conversion, the pooled two-proportion z-test of the difference).
CREATE FUNCTION bar(x double precision, min double precision, max double precision, width integer DEFAULT 80)
RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bar(double precision, double precision, double precision, integer) IS 'x drawn on the scale [min, max] as a bar of Unicode blocks, width characters for max, in eighths (ClickHouse''s bar)';

CREATE FUNCTION funnel_chart(f funnel, width integer DEFAULT 40)
RETURNS TABLE("position" integer, stage text, reached bigint, step_conversion double precision, bar text)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION funnel_chart(funnel, integer) IS 'the funnel drawn: one row per position with reached clients and a bar of them';

CREATE FUNCTION funnel_compare(f funnel, baseline funnel, alpha double precision DEFAULT 0.05)
RETURNS TABLE("position" integer, stage text, reached bigint, step_conversion double precision,
    ci_low double precision, ci_high double precision, baseline_reached bigint,
    baseline_conversion double precision, difference double precision, p_value double precision,
    significant boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION funnel_compare(funnel, funnel, double precision) IS 'step conversions of f with Wilson intervals at confidence 1 - alpha, against baseline''s with the two-proportion z-test';
