-- funnel type: text form, binary form, jsonb cast, corrupt input of every kind
SELECT 'v1 {1:lead=10, 2:qualified=5, 4=2, 6:won=3}'::funnel AS canonical;
SELECT 'v1 {}'::funnel AS empty, ' v1{ } '::funnel AS empty_with_spaces;
-- any order on input, canonical order on output; spaces around tokens are free
SELECT 'v1{6:won=3,1:lead=10 , 2 : qualified = 5}'::funnel AS reordered;
-- names: Cyrillic, inner spaces and colons bare; delimiters, quotes, backslashes
-- and edge spaces quoted
SELECT 'v1 {1:заявка=7, 2:коммерческое предложение=2}'::funnel AS cyrillic;
SELECT 'v1 {1:a:b c=1, 2:"x=y"=2, 3:"a,b"=3, 4:"}"=4, 5:"say \"hi\""=5, 6:"back\\slash"=6, 7:" edge "=7}'::funnel AS quoted;
SELECT 'v1 {3:""=1}'::funnel AS empty_quoted_name_is_no_name, 'v1 {3=1}'::funnel AS no_name;
SELECT 'v1 {255:last=9223372036854775806, 1=1}'::funnel AS extremes;

-- canonical text round-trips
SELECT f::text, f::text::funnel::text = f::text AS round_trips
FROM (VALUES ('v1 {1:lead=10, 2:qualified=5, 4=2, 6:won=3}'::funnel),
             ('v1 {1:"x=y"=2, 2:"a,b"=3, 3:" edge "=1, 4:"q\"\\"=1}'),
             ('v1 {2:встреча=1}'), ('v1 {}')) v(f);

-- jsonb: counted stages with stopped and reached, null for a stage without a name
SELECT jsonb_pretty('v1 {1:lead=10, 2:qualified=5, 4=2, 6:won=3}'::funnel::jsonb);
SELECT 'v1 {}'::funnel::jsonb AS empty_json, 'v1 {2:"say \"hi\""=1}'::funnel::jsonb AS escaped_json;

-- binary send/recv round-trip through COPY
CREATE TABLE funnel_bin (id int, f funnel);
INSERT INTO funnel_bin VALUES (1, 'v1 {1:lead=10, 2:qualified=5, 4=2, 6:won=3}'),
  (2, 'v1 {2:встреча=1, 255:"a,b"=9223372036854775806}'), (3, 'v1 {}'), (4, NULL);
SELECT current_setting('data_directory') || '/funnel_funnel_bin.copy' AS funnel_funnel_bin_file \gset
COPY funnel_bin TO :'funnel_funnel_bin_file' WITH (FORMAT binary);
CREATE TABLE funnel_bin2 (id int, f funnel);
COPY funnel_bin2 FROM :'funnel_funnel_bin_file' WITH (FORMAT binary);
SELECT id, f FROM funnel_bin2 ORDER BY id;
SELECT funnel_send('v1 {1:lead=10, 3=2}');
DROP TABLE funnel_bin, funnel_bin2;

-- bad text input: 22P02 malformed, 22003 out of range, 22001 too long
\set VERBOSITY default
SELECT ''::funnel;
SELECT '{1=1}'::funnel;
SELECT 'v2 {1=1}'::funnel;
SELECT 'v99999999999999999999 {1=1}'::funnel;
SELECT 'v1'::funnel;
SELECT 'v1 {1=1'::funnel;
SELECT 'v1 {1=1} x'::funnel;
SELECT 'v1 {1=1 2=2}'::funnel;
SELECT 'v1 {1:lead}'::funnel;
SELECT 'v1 {1:=3}'::funnel;
SELECT 'v1 {x=3}'::funnel;
SELECT 'v1 {1=x}'::funnel;
SELECT 'v1 {1:"open=3}'::funnel;
SELECT 'v1 {1:a"b=3}'::funnel;
SELECT 'v1 {1:a=1, 1:b=2}'::funnel;
SELECT 'v1 {0:a=1}'::funnel;
SELECT 'v1 {256:a=1}'::funnel;
SELECT 'v1 {-1:a=1}'::funnel;
SELECT 'v1 {1:a=0}'::funnel;
SELECT 'v1 {1:a=-5}'::funnel;
SELECT 'v1 {1:a=99999999999999999999}'::funnel;
SELECT 'v1 {1=9223372036854775807, 2=1}'::funnel;
SELECT ('v1 {1:' || repeat('x', 256) || '=1}')::funnel;
SELECT ('v1 {1:"' || repeat('x', 256) || '"=1}')::funnel;
SELECT ('v1 {1:' || repeat('ж', 128) || '=1}')::funnel;
-- a name in an invalid encoding never gets in (22021); text made from raw bytes
CREATE CAST (bytea AS text) WITHOUT FUNCTION;
SELECT funnel_in(('\x7631207b313a' || 'ff' || '3d317d')::bytea::text::cstring) AS not_utf8;
SELECT funnel_in(('\x7631207b313a' || 'd0b2' || '3d317d')::bytea::text::cstring) AS utf8;
DROP CAST (bytea AS text);
\set VERBOSITY terse
-- the SQLSTATEs
DO $$
DECLARE
  inputs text[] := ARRAY['', 'v2 {}', 'v1 {1=1', 'v1 {1=1, 1=2}', 'v1 {0=1}', 'v1 {1=0}',
                         'v1 {1=-1}', 'v1 {1=9223372036854775807, 2=1}',
                         'v1 {1:' || repeat('y', 300) || '=1}'];
  i text;
BEGIN
  FOREACH i IN ARRAY inputs LOOP
    BEGIN
      PERFORM i::funnel;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', left(i, 16), SQLSTATE;
    END;
  END LOOP;
END $$;

-- bad binary input: 22P03 corrupt, 22003 out of range, 22001 too long,
-- 54000 absurd size, 22021 bad UTF-8
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
\set SHOW_CONTEXT never
\set VERBOSITY default
-- layout: version byte, int32 stage count, per stage: position byte, int64 count,
-- int32 name length, name
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000002'
  || '\x01' || '\x000000000000000a' || '\x00000004' || convert_to('lead', 'UTF8')
  || '\x03' || '\x0000000000000002' || '\x00000000') AS good_binary;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000000') AS good_empty;
SELECT pg_temp.recv_as('funnel', '\x02'::bytea || '\x00000000') AS unknown_version;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000100') AS too_many_stages;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\xffffffff') AS negative_stage_count;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x00' || '\x0000000000000001' || '\x00000000') AS position_zero;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\xfffffffffffffffe' || '\x00000000') AS negative_count;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\x0000000000000000' || '\x00000000') AS zero_count;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000002'
  || '\x01' || '\x0000000000000001' || '\x00000000'
  || '\x01' || '\x0000000000000001' || '\x00000000') AS duplicate_position;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000002'
  || '\x01' || '\x7fffffffffffffff' || '\x00000000'
  || '\x02' || '\x0000000000000001' || '\x00000000') AS total_overflow;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\x0000000000000001' || '\x7fffffff' || '\x6162') AS name_past_end;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\x0000000000000001' || '\xfffffff0' || '\x6162') AS negative_name_length;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\x0000000000000001' || '\x00000100' || convert_to(repeat('x', 256), 'UTF8')) AS name_too_long;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000001'
  || '\x01' || '\x0000000000000001' || '\x00000002' || '\xc328') AS bad_utf8;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000002'
  || '\x01' || '\x0000000000000001' || '\x00000000') AS truncated;
SELECT pg_temp.recv_as('funnel', '\x01'::bytea || '\x00000000' || '\x00') AS trailing_byte;
\set VERBOSITY terse
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE query;
  RETURN 'ok';
EXCEPTION WHEN others THEN
  RETURN SQLSTATE;
END $$;
SELECT label, pg_temp.sqlstate_of(format('SELECT pg_temp.recv_as(%L, %L::bytea)', 'funnel', bytes)) AS sqlstate
FROM (VALUES
  ('unknown version', '\x02'::bytea || '\x00000000'::bytea),
  ('too many stages', '\x01'::bytea || '\x00000100'::bytea),
  ('position zero', '\x01'::bytea || '\x00000001' || '\x00' || '\x0000000000000001' || '\x00000000'::bytea),
  ('negative count', '\x01'::bytea || '\x00000001' || '\x01' || '\xffffffffffffffff' || '\x00000000'::bytea),
  ('duplicate position', '\x01'::bytea || '\x00000002' || '\x01' || '\x0000000000000001' || '\x00000000'
     || '\x01' || '\x0000000000000001' || '\x00000000'::bytea),
  ('name past end', '\x01'::bytea || '\x00000001' || '\x01' || '\x0000000000000001' || '\x7fffffff'::bytea),
  ('name too long', '\x01'::bytea || '\x00000001' || '\x01' || '\x0000000000000001' || '\x00000100'
     || convert_to(repeat('x', 256), 'UTF8')),
  ('bad UTF-8', '\x01'::bytea || '\x00000001' || '\x01' || '\x0000000000000001' || '\x00000001' || '\xff'::bytea)
) v(label, bytes);
\set VERBOSITY default

-- corrupt stored values (XX001): a test-only type with bytea's text form
-- and funnel's storage reinterprets bytes as a funnel; damage one field of a
-- valid value at a time.  Offsets after the varlena header, little-endian:
-- 0 version, 1 first position, 2 slot count, 4 name bytes in use, 8 reserved,
-- then 16-byte slots from 12 (8-byte count, 4-byte name offset, 4-byte name
-- length), then the names.
-- (the notices that the type is a shell: PostgreSQL 18 adds a position)
CREATE TYPE funnel_raw;
SET client_min_messages = warning;
CREATE FUNCTION funnel_raw_in(cstring) RETURNS funnel_raw AS 'byteain' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION funnel_raw_out(funnel_raw) RETURNS cstring AS 'byteaout' LANGUAGE internal IMMUTABLE STRICT;
RESET client_min_messages;
CREATE TYPE funnel_raw (INPUT = funnel_raw_in, OUTPUT = funnel_raw_out,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended);
CREATE CAST (funnel_raw AS funnel) WITHOUT FUNCTION;
CREATE CAST (funnel AS funnel_raw) WITHOUT FUNCTION;
CREATE FUNCTION pg_temp.as_funnel(b bytea) RETURNS text LANGUAGE sql AS $$ SELECT b::text::funnel_raw::funnel::text $$;
CREATE TEMP TABLE good AS SELECT 'v1 {1:lead=10, 3:won=2}'::funnel::funnel_raw::text::bytea AS b;
SELECT b AS stored_bytes, pg_temp.as_funnel(b) AS intact FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 0, 2)) AS bad_version FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 1, 0)) AS first_zero FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 1, 254)) AS past_255 FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 2, 200)) AS too_many_slots FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 4, 200)) AS names_past_end FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 8, 1)) AS reserved_set FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 19, 128)) AS negative_count FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 20, 90)) AS name_offset_outside FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 24, 200)) AS name_length_outside FROM good;
SELECT pg_temp.as_funnel(set_byte(set_byte(b, 12, 0), 24, 0)) AS first_slot_empty FROM good;
SELECT pg_temp.as_funnel(set_byte(b, 40, 1)) AS name_without_clients FROM good;
SELECT pg_temp.as_funnel('\x00') AS too_short;
SELECT label, pg_temp.sqlstate_of(format('SELECT pg_temp.as_funnel(%L)', bytes)) AS sqlstate
FROM good, LATERAL (VALUES ('bad version', set_byte(b, 0, 2)), ('negative count', set_byte(b, 19, 128)),
                           ('name outside', set_byte(b, 20, 90))) v(label, bytes);
\set VERBOSITY terse
DROP TYPE funnel_raw CASCADE;
\set VERBOSITY default
\set SHOW_CONTEXT errors

-- random funnels: text and binary round-trips, checked against the entries
-- they were written from
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.4242);
CREATE TEMP TABLE rnd_entry AS
SELECT f, p AS position, 1 + floor(random() ^ 4 * 1e12)::bigint AS stopped,
       CASE WHEN random() < 0.2 THEN NULL
            ELSE (ARRAY['lead', 'встреча', 'a=b', 'x,y', '}', ' edge', 'q"uote', 'back\slash',
                        'коммерческое предложение', '3:x', '{', 'v1'])[1 + floor(random() * 12)::int]
                 || CASE WHEN random() < 0.3 THEN ' ' || p ELSE '' END END AS name
FROM generate_series(1, 300) f, generate_series(1, 255) p
WHERE random() < 0.04 OR p = 1 + f % 255;
CREATE TEMP TABLE rnd AS
SELECT f, ('v1 {' || string_agg(position || coalesce(':"' || replace(replace(name, '\', '\\'), '"', '\"') || '"', '')
                               || '=' || stopped, ', ' ORDER BY random()) || '}')::funnel AS fun
FROM rnd_entry GROUP BY f;
-- the value holds exactly the entries
SELECT count(*) AS funnels,
       count(*) FILTER (WHERE fun::text::funnel::text <> fun::text) AS text_mismatches
FROM rnd;
SELECT count(*) AS entries_checked,
       count(*) FILTER (WHERE s.stopped IS DISTINCT FROM e.stopped OR s.stage IS DISTINCT FROM e.name) AS entry_mismatches
FROM rnd_entry e JOIN rnd USING (f)
LEFT JOIN LATERAL funnel_steps(rnd.fun) s ON s.position = e.position;
SELECT current_setting('data_directory') || '/funnel_funnel_rnd.copy' AS funnel_funnel_rnd_file \gset
COPY rnd TO :'funnel_funnel_rnd_file' WITH (FORMAT binary);
CREATE TEMP TABLE rnd2 (f int, fun funnel);
COPY rnd2 FROM :'funnel_funnel_rnd_file' WITH (FORMAT binary);
SELECT count(*) AS binary_round_trips,
       count(*) FILTER (WHERE rnd2.fun::text IS DISTINCT FROM rnd.fun::text) AS binary_mismatches
FROM rnd JOIN rnd2 USING (f);
