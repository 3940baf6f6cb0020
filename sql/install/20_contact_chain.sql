-- contact_chain: an ordered sequence of contact kinds, text form 'call > email > meeting'.

CREATE TYPE contact_chain;

CREATE FUNCTION contact_chain_in(cstring) RETURNS contact_chain
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_out(contact_chain) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_recv(internal) RETURNS contact_chain
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_send(contact_chain) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE contact_chain (
    INPUT = contact_chain_in,
    OUTPUT = contact_chain_out,
    RECEIVE = contact_chain_recv,
    SEND = contact_chain_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE contact_chain IS 'an ordered sequence of contact kinds, text form ''call > email > meeting''';

-- accessors and casts
CREATE FUNCTION chain_length(contact_chain) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chain_length(contact_chain) IS 'number of contacts in a chain';
CREATE FUNCTION chain_kinds(contact_chain) RETURNS text[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chain_kinds(contact_chain) IS 'the kinds of a chain, in order, as an array';
CREATE FUNCTION contact_chain(kinds text[]) RETURNS contact_chain
    AS 'MODULE_PATHNAME', 'contact_chain_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION contact_chain(text[]) IS 'build a chain from an array of kinds (no NULLs, no empty strings)';
CREATE CAST (text[] AS contact_chain) WITH FUNCTION contact_chain(text[]);
CREATE CAST (contact_chain AS text[]) WITH FUNCTION chain_kinds(contact_chain);

CREATE FUNCTION contact_chain_concat(contact_chain, contact_chain) RETURNS contact_chain
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR || (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_concat
);

-- comparison: lexicographic by kind, kinds bytewise, a proper prefix first
CREATE FUNCTION contact_chain_cmp(contact_chain, contact_chain) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_eq(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_ne(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_lt(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_le(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_gt(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_ge(contact_chain, contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_hash(contact_chain) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION contact_chain_hash_extended(contact_chain, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR <> (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS contact_chain_ops DEFAULT FOR TYPE contact_chain USING btree AS
    OPERATOR 1 <,
    OPERATOR 2 <=,
    OPERATOR 3 =,
    OPERATOR 4 >=,
    OPERATOR 5 >,
    FUNCTION 1 contact_chain_cmp(contact_chain, contact_chain);

CREATE OPERATOR CLASS contact_chain_hash_ops DEFAULT FOR TYPE contact_chain USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 contact_chain_hash(contact_chain),
    FUNCTION 2 contact_chain_hash_extended(contact_chain, bigint);

-- conformance of an actual chain with a prescribed one
CREATE FUNCTION contact_chain_contains(actual contact_chain, prescribed contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION contact_chain_contains(contact_chain, contact_chain) IS 'the prescribed chain occurs in the actual one as an ordered subsequence';
CREATE FUNCTION contact_chain_contained(prescribed contact_chain, actual contact_chain) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION contact_chain_contained(contact_chain, contact_chain) IS 'the prescribed chain occurs in the actual one as an ordered subsequence';
CREATE OPERATOR @> (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_contains,
    COMMUTATOR = <@, RESTRICT = contsel, JOIN = contjoinsel
);
CREATE OPERATOR <@ (
    LEFTARG = contact_chain, RIGHTARG = contact_chain, FUNCTION = contact_chain_contained,
    COMMUTATOR = @>, RESTRICT = contsel, JOIN = contjoinsel
);

CREATE FUNCTION chain_conformance(actual contact_chain, prescribed contact_chain) RETURNS double precision
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chain_conformance(contact_chain, contact_chain) IS 'longest common subsequence of actual and prescribed / length of prescribed; 1 when prescribed is empty';
CREATE FUNCTION chain_next(actual contact_chain, prescribed contact_chain) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chain_next(contact_chain, contact_chain) IS 'the next prescribed contact after matching prescribed in order against actual; NULL when done';
CREATE FUNCTION chain_extra(actual contact_chain, prescribed contact_chain) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION chain_extra(contact_chain, contact_chain) IS 'contacts in actual beyond the longest common subsequence with prescribed';

-- contact_chain_agg: a group's contacts in time order, ties by kind
CREATE FUNCTION contact_chain_agg_transfn(internal, text, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION contact_chain_agg_finalfn(internal) RETURNS contact_chain
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;

CREATE AGGREGATE contact_chain_agg(kind text, at timestamptz) (
    SFUNC = contact_chain_agg_transfn,
    STYPE = internal,
    FINALFUNC = contact_chain_agg_finalfn,
    COMBINEFUNC = contact_chain_agg_combinefn,
    SERIALFUNC = contact_chain_agg_serialfn,
    DESERIALFUNC = contact_chain_agg_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE contact_chain_agg(text, timestamptz) IS 'the chain of a group''s contacts in time order, ties broken by kind';
