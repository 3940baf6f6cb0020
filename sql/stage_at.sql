-- stage_at against plain SQL on random entered-only histories; ties, NULLs, forms, errors.
--
-- stage_at: the stage a deal was in at a moment, from its entered-only
-- history, compared with plain SQL on random histories; ties, NULLs, the
-- state's forms, parallel plans and errors.
SET timezone = 'UTC';
SELECT setseed(0.18);
CREATE TABLE sa_history AS
SELECT d AS deal, stage(p, 'stage ' || p) AS s,
       timestamptz '2026-01-01' + floor(random() * 60) * interval '1 day' AS entered_at
FROM generate_series(1, 3000) d, generate_series(1, 6) p
WHERE random() < 0.7;
INSERT INTO sa_history VALUES (1, NULL, '2026-01-02'), (1, '3:x', NULL);
ANALYZE sa_history;
CREATE TEMP TABLE sa_moments AS
SELECT timestamptz '2026-01-01' + n * interval '10 days' AS at FROM generate_series(-1, 7) n;

-- plain SQL: the latest entry at or before the moment, the higher stage on a tie
CREATE TEMP TABLE sa_expected AS
SELECT DISTINCT ON (m.at, h.deal) m.at, h.deal, h.s
FROM sa_moments m JOIN sa_history h ON h.entered_at <= m.at AND h.s IS NOT NULL
ORDER BY m.at, h.deal, h.entered_at DESC, h.s DESC;
CREATE TEMP TABLE sa_got AS
SELECT m.at, h.deal, stage_at(h.s, h.entered_at, m.at) AS s
FROM sa_moments m CROSS JOIN sa_history h GROUP BY m.at, h.deal;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE g.s IS DISTINCT FROM e.s) AS differ,
       count(*) FILTER (WHERE g.s IS NULL) AS before_any_entry,
       count(DISTINCT g.s) AS stages_seen
FROM sa_got g LEFT JOIN sa_expected e USING (at, deal);

-- the snapshot funnel of a date is one query
SELECT funnel_steps(funnel_conversion(s)) FROM (
  SELECT deal, stage_at(s, entered_at, timestamptz '2026-02-01') AS s FROM sa_history GROUP BY deal) per_deal
WHERE s IS NOT NULL LIMIT 2;

-- ties at one time take the higher stage; nothing at or before the moment is NULL
SELECT stage_at(s, t, timestamptz '2026-01-05') AS tie,
       stage_at(s, t, timestamptz '2026-01-01') AS before_all,
       stage_at(s, t, timestamptz '2026-01-03') AS exactly_at
FROM (VALUES ('2:b'::stage, timestamptz '2026-01-03'), ('4:d', '2026-01-03'), ('1:a', '2026-01-02')) v(s, t);
SELECT stage_at(s, t, now()) FROM (VALUES ('2:b'::stage, timestamptz '2026-01-03')) v(s, t) WHERE false;

-- parallel plans give the same answers
CREATE TEMP TABLE sa_serial AS
SELECT deal, stage_at(s, entered_at, timestamptz '2026-02-01') AS s FROM sa_history GROUP BY deal;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT deal, stage_at(s, entered_at, timestamptz '2026-02-01') FROM sa_history GROUP BY deal;
SELECT count(*) AS deals, count(*) FILTER (WHERE p.s IS DISTINCT FROM q.s) AS differ
FROM (SELECT deal, stage_at(s, entered_at, timestamptz '2026-02-01') AS s FROM sa_history GROUP BY deal) p
JOIN sa_serial q USING (deal);
EXPLAIN (COSTS OFF) SELECT stage_at(s, entered_at, timestamptz '2026-02-01') FROM sa_history;
SELECT stage_at(s, entered_at, timestamptz '2026-02-01') = (
         SELECT s FROM sa_history WHERE entered_at <= '2026-02-01' AND s IS NOT NULL
         ORDER BY entered_at DESC, s DESC LIMIT 1) AS same_as_sql
FROM sa_history;
RESET enable_hashagg;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE sa_history;

-- the state's text form round-trips, and bad ones are refused
CREATE AGGREGATE pg_temp.sa_partial(stage, timestamptz, timestamptz) (SFUNC = stage_at_trans, STYPE = stage_at_state);
CREATE AGGREGATE pg_temp.sa_combined(stage_at_state) (SFUNC = stage_at_combine, STYPE = stage_at_state, FINALFUNC = stage_at_final);
WITH p AS (SELECT pg_temp.sa_partial(s, t, timestamptz '2026-01-05') AS st
           FROM (VALUES ('2:b'::stage, timestamptz '2026-01-03'), ('4:dé', '2026-01-04')) v(s, t))
SELECT st::text, st::text::stage_at_state::text = st::text AS round_trip,
       (SELECT pg_temp.sa_combined(x) FROM (VALUES (st), (st::text::stage_at_state)) v(x)) AS combined
FROM p;
SELECT '\x02'::stage_at_state;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x0103000000000000000100000000000000020000'::stage_at_state;
\echo :LAST_ERROR_SQLSTATE
-- a time outside timestamptz's range is refused; the same state at a valid time is not
SELECT '\x0103000000000000001000000000000000000100'::stage_at_state::text AS valid_times;
SELECT '\x01037fffffffffffff0000000000000000000100'::stage_at_state;
\echo :LAST_ERROR_SQLSTATE

-- errors
SELECT stage_at(s, t, m) FROM (VALUES ('1:a'::stage, timestamptz '2026-01-01', timestamptz '2026-01-02'),
                                       ('2:b', '2026-01-01', '2026-01-03')) v(s, t, m);
\echo :LAST_ERROR_SQLSTATE
SELECT stage_at('1:a', now(), NULL);
\echo :LAST_ERROR_SQLSTATE

-- a state given as text is one the transitions could have written: the
-- first row sets the moment, so a state without it is not one (issue 27)
SELECT '\x0100000000000000000000000000000000000000'::stage_at_state;
\echo :LAST_ERROR_SQLSTATE
SELECT '\x0101000000000000000000000000000000000000'::stage_at_state::text AS moment_only;
