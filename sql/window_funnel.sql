-- window_funnel and window_funnel_times follow ClickHouse windowFunnel in every mode
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- ===================================================================
-- ClickHouse documentation, windowFunnel: the example
-- (parametric-functions.md).  Conditions 1003, 1009, 1007, 1010 in that
-- order; the events arrive out of time order.
-- ===================================================================
CREATE TEMP TABLE trend (event_date date, user_id int, "timestamp" timestamptz, eventid int, product text);
INSERT INTO trend VALUES
  ('2019-01-28', 1, '2019-01-29 10:00:00', 1003, 'phone'),
  ('2019-01-31', 1, '2019-01-31 09:00:00', 1007, 'phone'),
  ('2019-01-30', 1, '2019-01-30 08:00:00', 1009, 'phone'),
  ('2019-02-01', 1, '2019-02-01 08:00:00', 1010, 'phone');
-- the window 6048000000000000 is in seconds of a DateTime: the bigint axis
SELECT level, count(*) AS c
FROM (SELECT user_id,
             window_funnel(6048000000000000, extract(epoch FROM "timestamp")::bigint,
                           eventid = 1003, eventid = 1009, eventid = 1007, eventid = 1010) AS level
      FROM trend
      WHERE event_date >= '2019-01-01' AND event_date <= '2019-02-02'
      GROUP BY user_id) s
GROUP BY level ORDER BY level;
-- the same on timestamptz: the funnel spans 2 days 22 hours, so from that
-- window on the level is 4
SELECT w, window_funnel(w, "timestamp", eventid = 1003, eventid = 1009, eventid = 1007, eventid = 1010)
FROM trend, (VALUES (interval '1 day'), ('2 days 22 hours'), ('2 days 23 hours'), ('3 days'), ('100000 years')) v(w)
GROUP BY w ORDER BY w;

-- Documentation of the modes: strict_order, "A->B->D->C stops finding
-- A->B->C at the D and the max event level is 2"
SELECT window_funnel(10, 'strict_order', t, e = 'A', e = 'B', e = 'C') AS strict_order,
       window_funnel(10, t, e = 'A', e = 'B', e = 'C') AS "default"
FROM (VALUES (1, 'A'), (2, 'B'), (3, 'D'), (4, 'C')) v(t, e);
-- allow_reentry, "A->A->B->C finds A->B->C by ignoring the redundant A and
-- the max event level is 3"
SELECT window_funnel(10, 'strict_order, allow_reentry', t, e = 'A', e = 'B', e = 'C') AS allow_reentry,
       window_funnel(10, 'strict_order', t, e = 'A', e = 'B', e = 'C') AS strict_order
FROM (VALUES (1, 'A'), (2, 'A'), (3, 'B'), (4, 'C')) v(t, e);

-- Documentation, "Example with allow_reentry mode": checkout -> product
-- detail -> checkout again -> payment, the funnel repeating step 1 as step 3.
-- With allow_reentry: level 4, as documented.  Without it ClickHouse's code
-- stops at the first row (its checkout is also step 3, whose predecessor is
-- missing), so the level is 1; the documentation's comment says 2.
CREATE TEMP TABLE user_events (user_id int, "timestamp" bigint, action text);
INSERT INTO user_events VALUES
  (1, 100, 'begin_checkout'), (1, 200, 'view_product_detail'),
  (1, 300, 'begin_checkout'), (1, 400, 'complete_payment');
SELECT level, count(*) AS users
FROM (SELECT user_id,
             window_funnel(3600, 'strict_order, allow_reentry', "timestamp",
                           action = 'begin_checkout', action = 'view_product_detail',
                           action = 'begin_checkout', action = 'complete_payment') AS level
      FROM user_events GROUP BY user_id) s
GROUP BY level ORDER BY level;
SELECT window_funnel(3600, 'strict_order', "timestamp",
                     action = 'begin_checkout', action = 'view_product_detail',
                     action = 'begin_checkout', action = 'complete_payment') AS without_allow_reentry
FROM user_events;

-- ===================================================================
-- ClickHouse's own regression test (00632_aggregation_window_funnel)
-- ===================================================================
CREATE TEMP TABLE funnel_test (ts bigint, event int);
INSERT INTO funnel_test VALUES (0,1000),(1,1001),(2,1002),(3,1003),(4,1004),(5,1005),(6,1006),(7,1007),(8,1008);
SELECT window_funnel(10000, ts, event = 1000) = 1 AS a,
       window_funnel(10000, ts, event = 1000, event = 1001) = 2 AS b,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002) = 3 AS c,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1008) = 4 AS d,
       window_funnel(1, ts, event = 1000) = 1 AS e,
       window_funnel(2, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) = 3 AS f,
       window_funnel(3, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) = 4 AS g,
       window_funnel(4, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) = 5 AS h
FROM funnel_test;
CREATE TEMP TABLE funnel_test2 (ts timestamptz, event int);
INSERT INTO funnel_test2 VALUES ('2018-01-01 01:01:01',1001),('2018-01-01 01:01:02',1002),('2018-01-01 01:01:03',1003),
  ('2018-01-01 01:01:04',1004),('2018-01-01 01:01:05',1005),('2018-01-01 01:01:06',1006),('2018-01-01 01:01:07',1007),
  ('2018-01-01 01:01:08',1008);
SELECT window_funnel(interval '4 s', ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) = 5 AS a,
       window_funnel(interval '10000 s', ts, event = 1001, event = 1008) = 2 AS b,
       window_funnel(interval '10000 s', ts, event = 1008, event = 1001) = 1 AS c,
       window_funnel(interval '4 s', ts, event <= 1007, event >= 1002, event <= 1006, event >= 1004) = 4 AS d
FROM funnel_test2;
CREATE TEMP TABLE funnel_test_u64 (ts bigint, event int);
INSERT INTO funnel_test_u64 SELECT 100000000000000 + i, 1000 + i FROM generate_series(1, 8) i;
SELECT window_funnel(4, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) = 5 AS a,
       window_funnel(10000, ts, event = 1001, event = 1008) = 2 AS b,
       window_funnel(10000, ts, event = 1008, event = 1001) = 1 AS c,
       window_funnel(4, ts, event <= 1007, event >= 1002, event <= 1006, event >= 1004) = 4 AS d
FROM funnel_test_u64;
CREATE TEMP TABLE funnel_test_strict (ts bigint, event int);
INSERT INTO funnel_test_strict VALUES (00,1000),(10,1001),(20,1002),(30,1003),(40,1004),(50,1005),(51,1005),(60,1006),(70,1007),(80,1008);
SELECT window_funnel(10000, 'strict_deduplication', ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) = 6 AS a,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) = 7 AS b
FROM funnel_test_strict;

CREATE TEMP TABLE funnel_test_strict_order (dt bigint, "user" int, event text);
INSERT INTO funnel_test_strict_order VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'c'),
  (1, 2, 'a'), (2, 2, 'd'), (3, 2, 'b'), (4, 2, 'c'),
  (1, 3, 'a'), (2, 3, 'a'), (3, 3, 'b'), (4, 3, 'b'), (5, 3, 'c'), (6, 3, 'c'),
  (1, 4, 'a'), (2, 4, 'a'), (3, 4, 'a'), (4, 4, 'a'), (5, 4, 'b'), (6, 4, 'b'), (7, 4, 'c'), (8, 4, 'c'),
  (1, 5, 'a'), (2, 5, 'a'), (3, 5, 'b'), (4, 5, 'b'), (5, 5, 'd'), (6, 5, 'c'), (7, 5, 'c'),
  (1, 6, 'c'), (2, 6, 'c'), (3, 6, 'b'), (4, 6, 'b'), (5, 6, 'a'), (6, 6, 'a');
-- ClickHouse: default 3 3 3 3 3 1; strict_order 3 1 3 3 2 1; both 3 1 2 2 2 1
SELECT "user",
       window_funnel(86400, dt, event = 'a', event = 'b', event = 'c') AS "default",
       window_funnel(86400, 'strict_order', dt, event = 'a', event = 'b', event = 'c') AS strict_order,
       window_funnel(86400, 'strict_deduplication, strict_order', dt, event = 'a', event = 'b', event = 'c') AS dedup_order
FROM funnel_test_strict_order GROUP BY "user" ORDER BY "user";
INSERT INTO funnel_test_strict_order VALUES (1, 7, 'a'), (2, 7, 'c'), (3, 7, 'b');
SELECT window_funnel(10, 'strict_order', dt, event = 'a', event = 'b', event = 'c') AS user7
FROM funnel_test_strict_order WHERE "user" = 7;

-- ClickHouse issue 27469: a repeated b ends the search after a, b, c
SELECT window_funnel(86400, 'strict_deduplication', ts, event = 'a', event = 'b', event = 'c', event = 'd') AS bite_the_dddd
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'b'), (5, 'd')) v(ts, event);
-- ClickHouse issue 37177 (fixed in the newest release): the repeated start
-- ends the search at the level reached, 3, not at the repeated step's index
CREATE TEMP TABLE strict_dedup (time timestamptz, event text);
INSERT INTO strict_dedup VALUES
  ('2022-05-13 12:00:00', 'install'), ('2022-05-13 12:00:05', 'start'), ('2022-05-13 12:00:10', 'login'),
  ('2022-05-13 12:00:15', 'install'), ('2022-05-13 12:00:20', 'start'), ('2022-05-13 12:00:25', 'install'),
  ('2022-05-13 12:00:30', 'start'), ('2022-05-13 12:00:35', 'login'), ('2022-05-13 12:00:40', 'end');
SELECT window_funnel(interval '60 s', 'strict_deduplication', time,
                     event = 'install', event = 'start', event = 'login', event = 'end') AS dedup,
       window_funnel(interval '60 s', 'strict_deduplication, strict_once', time,
                     event = 'install', event = 'start', event = 'login', event = 'end') AS dedup_once,
       window_funnel(interval '60 s', time,
                     event = 'install', event = 'start', event = 'login', event = 'end') AS "default"
FROM strict_dedup;

-- NULLs (ClickHouse compares COALESCEd columns; here NULL conditions are false)
CREATE TEMP TABLE funnel_test_non_null (dt bigint, u int, a text, b text);
INSERT INTO funnel_test_non_null VALUES (1, 1, 'a1', 'b1'), (2, 1, 'a2', 'b2'), (1, 2, 'a1', NULL), (2, 2, 'a2', NULL),
  (1, 3, NULL, NULL), (1, 4, NULL, 'b1'), (2, 4, 'a2', NULL), (3, 4, NULL, 'b3');
-- ClickHouse: 2 2 0 0 | 2 1 0 0 | 0 0 1 0 | 0 0 1 2 | 0 0 1 1
SELECT u,
       window_funnel(86400, dt, a = 'a1', a = 'a2') AS a1_a2,
       window_funnel(86400, dt, a = 'a1', b = 'b2') AS a1_b2,
       window_funnel(86400, dt, a IS NULL AND b IS NULL) AS both_null,
       window_funnel(86400, dt, a IS NULL, b = 'b3') AS null_b3,
       window_funnel(86400, 'strict_order', dt, a IS NULL, b = 'b3') AS null_b3_order
FROM funnel_test_non_null GROUP BY u ORDER BY u;

-- strict_increase and strict_once (ClickHouse: 5, 2, 3, 1, 1)
CREATE TEMP TABLE funnel_test_strict_increase (ts bigint, event int);
INSERT INTO funnel_test_strict_increase VALUES (0,1000),(1,1001),(1,1002),(1,1003),(2,1004);
SELECT window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS "default",
       window_funnel(10000, 'strict_increase', ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS increase,
       window_funnel(10000, ts, event = 1004, event = 1004, event = 1004) AS same_row_thrice,
       window_funnel(10000, 'strict_once', ts, event = 1004, event = 1004, event = 1004) AS once,
       window_funnel(10000, 'strict_increase', ts, event = 1004, event = 1004, event = 1004) AS increase_thrice
FROM funnel_test_strict_increase;
-- ClickHouse: 123 -> 3, 234 -> 2, 345 -> 1 in all three modes
CREATE TEMP TABLE funnel_results (event_ts bigint, result text, uid int);
INSERT INTO funnel_results VALUES (100, 'failure', 234), (200, 'success', 345), (210, 'failure', 345), (230, 'success', 345),
  (250, 'failure', 234), (180, 'failure', 123), (220, 'failure', 123), (250, 'success', 123);
SELECT uid,
       window_funnel(200, 'strict_once, strict_increase', event_ts, result = 'failure', result = 'failure', result = 'success') AS once_increase,
       window_funnel(200, 'strict_once', event_ts, result = 'failure', result = 'failure', result = 'success') AS once,
       window_funnel(200, 'strict_once, strict_deduplication', event_ts, result = 'failure', result = 'failure', result = 'success') AS once_dedup,
       window_funnel(200, event_ts, result = 'failure', result = 'failure', result = 'success') AS "default"
FROM funnel_results GROUP BY uid ORDER BY uid;

-- allow_reentry (ClickHouse's newest code: allow_reentry skips a step whose
-- predecessor was not reached; strict_order alone lets step 1 restart)
CREATE TEMP TABLE funnel_test_reentry (uid int, dt bigint, event text);
INSERT INTO funnel_test_reentry VALUES
  (1, 1, 'a'), (1, 2, 'b'), (1, 3, 'a'), (1, 4, 'c'),
  (2, 1, 'a'), (2, 2, 'b'), (2, 3, 'a'), (2, 4, 'b'), (2, 5, 'c'),
  (3, 1, 'a'), (3, 2, 'b'), (3, 3, 'c'), (3, 4, 'b'), (3, 5, 'd'),
  (4, 1, 'a'), (4, 2, 'c'), (4, 3, 'b'),
  (5, 1, 'a'), (5, 2, 'b'), (5, 3, 'c'), (5, 4, 'a'), (5, 5, 'b'), (5, 6, 'c'), (5, 7, 'd');
SELECT uid,
       window_funnel(100, 'strict_order', dt, event = 'a', event = 'b', event = 'c') AS order3,
       window_funnel(100, 'strict_order, allow_reentry', dt, event = 'a', event = 'b', event = 'c') AS reentry3,
       window_funnel(100, 'strict_order', dt, event = 'a', event = 'b', event = 'c', event = 'd') AS order4,
       window_funnel(100, 'strict_order, allow_reentry', dt, event = 'a', event = 'b', event = 'c', event = 'd') AS reentry4,
       window_funnel(100, 'strict_order, allow_reentry, strict_deduplication', dt, event = 'a', event = 'b', event = 'c') AS reentry_dedup,
       window_funnel(100, 'strict_order', dt, event = 'a', event = 'b', event = 'a', event = 'c') AS order_aba_c,
       window_funnel(100, 'strict_order, allow_reentry', dt, event = 'a', event = 'b', event = 'a', event = 'c') AS reentry_aba_c
FROM funnel_test_reentry GROUP BY uid ORDER BY uid;

-- The strict_order table of ClickHouse's pull request 9773
SELECT s AS "case",
       window_funnel(100, t, e = 'A', e = 'B', e = 'C') AS "default",
       window_funnel(100, 'strict_order', t, e = 'A', e = 'B', e = 'C') AS strict_order
FROM (VALUES ('ABC'), ('ADBC'), ('AABBCC'), ('AAAABBCC'), ('AABBDCC'), ('BBCCAA')) c(s),
     LATERAL (SELECT i::bigint AS t, substr(s, i, 1) AS e FROM generate_series(1, length(s)) i) ev
GROUP BY s ORDER BY min(t), s;
-- The 'strict' example of pull request 6548 (now strict_deduplication)
SELECT window_funnel(10000, ts, event = 1000, event = 1001, event = 1002) AS "default",
       window_funnel(10000, 'strict_deduplication', ts, event = 1000, event = 1001, event = 1002) AS dedup
FROM (VALUES (0, 1000), (10, 1001), (11, 1001), (20, 1002)) v(ts, event);

-- ===================================================================
-- Semantics, mode by mode
-- ===================================================================
-- The window is inclusive and measured from the chain's step-1 time; a
-- later step 1 restarts the chain
SELECT w, window_funnel(w, t, e = 'a', e = 'b', e = 'c') AS level, window_funnel_times(w, t, e = 'a', e = 'b', e = 'c') AS times
FROM (VALUES (0, 'a'), (5, 'b'), (8, 'a'), (10, 'c'), (13, 'b'), (15, 'c')) v(t, e),
     (VALUES (4::bigint), (5), (9), (10), (100)) w(w)
GROUP BY w ORDER BY w;
-- Events out of time order, step conditions in any order
SELECT window_funnel(10, t, e = 3, e = 1, e = 2) AS level, window_funnel_times(10, t, e = 3, e = 1, e = 2) AS times
FROM (VALUES (9, 2), (1, 3), (7, 1), (3, 1), (2, 5)) v(t, e);
-- Only step 1 or nothing
SELECT window_funnel(1, t, e = 'x', e = 'y') AS no_start,
       window_funnel(1, t, e = 'b', e = 'x') AS one_step_reached,
       window_funnel(1, t, e = 'b') AS single_condition,
       window_funnel(1, 'strict_order', t, e = 'b') AS single_condition_order
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) v(t, e);

-- Ties: one row satisfying two steps fills both, except with strict_once
-- and strict_increase; ties in time are read in step order
SELECT m AS mode, window_funnel(10, m, t, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS level,
       window_funnel_times(10, m, t, e IN ('a', 'ab'), e IN ('b', 'ab'), e = 'c') AS times
FROM (VALUES (1, 'ab'), (2, 'c')) v(t, e),
     (VALUES (''), ('strict_once'), ('strict_increase'), ('strict_order')) m(m)
GROUP BY m ORDER BY m;
-- two rows at the same time: read in step order whatever the row order
SELECT m AS mode, window_funnel(10, m, t, e = 'a', e = 'b', e = 'c') AS level
FROM (VALUES (1, 'b'), (1, 'a'), (2, 'c')) v(t, e),
     (VALUES (''), ('strict_once'), ('strict_increase'), ('strict_order'), ('strict_deduplication')) m(m)
GROUP BY m ORDER BY m;
-- strict_once follows every chain: a row that could be step 2 or step 3
-- serves the chain that needs it
SELECT m AS mode, window_funnel(10, m, t, VARIADIC s) AS level, window_funnel_times(10, m, t, VARIADIC s) AS times
FROM (VALUES (1, '{t,f,f,f}'::boolean[]), (2, '{f,t,t,f}'), (3, '{f,t,t,f}'), (4, '{f,f,f,t}')) v(t, s),
     (VALUES (''), ('strict_once')) m(m)
GROUP BY m ORDER BY m;
-- overlapping conditions at one time: steps 1..3 from three rows at t = 5,
-- each satisfying two steps; strict_once matches rows to steps
SELECT m AS mode, window_funnel(0, m, t, VARIADIC s) AS level
FROM (VALUES (5, '{t,t,f}'::boolean[]), (5, '{t,t,f}'), (5, '{f,t,t}')) v(t, s),
     (VALUES (''), ('strict_once'), ('strict_increase')) m(m)
GROUP BY m ORDER BY m;
SELECT window_funnel(0, 'strict_once', t, VARIADIC s) AS two_rows_three_steps
FROM (VALUES (5, '{t,t,t}'::boolean[]), (5, '{t,t,t}')) v(t, s);
-- many simultaneous rows: a chain takes at most one step per row
SELECT window_funnel(0, 'strict_once', 1::bigint, VARIADIC array_fill(true, ARRAY[64])) FILTER (WHERE i <= 50) AS rows_50,
       window_funnel(0, 'strict_once', 1::bigint, VARIADIC array_fill(true, ARRAY[64])) AS rows_200,
       window_funnel(0, 'strict_once', 1::bigint, VARIADIC (SELECT array_agg(k >= i) FROM generate_series(1, 100) k))
           FILTER (WHERE i <= 100) AS staircase_up,
       window_funnel(0, 'strict_once', 1::bigint, VARIADIC (SELECT array_agg(k <= i) FROM generate_series(1, 100) k))
           FILTER (WHERE i <= 100) AS staircase_down,
       window_funnel(0, 'strict_once', 1::bigint, VARIADIC (SELECT array_agg(k < i) FROM generate_series(1, 100) k))
           FILTER (WHERE i <= 100) AS no_row_for_step_100
FROM generate_series(1, 200) i;

-- strict_deduplication: a reached step > 1 occurring again ends the search;
-- a repeated step 1 does not
SELECT window_funnel(100, 'strict_deduplication', t, e = 'a', e = 'b', e = 'c') AS repeated_b,
       window_funnel(100, t, e = 'a', e = 'b', e = 'c') AS "default"
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'b'), (4, 'c')) v(t, e);
SELECT window_funnel(100, 'strict_deduplication', t, e = 'a', e = 'b', e = 'c') AS repeated_a
FROM (VALUES (1, 'a'), (2, 'a'), (3, 'b'), (4, 'c')) v(t, e);
-- a repetition of a step reached by an expired chain still counts
SELECT window_funnel(5, 'strict_deduplication', t, e = 'a', e = 'b', e = 'c') AS expired_b,
       window_funnel(5, t, e = 'a', e = 'b', e = 'c') AS "default"
FROM (VALUES (1, 'a'), (2, 'b'), (10, 'a'), (11, 'b'), (12, 'c')) v(t, e);

-- strict_order: rows matching no step end the search once step 1 was seen;
-- rows before step 1 do not
SELECT window_funnel(100, 'strict_order', t, e = 'a', e = 'b') AS noise_before_start,
       window_funnel(100, 'strict_order', t, e = 'b', e = 'c') AS noise_after_start
FROM (VALUES (1, 'x'), (2, 'a'), (3, 'b'), (4, 'x'), (5, 'c')) v(t, e);
-- a noise row at the same time as a step is read before it
SELECT window_funnel(100, 'strict_order', t, e = 'a', e = 'b') AS level
FROM (VALUES (1, 'a'), (2, 'x'), (2, 'b')) v(t, e);

-- strict_increase: without strict_once ClickHouse keeps only the latest
-- chain per step, so a later start at the time of step 2 hides the earlier
-- chain (1, not 2); strict_once follows both chains
SELECT window_funnel(10, 'strict_increase', t, e = 'c1', e = 'c2') AS increase,
       window_funnel(10, 'strict_increase, strict_once', t, e = 'c1', e = 'c2') AS increase_once
FROM (VALUES (0, 'c1'), (1, 'c1'), (1, 'c2')) v(t, e);

-- ===================================================================
-- More than 64 steps
-- ===================================================================
CREATE TEMP TABLE long_funnel AS SELECT i::bigint AS t, i AS e FROM generate_series(1, 1024) i;
SELECT window_funnel(1000, t, VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 100) k)) AS steps_100,
       window_funnel(2000, t, VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 1024) k)) AS steps_1024,
       window_funnel(1000, t, VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 1024) k)) AS window_1000,
       window_funnel(2000, 'strict_order, strict_once, strict_increase', t,
                     VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 1024) k)) AS all_modes
FROM long_funnel;
SELECT cardinality(window_funnel_times(2000, t, VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 70) k))) AS times_70,
       (window_funnel_times(2000, t, VARIADIC (SELECT array_agg(e = k ORDER BY k) FROM generate_series(1, 70) k)))[65:70] AS last_six
FROM long_funnel;
-- 140 rows at one time, two per step, arriving in reverse step order: they
-- are read in step order (more events than the final function keeps on its
-- stack); strict_deduplication stops at the second step 2
SELECT window_funnel(0, t, VARIADIC (SELECT array_agg(k = 70 - (i - 1) / 2 ORDER BY k) FROM generate_series(1, 70) k)) AS same_time_70,
       window_funnel(0, 'strict_deduplication', t,
                     VARIADIC (SELECT array_agg(k = 70 - (i - 1) / 2 ORDER BY k) FROM generate_series(1, 70) k)) AS dedup_2
FROM generate_series(1, 140) i, (VALUES (5::bigint)) v(t);

-- ===================================================================
-- The bigint axis: any int64, window in the same unit
-- ===================================================================
-- no overflow: a window of 2^63 - 1 covers a gap of 2^63 - 1, not 2^63
SELECT window_funnel(9223372036854775807, t, e = 1, e = 2, e = 3) AS full_window,
       window_funnel_times(9223372036854775807, t, e = 1, e = 2, e = 3) AS times,
       window_funnel(9223372036854775806, t, e = 1, e = 2, e = 3) AS one_short
FROM (VALUES (-9223372036854775808, 1), (-1, 2), (0, 3)) v(t, e);
SELECT window_funnel(9223372036854775807, t, e = 1, e = 2) AS gap_2_pow_63
FROM (VALUES (-9223372036854775808, 1), (0, 2)) v(t, e);
SELECT window_funnel(3, t, e = 1, e = 2, e = 3) AS level, window_funnel_times(3, t, e = 1, e = 2, e = 3) AS times
FROM (VALUES (-10::bigint, 1), (-8, 2), (-7, 3), (-4, 1)) v(t, e);

-- ===================================================================
-- The interval window: converted to microseconds as EXTRACT(EPOCH FROM
-- window) does (a month is 30 days, a year 365.25 days)
-- ===================================================================
SELECT w, extract(epoch FROM w) AS epoch,
       window_funnel(w, t, e = 1, e = 2) AS level
FROM (VALUES (timestamptz '2024-01-01', 1), ('2024-01-31', 2)) v(t, e),
     (VALUES (1, interval '29 days 23:59:59.999999'), (2, '1 mon'), (3, '30 days'), (4, '1 mon -1 us'),
             (5, '720 hours'), (6, '1 day -24 hours'), (7, '0'), (8, '1 year')) w(i, w)
GROUP BY i, w ORDER BY i;
SELECT window_funnel(interval '1 year', t, e = 1, e = 2) AS one_year,
       window_funnel(interval '365 days 6 hours', t, e = 1, e = 2) AS same_seconds,
       window_funnel(interval '365 days 5:59:59', t, e = 1, e = 2) AS one_second_short
FROM (VALUES (timestamptz '2023-01-01 00:00', 1), ('2024-01-01 06:00', 2)) v(t, e);
-- windows are capped at 2^63 - 1 microseconds (about 292,000 years), less
-- than the span of timestamptz
SELECT window_funnel(interval '178000000 years', t, e = 1, e = 2) AS within_cap,
       window_funnel(interval '178000000 years', u, e = 1, e = 2) AS beyond_cap
FROM (VALUES (timestamptz '4713-01-01 BC', timestamptz '4713-01-01 BC', 1),
             ('2024-01-01', '294276-12-31', 2)) v(t, u, e);

-- ===================================================================
-- window_funnel_times: which chain
-- ===================================================================
-- the first chain to reach the deepest level: here level 2 is reached at
-- t = 3 (from the start at t = 2, the latest start), then again at t = 7
SELECT window_funnel_times(5, t, e = 'a', e = 'b', e = 'c') AS times
FROM (VALUES (1, 'a'), (2, 'a'), (3, 'b'), (6, 'a'), (7, 'b')) v(t, e);
-- a full funnel: the first completion, not a later one
SELECT window_funnel_times(5, t, e = 'a', e = 'b') AS times
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'b')) v(t, e);
-- step 2 happened twice before step 3: the latest one is reported
SELECT window_funnel_times(10, t, e = 'a', e = 'b', e = 'c') AS times
FROM (VALUES (1, 'a'), (2, 'b'), (4, 'b'), (5, 'c')) v(t, e);
-- strict_once: among chains completed by the same event, the latest start,
-- then the latest previous steps
SELECT window_funnel_times(10, 'strict_once', t, VARIADIC s) AS times
FROM (VALUES (1, '{t,f,f}'::boolean[]), (2, '{t,t,f}'), (3, '{f,t,f}'), (4, '{f,f,t}')) v(t, s);
SELECT window_funnel_times(10, 'strict_once', t, VARIADIC s) AS times
FROM (VALUES (1, '{t,f,f}'::boolean[]), (5, '{t,t,f}'), (5, '{f,t,t}'), (6, '{f,f,t}')) v(t, s);
-- time to convert per step, in one query
SELECT t[2] - t[1] AS to_step_2, t[3] - t[2] AS to_step_3
FROM (SELECT window_funnel_times(interval '7 days', at, ev = 'visit', ev = 'cart', ev = 'buy') AS t
      FROM (VALUES (timestamptz '2024-05-01 10:00', 'visit'), ('2024-05-01 10:20', 'cart'),
                   ('2024-05-03 09:00', 'buy')) v(at, ev)) s;

-- ===================================================================
-- NULLs and empty groups
-- ===================================================================
SELECT window_funnel(10, t, e = 'a', e = 'b') AS level, window_funnel_times(10, t, e = 'a', e = 'b') AS times
FROM (VALUES (NULL::bigint, 'a'), (5, 'a'), (6, NULL), (NULL, 'b'), (7, 'b')) v(t, e);
SELECT window_funnel(10, t, VARIADIC s) AS level
FROM (VALUES (1::bigint, '{t,NULL}'::boolean[]), (2, NULL), (3, '{NULL,t}')) v(t, s);
-- a NULL steps array matches no step: under strict_order it ends the search
SELECT window_funnel(10, 'strict_order', t, VARIADIC s) AS level
FROM (VALUES (1::bigint, '{t,f}'::boolean[]), (2, NULL), (3, '{f,t}')) v(t, s);
SELECT window_funnel(10, t, VARIADIC s) AS only_null_arrays
FROM (VALUES (1::bigint, NULL::boolean[]), (2, NULL)) v(t, s);
SELECT window_funnel(10, t, e = 'a') AS no_rows, window_funnel_times(10, t, e = 'a') AS no_rows_times
FROM (VALUES (1::bigint, 'a')) v(t, e) WHERE false;
SELECT window_funnel(interval '1 day', t, e = 'a') AS only_null_times,
       window_funnel_times(interval '1 day', t, e = 'a') AS times
FROM (VALUES (NULL::timestamptz, 'a')) v(t, e);
SELECT g, window_funnel(10, t, e = 'a', e = 'b') AS level, window_funnel_times(10, t, e = 'a', e = 'b') AS times
FROM (VALUES (1, 1::bigint, 'a'), (1, 2, 'b'), (2, 1, 'b'), (3, NULL, 'a')) v(g, t, e)
GROUP BY g ORDER BY g;

-- ===================================================================
-- Modes: spelling and combinations
-- ===================================================================
SELECT m AS mode, window_funnel(10, m, t, e = 'a', e = 'b', e = 'c') AS level
FROM (VALUES (1, 'a'), (2, 'x'), (3, 'b'), (3, 'b'), (4, 'c')) v(t, e),
     (VALUES (''), ('  '), ('STRICT_ORDER'), (' strict_order , strict_order '), ('strict_deduplication'),
             ('strict_order,strict_deduplication'), ('Strict_Once , allow_reentry,strict_order')) m(m)
GROUP BY m ORDER BY m;
-- the mode may come from a column, the same in every row of a group
SELECT g, m, window_funnel(10, m, t, e = 'a', e = 'b') AS level
FROM (VALUES (1, 'strict_order', 1, 'a'), (1, 'strict_order', 2, 'x'), (1, 'strict_order', 3, 'b'),
             (2, '', 1, 'a'), (2, '', 2, 'x'), (2, '', 3, 'b')) v(g, m, t, e)
GROUP BY g, m ORDER BY g;

-- ===================================================================
-- As a running (window) aggregate, and with ORDER BY in the aggregate
-- ===================================================================
SELECT t, e, window_funnel(10, t, e = 'a', e = 'b', e = 'c') OVER (ORDER BY t) AS level_so_far,
       window_funnel_times(10, t, e = 'a', e = 'b', e = 'c') OVER (ORDER BY t) AS times_so_far
FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'x'), (4, 'c')) v(t, e) ORDER BY t;
SELECT window_funnel(10, 'strict_once', t, e = 'a', e = 'b', e = 'c' ORDER BY t) AS ordered_input
FROM (VALUES (4::bigint, 'c'), (1, 'a'), (2, 'b')) v(t, e);

-- ===================================================================
-- Errors: SQLSTATE and hint
-- ===================================================================
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT window_funnel(-1, t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(interval '-1 day', t, true) FROM (VALUES (timestamptz '2024-01-01')) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(interval '1 day -25 hours', t, true) FROM (VALUES (timestamptz '2024-01-01')) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(NULL::bigint, t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(NULL::interval, t, true) FROM (VALUES (timestamptz '2024-01-01')) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, 'strict', t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, 'strict_order, strict_everything', t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, 'strict_order,', t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, 'allow_reentry', t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(interval '1 day', 'strict_once,allow_reentry', t, true) FROM (VALUES (timestamptz '2024-01-01')) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, NULL, t, true) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, t, VARIADIC '{}'::boolean[]) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, t, VARIADIC '{{t},{f}}'::boolean[]) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, t, VARIADIC array_fill(true, ARRAY[1025])) FROM (VALUES (1::bigint)) v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, t, VARIADIC s) FROM (VALUES (1::bigint, '{t,f}'::boolean[]), (2, '{t,f,f}')) v(t, s);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(w, t, true) FROM (VALUES (1::bigint, 1::bigint), (2, 2)) v(w, t);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel(1, m, t, true) FROM (VALUES ('strict_order', 1::bigint), ('strict_once', 2)) v(m, t);
\echo :LAST_ERROR_SQLSTATE
-- the limit on events per group: 16385 rows satisfying 1024 steps each
SELECT window_funnel(1, i::bigint, VARIADIC array_fill(true, ARRAY[1024])) FROM generate_series(1, 16385) i;
\echo :LAST_ERROR_SQLSTATE
-- the same mode spelled differently is the same mode
SELECT window_funnel(1, m, t, true) AS same_mode
FROM (VALUES ('strict_order', 1::bigint), (' STRICT_ORDER', 2)) v(m, t);
