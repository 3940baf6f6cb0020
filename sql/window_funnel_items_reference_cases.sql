-- The funnel items' slow reference itself, on small groups with hand-derived levels.
--
-- The slow reference of the funnel items (test/include/reference_window_funnel_items.sql)
-- checked by itself, on small groups whose levels were worked out by hand
-- from the definition by chains (issue 17), so that window_funnel_items_random
-- compares the C against something known right.  Every row prints the
-- hand-derived level beside the reference's; ok must be true throughout.
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_window_funnel_items.sql
\set ECHO all

-- A group written as text, one row per blank-separated word time:conds:
-- '3:1+4' is a row at time 3 satisfying conditions 1 and 4, '_:2' a row
-- without a time, '3:-' a row satisfying none.
CREATE FUNCTION pg_temp.wfi_rows(spec text, OUT times bigint[], OUT masks int[]) LANGUAGE sql AS $$
  SELECT array_agg(CASE WHEN split_part(w, ':', 1) = '_' THEN NULL ELSE split_part(w, ':', 1)::bigint END ORDER BY n),
         array_agg((SELECT coalesce(sum(1 << (c::int - 1)), 0)::int
                    FROM unnest(string_to_array(nullif(split_part(w, ':', 2), '-'), '+')) c) ORDER BY n)
  FROM regexp_split_to_table(btrim(spec), '\s+') WITH ORDINALITY u(w, n) $$;

CREATE TEMP TABLE wfi_cases (id int, win bigint, mode text, nconds int, rows text, expected int);
INSERT INTO wfi_cases VALUES
-- plain chains (no item): the definition without exclusions
  (1, 5, '', 3, '1:1 2:2 3:3', 3),                     -- steps in order within the window
  (2, 1, '', 3, '1:1 2:2 3:3', 2),                     -- step 3 at 3 > 1 + window 1
  (3, 5, '', 3, '3:1 2:2 4:3', 1),                     -- step 2's only row is before step 1
  (4, 5, '', 3, '5:1+2+3', 3),                         -- one row serves consecutive steps
  (5, 5, 'strict_increase', 3, '5:1+2+3', 1),          -- not under strict_increase
  (6, 5, 'strict_increase', 3, '1:1 1:2 2:3', 1),      -- step 2 must come after time 1, and has no such row
  (7, 5, '', 3, '5:2 5:1 5:3', 3),                     -- rows of one time in any order
  (8, 5, '', 3, '5:1+3 5:2', 3),                       -- row A steps 1 and 3, row B step 2, one time: times only
  (9, 5, '', 2, '_:1+2 2:2', 0),                       -- a row without a time matches nothing
  (10, 5, '', 3, '1:2 2:3', 0),                        -- no row for step 1
-- exclude E (between the first and the last step)
  (11, 5, 'exclude 3', 3, '1:1 2:3 3:2', 1),           -- E between steps 1 and 2 cuts before time 2
  (12, 5, 'exclude 3', 3, '1:1 3:2 4:3', 2),           -- E after the last step does not cut
  (13, 5, 'exclude 3', 3, '1:1 1:3 3:2', 2),           -- E at the time of step I: not after it
  (14, 5, 'exclude 3', 3, '1:1 3:3 3:2', 2),           -- E at the time of step J: not before it
  (15, 5, 'exclude 3', 3, '1:1 2:3 3:1 4:2', 2),       -- the chain from the later step 1 has no E inside
  (16, 5, 'exclude 3', 3, '1:1 2:3 4:2', 1),           -- only a cut chain: level 1
  (17, 5, 'exclude 4', 4, '1:1 2:2 3:4 4:3', 2),       -- cut at 3 keeps steps 1 and 2
  (18, 5, 'exclude 4', 4, '1:1 2:4 3:2', 1),           -- J not reached: no upper bound, E at 2 cuts
  (19, 5, 'exclude 4', 4, '0:4 1:1 2:2 3:3', 3),       -- E before step 1 does not cut
  (20, 9, 'exclude 4', 4, '1:1 2:2 9:3 10:4', 3),      -- E after the chain's last step, J reached
  (21, 2, 'exclude 4', 4, '1:1 2:2 9:3 10:4', 2),      -- J beyond the window: E at 10 cuts after every step
  (22, 5, 'exclude 4', 4, '1:1 2:2+4 3:3', 1),         -- a row both step 2 and E cuts before its own step
  (23, 5, 'exclude 4', 4, '1:1+4 2:2 3:3', 3),         -- a row both step 1 and E: not after step 1
-- exclude E between I and J
  (24, 5, 'exclude 4 between 2 and 3', 4, '1:1 2:4 3:2 4:3', 3),  -- E before step I does not cut
  (25, 5, 'exclude 4 between 2 and 3', 4, '1:1 2:2 3:4 4:3', 2),  -- E between I and J cuts after step 2
  (26, 5, 'exclude 4 between 1 and 2', 4, '1:1 3:2 4:4 5:3', 3),  -- E after J (step 2) does not cut
  (27, 5, 'exclude 4 between 1 and 2', 4, '1:1 2:4 3:2 4:3', 1),  -- E between steps 1 and 2
  (28, 5, 'exclude 4, exclude 5 between 2 and 3', 5, '1:1 2:2 3:5 4:3 5:4', 2),  -- only the second cuts
  (29, 5, 'exclude 4 between 1 and 3, exclude 5 between 2 and 3', 5, '1:1 2:4 3:2 4:5 5:3', 1),  -- both cut: the smaller level
  (30, 9, 'exclude 3', 3, '1:1 2:3 3:2 5:1 6:2', 2),   -- the chains from 1 are cut, the chain 5, 6 is not
-- optional K
  (31, 5, 'optional 2', 3, '1:1 2:3', 3),              -- step 2 skipped
  (32, 5, 'optional 2', 3, '1:1 2:2', 2),              -- level 2 without step 3
  (33, 5, 'optional 2', 3, '1:1 3:2 2:3', 3),          -- skipping step 2 reaches step 3 earlier
  (34, 5, 'optional 2, optional 3', 4, '1:1 2:4', 4),  -- two consecutive steps skipped
  (35, 5, 'optional 3', 4, '1:1 2:3 3:4', 1),          -- step 2 is not optional
  (36, 5, 'optional 2', 3, '1:1 2:3 3:2', 3),          -- step 3 before step 2: skip it
  (37, 5, 'optional 2, exclude 4 between 2 and 3', 4, '1:1 2:4 3:3', 3),  -- step I skipped: no cut
  (38, 5, 'optional 2, exclude 4 between 1 and 2', 4, '1:1 2:4 3:3', 1),  -- step J skipped: E after I cuts
  (39, 5, 'optional 2, exclude 4 between 1 and 2', 4, '1:1 2:3 3:4', 3),  -- J skipped, E after every step
-- step K within W
  (40, 10, 'step 2 within 1', 3, '1:1 3:2 4:3', 1),    -- step 2 two after step 1
  (41, 10, 'step 2 within 1', 3, '1:1 2:1 3:2 4:3', 3),  -- from the later step 1 it holds
  (42, 5, 'step 3 within 0', 3, '1:1 2:2 2:3', 3),     -- W = 0: the same time
  (43, 5, 'step 3 within 0, strict_increase', 3, '1:1 2:2 2:3', 2),  -- W = 0 and strict_increase: never
  (44, 3, 'step 3 within 2', 3, '1:1 3:2 5:3', 2),     -- within holds, the window from step 1 does not
  (45, 10, 'step 3 within 1', 3, '1:1 2:2 4:2 5:3', 3),  -- the later step 2 row
  (46, 5, 'optional 2, step 3 within 1', 3, '1:1 3:3', 1),  -- step 2 skipped: within from step 1
  (47, 5, 'optional 2, step 3 within 1', 3, '1:1 2:2 3:3', 3),  -- step 2 in the chain: within from it
  (48, 0, 'step 2 within 5', 2, '1:1 1:2', 2),         -- window 0: one time
  (49, 0, 'step 2 within 5', 2, '1:1 2:2', 1),         -- window 0: no later time
-- strict_increase with items
  (50, 5, 'exclude 3, strict_increase', 3, '1:1 1:2 2:2', 2),  -- the later step 2 row
  (51, 5, 'optional 2, strict_increase', 3, '1:1 1:2 1:3 2:3', 3),  -- skip 2, step 3 at 2
  (52, 5, 'optional 2, strict_increase', 3, '1:1+2+3', 1),  -- one row never serves two steps
-- any_order: distinct steps in a window [t(r), t(r) + window]
  (53, 2, 'any_order', 3, '1:3 2:1 3:2', 3),           -- all three in [1, 3]
  (54, 1, 'any_order', 3, '1:3 2:1 3:2', 2),           -- no window of 1 holds three
  (55, 5, 'any_order', 3, '1:1 2:1 3:1', 1),           -- one step many times counts once
  (56, 5, 'any_order', 3, '_:1+2+3 1:2', 1),           -- rows without a time count for nothing
  (57, 5, 'any_order', 3, '4:1+2+3', 3),               -- one row, three steps
  (58, 5, 'any_order', 3, '1:- 2:-', 0);               -- no row satisfies a step

SELECT c.id, c.mode, c.rows, c.expected,
       pg_temp.wfi_level(c.win, c.mode, c.nconds, r.times, r.masks) AS reference,
       pg_temp.wfi_level(c.win, c.mode, c.nconds, r.times, r.masks) = c.expected AS ok
FROM wfi_cases c, pg_temp.wfi_rows(c.rows) r ORDER BY c.id;

-- The same cases on the interval axis through the reference's interval path
-- (one unit a second, W written 'N seconds', everything in microseconds)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE pg_temp.wfi_level(pg_temp.wfi_usec(c.win * interval '1 second'),
                                                regexp_replace(c.mode, 'within (\d+)', 'within \1 seconds'), c.nconds,
                                                pg_temp.wfi_usec((SELECT array_agg(timestamptz '2024-01-01' + t * interval '1 second' ORDER BY n)
                                                                  FROM unnest(r.times) WITH ORDINALITY u(t, n))),
                                                r.masks, true) IS DISTINCT FROM c.expected) AS mismatches
FROM wfi_cases c, pg_temp.wfi_rows(c.rows) r;

-- The parsed mode: defaults filled in, items in any order
SELECT * FROM pg_temp.wfi_mode('exclude 4', 4);
SELECT * FROM pg_temp.wfi_mode('step 3 within 5 seconds, Exclude 5 between 2 and 3, optional 2, strict_increase', 5);

-- The chains window_funnel_times may report, and the checkers
CREATE TEMP TABLE wfi_time_cases (id int, win bigint, mode text, nconds int, rows text, reported bigint[], valid boolean);
INSERT INTO wfi_time_cases VALUES
  (1, 5, 'exclude 3', 3, '1:1 3:3 3:2', '{1,3}', true),          -- case 14: the uncut chain
  (2, 5, 'exclude 3', 3, '1:1 3:3 3:2', '{1}', false),           -- not the result level
  (3, 5, 'optional 2', 3, '1:1 3:2 2:3', '{1,NULL,2}', true),    -- case 33: the skip shown as NULL
  (4, 5, 'optional 2', 3, '1:1 3:2 2:3', '{1,3,2}', false),      -- times decrease
  (5, 9, 'exclude 3', 3, '1:1 2:3 3:2 5:1 6:2', '{5,6}', true),  -- case 30: the uncut chain
  (6, 9, 'exclude 3', 3, '1:1 2:3 3:2 5:1 6:2', '{1,3}', false), -- a cut chain
  (7, 9, 'exclude 3', 3, '1:1 2:3 3:2 5:1 6:2', '{1,6}', false), -- a cut chain
  (8, 5, 'exclude 4', 4, '1:1 2:2 3:4 4:3', '{1,2}', true),      -- case 17: the counted prefix, itself uncut
  (9, 5, 'exclude 3', 3, '1:2 2:3', '{}', true),                 -- level 0: no times
  (10, 1, 'any_order', 3, '1:3 2:1 3:2', '{2,NULL,1}', true),    -- case 54: the earliest best window [1, 2]
  (11, 1, 'any_order', 3, '1:3 2:1 3:2', '{NULL,3,NULL}', false),-- another window's times
  (12, 1, 'any_order', 3, '1:1 2:2 10:3', '{1,2}', true),        -- trimmed after the last step it has
  (13, 2, 'any_order', 3, '1:1 2:1 3:2', '{1,3}', true),         -- the earliest time of each step
-- of the uncut chains of the level, the one completed first, then the one started latest
  (14, 6, 'optional 2', 3, '1:1 3:1+2 7:1 7:3', '{7,NULL,7}', true), -- issue 27's F3: all complete at 7, the latest start
  (15, 6, 'optional 2', 3, '1:1 3:1+2 7:1 7:3', '{3,3,7}', false),   -- a chain of the level, started earlier
  (16, 5, 'optional 2', 3, '1:1 3:3 4:1 5:3', '{1,NULL,3}', true),   -- completed at 3
  (17, 5, 'optional 2', 3, '1:1 3:3 4:1 5:3', '{4,NULL,5}', false),  -- started later, but completed at 5
  (18, 5, 'optional 2', 3, '1:1 2:2 3:3', '{1,2,3}', true),          -- tied on completion and start: either
  (19, 5, 'optional 2', 3, '1:1 2:2 3:3', '{1,NULL,3}', true);
SELECT c.id, c.mode, c.rows, c.reported, c.valid,
       pg_temp.wfi_valid_times(c.win, c.mode, c.nconds, r.times, r.masks, c.reported) AS checker
FROM wfi_time_cases c, pg_temp.wfi_rows(c.rows) r ORDER BY c.id;
SELECT pg_temp.wfi_best_chains(5, 'optional 2', 3, r.times, r.masks) AS chain
FROM pg_temp.wfi_rows('1:1 2:2 2:3 4:3') r ORDER BY 1;
-- of those, the ones completed first (at 2), tied on the start
SELECT pg_temp.wfi_rule_chains(5, 'optional 2', 3, r.times, r.masks) AS chain
FROM pg_temp.wfi_rows('1:1 2:2 2:3 4:3') r ORDER BY 1;

-- window_funnel_values: the value of a row that satisfies step k at the
-- reported time k; NULL at a skipped step
SELECT pg_temp.wfi_valid_values(r.times, r.masks, '{a,b,c,d}', '{1,NULL,3}', '{a,NULL,d}') AS valid,
       pg_temp.wfi_valid_values(r.times, r.masks, '{a,b,c,d}', '{1,NULL,3}', '{a,NULL,c}') AS other_step,
       pg_temp.wfi_valid_values(r.times, r.masks, '{a,b,c,d}', '{1,2,3}', '{a,c,d}') AS other_time,
       pg_temp.wfi_valid_values(r.times, r.masks, '{a,b,c,d}', '{1,NULL,3}', '{a,b,d}') AS value_at_skip,
       pg_temp.wfi_valid_values(r.times, r.masks, '{a,b,c,d}', '{1,NULL,3}', '{a,NULL}') AS too_short
FROM pg_temp.wfi_rows('1:1 2:2 3:- 3:3') r;
-- the values owed: at each reported time, the value of the first row in the
-- feed order (row numbers) that satisfies the step then; NULL at a skipped
-- step; NULL as a whole when a reported time has no such row
SELECT pg_temp.wfi_first_values(r.times, r.masks, '{a,b,c,d}', '{1,2,3,4}', '{1,1,2}') AS in_order,
       pg_temp.wfi_first_values(r.times, r.masks, '{a,b,c,d}', '{4,3,2,1}', '{1,1,2}') AS reversed,
       pg_temp.wfi_first_values(r.times, r.masks, '{NULL,b,c,d}', '{1,2,3,4}', '{1,1,2}') AS null_value,
       pg_temp.wfi_first_values(r.times, r.masks, '{a,b,c,d}', '{1,2,3,4}', '{1,NULL,2}') AS skipped,
       pg_temp.wfi_first_values(r.times, r.masks, '{a,b,c,d}', '{1,2,3,4}', '{1,2,2}') AS no_row,
       pg_temp.wfi_first_values(r.times, r.masks, '{a,b,c,d}', '{1,2,3,4}', '{}') AS level_0
FROM pg_temp.wfi_rows('1:1 1:1+2 2:3 2:3') r;

-- the event-name form's condition masks: names may repeat
SELECT pg_temp.wfi_event_mask('b', '{a,b,c,b}') AS b, pg_temp.wfi_event_mask('z', '{a,b}') AS z,
       pg_temp.wfi_event_mask(NULL, '{a,b}') AS null_event;

-- modes the reference refuses (22023), as the C does
CREATE FUNCTION pg_temp.wfi_mode_sqlstate(mode text, nconds int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_temp.wfi_mode(mode, nconds);
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT mode, nconds, pg_temp.wfi_mode_sqlstate(mode, nconds) AS sqlstate
FROM (VALUES ('exclude 2', 3), ('exclude 4 between 2 and 2', 4), ('exclude 4 between 1 and 4', 4),
             ('optional 1', 3), ('optional 3', 3), ('step 1 within 2', 3), ('any_order, optional 2', 3),
             ('strict_order', 3)) v(mode, nconds);
