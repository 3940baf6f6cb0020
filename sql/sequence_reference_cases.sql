-- The sequence functions' slow reference itself, on ClickHouse's verified cases.
--
-- The reference of sequence_match, sequence_count and sequence_match_times
-- (test/include/reference_sequence.sql, a transliteration of ClickHouse's
-- backtracker) checked by itself, so that sequence_random compares the C
-- against something known right: the 39 cases the issue's research ran on
-- ClickHouse 18.16 (section 10; match and count are ClickHouse's columns),
-- a few more verified there, and the times of each first match, derived by
-- hand.  ok must be true throughout.
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_sequence.sql
\set ECHO all

-- A group written as ClickHouse's cases are: one row per blank-separated
-- word time:mask in arrival order, bit k-1 of mask = condition k ('_:1' a
-- row without a time)
CREATE FUNCTION pg_temp.seq_rows(spec text, OUT times bigint[], OUT masks int[]) LANGUAGE sql AS $$
  SELECT array_agg(nullif(split_part(w, ':', 1), '_')::bigint ORDER BY n),
         array_agg(split_part(w, ':', 2)::int ORDER BY n)
  FROM regexp_split_to_table(btrim(spec), '\s+') WITH ORDINALITY u(w, n) $$;

CREATE TEMP TABLE seq_cases (id int, rows text, pattern text, match int, count int, times bigint[]);
INSERT INTO seq_cases VALUES
  (1, '1:1 2:2', '(?1)(?2)', 1, 1, '{1,2}'),                   -- basic adjacency
  (2, '1:1 2:0 3:2', '(?1)(?2)', 1, 1, '{1,3}'),               -- a row satisfying no condition is no event
  (3, '1:1 2:4 3:2', '(?1)(?2)', 0, 0, NULL),                  -- a row of condition 3 only breaks adjacency
  (4, '1:1 2:4 3:2', '(?1).(?2)', 1, 1, '{1,3}'),              -- . is one event
  (5, '1:1 2:4 3:2', '(?1).*(?2)', 1, 1, '{1,3}'),             -- .* any number
  (6, '1:3', '(?1)(?2)', 0, 0, NULL),                          -- one row cannot serve two atoms
  (7, '1:3 2:3', '(?1)(?2)', 1, 1, '{1,2}'),                   -- rows satisfying several conditions
  (8, '1:1 2:4 3:2', '(?1)(?t<=5)(?2)', 1, 1, '{1,3}'),        -- events may lie between
  (9, '1:1 2:4 9:2', '(?1)(?t<=5)(?2)', 0, 0, NULL),           -- gap 8 > 5
  (10, '1:1 3:2', '(?1)(?t<=2)(?2)', 1, 1, '{1,3}'),           -- <= inclusive
  (11, '1:1 3:2', '(?1)(?t<2)(?2)', 0, 0, NULL),               -- < exclusive
  (12, '1:1 3:2', '(?1)(?t>=2)(?2)', 1, 1, '{1,3}'),           -- >= inclusive
  (13, '1:1 3:2', '(?1)(?t>2)(?2)', 0, 0, NULL),               -- > exclusive
  (14, '1:1 2:2 4:2', '(?1)(?t>2)(?2)', 1, 1, '{1,4}'),        -- > skips the too early (?2)
  (15, '1:1 5:2', '(?1).*(?t<=2)(?2)', 1, 1, '{1,5}'),         -- after .* the base is where the star stops
  (16, '1:1 2:4 3:2', '(?1).*(?t>1)(?2)', 0, 0, NULL),         -- 3 - 2 = 1, not > 1
  (17, '1:1 2:4 4:2', '(?1).*(?t>1)(?2)', 1, 1, '{1,4}'),      -- 4 - 2 = 2 > 1
  (18, '1:1', '(?1)(?t<1)', 1, 1, '{1}'),                      -- trailing < at the end of the events
  (19, '1:1 5:4', '(?1)(?t<=1)', 0, 0, NULL),                  -- trailing <= tests the next event
  (20, '1:1 5:4', '(?1)(?t>1)', 1, 1, '{1}'),                  -- trailing >: a later event
  (21, '1:1', '(?1)(?t>0)', 0, 0, NULL),                       -- trailing > without a later event
  (22, '1:2 5:1', '(?t>1)(?1)', 1, 1, '{5}'),                  -- leading time: base = the attempt's first event
  (23, '1:2 2:1', '(?t>1)(?1)', 0, 0, NULL),                   -- 2 - 1 not > 1
  (24, '1:1 1:2', '(?1)(?2)', 1, 1, '{1,1}'),                  -- equal times, arrival 1, 2
  (25, '1:2 1:1', '(?1)(?2)', 0, 0, NULL),                     -- equal times, arrival 2, 1
  (26, '1:1 2:1 3:2 4:2', '(?1)(?2)', 1, 1, '{2,3}'),          -- count: 1, 1, 2, 2 adjacent
  (27, '1:1 2:1 3:2 4:2', '(?1).*(?2)', 1, 1, '{1,3}'),        -- count restarts after the 2 at 3
  (28, '1:1 2:2 3:1 4:2', '(?1).*(?2)', 1, 2, '{1,2}'),        -- two, not overlapping
  (29, '1:1 2:1 3:1 4:1', '(?1)(?1)', 1, 2, '{1,2}'),          -- pairs not overlapping
  (30, '1:1 2:1 3:1', '(?1)(?1)', 1, 1, '{1,2}'),              -- three events, one pair
  (31, '1:1 2:1 3:2', '(?1).*', 1, 2, '{1}'),                  -- trailing .* is lazy
  (32, '1:1 2:2 3:4', '', 1, 3, '{}'),                         -- empty pattern: count = events
  (33, '1:1 2:2 3:4', '.', 1, 3, '{}'),
  (34, '1:1 2:2 3:4', '..', 1, 1, '{}'),
  (35, '1:1 9:2 10:1 20:2', '(?1)(?t>5)', 1, 2, '{1}'),        -- trailing time consumes nothing
  (36, '1:1 2:1 9:2 10:2', '(?1)(?t>=3)(?2)', 1, 1, '{1,9}'),
  (37, '1:1 2:2 3:1 4:2', '(?1)(?t<=1)(?2)', 1, 2, '{1,2}'),
  (38, '1:1 2:2 3:8', '(?1).(?t<=1)(?4)', 1, 1, '{1,3}'),      -- . then time: base = the dot's event
  (39, '1:1 2:2 4:8', '(?1).(?t<=1)(?4)', 0, 0, NULL),         -- 4 - 2 > 1
-- the research's other cases verified on 18.16
  (40, '1:1', '(?1)(?t>=0)', 1, 1, '{1}'),                     -- trailing >= 0 at the end: matches
  (41, '1:1', '(?1)(?t>=1)', 0, 0, NULL),
  (42, '5:1', '(?t<=1)(?1)', 1, 1, '{5}'),
  (43, '1:1 _:1 3:2', '(?1)(?2)', 1, 1, '{1,3}'),              -- a row without a time is skipped
  (44, '1:1 _:2', '(?1)(?2)', 0, 0, NULL),
-- the issue's: sequence_match_times without a match is NULL (ClickHouse's
-- #118120 example), patterns of .*, <, <=, >= 0 only match any events
  (45, '0:1 5:2 100:2 101:4', '(?1)(?t<=10)(?2)(?3)', 0, 0, NULL),
  (46, '1:1 2:2', '(?t<0)', 1, 1, '{}'),
  (47, '1:1 2:2', '.*(?t<0).*(?t>=0)', 1, 1, '{}'),
  (48, '1:0', '', 1, 0, '{}'),                                 -- rows but no events
  (49, '1:0', '(?t<=3)', 1, 0, '{}'),
  (50, '1:0', '(?1)', 0, 0, NULL),
  (51, '1:0', '.', 0, 0, NULL),
-- time conditions scanning: == looks for an event exactly V after the base,
-- a satisfied time condition is retried at later events with the old base
  (52, '1:1 2:2 3:2 4:2', '(?1)(?t==2)(?2)', 1, 1, '{1,3}'),
  (53, '1:1 2:2 4:2', '(?1)(?t==2)(?2)', 0, 0, NULL),
  (54, '1:1 2:4 3:2', '(?1)(?t<=5).(?2)', 1, 1, '{1,3}'),      -- <= holds at 2, . takes 2, (?2) at 3
  (55, '1:1 2:4 3:4 4:2', '(?1)(?t<=1).(?2)', 0, 0, NULL),     -- <= fails at 3: backtrack, no other start
  (56, '1:1 2:1 3:4 4:2', '(?1)(?t<=1).(?2)', 1, 1, '{2,4}');  -- from the 1 at 2: <= at 3, . takes 3

SELECT c.id, c.rows, c.pattern, c.match, c.count, c.times, r.matched, r.count AS ref_count, r.match_times,
       r.matched = (c.match = 1) AND r.count = c.count AND r.match_times IS NOT DISTINCT FROM c.times AS ok
FROM seq_cases c, pg_temp.seq_rows(c.rows) g, pg_temp.seq_reference(c.pattern, g.times, g.masks) r
ORDER BY c.id;

-- ClickHouse's DFA (sequenceMatch's matcher for patterns without time
-- conditions) on the cases without time conditions
SELECT count(*) AS cases,
       count(*) FILTER (WHERE pg_temp.seq_dfa(x.kinds, x.extras, e.etimes, e.emasks) IS DISTINCT FROM (c.match = 1)) AS mismatches
FROM seq_cases c, pg_temp.seq_rows(c.rows) g, pg_temp.seq_parse(c.pattern) x, pg_temp.seq_events(g.times, g.masks) e
WHERE c.pattern NOT LIKE '%(?t%';

-- The same cases on the timestamptz axis through the reference's
-- microsecond path (one unit a second)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE r.matched IS DISTINCT FROM (c.match = 1) OR r.count IS DISTINCT FROM c.count::bigint
                        OR r.match_times IS DISTINCT FROM
                           (SELECT CASE WHEN c.times IS NOT NULL
                                        THEN coalesce(array_agg(pg_temp.seq_usec(timestamptz '2024-01-01' + x * interval '1 second')
                                                                ORDER BY n), '{}') END
                            FROM unnest(c.times) WITH ORDINALITY u(x, n))) AS mismatches
FROM seq_cases c, pg_temp.seq_rows(c.rows) g,
     LATERAL (SELECT array_agg(pg_temp.seq_usec(timestamptz '2024-01-01' + x * interval '1 second') ORDER BY n) AS tz
              FROM unnest(g.times) WITH ORDINALITY u(x, n)) t,
     pg_temp.seq_reference(c.pattern, t.tz, g.masks, true) r;

-- V as a quoted interval on the timestamptz axis
SELECT pattern, (pg_temp.seq_parse(pattern, true)).extras
FROM (VALUES ('(?1)(?t<=''2 days'')(?2)'), ('(?1)(?t>''90 seconds'')(?2)'), ('(?t==5)(?1)')) v(pattern);

-- A group without rows: NULL throughout
SELECT * FROM pg_temp.seq_reference('(?1)', '{}', '{}');

-- The event-name form's condition masks: names may repeat
SELECT pg_temp.seq_event_mask('b', '{a,b,c,b}') AS b, pg_temp.seq_event_mask('z', '{a,b}') AS z,
       pg_temp.seq_event_mask(NULL, '{a,b}') AS null_event;

-- Patterns the reference refuses (22023)
CREATE FUNCTION pg_temp.seq_parse_sqlstate(pattern text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_temp.seq_parse(pattern);
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT pattern, pg_temp.seq_parse_sqlstate(pattern) AS sqlstate
FROM (VALUES ('(?1)(?t<1)(?t>2)'), ('(?1) (?2)'), ('(?0)'), ('(?t!=1)(?1)'), ('(?1)(?t<=''1 day'')'),
             ('a'), ('(?1'), ('(?t<1)(?1)')) v(pattern);
