-- Crafted aggregate states, as an ordinary role (issue 27): every function
-- of funnel that takes a state type, driven with mutated copies of states
-- its aggregates really produce.  Run by test/asan after pg_regress, as the
-- superuser, in a database with funnel installed:
--
--   psql -X -v ON_ERROR_STOP=1 [-v crafted_mutants=N] [-v crafted_seed=S] -f test/sql/crafted_state_sweep.sql
--
-- crafted_mutants: mutated states per type (default 700); crafted_seed: the
-- seed of the mutations (default 0.27); crafted_only: only the mutated state
-- of this number, crafted_from: only those from this number on (after a
-- crash the server log names the statement "SELECT pg_temp.drive(N)"; with
-- PGOPTIONS='-c crafted.trace=on' every call is logged first).
--
-- The state types are read from the catalog: funnel's types that are the
-- state of one of its aggregates, or the input of such an aggregate (flow,
-- funnel...).  The functions are every funnel function with an argument of
-- a state type; the sweep fails when one of them, or one aggregate support
-- role (transition, combine, final) of one, is not driven, so a function
-- added later cannot be missed.
--
-- 1. Real states: pg_temp aggregates with each real transition function and
--    its state type and no final function, over varied sample rows (modes,
--    bigint and timestamptz axes, value types, NULLs, groups with nothing).
-- 2. Mutations of their byte forms (the \x text of a state type, the send
--    bytes of a value type): header fields set to 0, 1, -1, max, min, off by
--    one or swapped; bytes flipped or set; truncated, extended, a chunk
--    duplicated.  Deterministic (setseed).
-- 3. Each mutated state goes through the type's binary receive (a one-row
--    binary COPY, by the superuser: a client sends binary input, psql
--    cannot) and text input; one that is accepted goes, as the ordinary
--    role, through: direct calls of the type's functions (each position of
--    the state, the others filled from sample rows); an aggregate with a real
--    transition function and the state as initcond (half of them with the
--    real final function); the combine function as an aggregate's
--    transition, with the state first, second, both, and as initcond; every
--    final function behind a SQL transition function that returns the state.
--
-- Every call catches its error and tallies (function, path, SQLSTATE).  The
-- sweep fails on XX000 (an elog, not a rejection with a specific
-- SQLSTATE), on a class 42 error (a call the sweep built wrong), and on any
-- function or role not driven; a crash or a sanitizer report ends the
-- script with a lost connection, which fails it too.

\set QUIET 1
\set ON_ERROR_STOP 1
\if :{?crafted_mutants}
\else
\set crafted_mutants 700
\endif
\if :{?crafted_only}
\else
\set crafted_only 0
\endif
\if :{?crafted_from}
\else
\set crafted_from 1
\endif
\if :{?crafted_seed}
\else
\set crafted_seed 0.27
\endif
SET client_min_messages = warning;
\pset format unaligned
\pset tuples_only on

DROP ROLE IF EXISTS funnel_crafted;
CREATE ROLE funnel_crafted NOLOGIN NOSUPERUSER NOINHERIT NOCREATEDB NOCREATEROLE NOBYPASSRLS;
SET ROLE funnel_crafted;
DO $$
BEGIN
  IF current_setting('is_superuser') <> 'off' THEN
    RAISE EXCEPTION 'the sweep must run as an ordinary role';
  END IF;
END $$;

-- The extension's objects.
CREATE TEMP TABLE ext_obj AS
SELECT classid, objid FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'funnel');

CREATE TEMP TABLE agg AS
SELECT a.aggfnoid::regprocedure AS aggfn, p.proname::text AS aggname, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS args,
       a.aggtranstype::regtype AS stype, a.aggtransfn::regprocedure AS transfn,
       nullif(a.aggcombinefn, 0)::regprocedure AS combinefn,
       nullif(a.aggfinalfn, 0)::regprocedure AS finalfn, a.aggfinalextra AS finalextra
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE a.aggfnoid IN (SELECT objid FROM ext_obj WHERE classid = 'pg_proc'::regclass);

-- The state types: a state of one of funnel's aggregates, or the input of
-- one whose state is funnel's.
CREATE TEMP TABLE state_type AS
SELECT t.oid::regtype AS type, t.typname::text AS name, t.typinput::regproc::text AS input,
       t.typreceive::regproc::text AS recv, t.typsend::regproc::text AS send, false AS hex
FROM pg_type t
WHERE t.oid IN (SELECT objid FROM ext_obj WHERE classid = 'pg_type'::regclass)
  AND (t.oid IN (SELECT stype FROM agg)
       OR t.oid IN (SELECT unnest(args) FROM agg
                    WHERE stype IN (SELECT objid FROM ext_obj WHERE classid = 'pg_type'::regclass)));

-- The functions to drive: every function of funnel (not an aggregate) with
-- an argument of a state type, one row per such argument.
CREATE TEMP TABLE target AS
SELECT p.oid::regprocedure AS fn, p.proname::text AS name, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS args, p.provariadic <> 0 AS variadic,
       a.pos, a.type::regtype AS type, row_number() OVER (PARTITION BY a.type ORDER BY p.oid::regprocedure::text, a.pos) AS n
FROM pg_proc p, unnest(p.proargtypes::oid[]) WITH ORDINALITY a(type, pos)
WHERE p.oid IN (SELECT objid FROM ext_obj WHERE classid = 'pg_proc'::regclass) AND p.prokind = 'f'
  AND a.type IN (SELECT type FROM state_type);

-- What must be driven: each target function (path direct), and each
-- aggregate support role.
CREATE TEMP TABLE must AS
SELECT DISTINCT fn::text, 'direct' AS path FROM target
UNION SELECT DISTINCT transfn::text, 'initcond' FROM agg WHERE stype IN (SELECT type FROM state_type)
UNION SELECT DISTINCT combinefn::text, 'combine' FROM agg WHERE stype IN (SELECT type FROM state_type) AND combinefn IS NOT NULL
UNION SELECT DISTINCT finalfn::text, 'final' FROM agg WHERE stype IN (SELECT type FROM state_type) AND finalfn IS NOT NULL;

-- The tally: one row per call.
CREATE TEMP TABLE calls (fn text, path text, sqlstate text, mutant int, message text);

-- Sample rows: 21 groups; group 0 has only NULLs, and nothing matches a
-- step in group 20.
SELECT setseed(:crafted_seed);
CREATE TEMP TABLE ev AS
SELECT k, g,
       CASE WHEN g = 0 OR k % 23 = 0 THEN NULL ELSE '2024-01-01'::timestamptz + h * interval '1 hour' END AS t,
       CASE WHEN g = 0 OR k % 19 = 0 THEN NULL ELSE '2024-01-01'::timestamptz + (h + k % 7 * 5) * interval '1 hour' END AS t2,
       CASE WHEN g = 0 OR k % 23 = 0 THEN NULL ELSE 1704067200 + h::bigint * 3600 END AS n,
       CASE WHEN g = 0 OR k % 17 = 0 THEN NULL WHEN g = 20 THEN 'z' ELSE (ARRAY['a', 'b', 'c', 'd', 'x'])[1 + k * 7 % 5] END AS ev,
       CASE WHEN g = 0 THEN NULL ELSE k END AS vi,
       CASE WHEN g = 0 OR k % 11 = 0 THEN NULL ELSE 'v' || k END AS vt,
       CASE WHEN g = 0 THEN NULL ELSE k / 3.0 END AS vn,
       CASE WHEN g = 0 THEN NULL ELSE convert_to(repeat('b', k % 9), 'UTF8') END AS vb,
       CASE WHEN g = 0 THEN NULL WHEN k % 4 = 0 THEN (1 + k % 5)::stage
            ELSE stage(1 + k % 5, (ARRAY['lead', 'qualified', 'proposal', 'won', 'lost'])[1 + k % 5]) END AS st,
       CASE WHEN g = 0 THEN NULL ELSE k % 6 END::bigint AS lead,
       CASE WHEN g = 0 THEN NULL ELSE k * 10 END::numeric AS amt,
       CASE WHEN g = 0 THEN NULL ELSE '2024-01-01'::date + k % 40 END AS day
FROM (SELECT k, k % 21 AS g, (k * 37) % 500 AS h FROM generate_series(1, 252) k) s;
ALTER TABLE ev ADD b boolean[], ADD times timestamptz[], ADD fun funnel, ADD vel velocity,
  ADD att attainment, ADD flo flow;
UPDATE ev SET b = CASE WHEN g = 0 THEN NULL
                       ELSE ARRAY[ev = 'a', ev = 'b', ev = 'c', ev = 'd', k % 3 = 0, k % 5 = 0, k % 2 = 0, ev = 'x'] END,
              times = CASE WHEN g = 0 THEN NULL ELSE ARRAY[t, t2, t + interval '3 days'] END;
-- values of the value types: real aggregates over each row's group so far
UPDATE ev SET fun = (SELECT funnel_conversion(e.st) FROM ev e WHERE e.g = ev.g AND e.k <= ev.k),
              vel = (SELECT stage_velocity(e.st, e.t, e.t2) FROM ev e WHERE e.g = ev.g AND e.k <= ev.k),
              att = (SELECT plan_attainment(e.amt, e.amt * 2 + 1, e.day) FROM ev e WHERE e.g = ev.g AND e.k <= ev.k),
              flo = (SELECT pipeline_flow(e.st, e.t, e.t2, '[2024-01-01,2024-01-20)') FROM ev e WHERE e.g = ev.g AND e.k <= ev.k);
CREATE UNIQUE INDEX ON ev (k);

-- The argument list for a call of fname with argument types types: the
-- expressions in fixed where not NULL, the others from the sample row e,
-- varied by variant (window, mode, steps, value type).
CREATE FUNCTION pg_temp.args(fname text, types oid[], variant int, fixed text[] DEFAULT '{}',
                             is_variadic boolean DEFAULT false)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  wf boolean := fname LIKE 'window_funnel%';
  seq boolean := fname LIKE 'sequence%';
  nsteps int := 3 + variant % 2;
  nbool int := 0;
  nbig int := 0;
  nts int := 0;
  nnum int := 0;
  ntext int := 0;
  nconds int;
  bigint_axis boolean;
  modes text[];
  out text[] := '{}';
  ty text;
  e text;
  i int;
BEGIN
  nconds := CASE WHEN 'boolean[]'::regtype = ANY (types) OR 'text[]'::regtype = ANY (types) THEN nsteps
                 ELSE (SELECT count(*) FROM unnest(types) u WHERE u = 'boolean'::regtype) END;
  bigint_axis := wf AND 'bigint'::regtype = ANY (types);
  modes := ARRAY['', 'strict_order', 'strict_once', 'optional 2', 'exclude ' || nconds, 'any_order',
                 'strict_increase', 'strict_deduplication', 'exclude ' || nconds || ' between 1 and 2, optional 2',
                 'step 2 within ' || CASE WHEN bigint_axis THEN '7200' ELSE '2 hours' END,
                 'optional 2, strict_increase'];
  FOR i IN 1 .. coalesce(array_length(types, 1), 0) LOOP
    ty := types[i]::regtype::text;
    IF i <= coalesce(array_length(fixed, 1), 0) AND fixed[i] IS NOT NULL THEN
      out := out || fixed[i];
      CONTINUE;
    END IF;
    e := CASE ty
      WHEN 'interval' THEN quote_literal((ARRAY['1 day', '6 hours', '30 days', '1 hour'])[1 + variant % 4]) || '::interval'
      WHEN 'bigint' THEN CASE
        WHEN wf AND nbig = 0 THEN (ARRAY['86400', '21600', '2592000', '3600'])[1 + variant % 4] || '::bigint'
        WHEN wf OR seq THEN 'e.n'
        WHEN fname LIKE '%hash_extended' THEN 'e.k::bigint'
        ELSE 'e.lead' END
      WHEN 'text' THEN CASE
        WHEN wf AND types[i + 1] IS DISTINCT FROM 'text[]'::regtype
          THEN quote_literal(modes[1 + variant % array_length(modes, 1)])
        -- a sequence aggregate's pattern (at most 3 conditions, seconds on both axes)
        WHEN seq AND ntext = 0
          THEN quote_literal((ARRAY['(?1)(?2)', '(?1).*(?3)', '(?2)(?t<=7200)(?1)', '.(?1)', '(?1)(?t>3600)(?3)',
                                    '(?3)(?t==3600)(?1)'])[1 + variant % 6])
        ELSE 'e.ev' END
      WHEN 'text[]' THEN quote_literal((ARRAY['{a,b,c}', '{a,b,c,d}'])[1 + variant % 2]) || '::text[]'
      WHEN 'timestamp with time zone' THEN CASE
        WHEN nts = 0 THEN 'e.t'
        WHEN fname LIKE 'stage_at%' THEN '''2024-01-10''::timestamptz'
        ELSE 'e.t2' END
      WHEN 'boolean' THEN 'e.b[' || (nbool + 1) || ']'
      -- (the sequence aggregates refuse a NULL array: NULL conditions there)
      WHEN 'boolean[]' THEN CASE WHEN is_variadic AND i = array_length(types, 1) THEN 'VARIADIC ' ELSE '' END
                            || CASE WHEN seq THEN format('coalesce(e.b[1:%s], array_fill(NULL::boolean, ARRAY[%s]))', nsteps, nsteps)
                                    ELSE 'e.b[1:' || nsteps || ']' END
      WHEN 'anyelement' THEN (ARRAY['e.vi', 'e.vt', 'e.vn', 'e.t', 'e.vb'])[1 + variant % 5]
      WHEN 'stage' THEN 'e.st'
      WHEN 'tstzrange' THEN quote_literal((ARRAY['[2024-01-01,2024-01-20)', '[2024-01-05,)', 'empty'])[1 + variant % 3]) || '::tstzrange'
      WHEN 'numeric' THEN CASE WHEN nnum = 0 THEN 'e.amt' ELSE 'e.amt * 2 + 1' END
      WHEN 'date' THEN 'e.day'
      WHEN 'timestamp with time zone[]' THEN 'e.times'
      WHEN 'double precision' THEN (ARRAY['0.5', '0.9', '0', '1'])[1 + variant % 4] || '::float8'
      WHEN 'integer' THEN 'e.k'
      WHEN 'funnel' THEN 'e.fun'
      WHEN 'velocity' THEN 'e.vel'
      WHEN 'attainment' THEN 'e.att'
      WHEN 'flow' THEN 'e.flo'
      ELSE 'NULL::' || ty END;
    nbool := nbool + (ty = 'boolean')::int;
    nbig := nbig + (ty = 'bigint')::int;
    nts := nts + (ty = 'timestamp with time zone')::int;
    nnum := nnum + (ty = 'numeric')::int;
    ntext := ntext + (ty = 'text')::int;
    out := out || e;
  END LOOP;
  RETURN array_to_string(out, ', ');
END $$;

CREATE FUNCTION pg_temp.typelist(types oid[]) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(t::regtype::text, ', ' ORDER BY o), '') FROM unnest(types) WITH ORDINALITY u(t, o)
$$;

-- Run sql, tally its outcome; true when it succeeded.
CREATE FUNCTION pg_temp.try(fn text, path text, mutant int, sql text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  st text;
  msg text;
BEGIN
  IF current_setting('crafted.trace', true) = 'on' THEN
    RAISE LOG 'crafted_state_sweep: mutant %: %', mutant, sql;
  END IF;
  EXECUTE sql;
  INSERT INTO calls VALUES (fn, path, '00000', mutant, NULL);
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  INSERT INTO calls VALUES (fn, path, st, mutant,
                            CASE WHEN st = 'XX000' OR st LIKE '42%' THEN msg || E'\n  in: ' || left(sql, 600) END);
  RETURN false;
END $$;

-- 1. Real states.  A recipe is a transition function with the argument
-- types of one of funnel's aggregates.
CREATE TEMP TABLE recipe AS
SELECT row_number() OVER (ORDER BY transfn::text, pg_temp.typelist(args))::int AS r,
       row_number() OVER (PARTITION BY stype ORDER BY transfn::text, pg_temp.typelist(args))::int AS rn, *
FROM (SELECT DISTINCT stype, transfn, args, min(aggname) AS aggname FROM agg
      WHERE stype IN (SELECT type FROM state_type) GROUP BY 1, 2, 3) s;
CREATE TEMP TABLE seed (id serial PRIMARY KEY, type regtype, r int, variant int, g int, txt text, b bytea);

CREATE FUNCTION pg_temp.make_seeds() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  rc record;
  v int;
BEGIN
  FOR rc IN SELECT * FROM recipe ORDER BY r LOOP
    EXECUTE format('CREATE AGGREGATE pg_temp.seed_agg(%s) (sfunc = %s, stype = %s)',
                   pg_temp.typelist(rc.args), rc.transfn::oid::regproc, rc.stype);
    FOR v IN 0 .. CASE WHEN rc.aggname LIKE 'window_funnel%' OR rc.aggname LIKE 'sequence%' THEN 5 ELSE 2 END LOOP
      PERFORM pg_temp.try(rc.transfn::text, 'seed', NULL,
        format('INSERT INTO seed (type, r, variant, g, txt) SELECT %L, %s, %s, g, s::text FROM '
               '(SELECT e.g, pg_temp.seed_agg(%s) s FROM ev e GROUP BY e.g) q WHERE s IS NOT NULL',
               rc.stype, rc.r, v, pg_temp.args(rc.aggname, rc.args, v)));
    END LOOP;
    EXECUTE format('DROP AGGREGATE pg_temp.seed_agg(%s)', pg_temp.typelist(rc.args));
  END LOOP;
END $$;
SELECT pg_temp.make_seeds();
-- and the values of the sample rows (the only source of flow: no aggregate
-- has it as its state)
CREATE FUNCTION pg_temp.column_seeds() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT a.attname, a.atttypid::regtype AS type FROM pg_attribute a
           WHERE a.attrelid = 'pg_temp.ev'::regclass AND a.attnum > 0
             AND a.atttypid IN (SELECT type FROM state_type) ORDER BY a.attnum LOOP
    EXECUTE format('INSERT INTO seed (type, r, variant, g, txt) SELECT %L, NULL, 0, min(g), v::text '
                   'FROM (SELECT g, %I AS v FROM pg_temp.ev ORDER BY k) e WHERE v IS NOT NULL GROUP BY v::text',
                   c.type, c.attname);
  END LOOP;
END $$;
SELECT pg_temp.column_seeds();
UPDATE state_type s SET hex = EXISTS (SELECT FROM seed WHERE type = s.type AND txt LIKE '\x%');

CREATE FUNCTION pg_temp.seed_bytes() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM state_type LOOP
    IF t.hex THEN
      UPDATE seed SET b = decode(substr(txt, 3), 'hex') WHERE type = t.type;
    ELSE
      EXECUTE format('UPDATE seed SET b = %s(txt::%s) WHERE type = %L::regtype', t.send, t.type, t.type);
    END IF;
  END LOOP;
END $$;
SELECT pg_temp.seed_bytes();
-- one copy of each distinct state
DELETE FROM seed s WHERE EXISTS (SELECT FROM seed o WHERE o.type = s.type AND o.b = s.b AND o.id < s.id);

-- 2. Mutations.
CREATE FUNCTION pg_temp.put_int(b bytea, off int, width int, val numeric) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
  i int;
  v numeric := val;
BEGIN
  IF v < 0 THEN
    v := v + 2::numeric ^ (8 * width);
  END IF;
  FOR i IN REVERSE width - 1 .. 0 LOOP
    IF off + i < length(b) THEN
      b := set_byte(b, off + i, (v % 256)::int);
    END IF;
    v := floor(v / 256);
  END LOOP;
  RETURN b;
END $$;

CREATE FUNCTION pg_temp.get_int(b bytea, off int, width int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
  v numeric := 0;
  i int;
BEGIN
  FOR i IN 0 .. width - 1 LOOP
    v := v * 256 + CASE WHEN off + i < length(b) THEN get_byte(b, off + i) ELSE 0 END;
  END LOOP;
  RETURN v;
END $$;

CREATE FUNCTION pg_temp.rnd(n int) RETURNS int LANGUAGE sql AS $$ SELECT floor(random() * n)::int $$;

-- The header fields of a byte form, (offset, width) pairs, where cheap to
-- know (the src files' byte-form comments); others get random offsets.
CREATE FUNCTION pg_temp.fields(type text, b bytea) RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE
  f int[];
  ev0 int;
  nev int;
  k int;
BEGIN
  IF type = 'window_funnel_state' THEN
    -- version, sorted, mode, window, nsteps, steps_key, nrows, nevents, nitems, values, axis
    f := ARRAY[0,1, 1,1, 2,4, 6,8, 14,4, 18,8, 26,4, 30,8, 38,2, 40,1, 41,1];
    ev0 := 42 + 16 * pg_temp.get_int(b, 38, 2)::int;
    nev := least(pg_temp.get_int(b, 30, 8), 1000)::int;
    FOR k IN 42 .. ev0 - 1 BY 16 LOOP          -- items: kind, cond, from, to, within
      f := f || ARRAY[k,2, k + 2,2, k + 4,2, k + 6,2, k + 8,8];
    END LOOP;
    FOR k IN 0 .. least(nev, 4) - 1 LOOP       -- events: time, row, step
      f := f || ARRAY[ev0 + 14 * k,8, ev0 + 14 * k + 8,4, ev0 + 14 * k + 12,2];
    END LOOP;
    IF nev > 4 THEN
      k := ev0 + 14 * (nev - 1);
      f := f || ARRAY[k,8, k + 8,4, k + 12,2];
    END IF;
    IF length(b) >= ev0 + 14 * nev + 4 THEN    -- the pool's length, its first value's
      f := f || ARRAY[ev0 + 14 * nev,4, ev0 + 14 * nev + 4,4];
    END IF;
  ELSIF type = 'sequence_state' THEN
    -- version, axis, named, nconds, steps_key, nrows, nevents, pattern_len,
    -- the pattern's first byte
    f := ARRAY[0,1, 1,1, 2,1, 3,4, 7,8, 15,4, 19,8, 27,4, 31,1];
    ev0 := 31 + least(pg_temp.get_int(b, 27, 4), 32768)::int;
    nev := least(pg_temp.get_int(b, 19, 8), 1000)::int;
    FOR k IN 0 .. least(nev, 4) - 1 LOOP       -- events: time, row, condition
      f := f || ARRAY[ev0 + 14 * k,8, ev0 + 14 * k + 8,4, ev0 + 14 * k + 12,2];
    END LOOP;
    IF nev > 4 THEN
      k := ev0 + 14 * (nev - 1);
      f := f || ARRAY[k,8, k + 8,4, k + 12,2];
    END IF;
  ELSIF type = 'stage_at_state' THEN
    f := ARRAY[0,1, 1,1, 2,8, 10,8, 18,1, 19,1];
  ELSIF type = 'contact_chain_agg_state' THEN
    f := ARRAY[0,1, 1,4, 5,8, 13,1];
  ELSIF type = 'pipeline_flow_history' THEN
    f := ARRAY[0,1, 1,1, 2,8, 10,8, 18,4, 22,4];
  ELSE
    f := ARRAY[0,1, 1,4, 1,8, 5,4, 9,8];
  END IF;
  RETURN f;
END $$;

-- One mutation of b.
CREATE FUNCTION pg_temp.mutate_once(type text, b bytea, OUT r bytea, OUT how text)
LANGUAGE plpgsql AS $$
DECLARE
  len int := length(b);
  f int[];
  op int := pg_temp.rnd(100);
  off int;
  w int;
  k int;
  a int;
  c int;
  cur numeric;
  val numeric;
  chunk bytea;
BEGIN
  r := b;
  IF len = 0 THEN
    r := '\x00'::bytea;
    how := 'empty+00';
    RETURN;
  END IF;
  IF op < 45 THEN
    -- a field: known offsets most of the time, else anywhere
    f := pg_temp.fields(type, b);
    IF pg_temp.rnd(4) > 0 THEN
      k := pg_temp.rnd(array_length(f, 1) / 2);
      off := f[2 * k + 1];
      w := f[2 * k + 2];
    ELSE
      off := pg_temp.rnd(len);
      w := (ARRAY[1, 2, 4, 8])[1 + pg_temp.rnd(4)];
    END IF;
    IF off >= len THEN
      off := pg_temp.rnd(len);
    END IF;
    cur := pg_temp.get_int(b, off, w);
    k := pg_temp.rnd(8);
    val := CASE k
      WHEN 0 THEN 0
      WHEN 1 THEN 1
      WHEN 2 THEN -1
      WHEN 3 THEN 2::numeric ^ (8 * w - 1) - 1     -- max
      WHEN 4 THEN -(2::numeric ^ (8 * w - 1))      -- min
      WHEN 5 THEN (cur + 1) % 2::numeric ^ (8 * w)
      WHEN 6 THEN (cur + 2::numeric ^ (8 * w) - 1) % 2::numeric ^ (8 * w)
      ELSE 2 + pg_temp.rnd(254) END;
    r := pg_temp.put_int(b, off, w, val);
    how := format('set %s@%s/%s', val, off, w);
  ELSIF op < 52 AND len >= 4 THEN
    -- swap two fields of one width
    w := (ARRAY[1, 2, 4, 8])[1 + pg_temp.rnd(4)];
    f := pg_temp.fields(type, b);
    a := f[2 * pg_temp.rnd(array_length(f, 1) / 2) + 1];
    c := f[2 * pg_temp.rnd(array_length(f, 1) / 2) + 1];
    IF a + w <= len AND c + w <= len THEN
      r := pg_temp.put_int(pg_temp.put_int(b, a, w, pg_temp.get_int(b, c, w)), c, w, pg_temp.get_int(b, a, w));
    END IF;
    how := format('swap %s<->%s/%s', a, c, w);
  ELSIF op < 64 THEN
    off := pg_temp.rnd(len);
    k := pg_temp.rnd(8);
    r := set_byte(b, off, get_byte(b, off) # (1 << k));
    how := format('flip %s@%s', k, off);
  ELSIF op < 74 THEN
    off := pg_temp.rnd(len);
    k := (ARRAY[0, 255, 127, 128])[1 + pg_temp.rnd(4)];
    r := set_byte(b, off, k);
    how := format('byte %s@%s', k, off);
  ELSIF op < 82 THEN
    k := pg_temp.rnd(len);
    r := substr(b, 1, k);
    how := format('truncate %s', k);
  ELSIF op < 90 THEN
    k := 1 + pg_temp.rnd(16);
    chunk := CASE WHEN pg_temp.rnd(2) = 0 THEN decode(repeat('00', k), 'hex')
                  ELSE decode(repeat(lpad(to_hex(pg_temp.rnd(256)), 2, '0'), k), 'hex') END;
    r := b || chunk;
    how := format('extend %s', k);
  ELSE
    a := pg_temp.rnd(len);
    k := 1 + pg_temp.rnd(least(len - a, 32));
    c := pg_temp.rnd(len + 1);
    r := substr(b, 1, c) || substr(b, a + 1, k) || substr(b, c + 1);
    how := format('dup %s+%s@%s', a, k, c);
  END IF;
END $$;

CREATE TEMP TABLE mutant (id int PRIMARY KEY, type regtype, seed int, how text, b bytea,
                          text_ok boolean, recv_ok boolean);

CREATE FUNCTION pg_temp.make_mutants(per_type int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
  seeds int[];
  i int;
  n int := 0;
  s int;
  b bytea;
  how text;
  one record;
  k int;
BEGIN
  FOR t IN SELECT * FROM state_type ORDER BY name LOOP
    seeds := ARRAY(SELECT id FROM seed WHERE type = t.type ORDER BY id);
    IF seeds = '{}' THEN
      RAISE EXCEPTION 'no real state of type %', t.type;
    END IF;
    FOR i IN 1 .. per_type LOOP
      s := seeds[1 + pg_temp.rnd(array_length(seeds, 1))];
      SELECT seed.b INTO b FROM seed WHERE id = s;
      how := '';
      -- one mutation most of the time, up to three
      FOR k IN 1 .. (ARRAY[1, 1, 1, 1, 2, 3])[1 + pg_temp.rnd(6)] LOOP
        SELECT * INTO one FROM pg_temp.mutate_once(t.name, b);
        b := one.r;
        how := how || CASE WHEN k > 1 THEN ', ' ELSE '' END || one.how;
      END LOOP;
      n := n + 1;
      INSERT INTO mutant VALUES (n, t.type, s, how, b, false, false);
    END LOOP;
  END LOOP;
END $$;
SELECT setseed(:crafted_seed);
SELECT pg_temp.make_mutants(:crafted_mutants);

-- received values: a table per type, filled by the superuser's binary COPY
CREATE FUNCTION pg_temp.make_held() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM state_type LOOP
    EXECUTE format('CREATE TEMP TABLE held_%s (id int PRIMARY KEY, v %s)', t.name, t.type);
  END LOOP;
END $$;
SELECT pg_temp.make_held();

-- 3a. Binary receive, by the superuser (a binary COPY from a file); the
-- function belongs to the ordinary role, so it runs as the caller.
CREATE FUNCTION pg_temp.receive_all() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m record;
  path text := current_setting('data_directory') || '/funnel_crafted_' || pg_backend_pid() || '.copy';
  lo oid;
BEGIN
  FOR m IN SELECT mutant.*, s.name, s.recv FROM mutant JOIN state_type s USING (type) ORDER BY id LOOP
    lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x00000000000000000002'::bytea
                           || '\x00000004'::bytea || int4send(m.id)
                           || int4send(length(m.b)) || m.b || '\xffff'::bytea);
    PERFORM lo_export(lo, path);
    PERFORM lo_unlink(lo);
    IF pg_temp.try(m.recv, 'recv', m.id, format('COPY pg_temp.held_%s FROM %L WITH (FORMAT binary)', m.name, path)) THEN
      UPDATE mutant SET recv_ok = true WHERE id = m.id;
    END IF;
  END LOOP;
END $$;
RESET ROLE;
SELECT pg_temp.receive_all();
SET ROLE funnel_crafted;

-- 3b. The calls, as the ordinary role.
-- final functions behind a SQL transition that returns the state in
-- crafted.state: one aggregate per (final function, aggregate arguments)
CREATE TEMP TABLE finals AS
SELECT row_number() OVER (ORDER BY finalfn::text, pg_temp.typelist(args))::int AS f, *
FROM (SELECT DISTINCT stype, finalfn, finalextra,
             CASE WHEN finalextra THEN args ELSE '{}'::oid[] END AS args, min(aggname) AS aggname
      FROM agg WHERE stype IN (SELECT type FROM state_type) AND finalfn IS NOT NULL GROUP BY 1, 2, 3, 4) s;
CREATE TEMP TABLE combines AS
SELECT row_number() OVER (ORDER BY combinefn::text)::int AS c, *
FROM (SELECT DISTINCT stype, combinefn FROM agg
      WHERE stype IN (SELECT type FROM state_type) AND combinefn IS NOT NULL) s;

CREATE FUNCTION pg_temp.make_drivers() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  f record;
  c record;
  argl text;
BEGIN
  FOR f IN SELECT * FROM finals LOOP
    argl := CASE WHEN f.args = '{}' THEN 'integer' ELSE pg_temp.typelist(f.args) END;
    EXECUTE format('CREATE FUNCTION pg_temp.give_%s(%s, %s) RETURNS %s LANGUAGE sql '
                   'AS $f$SELECT current_setting(''crafted.state'')::%s$f$',
                   f.f, f.stype, argl, f.stype, f.stype);
    EXECUTE format('CREATE AGGREGATE pg_temp.fin_%s(%s) (sfunc = pg_temp.give_%s, stype = %s, finalfunc = %s%s)',
                   f.f, argl, f.f, f.stype, f.finalfn::oid::regproc,
                   CASE WHEN f.finalextra THEN ', finalfunc_extra' ELSE '' END);
  END LOOP;
  FOR c IN SELECT * FROM combines LOOP
    EXECUTE format('CREATE AGGREGATE pg_temp.comb_%s(%s) (sfunc = %s, stype = %s)',
                   c.c, c.stype, c.combinefn::oid::regproc, c.stype);
  END LOOP;
END $$;
SELECT pg_temp.make_drivers();

-- the accepted states of each type so far: the turn that picks the
-- functions, recipes and finals of a state, so that every one is reached
-- after a few accepted states whatever the rejected ones
CREATE TEMP TABLE turn AS SELECT type, 0 AS k FROM state_type;

CREATE FUNCTION pg_temp.drive(mid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m record;
  t record;
  sd record;
  rc record;
  fa record;
  fr record;
  cb record;
  tg record;
  o int;
  lit text;        -- the state's text form
  se text;         -- an expression giving the state
  orig text;       -- its unmutated seed
  row_k int := 1 + mid % 252;
  fixed text[];
  j int;
  ntarget int;
  nrecipe int;
  withfinal boolean;
  k int;
BEGIN
  SELECT * INTO m FROM mutant WHERE mutant.id = mid;
  SELECT * INTO t FROM state_type WHERE state_type.type = m.type;
  SELECT * INTO sd FROM seed WHERE seed.id = m.seed;
  -- text input: the \x form of a state type, else the text of the received value
  IF t.hex THEN
    lit := '\x' || encode(m.b, 'hex');
    m.text_ok := pg_temp.try(t.input, 'in', mid, format('SELECT %L::%s::text', lit, t.type));
  ELSIF m.recv_ok THEN
    EXECUTE format('SELECT v::text FROM pg_temp.held_%s WHERE id = %s', t.name, mid) INTO lit;
    m.text_ok := pg_temp.try(t.input, 'in', mid, format('SELECT %L::%s::text', lit, t.type));
  END IF;
  UPDATE mutant SET text_ok = m.text_ok WHERE mutant.id = mid;
  IF NOT (m.text_ok OR m.recv_ok) THEN
    RETURN;
  END IF;
  -- the state as a literal (text input in the call) or as the received value, alternately
  se := CASE WHEN m.text_ok AND (NOT m.recv_ok OR mid % 2 = 0) THEN format('%L::%s', lit, t.type)
             ELSE format('(SELECT v FROM pg_temp.held_%s WHERE id = %s)', t.name, mid) END;
  IF NOT m.text_ok THEN
    EXECUTE format('SELECT v::text FROM pg_temp.held_%s WHERE id = %s', t.name, mid) INTO lit;
  END IF;
  orig := format('%L::%s', sd.txt, t.type);
  UPDATE turn SET k = turn.k + 1 WHERE turn.type = t.type RETURNING turn.k INTO k;

  -- direct calls: four functions of the type a state, in turn
  SELECT count(*) INTO ntarget FROM target WHERE target.type = t.type;
  FOR j IN 0 .. 3 LOOP
    SELECT * INTO tg FROM target WHERE target.type = t.type AND n = 1 + (k * 4 + j) % ntarget;
    fixed := array_fill(NULL::text, ARRAY[array_length(tg.args, 1)]);
    -- the other arguments of the state's type: the unmutated state
    FOR o IN 1 .. array_length(tg.args, 1) LOOP
      IF tg.args[o] = t.type THEN
        fixed[o] := orig;
      END IF;
    END LOOP;
    fixed[tg.pos] := se;
    PERFORM pg_temp.try(tg.fn::text, 'direct', mid,
      format('SELECT (%s(%s))::text FROM pg_temp.ev e WHERE e.k = %s',
             tg.fn::oid::regproc, pg_temp.args(tg.name, tg.args, sd.variant + mid % 2, fixed, tg.variadic), row_k));
  END LOOP;

  -- the state as initcond of a real transition: its own recipe, or another in turn
  SELECT count(*) INTO nrecipe FROM recipe WHERE stype = t.type;
  SELECT * INTO rc FROM recipe
  WHERE stype = t.type AND CASE WHEN k % 3 = 0 AND sd.r IS NOT NULL THEN r = sd.r
                                ELSE rn = 1 + (k - 1 - k / 3) % greatest(nrecipe, 1) END;
  IF FOUND THEN
  SELECT * INTO fa FROM agg a WHERE a.transfn = rc.transfn AND a.args = rc.args AND a.finalfn IS NOT NULL
  ORDER BY a.aggfn::text OFFSET (mid / 4) % greatest(1, (SELECT count(*) FROM agg a2 WHERE a2.transfn = rc.transfn
                                                        AND a2.args = rc.args AND a2.finalfn IS NOT NULL)) LIMIT 1;
  withfinal := FOUND AND mid % 4 < 2;
  IF pg_temp.try(rc.transfn::text, 'initcond', mid,
       format('CREATE AGGREGATE pg_temp.ini(%s) (sfunc = %s, stype = %s, initcond = %L%s)',
              pg_temp.typelist(rc.args), rc.transfn::oid::regproc, t.type, lit,
              CASE WHEN withfinal THEN format(', finalfunc = %s%s', fa.finalfn::oid::regproc,
                                              CASE WHEN fa.finalextra THEN ', finalfunc_extra' ELSE '' END)
                   ELSE '' END)) THEN
    PERFORM pg_temp.try(CASE WHEN withfinal THEN fa.finalfn::text ELSE rc.transfn::text END,
      CASE WHEN withfinal THEN 'initcond+final' ELSE 'initcond' END, mid,
      format('SELECT string_agg(s::text, %L ORDER BY g) FROM (SELECT e.g, pg_temp.ini(%s) s FROM pg_temp.ev e '
             'WHERE e.g IN (%s, %s, 0) GROUP BY e.g) q',
             ';', pg_temp.args(rc.aggname, rc.args, CASE WHEN rc.r = sd.r THEN sd.variant ELSE mid END),
             mid % 21, (mid * 7) % 21));
    EXECUTE format('DROP AGGREGATE pg_temp.ini(%s)', pg_temp.typelist(rc.args));
  END IF;
  END IF;

  -- the combine function as an aggregate's transition
  FOR cb IN SELECT * FROM combines WHERE stype = t.type LOOP
    PERFORM pg_temp.try(cb.combinefn::text, 'combine first', mid,
      format('SELECT pg_temp.comb_%s(x ORDER BY o)::text FROM (VALUES (1, %s), (2, %s)) v(o, x)', cb.c, se, orig));
    PERFORM pg_temp.try(cb.combinefn::text, 'combine second', mid,
      format('SELECT pg_temp.comb_%s(x ORDER BY o)::text FROM (VALUES (1, %s), (2, %s)) v(o, x)', cb.c, orig, se));
    PERFORM pg_temp.try(cb.combinefn::text, 'combine both', mid,
      format('SELECT pg_temp.comb_%s(x ORDER BY o)::text FROM (VALUES (1, %s), (2, %s), (3, %s)) v(o, x)',
             cb.c, se, se, orig));
    IF mid % 3 = 0 AND pg_temp.try(cb.combinefn::text, 'combine initcond', mid,
         format('CREATE AGGREGATE pg_temp.cini(%s) (sfunc = %s, stype = %s, initcond = %L)',
                t.type, cb.combinefn::oid::regproc, t.type, lit)) THEN
      PERFORM pg_temp.try(cb.combinefn::text, 'combine initcond', mid,
        format('SELECT pg_temp.cini(x)::text FROM (VALUES (%s), (%s)) v(x)', orig, se));
      EXECUTE format('DROP AGGREGATE pg_temp.cini(%s)', t.type);
    END IF;
  END LOOP;

  -- final functions behind a SQL transition returning the state: two in turn
  PERFORM set_config('crafted.state', lit, false);
  FOR fr IN SELECT * FROM finals f WHERE f.stype = t.type ORDER BY f.f
            OFFSET (k * 2) % greatest(1, (SELECT count(*) FROM finals f2 WHERE f2.stype = t.type)) LIMIT 2 LOOP
    PERFORM pg_temp.try(fr.finalfn::text, 'final', mid,
      format('SELECT pg_temp.fin_%s(%s)::text FROM pg_temp.ev e WHERE e.g = %s',
             fr.f, CASE WHEN fr.args = '{}' THEN 'e.k' ELSE pg_temp.args(fr.aggname, fr.args, mid / 2) END,
             1 + mid % 20));
  END LOOP;
END $$;

\set crafted_start `date +%s`
SELECT format('SELECT pg_temp.drive(%s)', id) FROM mutant WHERE :crafted_only IN (0, id) AND id >= :crafted_from ORDER BY id
\gexec
\set crafted_end `date +%s`

-- The summary: per type, then per path, then what failed.
SELECT format('%s: %s states from %s real ones; accepted by recv %s, by text input %s; %s calls (%s)',
              s.name, count(m.id), (SELECT count(*) FROM seed WHERE type = s.type),
              count(*) FILTER (WHERE m.recv_ok), count(*) FILTER (WHERE m.text_ok),
              (SELECT count(*) FROM calls c WHERE c.mutant IN (SELECT id FROM mutant WHERE type = s.type)),
              (SELECT string_agg(format('%s %s', sqlstate, n), ', ' ORDER BY sqlstate)
               FROM (SELECT sqlstate, count(*) n FROM calls c
                     WHERE c.mutant IN (SELECT id FROM mutant WHERE type = s.type) GROUP BY 1) q))
FROM state_type s LEFT JOIN mutant m USING (type) GROUP BY s.name, s.type ORDER BY s.name;
SELECT format('path %s: %s calls (%s)', path, sum(n),
              string_agg(format('%s %s', sqlstate, n), ', ' ORDER BY sqlstate))
FROM (SELECT split_part(path, ' ', 1) AS path, sqlstate, count(*) n FROM calls GROUP BY 1, 2) q
GROUP BY path ORDER BY path;

CREATE TEMP TABLE failure AS
SELECT 'XX000 or class 42' AS what, c.fn, c.path, c.sqlstate, c.mutant, c.message
FROM calls c WHERE c.sqlstate = 'XX000' OR c.sqlstate LIKE '42%'
UNION ALL
SELECT 'not driven', fn, path, NULL, NULL, NULL FROM must
WHERE NOT EXISTS (SELECT FROM calls c WHERE c.fn = must.fn AND c.mutant IS NOT NULL
                  AND split_part(c.path, ' ', 1) LIKE must.path || '%');
SELECT format('%s: %s %s %s (%s calls; first mutant %s: %s)', what, fn, path, coalesce(sqlstate, ''),
              count(*), min(mutant),
              (SELECT format('%s of %s %s', m.how, m.type, left(encode(m.b, 'hex'), 160)) FROM mutant m WHERE m.id = min(f.mutant)))
FROM failure f GROUP BY what, fn, path, sqlstate ORDER BY what, fn, path, sqlstate;
SELECT DISTINCT ON (fn, path, sqlstate) format('  %s %s %s: %s', fn, path, sqlstate, message)
FROM failure WHERE message IS NOT NULL ORDER BY fn, path, sqlstate, mutant;
SELECT format('crafted_state_sweep: %s mutated states, %s calls, %s failures, %s s',
              (SELECT count(*) FROM mutant), (SELECT count(*) FROM calls), (SELECT count(*) FROM failure),
              :crafted_end - :crafted_start);

SELECT count(*) = 0 AS crafted_ok FROM failure \gset
RESET ROLE;
DISCARD TEMP;
DROP ROLE funnel_crafted;
\if :crafted_ok
\echo crafted_state_sweep: passed
\else
\echo crafted_state_sweep: FAILED
DO $$ BEGIN RAISE EXCEPTION 'crafted_state_sweep failed'; END $$;
\endif
