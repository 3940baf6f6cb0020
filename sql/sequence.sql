-- sequence_match, sequence_count and sequence_match_times: ClickHouse's
-- sequenceMatch family.  The cases below were run on ClickHouse 18.16
-- (sequenceMatch, sequenceCount over DateTime); their answers are the
-- columns ch_match and ch_count.
SET client_min_messages = warning;
CREATE TEMP TABLE ch_cases (id int, events text, pattern text, ch_match int, ch_count int);
-- events: "time:mask", bit k-1 of the mask is condition k; rows arrive as written
INSERT INTO ch_cases VALUES
 (1, '1:1 2:2', '(?1)(?2)', 1, 1),
 (2, '1:1 2:0 3:2', '(?1)(?2)', 1, 1),
 (3, '1:1 2:4 3:2', '(?1)(?2)', 0, 0),
 (4, '1:1 2:4 3:2', '(?1).(?2)', 1, 1),
 (5, '1:1 2:4 3:2', '(?1).*(?2)', 1, 1),
 (6, '1:3', '(?1)(?2)', 0, 0),
 (7, '1:3 2:3', '(?1)(?2)', 1, 1),
 (8, '1:1 2:4 3:2', '(?1)(?t<=5)(?2)', 1, 1),
 (9, '1:1 2:4 9:2', '(?1)(?t<=5)(?2)', 0, 0),
 (10, '1:1 3:2', '(?1)(?t<=2)(?2)', 1, 1),
 (11, '1:1 3:2', '(?1)(?t<2)(?2)', 0, 0),
 (12, '1:1 3:2', '(?1)(?t>=2)(?2)', 1, 1),
 (13, '1:1 3:2', '(?1)(?t>2)(?2)', 0, 0),
 (14, '1:1 2:2 4:2', '(?1)(?t>2)(?2)', 1, 1),
 (15, '1:1 5:2', '(?1).*(?t<=2)(?2)', 1, 1),
 (16, '1:1 2:4 3:2', '(?1).*(?t>1)(?2)', 0, 0),
 (17, '1:1 2:4 4:2', '(?1).*(?t>1)(?2)', 1, 1),
 (18, '1:1', '(?1)(?t<1)', 1, 1),
 (19, '1:1 5:4', '(?1)(?t<=1)', 0, 0),
 (20, '1:1 5:4', '(?1)(?t>1)', 1, 1),
 (21, '1:1', '(?1)(?t>0)', 0, 0),
 (22, '1:2 5:1', '(?t>1)(?1)', 1, 1),
 (23, '1:2 2:1', '(?t>1)(?1)', 0, 0),
 (24, '1:1 1:2', '(?1)(?2)', 1, 1),
 (25, '1:2 1:1', '(?1)(?2)', 0, 0),
 (26, '1:1 2:1 3:2 4:2', '(?1)(?2)', 1, 1),
 (27, '1:1 2:1 3:2 4:2', '(?1).*(?2)', 1, 1),
 (28, '1:1 2:2 3:1 4:2', '(?1).*(?2)', 1, 2),
 (29, '1:1 2:1 3:1 4:1', '(?1)(?1)', 1, 2),
 (30, '1:1 2:1 3:1', '(?1)(?1)', 1, 1),
 (31, '1:1 2:1 3:2', '(?1).*', 1, 2),
 (32, '1:1 2:2 3:4', '', 1, 3),
 (33, '1:1 2:2 3:4', '.', 1, 3),
 (34, '1:1 2:2 3:4', '..', 1, 1),
 (35, '1:1 9:2 10:1 20:2', '(?1)(?t>5)', 1, 2),
 (36, '1:1 2:1 9:2 10:2', '(?1)(?t>=3)(?2)', 1, 1),
 (37, '1:1 2:2 3:1 4:2', '(?1)(?t<=1)(?2)', 1, 2),
 (38, '1:1 2:2 3:8', '(?1).(?t<=1)(?4)', 1, 1),
 (39, '1:1 2:2 4:8', '(?1).(?t<=1)(?4)', 0, 0);
CREATE TEMP VIEW case_rows AS
SELECT c.id, c.pattern, split_part(x, ':', 1)::bigint AS t, split_part(x, ':', 2)::int AS m, o AS arrival
FROM ch_cases c, unnest(string_to_array(c.events, ' ')) WITH ORDINALITY u(x, o);

-- every case on both time axes (seconds are ClickHouse's unit), in arrival order
SELECT id, pattern, ch_match, ch_count, tz_match, tz_count, big_match, big_count, times
FROM ch_cases JOIN (
    SELECT id,
           sequence_match(pattern, to_timestamp(t), m & 1 > 0, m & 2 > 0, m & 4 > 0, m & 8 > 0 ORDER BY arrival)::int AS tz_match,
           sequence_count(pattern, to_timestamp(t), m & 1 > 0, m & 2 > 0, m & 4 > 0, m & 8 > 0 ORDER BY arrival) AS tz_count,
           sequence_match(pattern, t, m & 1 > 0, m & 2 > 0, m & 4 > 0, m & 8 > 0 ORDER BY arrival)::int AS big_match,
           sequence_count(pattern, t, m & 1 > 0, m & 2 > 0, m & 4 > 0, m & 8 > 0 ORDER BY arrival) AS big_count,
           sequence_match_times(pattern, t, m & 1 > 0, m & 2 > 0, m & 4 > 0, m & 8 > 0 ORDER BY arrival) AS times
    FROM case_rows GROUP BY id, pattern) r USING (id)
ORDER BY id;

-- the event-name form: condition N is event = steps[N]; a row of an event
-- outside the steps is no event, one of a step the pattern does not name is
SELECT sequence_match('(?1)(?2)', t, e, ARRAY['meeting', 'proposal', 'call'] ORDER BY t) AS adjacent,
       sequence_match('(?1).(?2)', t, e, ARRAY['meeting', 'proposal', 'call'] ORDER BY t) AS one_between,
       sequence_match('(?1)(?2)', t, e, ARRAY['meeting', 'proposal'] ORDER BY t) AS call_not_a_step,
       sequence_match_times('(?1).*(?2)', t, e, ARRAY['meeting', 'proposal'] ORDER BY t) AS times
FROM (VALUES (timestamptz '2026-03-02 10:00+00', 'meeting'), ('2026-03-02 11:00+00', 'note'),
             ('2026-03-03 09:00+00', 'call'), ('2026-03-03 15:00+00', 'proposal')) v(t, e);

-- time limits: seconds, or an interval in quotes on timestamptz times
SELECT sequence_match('(?1)(?t<=172800)(?2)', t, e = 'meeting', e = 'proposal') AS secs,
       sequence_match('(?1)(?t<=''2 days'')(?2)', t, e = 'meeting', e = 'proposal') AS two_days,
       sequence_match('(?1)(?t<''1 day 5 hours'')(?2)', t, e = 'meeting', e = 'proposal') AS one_day_5h,
       sequence_match('(?1)(?t==104400)(?2)', t, e = 'meeting', e = 'proposal') AS exactly,
       sequence_match('(?1)(?t>=''1 day 5 hours'')(?2)', t, e = 'meeting', e = 'proposal') AS at_least
FROM (VALUES (timestamptz '2026-03-02 10:00+00', 'meeting'), ('2026-03-03 15:00+00', 'proposal')) v(t, e);

-- NULL conditions are false, rows with a NULL time are skipped
SELECT sequence_match('(?1)(?2)', t, a, b ORDER BY t) AS null_cond_row_kept,
       sequence_count('(?1)', t, a, b) AS ones
FROM (VALUES (1::bigint, true, false), (2, NULL, true), (NULL, true, true), (3, true, NULL)) v(t, a, b);
SELECT sequence_match('(?1)(?2)', t, a, b ORDER BY t) AS null_row_is_an_event
FROM (VALUES (1::bigint, true, false), (2, false, NULL), (3, true, true)) v(t, a, b);

-- equal times: arrival order (here fixed by ORDER BY in the call)
SELECT sequence_match('(?1)(?2)', t, a, b ORDER BY k) AS a_first,
       sequence_match('(?1)(?2)', t, a, b ORDER BY k DESC) AS b_first
FROM (VALUES (1, 5::bigint, true, false), (2, 5, false, true)) v(k, t, a, b);

-- a group without rows: NULL; rows but no events; patterns that match nothing
SELECT sequence_match('(?1)', t, true), sequence_count('(?1)', t, true), sequence_match_times('(?1)', t, true)
FROM generate_series(1::bigint, 0) t;
SELECT sequence_match('(?1)', t, false) AS m, sequence_count('(?1)', t, false) AS c,
       sequence_match_times('(?1)', t, false) AS times, sequence_match('', t, false) AS empty_pattern,
       sequence_match_times('.*', t, false) AS star_times
FROM generate_series(1::bigint, 3) t;
-- ClickHouse's check at the end: a pattern of .*, <, <= and >= 0 only matches once the search fails
SELECT sequence_match('(?t<0)', t, true) AS m, sequence_count('(?t<0)', t, true) AS c,
       sequence_count('(?1)(?t<0)', t, true) AS c_event
FROM generate_series(1::bigint, 4) t;

-- many conditions: no limit of 32
SELECT sequence_count('(?1000).*(?1)', t, VARIADIC array_fill(false, ARRAY[999]) || (t % 2 = 0)) AS none_of_1,
       sequence_count('(?1000)(?1000)', t, VARIADIC array_fill(false, ARRAY[999]) || (t % 2 = 0)) AS pairs
FROM generate_series(1::bigint, 40) t;

-- a long group with a long pattern: linear work, no iteration limit
SELECT sequence_count(rtrim(repeat('(?1).*(?2).*', 10), '.*'), i, i % 3 = 0, i % 3 = 1, i % 3 = 2) AS matches,
       sequence_match('(?1).*(?2).*(?3)', i, i % 3 = 0, i % 3 = 1, i % 3 = 2) AS m
FROM generate_series(1::bigint, 300000) i;

-- the pattern and conditions must not change within a group
SELECT sequence_match(CASE WHEN t < 2 THEN '(?1)' ELSE '(?2)' END, t, true, true) FROM generate_series(1::bigint, 3) t;
SELECT sequence_match('(?1)', t, VARIADIC array_fill(true, ARRAY[t::int])) FROM generate_series(1::bigint, 3) t;

-- errors name the position, with the grammar in the hint
\set VERBOSITY default
SELECT sequence_match('(?1) (?2)', 1::bigint, true, true);
SELECT sequence_match('(?1)(?3)', 1::bigint, true, true);
SELECT sequence_match('(?0)', 1::bigint, true);
SELECT sequence_match('(?1)(?t<1)(?t<2)', 1::bigint, true);
SELECT sequence_match('(?1)(?t!=1)', 1::bigint, true);
SELECT sequence_match('(?1)(?t<=1.5)', 1::bigint, true);
SELECT sequence_match('(?1)(?t<=99999999999999999999)', 1::bigint, true);
SELECT sequence_match('(?1)(?t<=''1 day'')', 1::bigint, true);
SELECT sequence_match('(?1)(?t<=''-1 day'')', now(), true);
SELECT sequence_match('(?1)(?t<=''soon'')', now(), true);
SELECT sequence_match('(?1', 1::bigint, true);
SELECT sequence_match('(?1)*', 1::bigint, true);
SELECT sequence_match('é(?1)', 1::bigint, true);
SELECT sequence_match(repeat('.', 32769), 1::bigint, true);
SELECT sequence_match(NULL, 1::bigint, true);
SELECT sequence_count('(?1)', t, VARIADIC CASE WHEN t = 2 THEN NULL ELSE ARRAY[true] END) AS null_array_row_skipped FROM generate_series(1::bigint, 3) t;
SELECT sequence_match('(?1)', 1::bigint, VARIADIC '{}'::boolean[]);
SELECT sequence_match('(?1)', 1::bigint, VARIADIC array_fill(true, ARRAY[1025]));
SELECT sequence_match('(?1)', 1::bigint, 'a', NULL::text[]);
\set VERBOSITY terse
-- a valid pattern is accepted as it is: up to 32 KB, + before a number, leading zeros
SELECT sequence_match(repeat('.', 32764) || '(?1)', t, true) AS longest,
       sequence_match('(?+1)(?t<=+5)(?01)', t, true) AS plus
FROM generate_series(1::bigint, 2) t;
