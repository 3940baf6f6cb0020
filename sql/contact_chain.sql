-- The contact_chain type: text I/O, accessors, casts, order, hashing, binary form, errors.
\set VERBOSITY terse
-- err(sql): run a statement, return its SQLSTATE, message and detail
CREATE FUNCTION pg_temp.err(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE query;
  RETURN 'ok';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || nullif(detail, ''), '');
END $$;

-- text form: whitespace around '>' ignored, canonical output 'a > b'
SELECT 'call > email > meeting'::contact_chain, 'call>email>meeting'::contact_chain,
       E'  call\t>\n email   >meeting  '::contact_chain AS spaces;
SELECT quote_literal(''::contact_chain) AS empty, quote_literal('   '::contact_chain) AS only_spaces,
       chain_length('') AS empty_length;
SELECT 'follow up > demo call'::contact_chain AS inner_spaces_kept;
-- quoting: '>', '"', '\' and edge spaces; Cyrillic
SELECT '"звонок > повтор" > встреча'::contact_chain AS kind_with_gt;
SELECT 'звонок > письмо > встреча > КП'::contact_chain AS cyrillic;
SELECT '"say \"hi\"" > "back\\slash" > " edge " > "x>y"'::contact_chain AS quoted;
SELECT E'a\\b'::contact_chain AS bare_backslash_is_quoted_on_output;
SELECT '"plain"'::contact_chain AS needless_quotes_dropped, '"  "'::contact_chain AS spaces_kind;
-- canonical output round-trips exactly
SELECT c::text AS canonical, c::text::contact_chain = c AS round_trips,
       c::text::contact_chain::text = c::text AS same_text
FROM (VALUES ('a>b'::contact_chain), (''), ('"x > y" > z'), ('" a">"b "'),
             ('"q\"q">"s\\s"'), ('звонок > "звонок > повтор"'), ('a>a>a')) v(c);

-- accessors and casts
SELECT chain_length('a > b > c'), chain_length('звонок'), chain_kinds('a > "x > y" > звонок'),
       chain_kinds('') AS no_kinds, array_length(chain_kinds(''), 1) IS NULL AS empty_array;
SELECT ARRAY['call', 'x > y', ' edge ', 'звонок']::contact_chain AS from_array,
       '{}'::text[]::contact_chain::text = '' AS empty_from_array,
       contact_chain(ARRAY['a', 'b']) AS constructor,
       'a > b'::contact_chain::text[] AS to_array;
SELECT c::text[]::contact_chain = c AS array_round_trip
FROM (VALUES ('a>b'::contact_chain), (''), ('"x > y" > " z"'), ('звонок')) v(c);
SELECT chain_kinds(NULL) IS NULL AS strict_kinds, chain_length(NULL) IS NULL AS strict_length,
       contact_chain(NULL::text[]) IS NULL AS strict_cast;

-- concatenation
SELECT 'a > b'::contact_chain || 'c > a' AS concat, ''::contact_chain || 'a' AS left_empty,
       'a'::contact_chain || '' AS right_empty, (''::contact_chain || '')::text = '' AS both_empty,
       '"x > y"'::contact_chain || 'звонок' AS quoted_concat,
       ('a'::contact_chain || NULL) IS NULL AS strict_concat;

-- order: lexicographic by kind, kinds bytewise, a proper prefix first
SELECT c FROM (VALUES ('b'::contact_chain), ('a > b'), (''), ('a'), ('a > a'), ('B'), ('звонок'),
                      ('ab'), ('a > b > a')) v(c)
ORDER BY c;
SELECT 'a'::contact_chain < 'a > b', 'a > b'::contact_chain < 'b', ''::contact_chain < 'a',
       'a > b'::contact_chain <= 'a > b', 'b'::contact_chain > 'a > z', 'b'::contact_chain >= 'b',
       'a > b'::contact_chain = 'a>b', 'a > b'::contact_chain <> 'a > b > c',
       'a > b'::contact_chain = 'b > a' AS order_matters, 'ab'::contact_chain = 'a > b' AS kinds_matter;
SELECT contact_chain_cmp('a', 'b'), contact_chain_cmp('b', 'a'), contact_chain_cmp('a>b', 'a>b'),
       contact_chain_cmp('', 'a');
-- GROUP BY and DISTINCT, by sorting and by hashing
CREATE TEMP TABLE chain_set AS
SELECT (ARRAY['a > b', 'a>b', '', 'b > a', '"x > y"', 'звонок > письмо', 'a'])[1 + i % 7]::contact_chain AS c
FROM generate_series(1, 70) i;
SET enable_hashagg = off;
SELECT c, count(*) FROM chain_set GROUP BY c ORDER BY c;
SELECT count(DISTINCT c) FROM chain_set;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT c, count(*) FROM chain_set GROUP BY c;
SELECT c, count(*) FROM chain_set GROUP BY c ORDER BY c::text;
RESET enable_sort;
SELECT contact_chain_hash('a > b') = contact_chain_hash('a>b') AS hash_equal,
       contact_chain_hash_extended('a > b', 3) = contact_chain_hash_extended(' a>b ', 3) AS hash_ext_equal,
       contact_chain_hash('a > b') <> contact_chain_hash('b > a') AS hash_differs;
-- hash join and btree index
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM chain_set x JOIN chain_set y USING (c);
SELECT count(*) FROM chain_set x JOIN chain_set y USING (c);
RESET enable_mergejoin;
RESET enable_nestloop;
CREATE TABLE chain_idx (c contact_chain);
INSERT INTO chain_idx SELECT ARRAY['k' || i % 50, 'm' || i % 7]::contact_chain FROM generate_series(1, 2000) i;
CREATE INDEX ON chain_idx (c);
ANALYZE chain_idx;
SET enable_seqscan = off;
SELECT count(*) FROM chain_idx WHERE c = 'k3 > m3';
SELECT count(*) FROM chain_idx WHERE c >= 'k3' AND c < 'k4';
RESET enable_seqscan;
DROP TABLE chain_idx;
-- a sort frees what each comparison detoasts (long chains are stored
-- compressed): the sort's working memory stays small instead of growing
-- with every comparison
CREATE TEMP TABLE long_chains AS
SELECT (SELECT array_agg('call' || (j % 3)) FROM generate_series(1, 600 + i % 50) j)::contact_chain AS c
FROM generate_series(1, 500) i;
BEGIN;
DECLARE sorted CURSOR FOR SELECT chain_length(c) FROM long_chains ORDER BY c;
FETCH 1 FROM sorted;
SELECT max(total_bytes) < 1048576 AS sort_memory_small
FROM pg_backend_memory_contexts WHERE name = 'TupleSort sort';
COMMIT;

-- conformance: @> ordered subsequence, <@ commutator
SELECT 'call > email > call > meeting'::contact_chain @> 'call > meeting' AS subsequence,
       'call > email > call > meeting'::contact_chain @> 'meeting > call' AS wrong_order,
       'call > email'::contact_chain @> '' AS empty_prescribed,
       ''::contact_chain @> '' AS both_empty, ''::contact_chain @> 'call' AS empty_actual,
       'call > call'::contact_chain @> 'call > call > call' AS not_enough_repeats,
       'call > meeting'::contact_chain <@ 'call > email > meeting' AS contained,
       'a > b'::contact_chain <@ 'b > a' AS not_contained,
       'звонок > "звонок > повтор" > встреча'::contact_chain @> '"звонок > повтор" > встреча' AS cyrillic;
-- chain_conformance = LCS / length(prescribed)
SELECT chain_conformance('call > email > meeting', 'call > meeting') AS full,
       chain_conformance('email > call', 'call > email > meeting') AS lcs_1_of_3,
       chain_conformance('a > x > b > c', 'a > b > d') AS two_thirds,
       chain_conformance('', 'a > b') AS empty_actual,
       chain_conformance('a > b', '') AS empty_prescribed,
       chain_conformance('', '') AS both_empty,
       chain_conformance('b > a > b > a', 'a > b > a > b') AS lcs_3_of_4;
-- chain_next: next prescribed contact after the in-order greedy match
SELECT chain_next('call > email', 'call > email > meeting') AS next_meeting,
       chain_next('email > call', 'call > email > meeting') AS next_email,
       chain_next('', 'call > email') AS next_call,
       chain_next('call > email > meeting', 'call > meeting') IS NULL AS done,
       chain_next('anything', '') IS NULL AS empty_prescribed_done,
       chain_next('звонок', 'звонок > "звонок > повтор"') AS cyrillic_next;
-- chain_extra: contacts beyond the longest common subsequence
SELECT chain_extra('call > call > call > email', 'call > email > meeting') AS extra_2,
       chain_extra('a > b', 'a > b') AS none, chain_extra('', 'a') AS empty_actual,
       chain_extra('a > b > c', '') AS all_extra;
SELECT chain_conformance(NULL, 'a') IS NULL, chain_next('a', NULL) IS NULL,
       chain_extra(NULL, NULL) IS NULL, ('a'::contact_chain @> NULL) IS NULL;

-- limits: a kind is at most 255 bytes, a chain at most 10000 kinds
SELECT chain_length(repeat('x', 255)::contact_chain) AS kind_255,
       chain_length(('"' || repeat('ж', 127) || '"')::contact_chain) AS cyrillic_254_bytes,
       chain_length(array_fill('a'::text, ARRAY[10000])::contact_chain) AS kinds_10000,
       chain_length(array_to_string(array_fill('a'::text, ARRAY[10000]), '>')::contact_chain) AS text_10000;
SELECT chain_conformance(c, c) AS lcs_2000, chain_extra(c, c) AS extra_0
FROM (SELECT ARRAY(SELECT (ARRAY['a', 'b', 'c'])[1 + i % 3] FROM generate_series(1, 2000) i)::contact_chain c) s;
-- the LCS loop answers a cancel
CREATE TEMP TABLE chain_huge AS
SELECT ARRAY(SELECT (ARRAY['a', 'b', 'c', 'd'])[1 + i % 4] FROM generate_series(1, 10000) i)::contact_chain a,
       ARRAY(SELECT (ARRAY['b', 'a', 'c'])[1 + i % 3] FROM generate_series(1, 10000) i)::contact_chain p;
-- (without a check inside the loop a cancel waits until both calls have
-- returned, so the cancelled statement must end in well under the time a
-- complete one takes on the same machine)
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT chain_conformance(a, p), chain_extra(a, p) FROM chain_huge;
SELECT extract(epoch FROM clock_timestamp()) - :t0 AS complete_s \gset
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SET statement_timeout = '20ms';
SELECT chain_conformance(a, p), chain_extra(a, p) FROM chain_huge;
RESET statement_timeout;
SELECT extract(epoch FROM clock_timestamp()) - :t0 < :complete_s / 2 AS cancelled_early;

-- errors: text input (22P02 malformed or empty kind, 22001 long kind, 54000 long chain)
SELECT i AS input, pg_temp.err(format('SELECT %L::contact_chain', i))
FROM (VALUES ('a >'), ('> a'), ('a >> b'), ('>'), ('a > "" > b'), ('""'), ('"a" b'), ('a"b'),
             ('"unterminated'), ('"bad \"escape'), (E'a > \\"b')) v(i);
SELECT pg_temp.err(format('SELECT %L::contact_chain', repeat('x', 256))) AS long_bare,
       pg_temp.err(format('SELECT %L::contact_chain', '"' || repeat('ж', 128) || '"')) AS long_quoted;
SELECT pg_temp.err(format('SELECT %L::contact_chain', repeat('a > ', 10000) || 'a')) AS too_many;
-- errors: casts, concatenation
SELECT pg_temp.err($$SELECT ARRAY['a', NULL]::contact_chain$$) AS null_element,
       pg_temp.err($$SELECT ARRAY['a', '']::contact_chain$$) AS empty_element,
       pg_temp.err($$SELECT ARRAY[repeat('y', 256)]::contact_chain$$) AS long_element;
SELECT pg_temp.err($$SELECT ARRAY[['a', 'b'], ['c', 'd']]::contact_chain$$) AS two_dimensions,
       pg_temp.err($$SELECT array_fill('a'::text, ARRAY[10001])::contact_chain$$) AS too_many_elements;
SELECT pg_temp.err($$SELECT c || c FROM (SELECT array_fill('a'::text, ARRAY[5001])::contact_chain c) s$$) AS concat_too_long;
-- an invalid encoding never reaches the parser (22021); text made from raw bytes
CREATE CAST (bytea AS text) WITHOUT FUNCTION;
SELECT pg_temp.err($$SELECT contact_chain_in('\x61203e20ff'::bytea::text::cstring)$$) AS not_utf8,
       pg_temp.err($$SELECT contact_chain_in('\x61203e20d0b1'::bytea::text::cstring)$$) AS utf8;
DROP CAST (bytea AS text);

-- stored values are checked on every read (XX001 when corrupt)
CREATE CAST (bytea AS contact_chain) WITHOUT FUNCTION;
SELECT chain_length('\x010200000001610162'::bytea::contact_chain) AS good_stored;
SELECT b AS stored, pg_temp.err(format('SELECT chain_length(%L::bytea::contact_chain)', b))
FROM (VALUES ('\x'), ('\x02'), ('\x0100'), ('\x01020000000161'), ('\x0101000000006161'),
             ('\x01010000000161ff'), ('\x01112700000161')) v(b);
DROP CAST (bytea AS contact_chain);

-- binary send/recv: version byte, int4 count, int4 length + text per kind
SELECT contact_chain_send('a > бв'), contact_chain_send('');
CREATE TABLE chain_bin (c contact_chain);
INSERT INTO chain_bin VALUES ('call > email'), (''), ('звонок > "звонок > повтор"'), ('"say \"hi\""');
SELECT current_setting('data_directory') || '/funnel_chain_bin.copy' AS funnel_chain_bin_file \gset
COPY chain_bin TO :'funnel_chain_bin_file' WITH (FORMAT binary);
CREATE TABLE chain_bin2 (c contact_chain);
COPY chain_bin2 FROM :'funnel_chain_bin_file' WITH (FORMAT binary);
SELECT c, (SELECT count(*) FROM chain_bin b WHERE b.c = c2.c) AS matches FROM chain_bin2 c2 ORDER BY c;
DROP TABLE chain_bin, chain_bin2;
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
SELECT pg_temp.recv_as('contact_chain', '\x0100000002000000016100000004d0b1d0b2'::bytea) AS good_binary,
       quote_literal(pg_temp.recv_as('contact_chain', '\x0100000000'::bytea)) AS empty_chain;
-- corrupt binary: 22P03; 22001 long kind; 54000 too many kinds; 22021 bad encoding
SELECT b AS binary, pg_temp.err(format('SELECT pg_temp.recv_as(%L, %L::bytea)', 'contact_chain', b))
FROM (VALUES ('\x'), ('\x02'), ('\x0200000000'), ('\x010000'), ('\x01ffffffff'), ('\x0100002711'),
             ('\x010000000300000001610000'), ('\x010000000100000000ff'),
             ('\x0100000001ffffffff61'), ('\x01000000010000000561626364'),
             ('\x0100000001000000016100'), ('\x010000000000'),
             ('\x010000000100000001ff'), ('\x01000000010000000100')) v(b);
SELECT pg_temp.err(format('SELECT pg_temp.recv_as(%L, %L::bytea)', 'contact_chain',
                          '\x010000000100000100'::bytea || convert_to(repeat('x', 256), 'UTF8'))) AS long_kind;
