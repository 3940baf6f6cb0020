-- stage: one step of a funnel, a position (1..255) and an optional name.

CREATE TYPE stage;

CREATE FUNCTION stage_in(cstring) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_out(stage) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_recv(internal) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_send(stage) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE stage (
    INPUT = stage_in,
    OUTPUT = stage_out,
    RECEIVE = stage_recv,
    SEND = stage_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = main
);
COMMENT ON TYPE stage IS 'one step of a funnel: a position (1..255) and an optional name, text form ''3:proposal''';

CREATE FUNCTION stage("position" integer, name text DEFAULT NULL) RETURNS stage
    AS 'MODULE_PATHNAME', 'stage_construct' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION stage(integer, text) IS 'build a stage from its position and name';
CREATE FUNCTION stage_position(stage) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_position(stage) IS 'the position (order) of a stage';
CREATE FUNCTION stage_name(stage) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_name(stage) IS 'the name of a stage, NULL when it has none';

CREATE FUNCTION stage_from_int(integer) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (integer AS stage) WITH FUNCTION stage_from_int(integer);
CREATE CAST (stage AS integer) WITH FUNCTION stage_position(stage);

CREATE FUNCTION stage_cmp(stage, stage) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_eq(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_ne(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_lt(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_le(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_gt(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_ge(stage, stage) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_hash(stage) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION stage_hash_extended(stage, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = stage, RIGHTARG = stage, FUNCTION = stage_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS stage_ops DEFAULT FOR TYPE stage USING btree AS
    OPERATOR 1 <,
    OPERATOR 2 <=,
    OPERATOR 3 =,
    OPERATOR 4 >=,
    OPERATOR 5 >,
    FUNCTION 1 stage_cmp(stage, stage);

CREATE OPERATOR CLASS stage_hash_ops DEFAULT FOR TYPE stage USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 stage_hash(stage),
    FUNCTION 2 stage_hash_extended(stage, bigint);

CREATE FUNCTION stage_smaller(stage, stage) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_larger(stage, stage) RETURNS stage
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE min(stage) (
    SFUNC = stage_smaller, STYPE = stage, COMBINEFUNC = stage_smaller,
    SORTOP = <, PARALLEL = SAFE
);
CREATE AGGREGATE max(stage) (
    SFUNC = stage_larger, STYPE = stage, COMBINEFUNC = stage_larger,
    SORTOP = >, PARALLEL = SAFE
);
