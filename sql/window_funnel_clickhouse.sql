-- window_funnel against a line-by-line PL/pgSQL transcription of ClickHouse's windowFunnel.
--
-- window_funnel against a second, independent reference: a literal
-- transcription of ClickHouse's windowFunnel into PL/pgSQL
-- (test/include/reference_window_funnel_clickhouse.sql), on random groups over a time axis
-- of small integers, so that ties in time are frequent, with rows satisfying
-- several steps, repeated steps, rows satisfying none, NULL times and NULL
-- steps; in every valid combination of modes.  The output is the number of
-- cases checked and the number of mismatches, which must be 0.
--
-- Ties under strict_once: ClickHouse reads events of equal (time, step) in
-- arrival order (unique_id).  The level depends on that order only with
-- strict_once and strict_deduplication together (a step-k event whose row is
-- in every chain of step k-1 fails, the next one succeeds, or the other way
-- round); window_funnel documents a fixed order instead: by the ordered list
-- of steps each row satisfies.  The reference is fed the rows in that
-- documented order (time, then step list), i.e. it is ClickHouse with the
-- rows arriving in that order; window_funnel gets them in random order.
SET max_parallel_workers_per_gather = 0;
\set ECHO none
\i test/include/reference_window_funnel_clickhouse.sql
\set ECHO all
SELECT setseed(0.7319);

-- 1000 groups of 1 to 10 rows over 1 to 6 steps, times in 0..span-1
CREATE TEMP TABLE wfc_groups AS
SELECT g, 1 + floor(random() * 6)::int AS nsteps,
       (ARRAY[0, 1, 2, 3, 5, 100])[1 + floor(random() * 6)::int]::bigint AS win,
       1 + floor(random() * 10)::int AS nrows,
       (ARRAY[1, 2, 3, 5, 10])[1 + floor(random() * 5)::int] AS span
FROM generate_series(1, 1000) g;
-- no step (15%), one step (45%), or a random set of steps; 3% NULL times
CREATE TEMP TABLE wfc_rows AS
SELECT g, rid, random() AS shuffle,
       CASE WHEN random() < 0.03 THEN NULL ELSE floor(random() * span)::bigint END AS ts,
       CASE WHEN u < 0.15 THEN 0
            WHEN u < 0.60 THEN 1 << floor(random() * nsteps)::int
            ELSE floor(random() * (1 << nsteps))::int END AS mask,
       nsteps
FROM (SELECT g.g, r AS rid, g.span, g.nsteps, random() AS u
      FROM wfc_groups g, generate_series(1, g.nrows) r) x;
ALTER TABLE wfc_rows ADD COLUMN steps boolean[], ADD COLUMN step_list int[];
-- unsatisfied steps are sometimes NULL, which counts as false
UPDATE wfc_rows SET
  steps = (SELECT array_agg(CASE WHEN (mask >> (k - 1)) & 1 = 1 THEN true
                                 WHEN random() < 0.2 THEN NULL ELSE false END ORDER BY k)
           FROM generate_series(1, nsteps) k),
  step_list = (SELECT coalesce(array_agg(k ORDER BY k), '{}')
               FROM generate_series(1, nsteps) k WHERE (mask >> (k - 1)) & 1 = 1);
SELECT count(*) AS rows, count(*) FILTER (WHERE mask & (mask - 1) <> 0) AS multi_step_rows,
       (SELECT count(*) FROM (SELECT 1 FROM wfc_rows WHERE ts IS NOT NULL
                              GROUP BY g, ts HAVING count(*) > 1) t) AS tied_times,
       (SELECT count(*) FROM (SELECT 1 FROM wfc_rows WHERE ts IS NOT NULL AND mask <> 0
                              GROUP BY g, ts, step_list HAVING count(*) > 1) t) AS tied_step_lists
FROM wfc_rows;

\i test/include/fixture_window_funnel_modes.sql

SELECT count(DISTINCT m.mode) AS modes, count(*) AS cases,
       count(*) FILTER (WHERE x.level IS DISTINCT FROM x.ref) AS mismatches,
       count(*) FILTER (WHERE x.reversed IS DISTINCT FROM x.ref) AS reversed_mismatches,
       count(*) FILTER (WHERE cardinality(x.times) IS DISTINCT FROM x.ref) AS times_mismatches
FROM wf_modes m CROSS JOIN LATERAL (
    SELECT window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.shuffle) AS level,
           window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.shuffle DESC) AS reversed,
           window_funnel_times(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.shuffle) AS times,
           pg_temp.wf_clickhouse(g.win, m.mode,
                                 array_agg(r.ts ORDER BY r.ts, r.step_list, r.rid),
                                 array_agg(r.mask ORDER BY r.ts, r.step_list, r.rid), g.nsteps) AS ref
    FROM wfc_groups g JOIN wfc_rows r USING (g)
    GROUP BY g.g, g.win, g.nsteps) x;

-- strict_once on dense groups: 4 to 9 rows at 1 to 4 distinct times, most
-- of them satisfying runs of consecutive steps, so that one row can fill
-- several steps and chains compete for rows
CREATE TEMP TABLE wfc_dense_groups AS
SELECT g, 3 + floor(random() * 4)::int AS nsteps,
       (ARRAY[0, 1, 2, 100])[1 + floor(random() * 4)::int]::bigint AS win,
       4 + floor(random() * 6)::int AS nrows,
       1 + floor(random() * 4)::int AS span
FROM generate_series(1, 600) g;
CREATE TEMP TABLE wfc_dense_rows AS
SELECT g, rid, random() AS shuffle, floor(random() * span)::bigint AS ts,
       CASE WHEN u < 0.05 THEN 0
            WHEN u < 0.30 THEN 1 << floor(random() * nsteps)::int
            WHEN u < 0.65 THEN (1 << (2 + floor(random() * (nsteps - 1))::int)) - 1
                               << floor(random() * (nsteps - 1))::int
            ELSE floor(random() * (1 << nsteps))::int END & ((1 << nsteps) - 1) AS mask,
       nsteps
FROM (SELECT g.g, r AS rid, g.span, g.nsteps, random() AS u
      FROM wfc_dense_groups g, generate_series(1, g.nrows) r) x;
ALTER TABLE wfc_dense_rows ADD COLUMN steps boolean[], ADD COLUMN step_list int[];
UPDATE wfc_dense_rows SET
  steps = (SELECT array_agg((mask >> (k - 1)) & 1 = 1 ORDER BY k) FROM generate_series(1, nsteps) k),
  step_list = (SELECT coalesce(array_agg(k ORDER BY k), '{}')
               FROM generate_series(1, nsteps) k WHERE (mask >> (k - 1)) & 1 = 1);

SELECT count(DISTINCT m.mode) AS modes, count(*) AS cases,
       count(*) FILTER (WHERE x.level IS DISTINCT FROM x.ref) AS mismatches,
       count(*) FILTER (WHERE x.reversed IS DISTINCT FROM x.ref) AS reversed_mismatches
FROM wf_modes m CROSS JOIN LATERAL (
    SELECT window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.shuffle) AS level,
           window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.shuffle DESC) AS reversed,
           pg_temp.wf_clickhouse(g.win, m.mode,
                                 array_agg(r.ts ORDER BY r.ts, r.step_list, r.rid),
                                 array_agg(r.mask ORDER BY r.ts, r.step_list, r.rid), g.nsteps) AS ref
    FROM wfc_dense_groups g JOIN wfc_dense_rows r USING (g)
    GROUP BY g.g, g.win, g.nsteps) x
WHERE m.mode ~ 'strict_once';
