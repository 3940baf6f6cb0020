-- stage_velocity from entered-only histories equals the lead() window formulation.
--
-- velocity from histories that only record when a deal entered a stage:
-- stage_velocity(deal_id, stage, entered_at), against the window-function
-- formulation stage_velocity(stage, entered_at, lead(entered_at) OVER ...)
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TABLE entries (deal bigint, s stage, entered_at timestamptz);
INSERT INTO entries VALUES
  (1, '1:lead',     '2025-01-01'),
  (1, '2:meeting',  '2025-01-03'),
  (1, '1:lead',     '2025-01-04'),   -- back to lead
  (1, '3:proposal', '2025-01-10'),   -- last entry: open
  (2, '2:meet',     '2025-01-01'),   -- same moment as its lead: ordered by position
  (2, '1:lead',     '2025-01-01'),
  (2, '4',          '2025-01-02'),
  (3, '1:lead',     '2025-01-05'),   -- a deal with one entry: open
  (NULL, '1:lead',  '2025-01-01'),   -- skipped: NULL deal
  (4, NULL,         '2025-01-01'),   -- skipped: NULL stage
  (4, '1:lead',     NULL);           -- skipped: NULL entered_at
-- lead: 2 and 6 days (deal 1), 0 (deal 2), open (deal 3); meeting: 1 day twice
SELECT stage_velocity(deal, s, entered_at) FROM entries;
SELECT position, stage, visits, exits, open, avg_days, max_days FROM velocity_steps((SELECT stage_velocity(deal, s, entered_at) FROM entries));
-- input order does not matter
SELECT (SELECT stage_velocity(deal, s, entered_at ORDER BY entered_at DESC, deal DESC) FROM entries)::text
       = (SELECT stage_velocity(deal, s, entered_at ORDER BY deal, entered_at) FROM entries)::text AS order_independent;
-- no rows, or only skipped rows: NULL
SELECT stage_velocity(deal, s, entered_at) IS NULL AS empty FROM entries WHERE false;
SELECT stage_velocity(deal, s, entered_at) IS NULL AS all_skipped FROM entries WHERE deal IS NULL OR deal = 4;

-- the window-function formulation gives the same velocity
SELECT (SELECT stage_velocity(deal, s, entered_at) FROM entries)::text
       = (SELECT stage_velocity(s, entered_at, next_at)
          FROM (SELECT s, entered_at, lead(entered_at) OVER (PARTITION BY deal ORDER BY entered_at, s) AS next_at
                FROM entries WHERE deal IS NOT NULL AND s IS NOT NULL AND entered_at IS NOT NULL) w)::text AS same_as_window;

-- randomized: 2000 deals, returns to earlier stages, ties, varying names
SELECT setseed(0.77);
CREATE TABLE hist AS
SELECT deal, 1 + deal % 5 AS team,
       stage(pos, CASE WHEN random() < 0.3 THEN 'alt ' || pos WHEN random() < 0.1 THEN NULL ELSE 'stage ' || pos END) AS s,
       CASE WHEN random() < 0.05 THEN timestamptz '2025-01-01'                       -- ties
            ELSE timestamptz '2025-01-01' + random() * interval '400 days' END AS entered_at
FROM (SELECT deal, 1 + floor(random() * 7)::int AS pos
      FROM generate_series(1, 2000) deal, generate_series(1, 1 + floor(random() * 9)::int) k) x;
INSERT INTO hist VALUES (NULL, 1, '1:x', '2025-01-01'), (5, 1, NULL, '2025-01-01'), (6, 1, '2:x', NULL);
SELECT count(*) AS entries, count(DISTINCT deal) AS deals FROM hist;
CREATE TABLE hist_window AS
SELECT team, stage_velocity(s, entered_at, next_at) AS v
FROM (SELECT team, s, entered_at, lead(entered_at) OVER (PARTITION BY deal ORDER BY entered_at, s) AS next_at
      FROM hist WHERE deal IS NOT NULL AND s IS NOT NULL AND entered_at IS NOT NULL) w
GROUP BY ROLLUP (team);
SELECT count(*) FILTER (WHERE h.v::text IS DISTINCT FROM w.v::text) AS mismatches, count(*) AS groups
FROM hist_window w
FULL JOIN (SELECT team, stage_velocity(deal, s, entered_at) AS v FROM hist GROUP BY ROLLUP (team)) h
  ON coalesce(h.team, 0) = coalesce(w.team, 0);

-- parallel plans (serialize, deserialize, combine) equal the serial result
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT team, stage_velocity(deal, s, entered_at) FROM hist GROUP BY team;
SELECT count(*) FILTER (WHERE h.v::text IS DISTINCT FROM w.v::text) AS parallel_mismatches, count(*) AS groups
FROM hist_window w
JOIN (SELECT team, stage_velocity(deal, s, entered_at) AS v FROM hist GROUP BY team) h USING (team);
SELECT (SELECT stage_velocity(deal, s, entered_at) FROM hist)::text
       = (SELECT v::text FROM hist_window WHERE team IS NULL) AS parallel_total_equal;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- bad input: infinite times, 22008
\set VERBOSITY terse
SELECT stage_velocity(1, '1:lead'::stage, '-infinity');
SELECT stage_velocity(1, '1:lead'::stage, 'infinity');
\set VERBOSITY default
-- a state given as text is one the transitions could have written: a name
-- only for a position with entries, positions ascending, each once (issue
-- 27, F2: the final function named a stage it had no record of)
CREATE AGGREGATE pg_temp.ev_vh(stage_velocity_history)
  (sfunc = velocity_history_combine, stype = stage_velocity_history, finalfunc = velocity_history_final);
SELECT pg_temp.ev_vh('\x01000000000000000100000000000000010002ea470ae860000102016100'::stage_velocity_history);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.ev_vh(('\x01000000000000000100000000000000010002ea470ae860000102ff' || repeat('61', 255) || '00')::stage_velocity_history);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.ev_vh('\x01000000000000000100000000000000010002ea470ae860000101016100'::stage_velocity_history)::text AS named_entered;
-- a position named twice, names out of order, a name in a state without entries
SELECT '\x01000000000000000100000000000000010002ea470ae860000101016101016200'::stage_velocity_history;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x01000000000000000200000000000000010002ea470ae860000100000000000000010002ea470ae860000202016201016100'::stage_velocity_history;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x01000000000000000001016100'::stage_velocity_history;
\echo :LAST_ERROR_SQLSTATE
-- (combined into a state with entries elsewhere, that name was F2 too); an empty state is fine
SELECT pg_temp.ev_vh(x ORDER BY o)::text AS no_names
FROM (VALUES (1, '\x01000000000000000100000000000000010002ea470ae860000200'::stage_velocity_history),
             (2, '\x01000000000000000000'::stage_velocity_history)) v(o, x);

DROP TABLE entries, hist, hist_window;
