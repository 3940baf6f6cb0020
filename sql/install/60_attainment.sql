-- attainment: plan attainment of one indicator over days (exact per-day sums).

CREATE TYPE attainment;

CREATE FUNCTION attainment_in(cstring) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attainment_out(attainment) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attainment_recv(internal) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION attainment_send(attainment) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE attainment (
    INPUT = attainment_in,
    OUTPUT = attainment_out,
    RECEIVE = attainment_recv,
    SEND = attainment_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE attainment IS 'plan attainment of one indicator: exact actual and plan sums per day, text form ''v1 2026-01-05:12/10,9/10''';

-- aggregate support: NULL rows are skipped, the state is updated in place;
-- SSPACE: a state holds 32 bytes per day of its span (a quarter is ~3 kB)
CREATE FUNCTION attainment_trans(attainment, numeric, numeric, date) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attainment_combine(attainment, attainment) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION attainment_final(attainment) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE plan_attainment(actual numeric, plan numeric, day date) (
    SFUNC = attainment_trans, STYPE = attainment,
    FINALFUNC = attainment_final, COMBINEFUNC = attainment_combine,
    SSPACE = 4096, PARALLEL = SAFE
);
COMMENT ON AGGREGATE plan_attainment(numeric, numeric, date) IS 'plan attainment over days: rows of a day add up; rows with a NULL argument are skipped';

CREATE AGGREGATE plan_attainment(a attainment) (
    SFUNC = attainment_combine, STYPE = attainment,
    FINALFUNC = attainment_final, COMBINEFUNC = attainment_combine,
    SSPACE = 4096, PARALLEL = SAFE
);
COMMENT ON AGGREGATE plan_attainment(attainment) IS 'merge stored attainments (seller to team, day to month) exactly';

CREATE FUNCTION attainment_merge(a attainment, b attainment) RETURNS attainment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION attainment_merge(attainment, attainment) IS 'the sum of two attainments; NULL + a = a';

CREATE OPERATOR + (
    LEFTARG = attainment, RIGHTARG = attainment, FUNCTION = attainment_merge,
    COMMUTATOR = +
);

CREATE FUNCTION attainment_report(a attainment)
    RETURNS TABLE (actual numeric, plan numeric, ratio double precision, days integer,
                   days_met integer, days_missed integer, longest_miss_streak integer,
                   current_streak integer, shortfall numeric)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION attainment_report(attainment) IS 'totals, ratio, days met and missed, streaks (over days with rows) and shortfall';

CREATE FUNCTION attainment_ratio(a attainment) RETURNS double precision
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION attainment_ratio(attainment) IS 'total actual / total plan, NULL when the total plan is 0';

CREATE FUNCTION attainment_days(a attainment)
    RETURNS TABLE (day date, actual numeric, plan numeric, met boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION attainment_days(attainment) IS 'one row per day with rows: the day''s sums and whether it was met';

CREATE FUNCTION attainment_jsonb(attainment) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (attainment AS jsonb) WITH FUNCTION attainment_jsonb(attainment);
