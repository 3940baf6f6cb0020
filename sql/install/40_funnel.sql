-- funnel: per stage position, how many clients stopped there and the stage's
-- name; the result and state of funnel_conversion, with its reports.

CREATE TYPE funnel;

CREATE FUNCTION funnel_in(cstring) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_out(funnel) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_recv(internal) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_send(funnel) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE funnel (
    INPUT = funnel_in,
    OUTPUT = funnel_out,
    RECEIVE = funnel_recv,
    SEND = funnel_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE funnel IS 'clients per deepest stage reached, with stage names; text form ''v1 {1:lead=120, 2:qualified=64}''';

CREATE FUNCTION funnel_to_jsonb(funnel) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (funnel AS jsonb) WITH FUNCTION funnel_to_jsonb(funnel);

-- Aggregate support: not strict (NULL inputs are skipped, the first row
-- starts the state); the state is updated in place inside an aggregate.
CREATE FUNCTION funnel_stage_trans(funnel, stage) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION funnel_merge_trans(funnel, funnel) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION funnel_final(funnel) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE funnel_conversion(reached stage) (
    SFUNC = funnel_stage_trans,
    STYPE = funnel,
    COMBINEFUNC = funnel_merge_trans,
    FINALFUNC = funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_conversion(stage) IS 'funnel of one row per client, the deepest stage each reached';

CREATE AGGREGATE funnel_conversion(f funnel) (
    SFUNC = funnel_merge_trans,
    STYPE = funnel,
    COMBINEFUNC = funnel_merge_trans,
    FINALFUNC = funnel_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE funnel_conversion(funnel) IS 'merge stored funnels (rollups), as if aggregating their rows together';

CREATE FUNCTION funnel_merge(a funnel, b funnel) RETURNS funnel
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION funnel_merge(funnel, funnel) IS 'merge two funnels; NULL is the identity';

CREATE OPERATOR + (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_merge, COMMUTATOR = +
);

CREATE FUNCTION funnel_steps(f funnel)
RETURNS TABLE("position" integer, stage text, reached bigint, stopped bigint,
    step_conversion double precision, total_conversion double precision,
    below_norm boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION funnel_steps(funnel) IS 'one row per position with reached and stopped clients and conversions, flagged against funnel.min_conversion';

CREATE FUNCTION funnel_steps(f funnel, min_conversion double precision)
RETURNS TABLE("position" integer, stage text, reached bigint, stopped bigint,
    step_conversion double precision, total_conversion double precision,
    below_norm boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION funnel_steps(funnel, double precision) IS 'one row per position with reached and stopped clients and conversions, flagged against min_conversion';

CREATE FUNCTION required_pipeline(history funnel, target double precision)
RETURNS TABLE("position" integer, stage text, step_conversion double precision,
    required double precision, current bigint, gap double precision)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION required_pipeline(funnel, double precision) IS 'clients each stage must hold to produce target at the last stage at the historic conversions';

CREATE FUNCTION required_pipeline(history funnel, target double precision, current funnel)
RETURNS TABLE("position" integer, stage text, step_conversion double precision,
    required double precision, current bigint, gap double precision)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION required_pipeline(funnel, double precision, funnel) IS 'required clients per stage for target, and the gap to the clients current holds at each stage';

-- comparison and hashing, so that GROUP BY, DISTINCT, count(DISTINCT),
-- UNION, ORDER BY and joins work on stored funnels: equal funnels have the
-- same entries (the same text form); the order is arbitrary but stable,
-- entry by entry in position order (position, count, name bytes)
CREATE FUNCTION funnel_cmp(funnel, funnel) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_eq(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_ne(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_lt(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_le(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_gt(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_ge(funnel, funnel) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_hash(funnel) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION funnel_hash_extended(funnel, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS funnel_ops DEFAULT FOR TYPE funnel USING btree AS
    OPERATOR 1 <,
    OPERATOR 2 <=,
    OPERATOR 3 =,
    OPERATOR 4 >=,
    OPERATOR 5 >,
    FUNCTION 1 funnel_cmp(funnel, funnel);

CREATE OPERATOR CLASS funnel_hash_ops DEFAULT FOR TYPE funnel USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 funnel_hash(funnel),
    FUNCTION 2 funnel_hash_extended(funnel, bigint);
