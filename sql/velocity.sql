-- The velocity type: stage_velocity, reports, merging, text and binary I/O, bad input.
SET timezone = 'UTC';
CREATE TABLE visits (deal int, s stage, entered_at timestamptz, left_at timestamptz);
INSERT INTO visits VALUES
  (1, '1:lead',     '2025-01-01 00:00', '2025-01-02 00:00'),          -- 1 day
  (1, '2:meeting',  '2025-01-02 00:00', '2025-01-05 12:00'),          -- 3.5 days
  (1, '3:proposal', '2025-01-05 12:00', NULL),                        -- open
  (2, '1:lead',     '2025-01-01 00:00', '2025-01-01 06:00'),          -- 6 hours
  (2, '2:meet',     '2025-01-01 06:00', '2025-01-01 06:00'),          -- zero
  (2, '3:proposal', '2025-01-01 06:00', '2025-01-31 06:00'),          -- 30 days
  (3, '1:lead',     '2025-01-03 00:00', '2025-01-03 00:00:00.000001'), -- 1 microsecond
  (3, '2',          '2025-01-03 00:00:00.000001', NULL),              -- open, no name
  (4, NULL,         '2025-01-03 00:00', '2025-01-04 00:00'),          -- skipped: NULL stage
  (5, '1:lead',     NULL,               '2025-01-04 00:00');          -- skipped: NULL entered_at

-- the text form: exits, open, sum/min/max in microseconds, buckets
SELECT stage_velocity(s, entered_at, left_at) FROM visits;
SELECT * FROM velocity_steps((SELECT stage_velocity(s, entered_at, left_at) FROM visits));
-- the name kept is the bytewise-smallest non-empty one ('meet' < 'meeting')
SELECT stage_name(stage(position, stage)) FROM velocity_steps((SELECT stage_velocity(s, entered_at, left_at) FROM visits));

-- time_in_stage and velocity_quantile: the first and last rank are exact
CREATE TABLE v1 AS SELECT stage_velocity(s, entered_at, left_at) v FROM visits;
SELECT time_in_stage(v, '1') AS median_lead, time_in_stage(v, '1:other name', 0) AS min_lead,
       time_in_stage(v, '1', 1) AS max_lead, time_in_stage(v, '2', 0.9) AS p90_meeting,
       time_in_stage(v, '3') AS median_proposal, time_in_stage(v, '4') IS NULL AS absent_stage
FROM v1;
SELECT velocity_quantile(v, '3', 0.5) AS proposal_days, velocity_quantile(v, '1', 0.5) AS lead_days,
       velocity_quantile(v, '5', 0.5) IS NULL AS absent
FROM v1;
-- a stage with open visits only has no durations
SELECT time_in_stage(stage_velocity('4:x'::stage, '2025-01-01', NULL), '4') IS NULL AS open_only;

-- cast to jsonb
SELECT jsonb_array_elements(v::jsonb) FROM v1;

-- NULL rows are skipped; a group without rows gives NULL
SELECT stage_velocity(s, entered_at, left_at) IS NULL AS all_skipped FROM visits WHERE deal >= 4;
SELECT stage_velocity(s, entered_at, left_at) IS NULL AS empty FROM visits WHERE false;
SELECT stage_velocity(v) IS NULL AS empty_merge FROM v1 WHERE false;

-- merging: per deal, then merged, equals the one-pass result
SELECT (SELECT stage_velocity(v) FROM (SELECT stage_velocity(s, entered_at, left_at) v
                                       FROM visits GROUP BY deal) d)::text
       = (SELECT v::text FROM v1) AS rollup_equal;
SELECT (a + b)::text = (SELECT v::text FROM v1) AS plus_equal,
       velocity_merge(a, b)::text = (a + b)::text AS merge_is_plus,
       (b + a)::text = (a + b)::text AS commutative,
       (a + NULL)::text = a::text AS null_right, (NULL + b)::text = b::text AS null_left,
       velocity_merge(NULL, NULL) IS NULL AS both_null
FROM (SELECT stage_velocity(s, entered_at, left_at) FILTER (WHERE deal <= 2) a,
             stage_velocity(s, entered_at, left_at) FILTER (WHERE deal > 2) b FROM visits) ab;
-- merging the same rollup twice doubles every count
SELECT * FROM velocity_steps((SELECT v + v FROM v1));
-- the inputs of the merge aggregate are never changed
WITH vals AS MATERIALIZED (SELECT v FROM v1 UNION ALL SELECT v FROM v1)
SELECT (SELECT stage_velocity(v) FROM vals)::text = (SELECT (v + v)::text FROM v1) AS doubled,
       (SELECT bool_and(v::text = (SELECT v::text FROM v1)) FROM vals) AS inputs_unchanged;
-- as a window function: running and moving frames
SELECT deal, running = (SELECT stage_velocity(s, entered_at, left_at)::text FROM visits p WHERE p.deal <= w.deal) AS running_ok
FROM (SELECT DISTINCT deal, (stage_velocity(s, entered_at, left_at) OVER (ORDER BY deal))::text AS running
      FROM visits) w ORDER BY deal;
SELECT deal, s, (stage_velocity(s, entered_at, left_at) OVER (ORDER BY deal, s ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text AS pairs
FROM visits WHERE deal <= 2 ORDER BY deal, s;

-- the transition function called directly returns a packed value, input unchanged
SELECT velocity_trans(v, '1:lead', '2025-01-01', '2025-01-02')::text AS direct_call,
       v::text = (SELECT v::text FROM v1) AS unchanged
FROM v1;

-- text form: round trip, quoting, canonical output
SELECT v::text::velocity::text = v::text AS round_trips FROM v1;
SELECT 'v1'::velocity AS empty, 'v1 '::velocity AS empty_space;
SELECT stage_velocity(s, '2025-01-01'::timestamptz, '2025-01-02')
FROM (VALUES (stage(1, 'a(b)')), (stage(2, ' edge')), (stage(3, 'say "hi"')), (stage(4, 'встреча'))) x(s);
SELECT stage_velocity(s, '2025-01-01'::timestamptz, '2025-01-02')::text::velocity::text
       = stage_velocity(s, '2025-01-01'::timestamptz, '2025-01-02')::text AS quoted_round_trip
FROM (VALUES (stage(1, 'a(b)')), (stage(2, ' edge')), (stage(3, 'say "hi"')), (stage(4, 'встреча'))) x(s);
SELECT '  v1   1:lead( 2 , 1 , 172800000000 , 86400000000 , 86400000000 ; 3872 : 2 )  2(0,4)'::velocity
  AS spaces_allowed;

-- extremes: durations up to centuries; counts and sums far beyond one row each
SELECT v, (velocity_steps(v)).max_days
FROM (SELECT stage_velocity('1'::stage, '0001-01-01', '9999-12-31') v) x;
SELECT v::text::velocity::text = v::text AS huge_round_trips, (velocity_steps(v)).visits
FROM (SELECT 'v1 1(9223372036854775806,1,85070591730234615838173535747377725442,9223372036854775807,9223372036854775807;7295:9223372036854775806)'::velocity v) x;

-- binary send/recv round trip through COPY
CREATE TABLE vel_bin (v velocity);
INSERT INTO vel_bin SELECT v FROM v1;
INSERT INTO vel_bin SELECT stage_velocity(s, '2025-01-01'::timestamptz, '2025-01-02') FROM (VALUES (stage(4, 'встреча'))) x(s);
INSERT INTO vel_bin VALUES ('v1');
SELECT current_setting('data_directory') || '/funnel_velocity_bin.copy' AS funnel_velocity_bin_file \gset
COPY vel_bin TO :'funnel_velocity_bin_file' WITH (FORMAT binary);
CREATE TABLE vel_bin2 (v velocity);
COPY vel_bin2 FROM :'funnel_velocity_bin_file' WITH (FORMAT binary);
SELECT (SELECT array_agg(v::text ORDER BY v::text) FROM vel_bin) = (SELECT array_agg(v::text ORDER BY v::text) FROM vel_bin2) AS binary_round_trip;
SELECT velocity_send('v1 2:встреча(1,0,5,5,5;5)');
DROP TABLE vel_bin, vel_bin2;
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
\set SHOW_CONTEXT never
SELECT pg_temp.recv_as('velocity', '\x0101020000000ed0b2d181d182d180d0b5d187d0b000000000000000010000000000000000000000000000000000000000000000050000000000000005000000000000000500000001000000050000000000000001'::bytea) AS good_binary;
SELECT pg_temp.recv_as('velocity', '\x0200'::bytea) AS unknown_version;
SELECT pg_temp.recv_as('velocity', '\x0101'::bytea) AS truncated;
SELECT pg_temp.recv_as('velocity', '\x0101000000000000000000000000000000000000000001'::bytea) AS position_zero;
SELECT pg_temp.recv_as('velocity', '\x01010100000001ff00000000000000000000000000000001'::bytea) AS bad_utf8;
SELECT pg_temp.recv_as('velocity', '\x0101010000000000000000000000000000000000000000'::bytea) AS no_visits;
SELECT pg_temp.recv_as('velocity', '\x0101010000000000000000000000010000000000000000000000000000000000000000000000050000000000000005000000000000000500000001000000060000000000000001'::bytea) AS min_outside_bucket;
SELECT pg_temp.recv_as('velocity', '\x010101000000000000000000000001000000000000000000000000000000000000000000000005000000000000000500000000000000057fffffff'::bytea) AS absurd_bucket_count;
SELECT pg_temp.recv_as('velocity', '\x0101010000000000000000000000010000000000000000000000000000000000000000000000050000000000000005000000000000000500000001000000050000000000000002'::bytea) AS counts_exceed_exits;
SELECT pg_temp.recv_as('velocity', '\x010101000000000000000000000001000000000000000000000000000000000000000000000005000000000000000500000000000000050000000100001c800000000000000001'::bytea) AS bucket_out_of_range;
\set SHOW_CONTEXT errors

-- bad input: 22P02 malformed, 22003 out of range, 22001 too long
\set VERBOSITY default
SELECT ''::velocity;
SELECT 'v2 1(0,1)'::velocity;
SELECT 'v11(0,1)'::velocity;
SELECT 'v1 1(1,0)'::velocity;
SELECT 'v1 1(0,1'::velocity;
SELECT 'v1 1(0,1) 1(0,1)'::velocity;
SELECT 'v1 2(0,1) 1(0,1)'::velocity;
SELECT 'v1 1(0,0)'::velocity;
SELECT 'v1 0(0,1)'::velocity;
SELECT 'v1 1(-1,1)'::velocity;
SELECT 'v1 1(0,99999999999999999999)'::velocity;
SELECT 'v1 1(1,0,5,5,5;5,5)'::velocity;
SELECT 'v1 1(2,0,10,5,5;5,5)'::velocity;
SELECT 'v1 1(1,0,5,5,5;7296)'::velocity;
SELECT 'v1 1(1,0,6,5,5;5)'::velocity;
SELECT 'v1 1(2,0,10,5,5;5:3)'::velocity;
SELECT 'v1 1(1,0,5,5,5;5) x'::velocity;
SELECT 'v1 1(1,9223372036854775807,5,5,5;5)'::velocity;
SELECT ('v1 "1:' || repeat('x', 256) || '"(0,1)')::velocity;
-- a stage visit that leaves before it enters: 22023
SELECT stage_velocity('1'::stage, '2025-01-02', '2025-01-01');
-- infinite times: 22008
SELECT stage_velocity('1'::stage, '-infinity', '2025-01-01');
SELECT stage_velocity('1'::stage, '2025-01-01', 'infinity');
SELECT stage_velocity('1'::stage, '-infinity', NULL);
-- a duration beyond 2^63 microseconds: 22008
SELECT stage_velocity('1'::stage, '4713-01-01 BC', '294276-12-31');
-- a quantile outside [0, 1]: 22003
SELECT time_in_stage(v, '1', 1.5) FROM v1;
SELECT velocity_quantile(v, '1', -0.1) FROM v1;
SELECT time_in_stage(v, '1', 'NaN') FROM v1;
-- overflowing counts when merging: 22003
SELECT 'v1 1(0,9223372036854775807)'::velocity + 'v1 1(0,1)'::velocity;
\set VERBOSITY terse
-- the SQLSTATEs
DO $$
DECLARE
  inputs text[] := ARRAY['', 'v1 1(0', 'v1 1(0,99999999999999999999)', 'v1 0(0,1)',
                         'v1 "1:' || repeat('y', 300) || '"(0,1)', 'v1 1(1,0,6,5,5;5)'];
  i text;
BEGIN
  FOREACH i IN ARRAY inputs LOOP
    BEGIN
      PERFORM i::velocity;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', left(i, 12), SQLSTATE;
    END;
  END LOOP;
END $$;
DO $$
DECLARE
  stmts text[] := ARRAY[
    $q$SELECT stage_velocity('1'::stage, '2025-01-02', '2025-01-01')$q$,
    $q$SELECT stage_velocity('1'::stage, 'infinity', NULL)$q$,
    $q$SELECT stage_velocity('1'::stage, '4713-01-01 BC', '294276-12-31')$q$,
    $q$SELECT time_in_stage('v1 1(1,0,5,5,5;5)', '1', 2)$q$,
    $q$SELECT 'v1 1(0,9223372036854775807)'::velocity + 'v1 1(0,1)'$q$];
  i text;
BEGIN
  FOREACH i IN ARRAY stmts LOOP
    BEGIN
      EXECUTE i;
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', i, SQLSTATE;
    END;
  END LOOP;
END $$;

-- corrupt stored values: every truncation and single-byte change of a
-- stored value (packed, and the working form an aggregate without the final
-- function would store) either reads as a consistent value or fails cleanly
-- with XX001; never a crash or another error.
CREATE FUNCTION pg_temp.raw_velocity(bytea, bytea) RETURNS velocity
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.raw_bytes(velocity, bytea) RETURNS bytea
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.v(b bytea) RETURNS velocity LANGUAGE sql IMMUTABLE AS $$SELECT pg_temp.raw_velocity(b, '')$$;
CREATE FUNCTION pg_temp.b(v velocity) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$SELECT pg_temp.raw_bytes(v, '')$$;
CREATE AGGREGATE pg_temp.velocity_state(stage, timestamptz, timestamptz) (
  SFUNC = velocity_trans, STYPE = velocity);
SELECT get_byte(pg_temp.b(v), 0) AS version, get_byte(pg_temp.b(v), 1) AS form, length(pg_temp.b(v)) AS bytes FROM v1;
SELECT get_byte(pg_temp.b(w), 0) AS version, get_byte(pg_temp.b(w), 1) AS form, length(pg_temp.b(w)) AS bytes,
       w::text = (SELECT v::text FROM v1) AS same_text, w::jsonb = (SELECT v::jsonb FROM v1) AS same_jsonb,
       velocity_final(w)::text = w::text AS final_packs, get_byte(pg_temp.b(velocity_final(w)), 1) AS final_form
FROM (SELECT pg_temp.velocity_state(s, entered_at, left_at) w FROM visits) x;
\set VERBOSITY default
SELECT pg_temp.v('\x0201')::text;
SELECT pg_temp.v('\x01')::text;
SELECT pg_temp.v('\x0100ff')::text;
SELECT pg_temp.v('\x0103')::text;
-- form 1, the working form of funnel 0.1's layout, is no longer read
SELECT pg_temp.v('\x0101'::bytea || decode(repeat('00', 1100), 'hex'))::text;
\set VERBOSITY terse
CREATE FUNCTION pg_temp.mutations(good bytea, step int) RETURNS TABLE (cases int, consistent int, clean_errors int, other_errors int)
LANGUAGE plpgsql AS $$
DECLARE
  candidate bytea;
  i int;
  m int;
BEGIN
  cases := 0; consistent := 0; clean_errors := 0; other_errors := 0;
  FOR i IN 0 .. length(good) - 1 LOOP
    FOR m IN 0 .. 4 LOOP
      IF m = 0 THEN
        candidate := substr(good, 1, i);
      ELSIF i % step <> 0 THEN
        CONTINUE;
      ELSE
        candidate := set_byte(good, i, (ARRAY[0, 1, 128, 255])[m] # CASE WHEN m = 1 THEN 0 ELSE get_byte(good, i) END);
      END IF;
      cases := cases + 1;
      BEGIN
        PERFORM pg_temp.v(candidate)::text, (SELECT count(*) FROM velocity_steps(pg_temp.v(candidate))),
                pg_temp.v(candidate) + pg_temp.v(candidate);
        consistent := consistent + 1;
      EXCEPTION WHEN data_corrupted THEN
        clean_errors := clean_errors + 1;
      WHEN others THEN
        other_errors := other_errors + 1;
        RAISE NOTICE 'byte %, change %: % %', i, m, SQLSTATE, SQLERRM;
      END;
    END LOOP;
  END LOOP;
  RETURN NEXT;
END $$;
SELECT 'packed' AS form, * FROM pg_temp.mutations((SELECT pg_temp.b(v) FROM v1), 1);
SELECT 'working' AS form, * FROM pg_temp.mutations(
  (SELECT pg_temp.b(pg_temp.velocity_state(s, entered_at, left_at)) FROM visits), 7);
DROP TABLE visits, v1;
-- the longest duration a velocity holds, 2^63 - 1 us, as an interval and in days
SELECT time_in_stage(v, '1', 1) AS longest_possible, time_in_stage(v, '1', 0) AS shortest,
       velocity_quantile(v, '1', 1) AS longest_days
FROM (VALUES ('v1 1(1,0,9223372036854775807,9223372036854775807,9223372036854775807;7295)'::velocity)) t(v);
-- the empty velocity 'v1' merges like any other value, alone or in an aggregate
SELECT 'v1'::velocity + 'v1'::velocity AS empty_plus_empty, 'v1'::velocity + 'v1 1(0,1)' AS empty_plus_one,
       NULL::velocity + 'v1' AS null_plus_empty, ('v1'::velocity)::jsonb AS empty_jsonb,
       (SELECT count(*) FROM velocity_steps('v1')) AS empty_steps;
SELECT stage_velocity(v ORDER BY n) FILTER (WHERE n < 3) AS only_empties,
       stage_velocity(v ORDER BY n) AS empties_then_one,
       stage_velocity(v ORDER BY n DESC) AS one_then_empties
FROM (VALUES (1, 'v1'::velocity), (2, 'v1'), (3, 'v1 2:meeting(0,1)')) t(n, v);
