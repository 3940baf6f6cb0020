-- window_funnel's event-name form against its boolean form on random groups; its errors.
--
-- The event-name form, window_funnel(window, [mode,] ts, event, steps text[]),
-- against the boolean form with event = steps[k] conditions, on random
-- groups: step names that repeat, events matching no step, NULL events,
-- NULL times, ties in time; every mode, both time axes, window_funnel_times,
-- rows in time order (ORDER BY ts) and in reverse.  The counts of mismatches
-- must be 0.  Then its errors.
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
\i test/include/fixture_window_funnel_modes.sql
SELECT setseed(0.2024);

-- 800 groups of 1 to 10 rows; 1 to 5 steps named from a four-letter
-- alphabet, so a name may repeat
CREATE TEMP TABLE we_groups AS
SELECT g, (ARRAY[0, 1, 2, 3, 5, 8, 1000])[1 + floor(random() * 7)::int]::bigint AS win,
       1 + floor(random() * 10)::int AS nrows,
       (ARRAY[2, 4, 8, 16])[1 + floor(random() * 4)::int] AS span,
       (SELECT array_agg(chr(97 + floor(random() * 4)::int) ORDER BY k)
        FROM generate_series(1, 1 + floor(random() * 5)::int + 0 * g) k) AS steps
FROM generate_series(1, 800) g;
CREATE TEMP TABLE we_rows AS
SELECT g, rid,
       CASE WHEN random() < 0.05 THEN NULL ELSE floor(random() * span)::bigint END AS ts,
       CASE WHEN random() < 0.08 THEN NULL ELSE chr(97 + floor(random() * 5)::int) END AS event
FROM (SELECT g.g, r AS rid, g.span FROM we_groups g, generate_series(1, g.nrows) r) x;
-- the same steps as conditions: event = steps[k] (NULL for a NULL event)
ALTER TABLE we_rows ADD COLUMN conds boolean[];
UPDATE we_rows r SET conds = (SELECT array_agg(r.event = s ORDER BY k)
                              FROM we_groups g, unnest(g.steps) WITH ORDINALITY u(s, k) WHERE g.g = r.g);
SELECT count(*) AS rows, count(*) FILTER (WHERE ts IS NULL) AS null_times,
       count(*) FILTER (WHERE event IS NULL) AS null_events,
       count(*) FILTER (WHERE event = 'e') AS no_step,
       (SELECT count(*) FROM we_groups WHERE cardinality(steps) > (SELECT count(DISTINCT s) FROM unnest(steps) s))
           AS groups_with_repeated_names
FROM we_rows;

-- bigint axis: level and times, in arrival order, in time order, reversed
SELECT m.mode, count(*) AS groups,
       count(*) FILTER (WHERE x.level IS DISTINCT FROM x.bool_level) AS level_mismatches,
       count(*) FILTER (WHERE x.times IS DISTINCT FROM x.bool_times) AS times_mismatches,
       count(*) FILTER (WHERE x.sorted IS DISTINCT FROM x.bool_level
                           OR x.reversed IS DISTINCT FROM x.bool_level) AS order_mismatches,
       count(*) FILTER (WHERE x.level > 0) AS reached_step_1
FROM wf_modes m CROSS JOIN LATERAL (
    SELECT window_funnel(g.win, m.mode, r.ts, r.event, g.steps) AS level,
           window_funnel(g.win, m.mode, r.ts, VARIADIC r.conds) AS bool_level,
           window_funnel_times(g.win, m.mode, r.ts, r.event, g.steps) AS times,
           window_funnel_times(g.win, m.mode, r.ts, VARIADIC r.conds) AS bool_times,
           window_funnel(g.win, m.mode, r.ts, r.event, g.steps ORDER BY r.ts) AS sorted,
           window_funnel(g.win, m.mode, r.ts, r.event, g.steps ORDER BY r.ts DESC, r.rid DESC) AS reversed
    FROM we_groups g JOIN we_rows r USING (g)
    GROUP BY g.g, g.win, g.steps) x
GROUP BY m.mode ORDER BY m.mode;

-- interval axis (one unit = one minute), without and with a mode argument
SELECT count(*) AS groups,
       count(*) FILTER (WHERE x.level IS DISTINCT FROM x.bool_level) AS level_mismatches,
       count(*) FILTER (WHERE x.level_mode IS DISTINCT FROM x.bool_level) AS mode_arg_mismatches,
       count(*) FILTER (WHERE x.times IS DISTINCT FROM x.bool_times) AS times_mismatches
FROM (
    SELECT window_funnel(g.win * interval '1 minute', timestamptz '2024-01-01' + r.ts * interval '1 minute',
                         r.event, g.steps) AS level,
           window_funnel(g.win * interval '1 minute', '', timestamptz '2024-01-01' + r.ts * interval '1 minute',
                         r.event, g.steps) AS level_mode,
           window_funnel(g.win * interval '1 minute', timestamptz '2024-01-01' + r.ts * interval '1 minute',
                         VARIADIC r.conds) AS bool_level,
           window_funnel_times(g.win * interval '1 minute', 'strict_increase',
                               timestamptz '2024-01-01' + r.ts * interval '1 minute', r.event, g.steps) AS times,
           window_funnel_times(g.win * interval '1 minute', 'strict_increase',
                               timestamptz '2024-01-01' + r.ts * interval '1 minute', VARIADIC r.conds) AS bool_times
    FROM we_groups g JOIN we_rows r USING (g)
    GROUP BY g.g, g.win, g.steps) x;

-- the steps from a column rather than a constant, and the bytes compared
-- as they are: no collation folds 'A' into 'a'
SELECT window_funnel(10, ts, event, steps) AS from_column,
       window_funnel(10, ts, event COLLATE "C", ARRAY['a', 'b']) AS collate_c,
       window_funnel(10, ts, upper(event), ARRAY['a', 'b']) AS upper_case
FROM (VALUES (1::bigint, 'a', ARRAY['a', 'b']), (2, 'b', ARRAY['a', 'b'])) v(ts, event, steps);

-- partial states through parallel workers, and states combined
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE we_big AS
SELECT (i % 50) AS g, (i / 7)::bigint AS ts, chr(97 + floor(random() * 4)::int) AS event
FROM generate_series(1, 60000) i;
-- temporary tables are not read by parallel workers: a regular one is
CREATE TABLE we_big_shared AS SELECT * FROM we_big;
ANALYZE we_big_shared;
EXPLAIN (COSTS OFF) SELECT g, window_funnel(10, ts, event, ARRAY['a', 'b', 'c']) FROM we_big_shared GROUP BY g;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.level IS DISTINCT FROM s.level) AS parallel_mismatches,
       min(p.level) AS min_level, max(p.level) AS max_level
FROM (SELECT g, window_funnel(10, ts, event, ARRAY['a', 'b', 'c']) AS level FROM we_big_shared GROUP BY g) p
JOIN (SELECT g, window_funnel(10, ts, event = 'a', event = 'b', event = 'c') AS level FROM we_big GROUP BY g) s USING (g);
DROP TABLE we_big_shared;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- the state's text form round-trips, steps included; states of different
-- steps do not combine
CREATE AGGREGATE we_partial(bigint, bigint, text, text[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE we_combined(window_funnel_state) (
    SFUNC = window_funnel_combine, STYPE = window_funnel_state, FINALFUNC = window_funnel_final);
SELECT we_combined(window_funnel_state_in(window_funnel_state_out(s))) AS round_trip,
       we_combined(s) AS combined
FROM (SELECT we_partial(10, ts, event, ARRAY['a', 'b', 'c']) AS s
      FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'c')) v(ts, event) GROUP BY ts) parts;
SELECT we_combined(s)
FROM (SELECT we_partial(10, ts, event, CASE WHEN ts = 1 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END) AS s
      FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event) GROUP BY ts) parts;
DROP AGGREGATE we_partial(bigint, bigint, text, text[]);
DROP AGGREGATE we_combined(window_funnel_state);

-- errors, as for the boolean form's steps
SELECT window_funnel(10, ts, event, NULL) FROM (VALUES (1::bigint, 'a')) v(ts, event);
SELECT window_funnel(10, ts, event, ARRAY['a', NULL]) FROM (VALUES (1::bigint, 'a')) v(ts, event);
SELECT window_funnel(10, ts, event, '{}') FROM (VALUES (1::bigint, 'a')) v(ts, event);
SELECT window_funnel(10, ts, event, '{{a,b},{c,d}}') FROM (VALUES (1::bigint, 'a')) v(ts, event);
SELECT window_funnel(10, ts, event, array_fill('a'::text, ARRAY[1025])) FROM (VALUES (1::bigint, 'a')) v(ts, event);
SELECT window_funnel(10, ts, event, CASE WHEN ts = 1 THEN ARRAY['a'] ELSE ARRAY['b'] END)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
-- the same number of steps but other names is also a change
SELECT window_funnel(10, ts, event, CASE WHEN ts = 1 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
-- a NULL event matches no step: under strict_order it ends the search
SELECT window_funnel(10, 'strict_order', ts, event, ARRAY['a', 'b']) AS strict_order,
       window_funnel(10, ts, event, ARRAY['a', 'b']) AS default_mode
FROM (VALUES (1::bigint, 'a'), (2, NULL), (3, 'b')) v(ts, event);
