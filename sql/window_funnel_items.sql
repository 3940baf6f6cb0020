-- The funnel items (exclude, optional, step within, any_order) on small hand-derived cases.
--
-- The funnel items of the window_funnel mode: exclude, optional, step
-- within and any_order, by small cases whose level follows from the
-- definition by chains (docs/reference/window_funnel.md), on both axes and
-- in both forms; window_funnel_items_random compares them with a slow
-- reference on random groups.
SET timezone = 'UTC';
CREATE TEMP TABLE ev (g int, ts bigint, e text);
-- 1: a x b c   2: a c   3: a b(late) c   4: a b x c   5: a a b b c
INSERT INTO ev VALUES
  (1, 1, 'a'), (1, 2, 'x'), (1, 3, 'b'), (1, 4, 'c'),
  (2, 1, 'a'), (2, 3, 'c'),
  (3, 1, 'a'), (3, 5, 'b'), (3, 6, 'c'),
  (4, 1, 'a'), (4, 2, 'b'), (4, 3, 'x'), (4, 4, 'c'),
  (5, 1, 'a'), (5, 2, 'a'), (5, 4, 'b'), (5, 5, 'b'), (5, 6, 'c');

-- exclude: x between a and c cuts 1 and 4 at x; between b and c only 4
SELECT g,
       window_funnel(10, ts, e = 'a', e = 'b', e = 'c') AS plain,
       window_funnel(10, 'exclude 4', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS excl,
       window_funnel_times(10, 'exclude 4', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS excl_times,
       window_funnel(10, 'exclude 4 between 2 and 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS excl_23,
       window_funnel(10, 'exclude 4 between 1 and 2', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS excl_12
FROM ev GROUP BY g ORDER BY g;

-- an exclusion at the time of step J does not cut (x < ts(J) is strict), one at step I's time neither
SELECT window_funnel(10, 'exclude 3', ts, e = 'a', e = 'b', e = 'x') AS at_j,
       window_funnel(10, 'exclude 3', ts, e = 'a', e = 'b', e2 = 'x') AS at_i
FROM (VALUES (1::bigint, 'a', 'x'), (2, 'b', NULL), (2, 'x', NULL)) v(ts, e, e2);

-- a later chain escapes an exclusion that cut an earlier one
SELECT window_funnel(10, 'exclude 3', ts, e = 'a', e = 'b', e = 'x'),
       window_funnel_times(10, 'exclude 3', ts, e = 'a', e = 'b', e = 'x')
FROM (VALUES (1::bigint, 'a'), (2, 'x'), (3, 'a'), (4, 'b')) v(ts, e);

-- optional: 2 skips b; times hold NULL at the skipped step; a chain through b is reported when it reaches as far
SELECT g,
       window_funnel(10, 'optional 2', ts, e = 'a', e = 'b', e = 'c') AS opt,
       window_funnel_times(10, 'optional 2', ts, e = 'a', e = 'b', e = 'c') AS opt_times
FROM ev GROUP BY g ORDER BY g;
-- two optional steps in a row, and the level of a chain ending at an optional step
SELECT window_funnel(10, 'optional 2, optional 3', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS both_skipped,
       window_funnel_times(10, 'optional 2, optional 3', ts, e = 'a', e = 'b', e = 'c', e = 'd') AS times,
       window_funnel(10, 'optional 2', ts, e = 'a', e = 'b', e = 'z') AS ends_at_optional
FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'd')) v(ts, e);
-- the chain reported is the one completed first, and of those the one that
-- started latest (issue 27, F3): a(1) b(3) c(7), a(1) c(7), a(3) b(3) c(7),
-- a(3) c(7) and a(7) c(7) all complete at 7, the last starts latest; its
-- values are its rows' (ids 3 and 4)
SELECT window_funnel_times(6::bigint, 'optional 2', ts, c1, c2, c3),
       window_funnel_values(6::bigint, 'optional 2', ts, id, c1, c2, c3)
FROM (VALUES (1, 1::bigint, true, false, false), (2, 3, true, true, false),
             (3, 7, true, false, false), (4, 7, false, false, true)) v(id, ts, c1, c2, c3);
-- a(4) c(5) starts later, but a(1) c(3) completes first
SELECT window_funnel_times(5, 'optional 2', ts, e = 'a', e = 'b', e = 'c')
FROM (VALUES (1::bigint, 'a'), (3, 'c'), (4, 'a'), (5, 'c')) v(ts, e);

-- step within: b at most 2 after a; 3 and 5 (a at 1, b at 4 or 5) fail it, 5's second a at 2 passes it
SELECT g,
       window_funnel(10, 'step 2 within 2', ts, e = 'a', e = 'b', e = 'c') AS within_2,
       window_funnel_times(10, 'step 2 within 2', ts, e = 'a', e = 'b', e = 'c') AS times,
       window_funnel(10, 'step 3 within 1', ts, e = 'a', e = 'b', e = 'c') AS step3_within_1
FROM ev GROUP BY g ORDER BY g;
-- within counts from the chain's previous step, past a skipped optional one
SELECT window_funnel(100, 'optional 2, step 3 within 2', ts, e = 'a', e = 'b', e = 'c') AS from_a_too_late,
       window_funnel(100, 'optional 2, step 3 within 3', ts, e = 'a', e = 'b', e = 'c') AS from_a,
       window_funnel_times(100, 'optional 2, step 3 within 3', ts, e = 'a', e = 'b', e = 'c') AS times
FROM (VALUES (1::bigint, 'a'), (4, 'c')) v(ts, e);
-- the window from step 1 still holds
SELECT window_funnel(3, 'step 2 within 100', ts, e = 'a', e = 'b', e = 'c')
FROM (VALUES (1::bigint, 'a'), (2, 'b'), (5, 'c')) v(ts, e);

-- strict_increase: one row cannot serve two steps; without it, it can
SELECT window_funnel(10, 'optional 2', ts, true, true, true) AS one_row,
       window_funnel(10, 'optional 2, strict_increase', ts, true, true, true) AS strict,
       window_funnel(10, 'optional 2, strict_increase', ts, e = 'a', e = 'b', e = 'c') AS strict_equal_times
FROM (VALUES (1::bigint, 'a')) v(ts, e), LATERAL (VALUES (1)) w(x);
SELECT window_funnel(10, 'exclude 4, strict_increase', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS strict_rows
FROM (VALUES (1::bigint, 'a'), (2, 'b'), (2, 'c'), (3, 'c')) v(ts, e);

-- any_order: distinct steps in a window from a matching row
SELECT g,
       window_funnel(10, 'any_order', ts, e = 'c', e = 'b', e = 'a') AS any_order,
       window_funnel_times(10, 'any_order', ts, e = 'c', e = 'b', e = 'a') AS times,
       window_funnel(2, 'any_order', ts, e = 'c', e = 'b', e = 'a') AS window_2
FROM ev GROUP BY g ORDER BY g;

-- the interval axis: W is interval text
SELECT window_funnel(interval '30 days', 'step 2 within 14 days', ts, e = 'proposal', e = 'contract') AS in_14_days,
       window_funnel(interval '30 days', 'step 2 within 1 week', ts, e = 'proposal', e = 'contract') AS in_1_week,
       window_funnel_times(interval '30 days', 'step 2 within 14 days', ts, e = 'proposal', e = 'contract') AS times
FROM (VALUES (timestamptz '2026-03-01', 'proposal'), ('2026-03-11', 'contract')) v(ts, e);

-- the event-name form: the exclusion names come after the steps
SELECT g,
       window_funnel(10, 'exclude 4 between 2 and 3', ts, e, ARRAY['a', 'b', 'c', 'x']) AS names,
       window_funnel(10, 'exclude 4 between 2 and 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS conditions,
       window_funnel_times(10, 'optional 2', ts, e, ARRAY['a', 'b', 'c']) AS opt_times
FROM ev GROUP BY g ORDER BY g;
SELECT window_funnel(interval '1 day', 'any_order', ts, e, ARRAY['b', 'a'])
FROM (VALUES (timestamptz '2026-03-01 10:00', 'b'), ('2026-03-01 12:00', 'a')) v(ts, e);

-- items combine, in any order of the mode text, case and blanks aside
SELECT window_funnel(10, 'Exclude 4  Between 1 And 3 , optional 2,step 3 within 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS combined,
       window_funnel(10, 'step 3 within 3, optional 2, exclude 4 between 1 and 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS reordered
FROM ev WHERE g = 2;

-- a state with items survives its text form, and combines in a parallel plan
SELECT setseed(0.17);
CREATE TABLE wf_items_many AS
SELECT i / 8 AS g, floor(random() * 12)::bigint AS ts,
       (ARRAY['a', 'b', 'c', 'x', 'y', 'z'])[1 + floor(random() * 6)::int] AS e
FROM generate_series(1, 80000) i;
ANALYZE wf_items_many;
CREATE TEMP TABLE serial AS
SELECT g, window_funnel_times(5, 'exclude 4 between 2 and 3, optional 2, step 3 within 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS t
FROM wf_items_many GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT g, window_funnel_times(5, 'exclude 4 between 2 and 3, optional 2, step 3 within 3', ts, e = 'a', e = 'b', e = 'c', e = 'x')
FROM wf_items_many GROUP BY g;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.t IS DISTINCT FROM p.t) AS differ,
       count(*) FILTER (WHERE cardinality(s.t) = 3) AS reached_3,
       count(*) FILTER (WHERE s.t[2] IS NULL AND cardinality(s.t) = 3) AS skipped_2
FROM serial s JOIN (
  SELECT g, window_funnel_times(5, 'exclude 4 between 2 and 3, optional 2, step 3 within 3', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS t
  FROM wf_items_many GROUP BY g) p USING (g);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
DROP TABLE wf_items_many;
\i test/include/fixture_split_aggregates.sql
WITH s AS (
  SELECT wf_partial(interval '10 s', 'exclude 4 between 1 and 3, optional 2', t, e = 'a', e = 'b', e = 'c', e = 'x') AS s,
         window_funnel_times(interval '10 s', 'exclude 4 between 1 and 3, optional 2', t, e = 'a', e = 'b', e = 'c', e = 'x') AS times
  FROM (SELECT to_timestamp(ts) AS t, e FROM ev WHERE g IN (2, 4)) x)
SELECT times, (SELECT wf_times_combined(v) FROM (VALUES (s::text::window_funnel_state)) v(v)) AS times_after_text,
       s::text::window_funnel_state::text = s::text AS text_round_trip,
       window_funnel_state_send(s) = window_funnel_state_send(s::text::window_funnel_state) AS same_bytes
FROM s;
\i test/include/fixture_split_aggregates_drop.sql

-- the errors: 22023 with the grammar in the hint
\set VERBOSITY default
SELECT window_funnel(10, 'exclude 2', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 5', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 3, exclude 3', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 4 between 3 and 2', 1::bigint, true, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 4 between 2 and 4', 1::bigint, true, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 2', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'optional 1', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'optional 3', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'optional 2, exclude 4, optional 3', 1::bigint, true, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 1 within 5', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 3 within 5', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 2 within -1', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 2 within 1 day', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(interval '1 day', 'step 2 within -1 hour', now(), true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(interval '1 day', 'step 2 within soon', now(), true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 2 within 1, step 2 within 2', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'optional 2, strict_order', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'strict_deduplication, exclude 3', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 2 within 1, strict_once', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'any_order, optional 2', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'any_order, strict_increase', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 3 between 1', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'optional two', 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'step 2 before 3', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, 'exclude 0', 1::bigint, true, true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, (SELECT string_agg('optional 2', ', ') FROM generate_series(1, 65)), 1::bigint, true, true, true);
\echo :LAST_ERROR_SQLSTATE
-- the mode must not change within a group, items included
SELECT window_funnel(10, m, ts, true, true, true) FROM (VALUES ('optional 2', 1::bigint), ('exclude 3', 2)) v(m, ts);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(10, m, ts, true, true, true, true) FROM (VALUES ('exclude 4 between 1 and 2', 1::bigint), ('exclude 4 between 1 and 3', 2)) v(m, ts);
\echo :LAST_ERROR_SQLSTATE
