-- window_funnel against its slow PL/pgSQL reference on random groups, in every mode.
--
-- window_funnel against a slow PL/pgSQL reference (test/include/reference_window_funnel.sql)
-- on random groups: ties in time, rows satisfying several steps, repeated
-- steps, rows satisfying none, NULL times and NULL steps; every mode and
-- every valid combination of modes.  The output is the number of groups
-- compared and the number of mismatches, which must be 0.
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_window_funnel.sql
\set ECHO all
SELECT setseed(0.4242);

-- 1000 groups of 1 to 9 rows over 1 to 5 steps; times from a narrow range
-- so that many rows share a time
CREATE TEMP TABLE wf_groups AS
SELECT g, 1 + floor(random() * 5)::int AS nsteps,
       (ARRAY[0, 1, 2, 3, 5, 8, 1000])[1 + floor(random() * 7)::int]::bigint AS win,
       1 + floor(random() * 9)::int AS nrows,
       (ARRAY[2, 4, 8, 16])[1 + floor(random() * 4)::int] AS span
FROM generate_series(1, 1000) g;
-- a row satisfies no step (15%), one step (50%) or a random set of steps
CREATE TEMP TABLE wf_rows AS
SELECT g, rid,
       CASE WHEN random() < 0.05 THEN NULL ELSE floor(random() * span)::bigint END AS ts,
       CASE WHEN u < 0.15 THEN 0
            WHEN u < 0.65 THEN 1 << floor(random() * nsteps)::int
            ELSE floor(random() * (1 << nsteps))::int END AS mask,
       nsteps
FROM (SELECT g.g, r AS rid, g.span, g.nsteps, random() AS u
      FROM wf_groups g, generate_series(1, g.nrows) r) x;
-- the steps as booleans; some unsatisfied steps are NULL
ALTER TABLE wf_rows ADD COLUMN steps boolean[];
UPDATE wf_rows SET steps = (SELECT array_agg(CASE WHEN (mask >> (k - 1)) & 1 = 1 THEN true
                                                 WHEN random() < 0.2 THEN NULL ELSE false END ORDER BY k)
                            FROM generate_series(1, nsteps) k);
SELECT count(*) AS rows, count(*) FILTER (WHERE ts IS NULL) AS null_times,
       count(*) FILTER (WHERE mask = 0) AS no_step,
       count(*) FILTER (WHERE mask & (mask - 1) <> 0) AS several_steps,
       count(*) FILTER (WHERE array_position(steps, NULL) IS NOT NULL) AS with_null_steps
FROM wf_rows;

\i test/include/fixture_window_funnel_modes.sql

-- level and reported chain, on the bigint axis
SELECT m.mode, count(*) AS groups,
       count(*) FILTER (WHERE x.level IS DISTINCT FROM cardinality(x.ref)) AS level_mismatches,
       count(*) FILTER (WHERE x.times IS DISTINCT FROM x.ref) AS times_mismatches
FROM wf_modes m CROSS JOIN LATERAL (
    SELECT window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps) AS level,
           window_funnel_times(g.win, m.mode, r.ts, VARIADIC r.steps) AS times,
           pg_temp.wf_reference(g.win, m.mode, array_agg(r.ts ORDER BY r.rid),
                                array_agg(r.mask ORDER BY r.rid), g.nsteps) AS ref
    FROM wf_groups g JOIN wf_rows r USING (g)
    GROUP BY g.g, g.win, g.nsteps) x
GROUP BY m.mode ORDER BY m.mode;

-- the same groups on the timestamptz axis (one unit = one minute), and with
-- rows fed in time order (no sort needed) and in reverse order
SELECT count(*) AS checks,
       count(*) FILTER (WHERE x.on_bigint IS DISTINCT FROM x.on_timestamptz) AS axis_mismatches,
       count(*) FILTER (WHERE x.on_bigint IS DISTINCT FROM x.sorted_input) AS sorted_mismatches,
       count(*) FILTER (WHERE x.on_bigint IS DISTINCT FROM x.reversed_input) AS reversed_mismatches,
       count(*) FILTER (WHERE x.times IS DISTINCT FROM x.times_tz) AS times_mismatches
FROM wf_modes m CROSS JOIN LATERAL (
    SELECT window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps) AS on_bigint,
           window_funnel(g.win * interval '1 minute', m.mode,
                         timestamptz '2024-01-01' + r.ts * interval '1 minute', VARIADIC r.steps) AS on_timestamptz,
           window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.ts) AS sorted_input,
           window_funnel(g.win, m.mode, r.ts, VARIADIC r.steps ORDER BY r.ts DESC, r.rid DESC) AS reversed_input,
           window_funnel_times(g.win, m.mode, r.ts, VARIADIC r.steps) AS times,
           (SELECT coalesce(array_agg((extract(epoch FROM z - timestamptz '2024-01-01') / 60)::bigint), '{}')
            FROM unnest(window_funnel_times(g.win * interval '1 minute', m.mode,
                                            timestamptz '2024-01-01' + r.ts * interval '1 minute',
                                            VARIADIC r.steps)) z) AS times_tz
    FROM wf_groups g JOIN wf_rows r USING (g)
    GROUP BY g.g, g.win) x;

-- The streamed evaluation: when the plan proves that each group's rows
-- arrive in time order (a GroupAggregate reading an index on (group, ts),
-- or a sort on (group, ts); or ORDER BY ts in the call, above), the modes
-- without strict_once keep only the search's records.  Each plan is shown,
-- then compared with the reference.
ALTER TABLE wf_rows ADD COLUMN win bigint;
UPDATE wf_rows r SET win = g.win FROM wf_groups g WHERE g.g = r.g;
CREATE INDEX wf_rows_g_ts ON wf_rows (g, ts);
ANALYZE wf_rows;
CREATE TEMP TABLE wf_ref AS
SELECT m.mode, r.g, pg_temp.wf_reference(min(r.win), m.mode, array_agg(r.ts ORDER BY r.rid),
                                         array_agg(r.mask ORDER BY r.rid), min(r.nsteps)) AS ref
FROM wf_modes m, wf_rows r GROUP BY m.mode, r.g;
-- the levels and times of every mode over rows read FROM source, against the reference
CREATE FUNCTION pg_temp.wf_plan_mismatches(source text) RETURNS TABLE (mode text, groups bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
DECLARE
    m text;
BEGIN
    CREATE TEMP TABLE wf_out (mode text, g int, level int, times bigint[]);
    FOR m IN SELECT w.mode FROM wf_modes w LOOP
        EXECUTE format('INSERT INTO wf_out SELECT %L, g, window_funnel(win, %L, ts, VARIADIC steps), '
                       'window_funnel_times(win, %L, ts, VARIADIC steps) FROM %s GROUP BY g', m, m, m, source);
    END LOOP;
    RETURN QUERY
    SELECT o.mode, count(*), count(*) FILTER (WHERE o.level IS DISTINCT FROM cardinality(f.ref)
                                                 OR o.times IS DISTINCT FROM f.ref)
    FROM wf_out o JOIN wf_ref f USING (mode, g) GROUP BY o.mode ORDER BY o.mode;
    DROP TABLE wf_out;
END
$$;
SET enable_hashagg = off;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT g, window_funnel(win, 'strict_order', ts, VARIADIC steps) FROM wf_rows GROUP BY g;
SELECT * FROM pg_temp.wf_plan_mismatches('wf_rows');
RESET enable_seqscan;
SET enable_indexscan = off;
EXPLAIN (COSTS OFF)
SELECT g, window_funnel(win, 'strict_order', ts, VARIADIC steps)
FROM (SELECT * FROM wf_rows ORDER BY g, ts OFFSET 0) s GROUP BY g;
SELECT * FROM pg_temp.wf_plan_mismatches('(SELECT * FROM wf_rows ORDER BY g, ts OFFSET 0) s');
RESET enable_indexscan;
RESET enable_hashagg;
RESET enable_bitmapscan;
DROP INDEX wf_rows_g_ts;
