-- The plans chosen for window_funnel (streaming GroupAggregate, hash) give the same levels.
--
-- The plans the planner picks for window_funnel with a large work_mem: over
-- events clustered on (deal, ts) with an index on it, the index read one
-- deal after another (GroupAggregate, which streams), although PostgreSQL
-- hashes the same grouping without window_funnel; over events in arrival
-- order, a hash aggregation.  Both plans give the same levels.
SET max_parallel_workers_per_gather = 0;
SET work_mem = '1GB';
SET random_page_cost = 1.1;
SELECT setseed(0.1616);
CREATE TABLE wp_arrival AS
SELECT d AS deal, timestamptz '2026-01-01' + (d % 500) * interval '1 hour' + j * interval '1 day'
           + random() * interval '12 hours' AS ts,
       (ARRAY['created', 'qualified', 'meeting_held', 'won', 'email_opened'])[1 + floor(random() * 5)::int] AS event
FROM generate_series(1, 20000) d, generate_series(1, 8) j
ORDER BY ts;
CREATE TABLE wp_timeline AS SELECT * FROM wp_arrival ORDER BY deal, ts;
CREATE INDEX wp_timeline_deal_ts ON wp_timeline (deal, ts) INCLUDE (event);
VACUUM ANALYZE wp_arrival, wp_timeline;

-- PostgreSQL's own choice for the grouping alone: a hash table
EXPLAIN (COSTS OFF)
SELECT deal, count(*) FROM wp_timeline GROUP BY deal;
-- with window_funnel: the index, one deal after another
EXPLAIN (COSTS OFF)
SELECT deal, window_funnel(interval '3 days', ts, event, ARRAY['created', 'qualified', 'won']) FROM wp_timeline GROUP BY deal;
EXPLAIN (COSTS OFF)
SELECT level, count(*)
FROM (SELECT window_funnel(interval '3 days', ts, event = 'created', event = 'qualified', event = 'won') AS level
      FROM wp_timeline GROUP BY deal) per_deal
GROUP BY level;
-- the same grouping again, without window_funnel, in the same session
EXPLAIN (COSTS OFF)
SELECT deal, count(*) FROM wp_timeline GROUP BY deal;
-- in arrival order a sort would cost more than the hash table
EXPLAIN (COSTS OFF)
SELECT deal, window_funnel(interval '3 days', ts, event, ARRAY['created', 'qualified', 'won']) FROM wp_arrival GROUP BY deal;

-- the streamed and the hashed plan agree
CREATE TEMP TABLE wp_levels AS
SELECT deal, window_funnel(interval '3 days', ts, event, ARRAY['created', 'qualified', 'won']) AS level,
       window_funnel_times(interval '3 days', 'strict_order', ts, event, ARRAY['created', 'qualified', 'won']) AS times
FROM wp_timeline GROUP BY deal;
SELECT count(*) AS deals, count(*) FILTER (WHERE l.level IS DISTINCT FROM a.level OR l.times IS DISTINCT FROM a.times) AS mismatches,
       count(DISTINCT l.level) AS distinct_levels
FROM wp_levels l
JOIN (SELECT deal, window_funnel(interval '3 days', ts, event, ARRAY['created', 'qualified', 'won']) AS level,
             window_funnel_times(interval '3 days', 'strict_order', ts, event, ARRAY['created', 'qualified', 'won']) AS times
      FROM wp_arrival GROUP BY deal) a USING (deal);

-- a streamed group (the call's ORDER BY ts) whose window, mode or steps are
-- not constants is checked on every row, as a buffered one is
SELECT window_funnel(CASE WHEN ts = 2 THEN 3 ELSE 2 END, ts, event, ARRAY['a', 'b'] ORDER BY ts)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
SELECT window_funnel(2, CASE WHEN ts = 2 THEN 'strict_order' ELSE '' END, ts, event, ARRAY['a', 'b'] ORDER BY ts)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
SELECT window_funnel(2, ts, event, CASE WHEN ts = 2 THEN ARRAY['a', 'c'] ELSE ARRAY['a', 'b'] END ORDER BY ts)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
-- conditions are the row's own by design: the second step's changes with the row
SELECT window_funnel(2, ts, event = 'a', CASE WHEN ts = 2 THEN event = 'c' ELSE event = 'b' END ORDER BY ts)
FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, event);
-- with constants, streamed (ORDER BY ts) and buffered give the same levels
SELECT window_funnel(2, ts, event, ARRAY['a', 'b'] ORDER BY ts) AS names_streamed,
       window_funnel(2, ts, event, ARRAY['a', 'b']) AS names_buffered,
       window_funnel(2, 'strict_order', ts, event = 'a', event = 'b' ORDER BY ts) AS conditions_streamed,
       window_funnel(2, 'strict_order', ts, event = 'a', event = 'b') AS conditions_buffered,
       window_funnel(2, ts, event = 'a', event = 'b', event = 'c' ORDER BY ts) AS three_streamed,
       window_funnel(2, ts, event = 'a', event = 'b', event = 'c') AS three_buffered
FROM (VALUES (1::bigint, 'a'), (2, 'x'), (2, 'b'), (3, 'b'), (3, 'c'), (4, 'a'), (5, 'b'), (6, 'c')) v(ts, event);
DROP TABLE wp_arrival, wp_timeline;
