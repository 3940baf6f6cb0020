-- plan_attainment and the attainment type: aggregate, report, forms, merge, NULLs, bad input.
--
-- plan_attainment and the attainment type: aggregate, report, text and
-- binary forms, merge, jsonb, NULLs and bad input
SET timezone = 'UTC';
SET datestyle = 'ISO';

-- Hand-checked data: several rows on a day, a gap (a long weekend), a zero
-- plan, a negative actual, a day with 0/0 (met: 0 >= 0).
CREATE TABLE att_rows (seller int, day date, actual numeric, plan numeric);
INSERT INTO att_rows VALUES
  (1, '2026-01-05', 5, 10), (1, '2026-01-05', 6, 0),   -- 11/10 met
  (1, '2026-01-06', 3, 10),                            -- missed by 7
  (1, '2026-01-07', -2, 5),                            -- missed by 7
  (1, '2026-01-08', 0, 0),                             -- met
  (1, '2026-01-12', 10, 10),                           -- met
  (1, '2026-01-13', 9.5, 10),                          -- missed by 0.5
  (2, '2026-01-05', 4, 2), (2, '2026-01-06', 2, 2), (2, '2026-01-09', 0.25, 0);
SELECT seller, plan_attainment(actual, plan, day) FROM att_rows GROUP BY seller ORDER BY seller;
-- seller 1: actual 31.5, plan 45, ratio 0.7, 6 days, 3 met, 3 missed,
-- longest miss streak 2, current streak -1, shortfall 14.5
-- seller 2: actual 6.25, plan 4, ratio 1.5625, 3 days all met, streak +3
SELECT seller, r.*
FROM (SELECT seller, plan_attainment(actual, plan, day) a FROM att_rows GROUP BY seller) s,
     attainment_report(s.a) r
ORDER BY seller;
SELECT attainment_ratio(plan_attainment(actual, plan, day)) FROM att_rows WHERE seller = 1;
SELECT * FROM attainment_days((SELECT plan_attainment(actual, plan, day) FROM att_rows WHERE seller = 1));
SELECT jsonb_pretty(plan_attainment(actual, plan, day)::jsonb) FROM att_rows WHERE seller = 2;

SELECT v::jsonb -> 'ratio' AS ratio_json FROM (VALUES ('v1 2026-01-05:7/10'::attainment)) t(v);
-- as a window function: the running report day by day
SELECT day, r.actual, r.plan, r.days_missed, r.current_streak
FROM (SELECT day, plan_attainment(actual, plan, day) OVER (ORDER BY day) AS a
      FROM att_rows WHERE seller = 1) w,
     attainment_report(w.a) r
ORDER BY day;
-- and over a moving frame of the last three rows
SELECT day, plan_attainment(actual, plan, day) OVER (ORDER BY day ROWS 2 PRECEDING) AS last_three
FROM att_rows WHERE seller = 2 ORDER BY day;

-- the order of the rows does not matter (the window grows both ways)
SELECT count(DISTINCT a::text) AS distinct_results FROM (
  SELECT plan_attainment(actual, plan, day ORDER BY day) a FROM att_rows WHERE seller = 1
  UNION ALL SELECT plan_attainment(actual, plan, day ORDER BY day DESC) FROM att_rows WHERE seller = 1
  UNION ALL SELECT plan_attainment(actual, plan, day ORDER BY actual) FROM att_rows WHERE seller = 1) r;

-- streaks: over days with rows only; met runs count up, missed runs down
SELECT current_streak, longest_miss_streak, days_met, days_missed
FROM attainment_report('v1 2026-03-02:1/2,1/2,1/2,5/2 2026-03-09:0/2,0/2');
SELECT current_streak, longest_miss_streak FROM attainment_report('v1 2026-03-02:3/2,3/2 2026-03-09:3/2');
-- zero plan: ratio is NULL, every day met
SELECT actual, plan, ratio, days_met, current_streak, shortfall FROM attainment_report('v1 2026-03-02:0/0,-1/0');
-- exact totals far beyond float8 precision
SELECT actual, plan, shortfall
FROM attainment_report((SELECT plan_attainment(a, p, d) FROM (VALUES
  (12345678901234567890.123456::numeric, 12345678901234567890.123457::numeric, date '2026-01-01'),
  (0.000001, 0, date '2026-01-01'),
  (98765432109876543210, 98765432109876543210.5, date '2026-01-02')) v(a, p, d)));

-- NULL rows are skipped; an empty group gives NULL; NULL reports give no row
SELECT plan_attainment(a, p, d)
FROM (VALUES (1::numeric, 1::numeric, date '2026-01-01'), (NULL, 5, '2026-01-02'),
             (5, NULL, '2026-01-03'), (5, 5, NULL)) v(a, p, d);
SELECT plan_attainment(a, p, d) IS NULL AS all_null_is_null
FROM (VALUES (NULL::numeric, 1::numeric, date '2026-01-01')) v(a, p, d);
SELECT plan_attainment(actual, plan, day) IS NULL AS empty_is_null FROM att_rows WHERE false;
SELECT count(*) AS rows_for_null FROM attainment_report(NULL);
SELECT attainment_ratio(NULL) IS NULL AS null_ratio;

-- text form: canonical, round-trips, one scale for every value
SELECT a::text, a::text::attainment::text = a::text AS round_trips
FROM (SELECT plan_attainment(actual, plan, day) a FROM att_rows GROUP BY seller) s ORDER BY 1;
SELECT '  v1   2026-01-05:1/1   2026-01-06:2.50/2 '::attainment AS lenient_input;
SELECT 'v1 2026-01-05:1/1 2026-01-06:2/2'::attainment AS adjacent_segments_join;
SELECT 'v1 0001-01-01:1/1 0101-01-01:1/1'::attainment::jsonb -> 'days' AS widest_span;
SELECT 'v1 9999-12-31:-5/0.000000000000000001'::attainment AS last_day_max_scale;

-- merging: the aggregate over stored values, attainment_merge and +
CREATE TABLE att_weekly AS
  SELECT seller, date_trunc('week', day)::date AS week, plan_attainment(actual, plan, day) a
  FROM att_rows GROUP BY 1, 2;
SELECT seller, week, a FROM att_weekly ORDER BY 1, 2;
SELECT (SELECT plan_attainment(a) FROM att_weekly WHERE seller = 1)::text
     = (SELECT plan_attainment(actual, plan, day) FROM att_rows WHERE seller = 1)::text AS weeks_merge_exactly;
SELECT plan_attainment(a) AS department FROM att_weekly;
SELECT 'v1 2026-01-05:1/1'::attainment + 'v1 2026-01-05:2.5/1 2026-02-01:0/3'::attainment AS plus,
       attainment_merge(NULL, 'v1 2026-01-05:1/1') AS null_left,
       'v1 2026-01-05:1/1'::attainment + NULL AS null_right,
       attainment_merge(NULL, NULL) IS NULL AS both_null;
SELECT plan_attainment(a) IS NULL AS merge_of_nulls FROM (VALUES (NULL::attainment)) v(a);

-- binary send/recv round-trip through COPY
CREATE TABLE att_bin (a attainment);
INSERT INTO att_bin SELECT a FROM att_weekly;
INSERT INTO att_bin VALUES ('v1 0001-01-01:-99999999999999999999.999999999999999999/0 0101-01-01:1/99999999999999999999.999999999999999999');
SELECT current_setting('data_directory') || '/funnel_att_bin.copy' AS funnel_att_bin_file \gset
COPY att_bin TO :'funnel_att_bin_file' WITH (FORMAT binary);
CREATE TABLE att_bin2 (a attainment);
COPY att_bin2 FROM :'funnel_att_bin_file' WITH (FORMAT binary);
SELECT (SELECT array_agg(a::text ORDER BY a::text) FROM att_bin)
     = (SELECT array_agg(a::text ORDER BY a::text) FROM att_bin2) AS binary_round_trips;
SELECT attainment_send('v1 2026-01-05:1.5/2,0/0 2026-01-08:-1/0');
DROP TABLE att_bin, att_bin2;

\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
\set SHOW_CONTEXT never
SELECT pg_temp.recv_as('attainment', '\x0101000000'::bytea) AS truncated;
-- version 1, scale 1, one day, 2026-01-05, offset 0, actual 15, plan 20
SELECT pg_temp.recv_as('attainment', '\x0101000000010000251d00000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS good_binary;
SELECT pg_temp.recv_as('attainment', '\x0201000000010000251d00000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS unknown_version;
SELECT pg_temp.recv_as('attainment', '\x0113000000010000251d00000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS scale_19;
SELECT pg_temp.recv_as('attainment', '\x0101000000020000251d00000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS count_too_big;
SELECT pg_temp.recv_as('attainment', '\x0101000000000000251d'::bytea) AS no_days;
SELECT pg_temp.recv_as('attainment', '\x01017fffffff0000251d'::bytea) AS absurd_count;
SELECT pg_temp.recv_as('attainment', '\x0101000000010000251d00000001'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS first_offset_not_0;
SELECT pg_temp.recv_as('attainment', '\x0101000000020000251d'::bytea
  || '\x00000000' || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea
  || '\x00000000' || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS repeated_day;
SELECT pg_temp.recv_as('attainment', '\x0101000000020000251d'::bytea
  || '\x00000000' || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea
  || '\x00008ead' || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS span_too_long;
SELECT pg_temp.recv_as('attainment', '\x010100000001002c95d400000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\x00000000000000000000000000000014'::bytea) AS day_beyond_9999;
SELECT pg_temp.recv_as('attainment', '\x0101000000010000251d00000000'::bytea
  || '\x0000000000000000000000000000000f'::bytea || '\xffffffffffffffffffffffffffffffff'::bytea) AS negative_plan;
SELECT pg_temp.recv_as('attainment', '\x0101000000010000251d00000000'::bytea
  || '\x7fffffffffffffffffffffffffffffff'::bytea || '\x00000000000000000000000000000014'::bytea) AS actual_too_big;
\set SHOW_CONTEXT errors

-- bad input: aggregate arguments
\set VERBOSITY default
SELECT plan_attainment(1, -1, date '2026-01-01');
SELECT plan_attainment('NaN', 1, date '2026-01-01');
SELECT plan_attainment(1, 'Infinity', date '2026-01-01');
SELECT plan_attainment(1 / 3::numeric, 1, date '2026-01-01');
SELECT plan_attainment(1e38, 1, date '2026-01-01');
SELECT plan_attainment(1, 1, 'infinity'::date);
SELECT plan_attainment(1, 1, date '10000-01-01');
SELECT plan_attainment(a, 1, date '2026-01-01') FROM (VALUES (6e37), (6e37)) v(a);
SELECT plan_attainment(1, 1, d) FROM (VALUES (date '2000-01-01'), ('2100-01-01')) v(d);
SELECT days, (SELECT count(*) FROM attainment_days(a)) AS listed
FROM (SELECT plan_attainment(1, 1, d) a FROM (VALUES (date '2000-01-01'), ('2099-12-31')) v(d)) s,
     attainment_report(s.a);
SELECT plan_attainment(a) FROM (VALUES ('v1 2000-01-01:1/1'::attainment), ('v1 2100-01-01:1/1')) v(a);
SELECT 'v1 2000-01-01:1/1'::attainment + 'v1 2100-01-01:1/1';
-- bad input: text
SELECT ''::attainment;
SELECT 'v2 2026-01-01:1/1'::attainment;
SELECT 'v1'::attainment;
SELECT 'v1 2026-01-01'::attainment;
SELECT 'v1 2026-01-01:1'::attainment;
SELECT 'v1 2026-01-01:1/1,'::attainment;
SELECT 'v1 2026-01-01:1/-1'::attainment;
SELECT 'v1 2026-01-01:1e3/1'::attainment;
SELECT 'v1 2026-02-30:1/1'::attainment;
SELECT 'v1 2026-01-02:1/1 2026-01-01:1/1'::attainment;
SELECT 'v1 2026-01-01:0.1234567890123456789/1'::attainment;
SELECT 'v1 2026-01-01:123456789012345678901234567890123456789/1'::attainment;
SELECT 'v1 2000-01-01:1/1 2100-01-01:1/1'::attainment;
SELECT ('v1 2026-01-01:' || repeat('1/1,', 40000) || '1/1')::attainment;
SELECT ('v1 2026-01-01:' || repeat('1/1,', 30) || 'x')::attainment;
\set VERBOSITY terse
-- the SQLSTATEs
DO $$
DECLARE
  inputs text[] := ARRAY['', 'v1 2026-01-01:1', 'v1 2026-02-30:1/1', 'v1 2026-01-01:1/-1',
                         'v1 2000-01-01:1/1 2100-01-01:1/1'];
  i text;
BEGIN
  FOREACH i IN ARRAY inputs LOOP
    BEGIN
      PERFORM i::attainment;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', i, SQLSTATE;
    END;
  END LOOP;
END $$;
DO $$
DECLARE
  stmts text[] := ARRAY[
    'SELECT plan_attainment(1, -1, date ''2026-01-01'')',
    'SELECT plan_attainment(''NaN'', 1, date ''2026-01-01'')',
    'SELECT plan_attainment(1 / 3::numeric, 1, date ''2026-01-01'')',
    'SELECT plan_attainment(1, 1, ''infinity''::date)',
    'SELECT plan_attainment(1, 1, d) FROM (VALUES (date ''2000-01-01''), (''2100-01-01'')) v(d)'];
  s text;
BEGIN
  FOREACH s IN ARRAY stmts LOOP
    BEGIN
      EXECUTE s;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', s, SQLSTATE;
    END;
  END LOOP;
END $$;
-- the transition functions work outside an aggregate too, on a copy
SELECT attainment_trans(NULL, 1, 1, date '2026-01-01');
SELECT attainment_combine(NULL, 'v1 2026-01-01:1/1');
DROP TABLE att_rows, att_weekly;
\set VERBOSITY default
-- damaged stored values (bytes after the length word: version, scale, two
-- reserved, first day, number of days, then per day actual and plan as
-- 16-byte little-endian integers) are clean errors in every reader
CREATE FUNCTION pg_temp.raw_attainment(bytea, bytea) RETURNS attainment
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.raw_bytes(attainment, bytea) RETURNS bytea
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE TABLE ae_good AS SELECT pg_temp.raw_bytes('v1 2026-01-01:1/1,2/2', '') AS b;
SELECT length(b) AS bytes, get_byte(b, 0) AS version, get_byte(b, 8) AS ndays FROM ae_good;
CREATE TABLE ae_bad AS
SELECT what, pg_temp.raw_attainment(bytes, '') AS a FROM ae_good, LATERAL (VALUES
  ('negative plan', overlay(b PLACING '\xfbffffffffffffffffffffffffffffff'::bytea FROM 61)),
  ('sum over 38 digits', overlay(b PLACING '\x7f'::bytea FROM 28)),
  ('no day with rows', overlay(overlay(b PLACING '\xffffffffffffffffffffffffffffffff'::bytea FROM 29)
                               PLACING '\xffffffffffffffffffffffffffffffff'::bytea FROM 61)),
  ('version 2', overlay(b PLACING '\x02'::bytea FROM 1)),
  ('truncated', substring(b FROM 1 FOR 70))) v(what, bytes);
SELECT a::text FROM ae_bad WHERE what = 'negative plan';
SELECT attainment_send(a) FROM ae_bad WHERE what = 'negative plan';
SELECT count(*) FROM ae_bad, attainment_days(a) WHERE what = 'negative plan';
SELECT a::text FROM ae_bad WHERE what = 'sum over 38 digits';
SELECT attainment_ratio(a) FROM ae_bad WHERE what = 'sum over 38 digits';
SELECT r.* FROM ae_bad, attainment_report(a) r WHERE what = 'no day with rows';
SELECT attainment_ratio(a) FROM ae_bad WHERE what = 'version 2';
SELECT plan_attainment(a) FROM ae_bad WHERE what = 'truncated';
DROP TABLE ae_good, ae_bad;
