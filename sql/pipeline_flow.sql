-- pipeline_flow and the flow type against plain SQL on random visits; forms, merges, errors.
--
-- pipeline_flow and the flow type: per stage, the visits at a period's
-- start, entered and exited in it, and at its end, compared with plain SQL
-- on random visits and periods of every kind of bound; the entered-only
-- form against visits made with lead(); merges, +, parallel plans, the
-- text, binary and jsonb forms, and errors.
SET timezone = 'UTC';
SET datestyle = 'ISO';
SELECT setseed(0.28);
CREATE TABLE pf_visits AS
SELECT d AS deal, (d % 7) AS seller, stage(p, 'stage ' || p) AS s,
       timestamptz '2025-12-15' + floor(random() * 105) * interval '1 day'
         + floor(random() * 3) * interval '8 hours' AS entered_at,
       random() AS r
FROM generate_series(1, 4000) d, generate_series(1, 6) p
WHERE random() < 0.6;
-- a third of the visits are still open; the rest last up to 40 days, some zero
ALTER TABLE pf_visits ADD left_at timestamptz;
UPDATE pf_visits SET left_at = entered_at + floor(r * 60 - 20) * interval '1 day' WHERE r > 0.33;
UPDATE pf_visits SET left_at = entered_at WHERE left_at < entered_at;
INSERT INTO pf_visits VALUES (1, 1, NULL, '2026-01-02', 0.5, NULL), (1, 1, '3:x', NULL, 0.5, NULL);
ANALYZE pf_visits;
SELECT count(*) FILTER (WHERE left_at IS NULL) > 1000 AS many_open,
       count(*) FILTER (WHERE left_at = entered_at) > 100 AS many_zero_length
FROM pf_visits;

CREATE TEMP TABLE pf_periods (name text, period tstzrange);
INSERT INTO pf_periods VALUES
  ('january [)', tstzrange('2026-01-01', '2026-02-01')),
  ('february (]', tstzrange('2026-02-01', '2026-03-01', '(]')),
  ('one day []', tstzrange('2026-02-10', '2026-02-11', '[]')),
  ('a moment []', tstzrange('2026-02-10', '2026-02-10', '[]')),
  ('eight hours ()', tstzrange('2026-02-10', '2026-02-10 08:00', '()')),
  ('since march', tstzrange('2026-03-01', NULL)),
  ('until march', tstzrange(NULL, '2026-03-01')),
  ('everything', tstzrange(NULL, NULL)),
  ('to infinity', tstzrange('2026-03-15', 'infinity', '[]'));

-- plain SQL, by the definitions: a moment is before the period, inside it
-- or after it (as a one-moment range is << it, contained, or >> it), and an
-- open visit is after every period.  With [) bounds this is exactly
-- at_start: entered_at < lower and (left_at NULL or >= lower); entered:
-- lower <= entered_at < upper; exited: lower <= left_at < upper; at_end:
-- entered_at < upper and (left_at NULL or >= upper).
CREATE TEMP TABLE pf_expected AS
SELECT p.name, stage_position(v.s) AS position, stage_name(v.s) AS stage,
       count(*) FILTER (WHERE tstzrange(entered_at, entered_at, '[]') << p.period
                          AND (left_at IS NULL OR NOT tstzrange(left_at, left_at, '[]') << p.period)) AS at_start,
       count(*) FILTER (WHERE p.period @> entered_at) AS entered,
       count(*) FILTER (WHERE p.period @> left_at) AS exited,
       count(*) FILTER (WHERE NOT tstzrange(entered_at, entered_at, '[]') >> p.period
                          AND (left_at IS NULL OR tstzrange(left_at, left_at, '[]') >> p.period)) AS at_end
FROM pf_periods p CROSS JOIN pf_visits v
WHERE v.s IS NOT NULL AND v.entered_at IS NOT NULL
GROUP BY 1, 2, 3;
CREATE TEMP TABLE pf_got AS
SELECT name, (flow_steps(f)).* FROM (
  SELECT p.name, pipeline_flow(v.s, v.entered_at, v.left_at, p.period) AS f
  FROM pf_periods p CROSS JOIN pf_visits v GROUP BY p.name) x;
SELECT name, count(*) AS stages,
       count(*) FILTER (WHERE (g.at_start, g.entered, g.exited, g.at_end)
                              IS DISTINCT FROM (e.at_start, e.entered, e.exited, e.at_end)) AS differ,
       count(*) FILTER (WHERE g.at_start + g.entered - g.exited <> g.at_end) AS unbalanced,
       sum(g.entered) > 0 AS some_entered, sum(g.exited) > 0 AS some_exited,
       sum(g.at_start) > 0 AS some_at_start, sum(g.at_end) > 0 AS some_at_end
FROM pf_got g FULL JOIN pf_expected e USING (name, position, stage)
GROUP BY name ORDER BY name;
-- the [) case by the literal definitions too
SELECT count(*) AS stages,
       count(*) FILTER (WHERE (g.at_start, g.entered, g.exited, g.at_end) IS DISTINCT FROM (e.a, e.b, e.c, e.d)) AS differ
FROM pf_got g JOIN (
  SELECT stage_position(s) AS position, count(*) FILTER (WHERE entered_at < '2026-01-01' AND (left_at IS NULL OR left_at >= '2026-01-01')) AS a,
         count(*) FILTER (WHERE entered_at >= '2026-01-01' AND entered_at < '2026-02-01') AS b,
         count(*) FILTER (WHERE left_at >= '2026-01-01' AND left_at < '2026-02-01') AS c,
         count(*) FILTER (WHERE entered_at < '2026-02-01' AND (left_at IS NULL OR left_at >= '2026-02-01')) AS d
  FROM pf_visits WHERE s IS NOT NULL AND entered_at IS NOT NULL GROUP BY 1) e USING (position)
WHERE g.name = 'january [)';

-- the entered-only form: a visit lasts until the deal's next entry (ties
-- by position, the lower first), as lead() over the history gives
CREATE TEMP TABLE pf_history AS
SELECT deal, s, entered_at FROM pf_visits WHERE s IS NOT NULL AND entered_at IS NOT NULL;
INSERT INTO pf_history VALUES (NULL, '1:a', '2026-01-02'), (5, NULL, '2026-01-02'), (5, '2', NULL);
CREATE TEMP TABLE pf_from_lead AS
SELECT s, entered_at, lead(entered_at) OVER (PARTITION BY deal ORDER BY entered_at, stage_position(s)) AS left_at
FROM pf_history WHERE deal IS NOT NULL AND s IS NOT NULL AND entered_at IS NOT NULL;
SELECT p.name,
       (SELECT pipeline_flow(deal, s, entered_at, p.period)::text FROM pf_history) =
       (SELECT pipeline_flow(s, entered_at, left_at, p.period)::text FROM pf_from_lead) AS same_as_lead
FROM pf_periods p ORDER BY p.name;
-- at one moment the lower stage's visit lasts zero
SELECT pipeline_flow(deal, s, entered_at, tstzrange('2026-01-01', '2026-01-03'))
FROM (VALUES (1, '2:b'::stage, timestamptz '2026-01-02'), (1, '1:a', '2026-01-02'),
             (1, '3:c', '2025-12-01'), (2, '1:a', '2026-01-05')) v(deal, s, entered_at);

-- merging: per seller and month, then added up, is the flow of all rows
SELECT (SELECT pipeline_flow(f)::text FROM (
          SELECT seller, pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01')) AS f
          FROM pf_visits GROUP BY seller) per_seller) =
       (SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01'))::text FROM pf_visits)
       AS merge_is_exact,
       (SELECT (a.f + b.f)::text FROM
          (SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01')) f FROM pf_visits WHERE seller < 3) a,
          (SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01')) f FROM pf_visits WHERE seller >= 3) b) =
       (SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01'))::text FROM pf_visits)
       AS plus_is_exact;
SELECT NULL::flow + 'v1 [2026-01-01,2026-02-01) 1(0,1,0,1)' AS null_plus_f,
       'v1 [2026-01-01,2026-02-01) 1(0,1,0,1)'::flow + NULL AS f_plus_null,
       NULL::flow + NULL AS both_null;
SELECT pipeline_flow(f) FROM (VALUES (NULL::flow), ('v1 [2026-01-01,2026-02-01) 2:b(1,0,1,0)'), (NULL)) v(f);
SELECT pipeline_flow(f) FROM (VALUES (NULL::flow)) v(f);

-- a waterfall per seller: one query (the counts depend on random(), which
-- differs across PostgreSQL versions: only their shape is shown)
SELECT count(*) AS stages, bool_and(at_start + entered - exited = at_end) AS balanced,
       bool_and(at_start > 0 AND entered > 0 AND exited > 0) AS all_moving
FROM (SELECT seller, (flow_steps(pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01')))).*
      FROM pf_visits WHERE seller = 2 GROUP BY seller) x;

-- parallel plans give the same answers
CREATE TEMP TABLE pf_serial AS
SELECT seller, pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01'))::text AS f,
       pipeline_flow(deal, s, entered_at, tstzrange('2026-02-01', '2026-03-01'))::text AS h
FROM pf_visits GROUP BY seller;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01')) FROM pf_visits;
SELECT pipeline_flow(s, entered_at, left_at, tstzrange('2026-02-01', '2026-03-01'))::text =
       (SELECT pipeline_flow(f::flow)::text FROM pf_serial) AS parallel_same
FROM pf_visits;
EXPLAIN (COSTS OFF) SELECT pipeline_flow(deal, s, entered_at, tstzrange('2026-02-01', '2026-03-01')) FROM pf_visits;
-- the entered-only form needs each deal's entries together: per seller it is exact
SET enable_hashagg = off;
SELECT count(*) AS sellers, count(*) FILTER (WHERE p.h IS DISTINCT FROM q.h) AS differ
FROM (SELECT seller, pipeline_flow(deal, s, entered_at, tstzrange('2026-02-01', '2026-03-01'))::text AS h
      FROM pf_visits GROUP BY seller) p JOIN pf_serial q USING (seller);
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- equality and hashing: = agrees with the text forms, equal flows hash
-- alike; stored (short-header) values equal computed ones; hash
-- aggregation, DISTINCT and hash joins group them
CREATE TEMP TABLE pf_by AS
SELECT seller % 3 AS grp, seller, p.name, pipeline_flow(s, entered_at, left_at, p.period) AS f
FROM pf_visits, pf_periods p GROUP BY seller, p.name;
INSERT INTO pf_by SELECT 9, 9, name, f + f FROM pf_by WHERE seller = 1;
INSERT INTO pf_by SELECT 9, 10, name, f FROM pf_by WHERE seller = 9;
INSERT INTO pf_by SELECT 9, 11, name, f FROM pf_by WHERE seller = 2;
SELECT count(*) FILTER (WHERE (a.f = b.f) IS DISTINCT FROM (a.f::text = b.f::text)
                          OR (a.f <> b.f) IS DISTINCT FROM (a.f::text <> b.f::text)
                          OR (a.f = b.f AND flow_hash(a.f) <> flow_hash(b.f))
                          OR (a.f = b.f AND flow_hash_extended(a.f, 7) <> flow_hash_extended(b.f, 7)))
         AS eq_mismatches,
       count(*) FILTER (WHERE a.f = b.f AND a.seller <> b.seller) > 0 AS has_equal_pairs,
       count(*) FILTER (WHERE a.f <> b.f AND a.name = b.name) > 0 AS has_unequal_pairs
FROM pf_by a JOIN pf_by b ON a.grp = b.grp;
SELECT count(*) FILTER (WHERE NOT (c.f = t.f AND flow_hash(c.f) = flow_hash(t.f))) AS stored_mismatches,
       count(*) AS compared
FROM pf_by t JOIN (SELECT seller, p.name, pipeline_flow(s, entered_at, left_at, p.period) AS f
                   FROM pf_visits, pf_periods p GROUP BY seller, p.name) c USING (seller, name);
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT f, count(*) FROM pf_by GROUP BY f;
-- (random() differs across PostgreSQL versions: the counts are compared, not shown)
WITH n AS (SELECT (SELECT count(*) FROM (SELECT f FROM pf_by GROUP BY f) g) AS hash_groups,
                  (SELECT count(DISTINCT f::text) FROM pf_by) AS text_groups,
                  (SELECT count(*) FROM (SELECT DISTINCT f FROM pf_by) d) AS distinct_flows,
                  (SELECT count(*) FROM (SELECT f FROM pf_by UNION SELECT f FROM pf_by) u) AS union_flows,
                  (SELECT count(*) FROM pf_by) AS flows)
SELECT hash_groups = text_groups AS hash_groups_right, distinct_flows = text_groups AS distinct_right,
       union_flows = text_groups AS union_right, text_groups < flows AS has_duplicates
FROM n;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pf_by a JOIN pf_by b ON a.f = b.f;
SELECT (SELECT count(*) FROM pf_by a JOIN pf_by b ON a.f = b.f) =
       (SELECT count(*) FROM pf_by a JOIN pf_by b ON a.f::text = b.f::text) AS hash_join_right;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT 'v1 [2026-01-01,2026-02-01) 1(0,1,0,1)'::flow = 'v1 [2026-01-01,2026-02-01] 1(0,1,0,1)' AS other_bounds_equal,
       'v1 [2026-01-01,2026-02-01) 1:a(0,1,0,1)'::flow = 'v1 [2026-01-01,2026-02-01) 1:b(0,1,0,1)' AS other_names_equal,
       'v1 [2026-01-01,2026-02-01) 1(0,0,0,0)'::flow = 'v1 [2026-01-01,2026-02-01)' AS zero_stage_equals_none,
       NULL::flow = 'v1 [2026-01-01,2026-02-01)' IS NULL AS null_eq, flow_hash(NULL) IS NULL AS null_hash;
-- corrupt values are errors, not answers
CREATE FUNCTION pg_temp.raw_flow(bytea, bytea) RETURNS flow
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
\set VERBOSITY terse
SELECT 'v1 [2026-01-01,2026-02-01)'::flow = pg_temp.raw_flow('\x02', '');
SELECT flow_hash(pg_temp.raw_flow('\x01040000000000000000000000000000000000', ''));
\set VERBOSITY default
DROP TABLE pf_visits, pf_by;

-- the text form: round trip, quoting, unbounded and inclusive bounds
SELECT f::text, f::text::flow::text = f::text AS round_trip
FROM (VALUES ('v1 [2026-01-01,2026-02-01) 1:lead(4,7,6,5) 2:meet(0,3,1,2)'::flow),
             ('v1 (,"2026-03-01 12:00:00.123456+00"] 3(1,0,0,1)'),
             ('v1 [2026-01-01,) "7:a (b)"(0,1,0,1) "9:\"x\""(2,0,2,0)'),
             ('v1 [-infinity,infinity]'),
             (' v1   (2026-01-01 , 2026-01-02)   1 ( 0 , 1 , 1 , 0 ) ')) v(f);
SET timezone = 'America/New_York';
SELECT 'v1 [2026-01-01 00:00+00,2026-02-01 00:00+00) 1(0,1,0,1)'::flow AS shown_in_session_zone;
SELECT 'v1 [2026-01-01 00:00+00,2026-02-01 00:00+00) 1(0,1,0,1)'::flow::text::flow::text =
       'v1 [2026-01-01 00:00+00,2026-02-01 00:00+00) 1(0,1,0,1)'::flow::text AS round_trip_in_zone;
SET timezone = 'UTC';
-- the jsonb form
SELECT 'v1 [2026-01-01,2026-02-01) 1:lead(4,7,6,5) 2(0,3,1,2)'::flow::jsonb;
SELECT jsonb_array_length('v1 [2026-01-01,2026-02-01)'::flow::jsonb) AS no_stages,
       (SELECT count(*) FROM flow_steps('v1 [2026-01-01,2026-02-01)')) AS no_steps;

-- binary send/recv round trip through COPY
CREATE TABLE pf_bin (f flow);
INSERT INTO pf_bin VALUES ('v1 [2026-01-01,2026-02-01) 1:lead(4,7,6,5) 2:встреча(0,3,1,2)'),
  ('v1 (,2026-01-01]'), ('v1 [2026-01-01,) 255(9223372036854775807,0,0,9223372036854775807)');
SELECT current_setting('data_directory') || '/funnel_flow_bin.copy' AS funnel_flow_bin_file \gset
COPY pf_bin TO :'funnel_flow_bin_file' WITH (FORMAT binary);
CREATE TABLE pf_bin2 (f flow);
COPY pf_bin2 FROM :'funnel_flow_bin_file' WITH (FORMAT binary);
SELECT (SELECT array_agg(f::text ORDER BY f::text) FROM pf_bin) = (SELECT array_agg(f::text ORDER BY f::text) FROM pf_bin2) AS binary_round_trip;
SELECT flow_send('v1 [2026-01-01,2026-02-01) 2:b(1,0,1,0)');
DROP TABLE pf_bin, pf_bin2;
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
\set SHOW_CONTEXT never
SELECT pg_temp.recv_as('flow', '\x01040000000000000000000000141dd7600001020000000162000000000000000100000000000000000000000000000000'::bytea) AS good_binary;
SELECT pg_temp.recv_as('flow', '\x02'::bytea) AS unknown_version;
SELECT pg_temp.recv_as('flow', '\x01040000000000000000000000141dd7600001020000000162'::bytea) AS truncated;
SELECT pg_temp.recv_as('flow', '\x01040000000000000000000000000000000000'::bytea) AS empty_period;
SELECT pg_temp.recv_as('flow', '\x01050000000000000000000000141dd7600000'::bytea) AS unbounded_inclusive;
SELECT pg_temp.recv_as('flow', '\x01040000000000000000000000141dd7600001020000000162000000000000000000000000000000000000000000000001'::bytea) AS exits_more_than_it_had;
SELECT pg_temp.recv_as('flow', '\x01040000000000000000000000141dd7600002020000000162000000000000000000000000000000000000000000000000020000000162000000000000000000000000000000000000000000000000'::bytea) AS position_twice;
\set SHOW_CONTEXT errors

-- the state's text form round-trips, and bad ones are refused
CREATE AGGREGATE pg_temp.pf_partial(stage, timestamptz, timestamptz, tstzrange) (SFUNC = pipeline_flow_trans, STYPE = pipeline_flow_state);
CREATE AGGREGATE pg_temp.pf_combined(pipeline_flow_state) (SFUNC = pipeline_flow_combine, STYPE = pipeline_flow_state, FINALFUNC = pipeline_flow_final);
CREATE AGGREGATE pg_temp.pfh_partial(bigint, stage, timestamptz, tstzrange) (SFUNC = pipeline_flow_history_trans, STYPE = pipeline_flow_history);
CREATE AGGREGATE pg_temp.pfh_combined(pipeline_flow_history) (SFUNC = pipeline_flow_history_combine, STYPE = pipeline_flow_history, FINALFUNC = pipeline_flow_history_final);
WITH p AS (SELECT pg_temp.pf_partial(s, e, l, tstzrange('2026-01-01', '2026-02-01')) AS st
           FROM (VALUES ('2:b'::stage, timestamptz '2025-12-03', timestamptz '2026-01-04'), ('4:dé', '2026-01-04', NULL)) v(s, e, l))
SELECT st::text, st::text::pipeline_flow_state::text = st::text AS round_trip,
       (SELECT pg_temp.pf_combined(x) FROM (VALUES (st), (st::text::pipeline_flow_state)) v(x)) AS combined
FROM p;
WITH p AS (SELECT pg_temp.pfh_partial(d, s, e, tstzrange('2026-01-01', '2026-02-01')) AS st
           FROM (VALUES (7, '2:b'::stage, timestamptz '2025-12-03'), (7, '4:dé', '2026-01-04')) v(d, s, e))
SELECT st::text, st::text::pipeline_flow_history::text = st::text AS round_trip,
       (SELECT pg_temp.pfh_combined(x) FROM (VALUES (st), (st::text::pipeline_flow_history)) v(x)) AS combined
FROM p;
SELECT '\x02'::pipeline_flow_state;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x01000000000000000000000000000000000000'::pipeline_flow_state;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x010000000000000000000000000000000000000000000000000000'::pipeline_flow_history;
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow_history_final(NULL);
\echo :LAST_ERROR_SQLSTATE

-- bad input: 22P02 malformed, 22003 out of range
\set VERBOSITY default
SELECT ''::flow;
SELECT 'v2 [2026-01-01,2026-02-01)'::flow;
SELECT 'v1'::flow;
SELECT 'v1 empty'::flow;
SELECT 'v1 [2026-01-01,2026-01-01)'::flow;
SELECT 'v1 [2026-02-01,2026-01-01)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01'::flow;
SELECT 'v1 [2026-01-01,someday)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(1,2,3)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(1,2,3,1)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(1,2,4,-1)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(-1,2,1,0)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(0,1,0,1) 1(0,1,0,1)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 0(0,1,0,1)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 256(0,1,0,1)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(9223372036854775807,1,0,0)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(99999999999999999999,1,0,0)'::flow;
SELECT 'v1 [2026-01-01,2026-02-01) 1(0,1,0,1) x'::flow;

-- errors of the aggregates
SELECT pipeline_flow(s, e, NULL, p) FROM (VALUES ('1:a'::stage, timestamptz '2026-01-01', tstzrange('2026-01-01', '2026-02-01')),
                                                 ('1:a', '2026-01-01', tstzrange('2026-01-01', '2026-03-01'))) v(s, e, p);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(s, e, NULL, NULL) FROM (VALUES ('1:a'::stage, timestamptz '2026-01-01')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(s, e, NULL, 'empty') FROM (VALUES ('1:a'::stage, timestamptz '2026-01-01')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(1, s, e, 'empty') FROM (VALUES ('1:a'::stage, timestamptz '2026-01-01')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(d, s, e, p) FROM (VALUES (1, '1:a'::stage, timestamptz '2026-01-01', tstzrange('2026-01-01', '2026-02-01')),
                                              (2, '1:a', '2026-01-01', tstzrange('2026-01-01', '2026-03-01'))) v(d, s, e, p);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(s, e, l, tstzrange('2026-01-01', '2026-02-01'))
FROM (VALUES ('1:a'::stage, timestamptz '2026-01-05', timestamptz '2026-01-04')) v(s, e, l);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(1, s, e, tstzrange('2026-01-01', '2026-02-01')) FROM (VALUES ('1:a'::stage, timestamptz 'infinity')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pipeline_flow(s, e, l, tstzrange('2026-01-01', '2026-02-01'))
FROM (VALUES ('1:a'::stage, timestamptz '-infinity', timestamptz '2026-01-04')) v(s, e, l);
\echo :LAST_ERROR_SQLSTATE
SELECT 'v1 [2026-01-01,2026-02-01) 1(0,1,0,1)'::flow + 'v1 [2026-01-01,2026-02-02) 1(0,1,0,1)';
\echo :LAST_ERROR_SQLSTATE
SELECT 'v1 [2026-01-01,2026-02-01) 1(9223372036854775807,0,0,9223372036854775807)'::flow + 'v1 [2026-01-01,2026-02-01) 1(1,0,0,1)';
\echo :LAST_ERROR_SQLSTATE
SELECT 'v1 [2026-01-01,2026-02-01) 1(9223372036854775000,0,0,9223372036854775000)'::flow + 'v1 [2026-01-01,2026-02-01) 1(0,1000,0,1000)';
\echo :LAST_ERROR_SQLSTATE
-- a state given as text that starts at the limit: the next visit is an
-- error, not a wrapped count
CREATE AGGREGATE pg_temp.pf_merge_partial(flow) (SFUNC = pipeline_flow_merge_trans, STYPE = pipeline_flow_state);
SELECT pg_temp.pf_merge_partial(f) AS full_state
FROM (VALUES ('v1 [2026-01-01,) 1(9223372036854775806,1,0,9223372036854775807)'::flow)) v(f) \gset
SELECT format('CREATE AGGREGATE pg_temp.pf_from_full(stage, timestamptz, timestamptz, tstzrange) (SFUNC = pipeline_flow_trans, STYPE = pipeline_flow_state, FINALFUNC = pipeline_flow_final, INITCOND = %L)', :'full_state') \gexec
SELECT pg_temp.pf_from_full(s, e, NULL, tstzrange('2026-01-01', NULL)) FROM (VALUES ('1:a'::stage, timestamptz '2026-01-02')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.pf_from_full(s, e, NULL, tstzrange('2026-01-01', NULL)) FROM (VALUES ('1:a'::stage, timestamptz '2025-12-02')) v(s, e);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.pf_from_full(s, e, NULL, tstzrange('2026-01-01', NULL)) FROM (VALUES ('2:b'::stage, timestamptz '2026-01-02')) v(s, e);
-- a period bound outside timestamptz's range is refused in every form
\set SHOW_CONTEXT never
SELECT pg_temp.recv_as('flow', '\x01067fffffffffffff00000000000000000000'::bytea) AS bound_out_of_range;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x01067fffffffffffff00000000000000000000'::pipeline_flow_state;
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.raw_flow('\x01067fffffffffffff00000000000000000000', '')::text;
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.recv_as('flow', '\x01068000000000000000000000000000000000'::bytea) AS lower_infinity_accepted;
\set SHOW_CONTEXT errors
-- and so is a stage entry's time in the entered-only state
SELECT decode(substr(pg_temp.pfh_partial(1, '1:a', '2026-01-05', tstzrange('2026-01-01', '2026-02-01'))::text, 3), 'hex') AS history_bytes \gset
SELECT (SELECT pg_temp.pfh_combined(x) FROM (VALUES (('\x' || encode(:'history_bytes'::bytea, 'hex'))::pipeline_flow_history)) v(x))::text
         AS entry_in_range;
-- (those bytes are the entry's time: 2000-01-01 there is before the period)
SELECT (SELECT pg_temp.pfh_combined(x) FROM (VALUES (('\x' || encode(overlay(:'history_bytes'::bytea PLACING '\x0000000000000000'::bytea FROM 35 FOR 8), 'hex'))::pipeline_flow_history)) v(x))::text
         AS entry_moved_to_2000;
SELECT ('\x' || encode(overlay(:'history_bytes'::bytea PLACING '\x7fffffffffffff00'::bytea FROM 35 FOR 8), 'hex'))::pipeline_flow_history;
\echo :LAST_ERROR_SQLSTATE
-- a name only for a position with entries (issue 27, F2), one name a position
SELECT ('\x' || encode(overlay(:'history_bytes'::bytea PLACING '\x02'::bytea FROM 44 FOR 1), 'hex'))::pipeline_flow_history;
\echo :LAST_ERROR_SQLSTATE
SELECT ('\x' || encode(substr(:'history_bytes'::bytea, 1, 46) || '\x01016200'::bytea, 'hex'))::pipeline_flow_history;
\echo :LAST_ERROR_SQLSTATE
