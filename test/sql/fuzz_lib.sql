-- SQL-level fuzzing of every funnel type's input paths (test/suites/sql_fuzz.sh).
--
-- Values are mutated from valid seeds (fuzz.seeds) or made up from scratch,
-- then fed to the type's text input (a cast) and binary input (a one-row
-- binary COPY).  Each must either be accepted and round-trip exactly (text
-- form, send bytes and equality agree after text and binary round trips) or
-- be rejected with a clean error: SQLSTATE class 22 (data exception) or 54
-- (program limit exceeded).  Stored values are mutated too (their bytes read
-- and written as bytea through the identity function byteasend): printing,
-- sending and comparing one must work or fail with XX001 (data corrupted) or
-- class 22, never crash or fail otherwise.  Anything else lands in
-- fuzz.findings.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fuzz CASCADE;
CREATE SCHEMA fuzz;

CREATE TABLE fuzz.seeds (type regtype, value text);
CREATE TABLE fuzz.findings (
    type regtype, path text, problem text, input text, input_bytes bytea,
    sqlstate text, message text
);
CREATE TABLE fuzz.counts (
    type regtype, path text, accepted bigint, rejected bigint
);

-- add_seeds(type, query): valid text forms from a query returning text,
-- only when the type exists (types land one by one).
CREATE FUNCTION fuzz.add_seeds(type_name text, query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  IF to_regtype(type_name) IS NULL THEN
    RETURN 0;
  END IF;
  EXECUTE format('INSERT INTO fuzz.seeds SELECT %L::regtype, v FROM (%s) q(v) WHERE v IS NOT NULL',
                 type_name, query);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

CREATE FUNCTION fuzz.rand_int(lo int, hi int) RETURNS int
LANGUAGE sql AS $$ SELECT lo + floor(random() * (hi - lo + 1))::int $$;

CREATE FUNCTION fuzz.pick(a text[]) RETURNS text
LANGUAGE sql AS $$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $$;

-- Fragments that tend to matter to parsers: separators, quotes, escapes,
-- numbers at the edge of every integer width, special floats, multibyte.
CREATE FUNCTION fuzz.token() RETURNS text
LANGUAGE sql AS $$
SELECT fuzz.pick(ARRAY[
  '0', '1', '-1', '-0', '+1', '00', '255', '256', '65535', '65536', '2147483647',
  '2147483648', '-2147483648', '-2147483649', '4294967296', '9223372036854775807',
  '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '18446744073709551616', '99999999999999999999999999999', '1e308', '1e309',
  '-1e309', '1e-400', '4.9e-324', '0.1', '0.5', '.5', '5.', '1e', 'e5', '1.2.3',
  'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf',
  ':', '::', '>', '>>', ' > ', '"', '""', '\"', '\\', '\', '"\', ' ', '  ',
  E'\t', E'\n', E'\r', '{', '}', '[', ']', '(', ')', ',', ';', '=', '=>', '|',
  '/', '-', '+', '.', 'e', 'E', 'x', '@', '#', '%', '_', '*',
  'ж', 'встреча', '✓', '😀', E'\u00a0', 'null', 'NULL', 'true',
  'v1', 'v0', 'v2', 'v255', '2026-06-30', '2026-02-29', '1-01-01', '294277-01-01',
  '00:00:00', '24:00:00', 'T', 'Z', 'days'
]) $$;

-- A string made up from scratch: tokens and random characters.
CREATE FUNCTION fuzz.random_text() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  s text := '';
BEGIN
  FOR i IN 1..fuzz.rand_int(0, 12) LOOP
    IF random() < 0.6 THEN
      s := s || fuzz.token();
    ELSE
      s := s || chr(fuzz.rand_int(32, 126));
    END IF;
  END LOOP;
  RETURN s;
END $$;

-- One to four character-level mutations; always valid UTF-8, never NUL.
CREATE FUNCTION fuzz.mutate_text(s text, other text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  len int;
  p int;
  k int;
  q int;
BEGIN
  FOR i IN 1..fuzz.rand_int(1, 4) LOOP
    len := length(s);
    p := fuzz.rand_int(1, len + 1);
    k := fuzz.rand_int(1, 8);
    CASE fuzz.rand_int(0, 10)
      WHEN 0 THEN
        s := substr(s, 1, p - 1) || substr(s, p + k);
      WHEN 1 THEN
        s := substr(s, 1, p - 1) || fuzz.token() || substr(s, p);
      WHEN 2 THEN
        s := substr(s, 1, p - 1) || fuzz.token() || substr(s, p + 1);
      WHEN 3 THEN
        -- repeat a piece: now and then many times, to cross length limits
        s := substr(s, 1, p + k - 1)
             || repeat(substr(s, p, k), CASE WHEN random() < 0.1 THEN fuzz.rand_int(50, 400) ELSE fuzz.rand_int(1, 3) END)
             || substr(s, p + k);
      WHEN 4 THEN
        q := (SELECT count(*) FROM regexp_matches(s, '[0-9]+', 'g'));
        IF q > 0 THEN
          s := regexp_replace(s, '-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?', fuzz.token(), 1, fuzz.rand_int(1, q));
        END IF;
      WHEN 5 THEN
        s := substr(s, 1, p - 1) || substr(other, fuzz.rand_int(1, length(other) + 1));
      WHEN 6 THEN
        s := substr(s, 1, p - 1);
      WHEN 7 THEN
        IF len >= 2 THEN
          q := fuzz.rand_int(1, len);
          s := overlay(overlay(s placing substr(s, q, 1) from p for 1) placing substr(s, p, 1) from q for 1);
        END IF;
      WHEN 8 THEN
        s := translate(s, fuzz.pick(ARRAY[' ', ':', '>', ',', '"', '0123456789']),
                          fuzz.pick(ARRAY[E'\t', '', '"', ' ', '\', '1']));
      WHEN 9 THEN
        s := substr(s, 1, p - 1) || fuzz.pick(ARRAY['"', '\', '\"', '"\']) || substr(s, p);
      ELSE
        s := s || fuzz.token();
    END CASE;
  END LOOP;
  RETURN s;
END $$;

-- Byte-level mutations of a binary value.
CREATE FUNCTION fuzz.mutate_bytes(b bytea, other bytea) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
  len int;
  p int;
  k int;
BEGIN
  FOR i IN 1..fuzz.rand_int(1, 3) LOOP
    len := length(b);
    p := fuzz.rand_int(0, greatest(len - 1, 0));
    k := fuzz.rand_int(1, 8);
    CASE fuzz.rand_int(0, 9)
      WHEN 0 THEN
        IF len > 0 THEN b := set_byte(b, p, fuzz.rand_int(0, 255)); END IF;
      WHEN 1 THEN
        IF len > 0 THEN
          b := set_byte(b, p, fuzz.pick(ARRAY['0', '1', '127', '128', '254', '255'])::int);
        END IF;
      WHEN 2 THEN
        b := substring(b from 1 for p) || substring(b from p + 1 + k);
      WHEN 3 THEN
        b := substring(b from 1 for p)
             || decode(fuzz.pick(ARRAY['00', 'ff', '7fffffff', 'ffffffff', '80000000', '00000000',
                                      '7fffffffffffffff', 'ffffffffffffffff', '8000000000000000',
                                      '0000000000000001', '000000ff', '00000100', '7ff8000000000000',
                                      '7ff0000000000000', 'fff0000000000000']), 'hex')
             || substring(b from p + 1 + CASE WHEN random() < 0.5 THEN 0 ELSE k END);
      WHEN 4 THEN
        b := substring(b from 1 for p + k)
             || substring(b from p + 1 for k) || substring(b from p + 1 for k)
             || substring(b from p + k + 1);
      WHEN 5 THEN
        b := substring(b from 1 for p);
      WHEN 6 THEN
        b := substring(b from 1 for p) || substring(other from fuzz.rand_int(1, length(other) + 1));
      WHEN 7 THEN
        b := b || decode(md5(random()::text), 'hex');
      WHEN 8 THEN
        IF len > 0 THEN b := set_byte(b, 0, fuzz.rand_int(0, 3)); END IF;
      ELSE
        b := substring(b from 1 for p) || decode(lpad(to_hex(fuzz.rand_int(0, 255)), 2, '0'), 'hex')
             || substring(b from p + 1);
    END CASE;
  END LOOP;
  RETURN b;
END $$;

-- Clean rejections: data exceptions, program limits, and the protocol
-- violation the server's pq_getmsg* functions raise for truncated binary data
-- (as PostgreSQL's own types do).
CREATE FUNCTION fuzz.clean_error(state text) RETURNS boolean
LANGUAGE sql AS $$ SELECT left(state, 2) IN ('22', '54') OR state = '08P01' $$;

CREATE FUNCTION fuzz.note(type regtype, path text, problem text, input text, input_bytes bytea,
                          state text, message text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO fuzz.findings VALUES (type, path, problem, left(input, 2000), substring(input_bytes from 1 for 2000),
                                    state, left(message, 500))
$$;

-- Parse text; NULL text when rejected (clean errors are counted, others noted).
CREATE FUNCTION fuzz.text_in(type regtype, s text, OUT out_text text, OUT rejected boolean)
LANGUAGE plpgsql AS $$
DECLARE
  st text;
  msg text;
BEGIN
  rejected := false;
  EXECUTE format('SELECT %L::%s::text', s, type) INTO out_text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  rejected := true;
  out_text := NULL;
  IF NOT fuzz.clean_error(st) THEN
    PERFORM fuzz.note(type, 'text', 'unclean error', s, NULL, st, msg);
  END IF;
END $$;

-- Receive bytes through a one-row binary COPY into pg_temp.bin_target
-- (column v of the type); returns the value's text form, NULL when rejected.
CREATE FUNCTION fuzz.binary_in(type regtype, b bytea, OUT out_text text, OUT rejected boolean)
LANGUAGE plpgsql AS $$
DECLARE
  path text := 'funnel_sqlfuzz_' || pg_backend_pid() || '.copy';
  st text;
  msg text;
BEGIN
  rejected := false;
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = 4242000 + pg_backend_pid() % 1000;
  PERFORM lo_from_bytea(4242000 + pg_backend_pid() % 1000,
    '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea || '\x0001'::bytea
    || int4send(length(b)) || b || '\xffff'::bytea);
  PERFORM lo_export(4242000 + pg_backend_pid() % 1000, path);
  PERFORM lo_unlink(4242000 + pg_backend_pid() % 1000);
  BEGIN
    DELETE FROM pg_temp.bin_target;
    EXECUTE format('COPY pg_temp.bin_target FROM %L WITH (FORMAT binary)', path);
    SELECT v::text INTO out_text FROM pg_temp.bin_target;
  EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    rejected := true;
    out_text := NULL;
    IF NOT fuzz.clean_error(st) THEN
      PERFORM fuzz.note(type, 'binary', 'unclean error', NULL, b, st, msg);
    END IF;
  END;
END $$;

-- The send bytes of a value given by its text form.
CREATE FUNCTION fuzz.send_of(type regtype, s text) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
  r bytea;
BEGIN
  EXECUTE format('SELECT %s(%L::%s)', (SELECT typsend FROM pg_type WHERE oid = type), s, type) INTO r;
  RETURN r;
END $$;

-- Calls of every function and aggregate of funnel whose arguments are all of
-- one type (merges, reports, accessors): run on each accepted value, they
-- must work or fail cleanly too.
CREATE FUNCTION fuzz.calls_of(type regtype) RETURNS text[]
LANGUAGE sql AS $$
  SELECT coalesce(array_agg(CASE
           WHEN p.prokind = 'a' THEN format('SELECT %s(x) IS NULL FROM (VALUES ($1), ($1)) t(x)', p.oid::regproc)
           WHEN p.proretset THEN format('SELECT count(*) FROM %s(%s)', p.oid::regproc,
                                        CASE p.pronargs WHEN 1 THEN '$1' ELSE '$1, $1' END)
           ELSE format('SELECT %s(%s) IS NULL', p.oid::regproc, CASE p.pronargs WHEN 1 THEN '$1' ELSE '$1, $1' END)
         END ORDER BY p.oid), '{}')
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
  WHERE p.pronargs IN (1, 2) AND p.prokind IN ('f', 'a')
    AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) a WHERE a <> type)
    AND p.oid NOT IN (SELECT typsend FROM pg_type WHERE oid = type)
    AND p.oid NOT IN (SELECT typoutput FROM pg_type WHERE oid = type)
    -- aggregate support functions may refuse calls outside an aggregate
    AND p.oid NOT IN (SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn]::oid[]) FROM pg_aggregate)
$$;

CREATE FUNCTION fuzz.exercise(type regtype, path text, input text, input_bytes bytea, out1 text, calls text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  call text;
  st text;
  msg text;
  v text := out1;
BEGIN
  FOREACH call IN ARRAY calls LOOP
    BEGIN
      EXECUTE replace(call, '$1', format('%L::%s', v, type));
    EXCEPTION WHEN others THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      IF NOT fuzz.clean_error(st) THEN
        PERFORM fuzz.note(type, path, 'unclean error in: ' || call, input, input_bytes, st, msg);
      END IF;
    END;
  END LOOP;
END $$;

-- An accepted value (canonical text out1) must round-trip exactly: its text
-- form parses to the same text and send bytes, equality (when the type has
-- one) holds, and its send bytes are received back to the same value.
CREATE FUNCTION fuzz.check_round_trip(type regtype, path text, input text, input_bytes bytea, out1 text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  out2 text;
  out3 text;
  rej boolean;
  b1 bytea;
  b2 bytea;
  eq boolean;
  st text;
  msg text;
BEGIN
  SELECT t.out_text, t.rejected INTO out2, rej FROM fuzz.text_in(type, out1) t;
  IF rej OR out2 IS DISTINCT FROM out1 THEN
    PERFORM fuzz.note(type, path, 'text form does not read back: ' || coalesce(out2, '(rejected)'),
                      input, input_bytes, NULL, out1);
    RETURN;
  END IF;
  BEGIN
    b1 := fuzz.send_of(type, out1);
    b2 := fuzz.send_of(type, out2);
    IF b1 IS DISTINCT FROM b2 THEN
      PERFORM fuzz.note(type, path, 'send bytes differ after a text round trip', input, input_bytes, NULL, out1);
    END IF;
    IF EXISTS (SELECT FROM pg_operator WHERE oprname = '=' AND oprleft = type AND oprright = type) THEN
      EXECUTE format('SELECT %L::%s = %L::%s', out1, type, out2, type) INTO eq;
      IF eq IS NOT TRUE THEN
        PERFORM fuzz.note(type, path, 'value not equal to its text round trip', input, input_bytes, NULL, out1);
      END IF;
    END IF;
  EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    PERFORM fuzz.note(type, path, 'error on an accepted value', input, input_bytes, st, msg);
    RETURN;
  END;
  SELECT t.out_text, t.rejected INTO out3, rej FROM fuzz.binary_in(type, b1) t;
  IF rej OR out3 IS DISTINCT FROM out1 THEN
    PERFORM fuzz.note(type, path, 'send bytes do not receive back: ' || coalesce(out3, '(rejected)'),
                      input, b1, NULL, out1);
  END IF;
END $$;

-- The stored bytes of a value as bytea, and bytes as a stored value,
-- without any check: the identity function byteasend under two signatures.
CREATE FUNCTION fuzz.raw_functions(type regtype) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  name text := (SELECT typname FROM pg_type WHERE oid = type);
BEGIN
  IF to_regproc('fuzz.to_raw_' || name) IS NULL THEN
    EXECUTE format('CREATE FUNCTION fuzz.%I(%s) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS ''byteasend''',
                   'to_raw_' || name, type);
    EXECUTE format('CREATE FUNCTION fuzz.%I(bytea) RETURNS %s LANGUAGE internal IMMUTABLE STRICT AS ''byteasend''',
                   'from_raw_' || name, type);
  END IF;
END $$;

-- Read mutated stored bytes: text form, send bytes and (when the type has
-- one) equality with itself; NULL text when rejected.
CREATE FUNCTION fuzz.stored_in(type regtype, b bytea, OUT out_text text, OUT rejected boolean)
LANGUAGE plpgsql AS $$
DECLARE
  name text := (SELECT typname FROM pg_type WHERE oid = type);
  st text;
  msg text;
  eq boolean;
BEGIN
  rejected := false;
  EXECUTE format('SELECT fuzz.%I($1)::text, %s(fuzz.%I($1)) IS NOT NULL', 'from_raw_' || name,
                 (SELECT typsend FROM pg_type WHERE oid = type), 'from_raw_' || name)
    INTO out_text USING b;
  IF EXISTS (SELECT FROM pg_operator WHERE oprname = '=' AND oprleft = type AND oprright = type) THEN
    EXECUTE format('SELECT fuzz.%I($1) = fuzz.%I($1)', 'from_raw_' || name, 'from_raw_' || name) INTO eq USING b;
  END IF;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  rejected := true;
  out_text := NULL;
  IF NOT (st = 'XX001' OR left(st, 2) = '22') THEN
    PERFORM fuzz.note(type, 'stored', 'unclean error', NULL, b, st, msg);
  END IF;
END $$;

-- One batch for one type: n_text text values, n_binary binary values and
-- n_stored stored values, mutated from the seeds or (one in ten) made up
-- from scratch.
CREATE FUNCTION fuzz.run_batch(type regtype, seed float8, n_text int, n_binary int, n_stored int)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  seeds text[];
  calls text[];
  sends bytea[];
  stored bytea[];
  s text;
  b bytea;
  r record;
  acc_t bigint := 0;
  rej_t bigint := 0;
  acc_b bigint := 0;
  rej_b bigint := 0;
  acc_s bigint := 0;
  rej_s bigint := 0;
BEGIN
  PERFORM setseed(seed);
  SELECT array_agg(value ORDER BY value) INTO seeds FROM fuzz.seeds WHERE seeds.type = run_batch.type;
  IF seeds IS NULL THEN
    RAISE EXCEPTION 'no seeds for type %', type;
  END IF;
  SELECT array_agg(fuzz.send_of(type, v) ORDER BY v) INTO sends FROM unnest(seeds) v;
  EXECUTE format('CREATE TEMP TABLE IF NOT EXISTS bin_target (v %s)', type);
  PERFORM fuzz.raw_functions(type);
  calls := fuzz.calls_of(type);
  EXECUTE format('SELECT array_agg(fuzz.%I(v::%s) ORDER BY v) FROM unnest($1) v',
                 'to_raw_' || (SELECT typname FROM pg_type WHERE oid = type), type)
    INTO stored USING seeds;

  -- the seeds themselves round-trip
  FOREACH s IN ARRAY seeds LOOP
    SELECT * INTO r FROM fuzz.text_in(type, s);
    IF r.rejected THEN
      PERFORM fuzz.note(type, 'seed', 'a seed is rejected', s, NULL, NULL, NULL);
    ELSE
      PERFORM fuzz.check_round_trip(type, 'seed', s, NULL, r.out_text);
      PERFORM fuzz.exercise(type, 'seed', s, NULL, r.out_text, calls);
    END IF;
  END LOOP;

  FOR i IN 1..n_text LOOP
    IF random() < 0.1 THEN
      s := fuzz.random_text();
    ELSE
      s := fuzz.mutate_text(fuzz.pick(seeds), fuzz.pick(seeds));
    END IF;
    SELECT * INTO r FROM fuzz.text_in(type, s);
    IF r.rejected THEN
      rej_t := rej_t + 1;
    ELSE
      acc_t := acc_t + 1;
      PERFORM fuzz.check_round_trip(type, 'text', s, NULL, r.out_text);
      PERFORM fuzz.exercise(type, 'text', s, NULL, r.out_text, calls);
    END IF;
  END LOOP;

  FOR i IN 1..n_binary LOOP
    IF random() < 0.1 THEN
      b := decode(substr(md5(random()::text) || md5(random()::text), 1, 2 * fuzz.rand_int(0, 32)), 'hex');
    ELSE
      b := fuzz.mutate_bytes(sends[1 + floor(random() * array_length(sends, 1))::int],
                             sends[1 + floor(random() * array_length(sends, 1))::int]);
    END IF;
    SELECT * INTO r FROM fuzz.binary_in(type, b);
    IF r.rejected THEN
      rej_b := rej_b + 1;
    ELSE
      acc_b := acc_b + 1;
      PERFORM fuzz.check_round_trip(type, 'binary', NULL, b, r.out_text);
      PERFORM fuzz.exercise(type, 'binary', NULL, b, r.out_text, calls);
    END IF;
  END LOOP;

  FOR i IN 1..n_stored LOOP
    b := fuzz.mutate_bytes(stored[1 + floor(random() * array_length(stored, 1))::int],
                           stored[1 + floor(random() * array_length(stored, 1))::int]);
    -- reading a stored value checks its version and structure (what memory
    -- safety needs), not its content: corrupt names or positions may print
    -- as text that does not read back, as with any corrupt text column
    SELECT * INTO r FROM fuzz.stored_in(type, b);
    IF r.rejected THEN
      rej_s := rej_s + 1;
    ELSE
      acc_s := acc_s + 1;
    END IF;
  END LOOP;

  INSERT INTO fuzz.counts VALUES (type, 'text', acc_t, rej_t), (type, 'binary', acc_b, rej_b),
                                 (type, 'stored', acc_s, rej_s);
  RETURN format('%s: text %s accepted / %s rejected, binary %s accepted / %s rejected, stored %s accepted / %s rejected',
                type, acc_t, rej_t, acc_b, rej_b, acc_s, rej_s);
END $$;
