-- Benchmark data, generated from a fixed seed (psql variables set by
-- test/bench/run: seed, reached_rows, deals, events_per_deal, visits,
-- sellers, days, indicators, wide_visits; partitions, 8 when not set).  Serial on purpose: random() is deterministic
-- only in one process, so the same flags always give the same rows.
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
-- the cluster commits asynchronously; VACUUM marks a page all-visible only
-- once the commits of its rows are flushed, and the index-only scans of the
-- clustered layout read the heap for every page it did not mark
SET synchronous_commit = on;
SELECT setseed(:seed);
\if :{?partitions}
\else
\set partitions 8
\endif

DROP TABLE IF EXISTS bench_reached, bench_events, bench_events_timeline, bench_events_arrival, bench_events_part, bench_visits, bench_plans,
    bench_wide255, bench_wide6, bench_wide_values, bench_wide_size, bench_visits_spread;

-- funnel_conversion: one row per deal, the deepest stage it reached; about
-- 40% stop at the first stage, fewer at each later one.
CREATE TABLE bench_reached (deal_id bigint, reached stage);
INSERT INTO bench_reached
SELECT g, (ARRAY['1:lead', '2:qualified', '3:meeting', '4:proposal', '5:negotiation',
                 '6:contract', '7:won', '8:paid']::stage[])
          [least(8, 1 + floor(-ln(1 - random()) / 0.5))::int]
FROM generate_series(1, :reached_rows) g;

-- window_funnel: the events (events.sql)
\set events bench_events
\ir events.sql

-- stage_velocity: one row per stage visit over 8 stages; log-normal time
-- in stage (median 3 days); a tenth of the visits still open.
CREATE TABLE bench_visits (deal_id bigint, stage stage, entered_at timestamptz, left_at timestamptz);
INSERT INTO bench_visits
SELECT v.g / 4, v.s, v.entered_at,
       CASE WHEN random() < 0.1 THEN NULL
            ELSE v.entered_at + exp(ln(3) + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))
                                * interval '1 day'
       END
FROM (SELECT g,
             (ARRAY['1:lead', '2:qualified', '3:meeting', '4:proposal', '5:negotiation',
                    '6:contract', '7:won', '8:paid']::stage[])
             [least(8, 1 + floor(-ln(1 - random()) / 0.3))::int] AS s,
             timestamptz '2025-01-01 00:00+00' + random() * interval '365 days' AS entered_at
      FROM generate_series(1, :visits) g) v;

-- stage_velocity over many stages: wide_visits closed visits (a multiple
-- of 510) spread evenly over 255 stages, and the same number over 6; in
-- each stage the durations grow geometrically from 1 us to about 2^62 us,
-- so that a stage takes counters in every range of buckets.  Stage by
-- stage, as the rows of the query in issue D4 come.
CREATE TABLE bench_wide255 (stage stage, entered_at timestamptz, left_at timestamptz);
INSERT INTO bench_wide255
SELECT stage(p), t0, t0 + exp(k * (43.33 / (:wide_visits / 255)))::bigint * interval '1 microsecond'
FROM (SELECT timestamptz '2025-01-01 00:00+00' AS t0) c, generate_series(1, 255) p,
     generate_series(1, :wide_visits / 255) k
ORDER BY p, k;
CREATE TABLE bench_wide6 (stage stage, entered_at timestamptz, left_at timestamptz);
INSERT INTO bench_wide6
SELECT stage(p), t0, t0 + exp(k * (43.33 / (:wide_visits / 6)))::bigint * interval '1 microsecond'
FROM (SELECT timestamptz '2025-01-01 00:00+00' AS t0) c, generate_series(1, 6) p,
     generate_series(1, :wide_visits / 6) k
ORDER BY p, k;

-- velocity255_series computes the same rows as it aggregates them, in the
-- query of issue D4 (generate_series of stages and of visits per stage)
CREATE TABLE bench_wide_size AS SELECT :wide_visits / 255 AS per255, :wide_visits / 6 AS per6;

-- merging: the velocity of bench_wide255, and of its first 6 stages (the
-- same data per stage); stored uncompressed, so that reading one costs
-- what its size does.
CREATE TABLE bench_wide_values (stages int, v velocity);
ALTER TABLE bench_wide_values ALTER v SET STORAGE EXTERNAL;
INSERT INTO bench_wide_values
SELECT 255, stage_velocity(stage, entered_at, left_at) FROM bench_wide255
UNION ALL
SELECT 6, stage_velocity(stage, entered_at, left_at) FROM bench_wide255 WHERE stage_position(stage) <= 6;

-- plan_attainment: every seller, every indicator, every day; a day is met
-- about 40% of the time.
CREATE TABLE bench_plans (seller_id int, indicator text, day date, plan numeric(12,2),
                          actual numeric(12,2), PRIMARY KEY (seller_id, indicator, day));
INSERT INTO bench_plans
SELECT s, ind.name, date '2025-01-01' + dd, ind.plan, round(ind.plan * (0.4 + random())::numeric, 2)
FROM generate_series(1, :sellers) s,
     (SELECT (ARRAY['calls', 'meetings', 'proposals_sent', 'deals_won', 'revenue'])[1 + (i - 1) % 5]
                 || CASE WHEN i > 5 THEN '_' || i ELSE '' END AS name,
             (ARRAY[40, 4, 2, 1, 5000])[1 + (i - 1) % 5]::numeric AS plan
      FROM generate_series(1, :indicators) i) ind,
     generate_series(0, :days - 1) dd
ORDER BY 1, 2, 3;

-- stage_velocity over durations spread from seconds to months: the visits
-- of bench_visits (the same stages, entries and open visits), each closed
-- one lasting a log-uniform time from 1 second to 180 days, so that a stage
-- takes counters in about 24 octaves of buckets.  Made after every other
-- table that draws from random(), which keeps their rows as they were.
CREATE TABLE bench_visits_spread AS
SELECT deal_id, stage, entered_at,
       CASE WHEN left_at IS NOT NULL
            THEN entered_at + exp(random() * ln(180 * 86400)) * interval '1 second'
       END AS left_at
FROM bench_visits;

-- The same events in a table laid out as a CRM keeps a deal timeline: in
-- (deal_id, ts) order with a covering index on it, so both our query and
-- the baseline can read each deal's events in time order without a sort.
CREATE TABLE bench_events_timeline AS SELECT * FROM bench_events ORDER BY deal_id, ts;
CREATE INDEX bench_events_timeline_deal_ts ON bench_events_timeline (deal_id, ts) INCLUDE (event);

-- And in arrival order, as an event log appends them: each deal's events
-- are in time order, but spread over the whole table.
CREATE TABLE bench_events_arrival AS SELECT * FROM bench_events ORDER BY ts;

-- And hash-partitioned by deal, each partition in arrival order
-- (partition.sql).
\set part bench_events_part
\set source bench_events_arrival
\ir partition.sql

ALTER TABLE bench_reached SET (parallel_workers = 2);
ALTER TABLE bench_events SET (parallel_workers = 2);
ALTER TABLE bench_events_timeline SET (parallel_workers = 2);
ALTER TABLE bench_events_arrival SET (parallel_workers = 2);
ALTER TABLE bench_visits SET (parallel_workers = 2);
ALTER TABLE bench_visits_spread SET (parallel_workers = 2);
ALTER TABLE bench_plans SET (parallel_workers = 2);
ALTER TABLE bench_wide255 SET (parallel_workers = 2);
ALTER TABLE bench_wide6 SET (parallel_workers = 2);
VACUUM (FREEZE, ANALYZE) bench_reached, bench_events, bench_events_timeline, bench_events_arrival, bench_events_part, bench_visits, bench_plans,
    bench_wide255, bench_wide6, bench_wide_values, bench_visits_spread;
