-- stage: text input and output, constructors, accessors, casts, ordering, hashing and min/max work
SELECT '3:proposal'::stage, '3'::stage, ' 12 :x'::stage, '2:встреча'::stage;
SELECT '3:a:b'::stage AS first_colon_separates, '3:'::stage AS empty_name_is_no_name;
SELECT '255:won'::stage, '1:lead'::stage;
SELECT stage_position('7:contract'), stage_name('7:contract'), stage_name('7') IS NULL AS no_name;
SELECT stage(4, 'meeting'), stage(4), stage(4, NULL), stage(4, ''), stage(NULL, 'x') IS NULL AS null_position;
SELECT 5::stage, '5:x'::stage::integer, stage_position(stage(9, 'встреча')), stage_name(stage(9, 'встреча'));
SELECT ('2:' || repeat('ж', 127))::stage = stage(2, repeat('ж', 127)) AS long_cyrillic_name;

-- canonical text form round-trips
SELECT s::text, s::text::stage = s AS round_trips
FROM (VALUES ('1:lead'::stage), ('2:встреча'), ('3'), ('4:a:b c '), ('5: leading space')) v(s);

-- ordering: position first, then name bytes, no name first
SELECT s FROM (VALUES ('3:b'::stage), ('3:a'), ('2:z'), ('3'), ('10:a'), ('1:z')) v(s) ORDER BY s;
SELECT '2:b'::stage < '3:a', '3:a'::stage < '3:b', '3'::stage < '3:a', '3:a'::stage = '3:a',
       '3:a'::stage <> '3:b', '3:b'::stage >= '3:a', '3:a'::stage <= '3:a', '4'::stage > '3:zzz';
SELECT min(s), max(s), count(DISTINCT s)
FROM (VALUES ('3:b'::stage), ('3:a'), ('2:z'), ('3:a'), (NULL), ('10:a')) v(s);
SELECT min(s) IS NULL AND max(s) IS NULL AS empty_is_null FROM (SELECT '1'::stage s WHERE false) e;

-- hashing: GROUP BY and hash joins agree with equality
SET enable_sort = off;
SELECT s, count(*) FROM (VALUES ('3:b'::stage), ('3:a'), ('3:b'), ('3')) v(s) GROUP BY s ORDER BY s;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
CREATE TEMP TABLE stage_a AS SELECT stage(1 + i % 5, 'n' || i % 3) s FROM generate_series(1, 100) i;
CREATE TEMP TABLE stage_b AS SELECT stage(1 + i % 5, 'n' || i % 3) s FROM generate_series(1, 30) i;
EXPLAIN (COSTS OFF) SELECT count(*) FROM stage_a JOIN stage_b USING (s);
SELECT count(*) FROM stage_a JOIN stage_b USING (s);
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT stage_hash('3:a') = stage_hash(stage(3, 'a')) AS hash_equal,
       stage_hash_extended('3:a', 7) = stage_hash_extended(stage(3, 'a'), 7) AS hash_ext_equal;

-- btree index
CREATE TABLE stage_idx (s stage);
INSERT INTO stage_idx SELECT stage(1 + i % 200, 'name ' || i % 7) FROM generate_series(1, 2000) i;
CREATE INDEX ON stage_idx (s);
ANALYZE stage_idx;
SET enable_seqscan = off;
SELECT count(*) FROM stage_idx WHERE s >= '150' AND s < '151';
SELECT count(*) FROM stage_idx WHERE s = '150:name 3';
RESET enable_seqscan;
DROP TABLE stage_idx;
-- a sort frees what each comparison detoasts (stages in wide rows are
-- stored compressed): the sort's working memory stays small instead of
-- growing with every comparison
CREATE TEMP TABLE wide_stages AS
SELECT stage(1 + i % 200, repeat('x', 250) || i) AS a, stage(1, repeat('b', 250)) AS b,
       stage(1, repeat('c', 250)) AS c, stage(1, repeat('d', 250)) AS d, stage(1, repeat('e', 250)) AS e,
       stage(1, repeat('f', 250)) AS f, stage(1, repeat('g', 250)) AS g, stage(1, repeat('h', 250)) AS h
FROM generate_series(1, 3000) i;
SELECT count(*) FILTER (WHERE pg_column_compression(a) IS NOT NULL) AS compressed FROM wide_stages;
BEGIN;
DECLARE sorted CURSOR FOR SELECT stage_position(a), right(stage_name(a), 4) FROM wide_stages ORDER BY a;
FETCH 1 FROM sorted;
SELECT max(total_bytes) < 1048576 AS sort_memory_small
FROM pg_backend_memory_contexts WHERE name = 'TupleSort sort';
COMMIT;

-- binary send/recv round-trip through COPY
CREATE TABLE stage_bin (s stage);
INSERT INTO stage_bin VALUES ('1:lead'), ('2:встреча'), ('255');
SELECT current_setting('data_directory') || '/funnel_stage_bin.copy' AS funnel_stage_bin_file \gset
COPY stage_bin TO :'funnel_stage_bin_file' WITH (FORMAT binary);
CREATE TABLE stage_bin2 (s stage);
COPY stage_bin2 FROM :'funnel_stage_bin_file' WITH (FORMAT binary);
SELECT s FROM stage_bin2 ORDER BY s;
SELECT stage_send('2:встреча');
-- the name travels in the client encoding
SET client_encoding = 'WIN1251';
SELECT stage_send(stage(2, convert_from('\xd0b2d181d182', 'UTF8'))) AS win1251;
RESET client_encoding;
DROP TABLE stage_bin, stage_bin2;
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
\set SHOW_CONTEXT never
SELECT pg_temp.recv_as('stage', '\x0103d0b2'::bytea) AS good_binary;
SELECT pg_temp.recv_as('stage', '\x0200'::bytea) AS unknown_version;
SELECT pg_temp.recv_as('stage', '\x0100'::bytea) AS position_zero;
SELECT pg_temp.recv_as('stage', '\x01'::bytea) AS truncated;
SELECT pg_temp.recv_as('stage', '\x0103ff'::bytea) AS bad_utf8;
SELECT pg_temp.recv_as('stage', '\x0103'::bytea || convert_to(repeat('x', 256), 'UTF8')) AS too_long;
\set SHOW_CONTEXT errors

-- bad input: 22P02 malformed, 22003 out of range, 22001 too long
\set VERBOSITY default
SELECT ''::stage;
SELECT ':x'::stage;
SELECT 'x:lead'::stage;
SELECT '3 x'::stage;
SELECT '3.5:x'::stage;
SELECT '0:x'::stage;
SELECT '256:x'::stage;
SELECT '-1:x'::stage;
SELECT '99999999999999999999:x'::stage;
SELECT ('3:' || repeat('x', 256))::stage;
SELECT stage(0, 'x');
SELECT stage(256);
SELECT stage(1, repeat('x', 256));
SELECT 0::stage;
SELECT 300::stage;
-- a name in an invalid encoding never gets in (22021); text made from raw bytes
CREATE CAST (bytea AS text) WITHOUT FUNCTION;
SELECT stage_in('\x333aff'::bytea::text::cstring) AS not_utf8;
SELECT stage_in('\x333ad0b2'::bytea::text::cstring) AS utf8;
DROP CAST (bytea AS text);
\set VERBOSITY terse
-- the SQLSTATEs
DO $$
DECLARE
  inputs text[] := ARRAY['', 'x', '0', '256:a', '3:' || repeat('y', 300)];
  i text;
BEGIN
  FOREACH i IN ARRAY inputs LOOP
    BEGIN
      PERFORM i::stage;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', left(i, 10), SQLSTATE;
    END;
  END LOOP;
END $$;

-- corrupt stored values (XX001): bytes reinterpreted as a stage are checked
-- on every read, before anything is formatted from them
CREATE CAST (bytea AS stage) WITHOUT FUNCTION;
SELECT '\x01036162'::bytea::stage AS intact;
\set VERBOSITY default
SELECT '\x'::bytea::stage AS empty;
SELECT '\x02036162'::bytea::stage AS bad_version;
SELECT stage_position('\x01'::bytea::stage) AS no_position;
SELECT '\x0100'::bytea::stage AS position_zero;
SELECT ('\x0103'::bytea || convert_to(repeat('x', 300), 'UTF8'))::stage AS name_too_long;
SELECT funnel_conversion(s) FROM (VALUES ('\x0103'::bytea || convert_to(repeat('x', 300), 'UTF8'))) v(b),
  LATERAL (SELECT b::stage s) x;
SELECT funnel_conversion('\x01'::bytea::stage) AS aggregate_no_position;
\set VERBOSITY terse
DO $$
DECLARE
  stored bytea[] := ARRAY['\x', '\x02036162', '\x01', '\x0100',
                          '\x0103'::bytea || convert_to(repeat('x', 300), 'UTF8')];
  b bytea;
BEGIN
  FOREACH b IN ARRAY stored LOOP
    BEGIN
      PERFORM b::stage::text;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', left(b::text, 12), SQLSTATE;
    END;
  END LOOP;
END $$;
DROP CAST (bytea AS stage);
