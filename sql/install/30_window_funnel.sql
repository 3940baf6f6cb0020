-- window_funnel: the deepest step of a funnel one client reached within a
-- time window, with ClickHouse windowFunnel's semantics in every mode; and
-- window_funnel_times: when each step of that chain happened.

CREATE FUNCTION window_funnel_trans(internal, interval, timestamptz, VARIADIC boolean[])
RETURNS internal AS 'MODULE_PATHNAME', 'window_funnel_trans_interval'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(internal, interval, text, timestamptz, VARIADIC boolean[])
RETURNS internal AS 'MODULE_PATHNAME', 'window_funnel_trans_interval_mode'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(internal, bigint, bigint, VARIADIC boolean[])
RETURNS internal AS 'MODULE_PATHNAME', 'window_funnel_trans_bigint'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_trans(internal, bigint, text, bigint, VARIADIC boolean[])
RETURNS internal AS 'MODULE_PATHNAME', 'window_funnel_trans_bigint_mode'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION window_funnel_final(internal) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times_final(internal) RETURNS timestamptz[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION window_funnel_times_bigint_final(internal) RETURNS bigint[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(bigint, bigint, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel(bigint, text, bigint, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel(interval, timestamptz, VARIADIC boolean[])
    IS 'deepest funnel step reached within the window (ClickHouse windowFunnel)';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC boolean[])
    IS 'deepest funnel step reached within the window, with a windowFunnel mode list';
COMMENT ON AGGREGATE window_funnel(bigint, bigint, VARIADIC boolean[])
    IS 'deepest funnel step reached within the window, on a bigint time axis';
COMMENT ON AGGREGATE window_funnel(bigint, text, bigint, VARIADIC boolean[])
    IS 'deepest funnel step reached within the window, on a bigint time axis, with a mode list';

CREATE AGGREGATE window_funnel_times(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_times_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_times_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(bigint, bigint, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_times_bigint_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE window_funnel_times(bigint, text, bigint, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = internal, SSPACE = 256, FINALFUNC = window_funnel_times_bigint_final,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize, DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE window_funnel_times(interval, timestamptz, VARIADIC boolean[])
    IS 'when each step of the chain window_funnel reports happened';
COMMENT ON AGGREGATE window_funnel_times(interval, text, timestamptz, VARIADIC boolean[])
    IS 'when each step of the chain window_funnel reports happened, with a mode list';
COMMENT ON AGGREGATE window_funnel_times(bigint, bigint, VARIADIC boolean[])
    IS 'when each step of the chain window_funnel reports happened, on a bigint time axis';
COMMENT ON AGGREGATE window_funnel_times(bigint, text, bigint, VARIADIC boolean[])
    IS 'when each step of the chain window_funnel reports happened, on a bigint time axis, with a mode list';
