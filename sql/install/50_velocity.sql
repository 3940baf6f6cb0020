-- velocity: time in stage per stage (visits, exits, open visits, mean, max
-- and a mergeable quantile sketch), the stage_velocity aggregates and reports.

CREATE TYPE velocity;

CREATE FUNCTION velocity_in(cstring) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION velocity_out(velocity) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION velocity_recv(internal) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION velocity_send(velocity) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE velocity (
    INPUT = velocity_in,
    OUTPUT = velocity_out,
    RECEIVE = velocity_recv,
    SEND = velocity_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE velocity IS 'time in stage per stage: visits, exits, open visits, mean, max and a mergeable quantile sketch (relative error under 0.4%)';

-- Aggregate support.  The state is a velocity itself (so Citus can ship
-- partial states as text), updated in place; the final function packs it.
CREATE FUNCTION velocity_trans(velocity, stage, timestamptz, timestamptz) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_merge(a velocity, b velocity) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION velocity_merge(velocity, velocity) IS 'merge two velocities exactly; NULL + v = v';
CREATE FUNCTION velocity_final(velocity) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE stage_velocity(s stage, entered_at timestamptz, left_at timestamptz) (
    SFUNC = velocity_trans,
    STYPE = velocity,
    SSPACE = 16384,
    FINALFUNC = velocity_final,
    COMBINEFUNC = velocity_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_velocity(stage, timestamptz, timestamptz) IS 'time in stage from one row per stage visit; left_at NULL is an open visit';

CREATE AGGREGATE stage_velocity(v velocity) (
    SFUNC = velocity_merge,
    STYPE = velocity,
    SSPACE = 16384,
    FINALFUNC = velocity_final,
    COMBINEFUNC = velocity_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_velocity(velocity) IS 'merge stored velocities (rollups) exactly';

CREATE OPERATOR + (
    LEFTARG = velocity, RIGHTARG = velocity, FUNCTION = velocity_merge,
    COMMUTATOR = +
);

-- The entered-only form: a visit lasts until the deal's next entry.
CREATE FUNCTION velocity_history_trans(internal, bigint, stage, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_history_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION velocity_history_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION velocity_history_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION velocity_history_final(internal) RETURNS velocity
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;

CREATE AGGREGATE stage_velocity(deal_id bigint, s stage, entered_at timestamptz) (
    SFUNC = velocity_history_trans,
    STYPE = internal,
    SSPACE = 65536,
    FINALFUNC = velocity_history_final,
    COMBINEFUNC = velocity_history_combine,
    SERIALFUNC = velocity_history_serialize,
    DESERIALFUNC = velocity_history_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_velocity(bigint, stage, timestamptz) IS 'time in stage from histories that record only when a deal entered a stage: a visit lasts until the deal''s next entry, the last one is open';

-- Reports.
CREATE FUNCTION velocity_steps(v velocity,
    OUT "position" integer, OUT stage text, OUT visits bigint, OUT exits bigint, OUT open bigint,
    OUT avg_days float8, OUT p50_days float8, OUT p90_days float8, OUT max_days float8)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION velocity_steps(velocity) IS 'one row per stage: visits, exits, open visits and time in stage in days (mean, median, 90th percentile, longest)';

CREATE FUNCTION time_in_stage(v velocity, s stage, q float8 DEFAULT 0.5) RETURNS interval
    AS 'MODULE_PATHNAME', 'velocity_time_in_stage' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION time_in_stage(velocity, stage, float8) IS 'the q-quantile of time in the stage at s''s position (percentile_disc rank, relative error under 0.4%); NULL when it has no exits';

CREATE FUNCTION velocity_quantile(v velocity, s stage, q float8) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION velocity_quantile(velocity, stage, float8) IS 'the q-quantile of time in the stage at s''s position, in days';

CREATE FUNCTION velocity_to_jsonb(velocity) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (velocity AS jsonb) WITH FUNCTION velocity_to_jsonb(velocity);

-- Pipeline velocity: money the pipeline turns into won deals per day.
CREATE FUNCTION pipeline_velocity(open_deals bigint, win_rate float8, avg_deal_size numeric,
                                  avg_cycle_days float8) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN avg_cycle_days > 0
                THEN open_deals::numeric * win_rate::numeric * avg_deal_size / avg_cycle_days::numeric
           END
$$;
COMMENT ON FUNCTION pipeline_velocity(bigint, float8, numeric, float8) IS 'open deals x win rate x average deal size / average cycle length (days): money per day; NULL unless the cycle length is positive';
