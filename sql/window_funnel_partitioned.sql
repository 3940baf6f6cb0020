-- window_funnel, window_funnel_times and window_funnel_values over partitioned tables, in partitionwise and parallel plans, give the serial plain table's results.
--
-- The same events in a plain table, hash-partitioned by deal (full
-- partitionwise aggregation: each partition's groups are whole) and
-- range-partitioned by month (partial partitionwise aggregation: a deal that
-- spans two months is combined).  Each plan is checked by its shape (from
-- EXPLAIN (FORMAT JSON), so no plan text is printed), then its results for
-- both time axes against the serial plain table's, with EXCEPT ALL both ways.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- 600 deals x 8 events, deterministic (h is a hash of deal and event
-- number): a deal starts on one of 120 days (January to April 2026) and its
-- events come about 12 hours apart, now and then 26 minutes, so times are
-- unique within a deal (window_funnel_values then has one row per step and
-- time to take its value from) and a 3-day window cuts some chains; mostly
-- forward through the steps, a fifth of the events match no step.  Stored
-- in an order that is neither deal nor time order.
CREATE TABLE wfp_plain (deal_id bigint, ts timestamptz, tn bigint, event text, v int);
INSERT INTO wfp_plain
SELECT d, timestamptz '2026-01-01' + m * interval '1 minute', m, event, d * 100 + j
FROM (SELECT d, j, (d * 37 % 120) * 1440 + j * 700 + (d * 31 + j * 17) % 691 AS m,
             CASE WHEN h % 5 = 0
                  THEN (ARRAY['email_opened', 'site_visit'])[1 + h / 5 % 2]
                  ELSE (ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent', 'contract_signed', 'paid'])
                       [greatest(1, least(6, j - h / 10 % 3))]
             END AS event
      FROM generate_series(1, 600) d, generate_series(1, 8) j,
           LATERAL (SELECT (d * 7919 + j * 6007) * 2654435761 % 4294967291 AS h) x) e
ORDER BY (d * 7919 + j * 104729) % 10007, d, j;

CREATE TABLE wfp_hash (LIKE wfp_plain) PARTITION BY HASH (deal_id);
CREATE TABLE wfp_hash_0 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 0);
CREATE TABLE wfp_hash_1 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 1);
CREATE TABLE wfp_hash_2 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 2);
CREATE TABLE wfp_hash_3 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 3);
CREATE TABLE wfp_hash_4 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 4);
CREATE TABLE wfp_hash_5 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 5);
CREATE TABLE wfp_hash_6 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 6);
CREATE TABLE wfp_hash_7 PARTITION OF wfp_hash FOR VALUES WITH (MODULUS 8, REMAINDER 7);
INSERT INTO wfp_hash SELECT * FROM wfp_plain;
CREATE INDEX wfp_hash_deal_ts ON wfp_hash (deal_id, ts);

CREATE TABLE wfp_range (LIKE wfp_plain) PARTITION BY RANGE (ts);
CREATE TABLE wfp_range_01 PARTITION OF wfp_range FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE wfp_range_02 PARTITION OF wfp_range FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
CREATE TABLE wfp_range_03 PARTITION OF wfp_range FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
CREATE TABLE wfp_range_04 PARTITION OF wfp_range FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');
CREATE TABLE wfp_range_05 PARTITION OF wfp_range FOR VALUES FROM ('2026-05-01') TO ('2026-06-01');
INSERT INTO wfp_range SELECT * FROM wfp_plain;
VACUUM ANALYZE wfp_plain, wfp_hash, wfp_range;

-- deals with events in two months: their partial states meet in a combine
-- (plans 5 and 6)
SELECT count(*) AS deals, count(*) FILTER (WHERE months > 1) AS deals_over_two_months
FROM (SELECT deal_id, count(DISTINCT tableoid) AS months FROM wfp_range GROUP BY deal_id) x;

-- every aggregate of the check, per deal, over both time axes
CREATE FUNCTION pg_temp.wfp_results(tab text) RETURNS text LANGUAGE sql AS $$
SELECT format($q$
SELECT deal_id,
       window_funnel(interval '3 days', ts, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS level,
       window_funnel(interval '3 days', 'strict_order', ts,
                     event = 'created', event = 'qualified', event = 'meeting_held', event = 'proposal_sent') AS level_strict,
       window_funnel_times(interval '3 days', ts, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS times,
       window_funnel_values(interval '3 days', ts, v, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS vals,
       window_funnel(4320, tn, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS level_n,
       window_funnel(4320, 'strict_order', tn,
                     event = 'created', event = 'qualified', event = 'meeting_held', event = 'proposal_sent') AS level_strict_n,
       window_funnel_times(4320, tn, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS times_n,
       window_funnel_values(4320, tn, v, event, ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent']) AS vals_n
FROM %I GROUP BY deal_id$q$, tab)
$$;

-- the reference: the plain table, serial
SELECT pg_temp.wfp_results('wfp_plain') AS q \gset
CREATE TABLE wfp_ref AS :q;
-- it is not trivial: every level, and strict_order cuts some chains short
SELECT level, count(*) AS deals, count(*) FILTER (WHERE level_strict < level) AS cut_by_strict_order
FROM wfp_ref GROUP BY level ORDER BY level;
-- and the two axes agree (tn counts the minutes of ts)
SELECT count(*) FILTER (WHERE (level, level_strict, vals) IS DISTINCT FROM (level_n, level_strict_n, vals_n)
                              OR cardinality(times) <> cardinality(times_n)
                              OR EXISTS (SELECT FROM unnest(times, times_n) u(t, n)
                                         WHERE t <> timestamptz '2026-01-01' + n * interval '1 minute')) AS axes_differ
FROM wfp_ref;

-- The shape of a query's plan, for its aggregates grouping by deal_id: how
-- many partitions of a table they read one by one (the aggregates of
-- partitionwise aggregation, partial or not), with which strategies;
-- whether an Append is parallel aware; whether rows pass a Gather; whether
-- a Finalize Aggregate combines partial states of the deals.
CREATE FUNCTION pg_temp.wfp_plan(query text, tab regclass) RETURNS TABLE (
    per_partition text, strategies text, parallel_append boolean, gather boolean, combine boolean)
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN QUERY
  WITH nodes AS (
    SELECT n FROM jsonb_path_query(plan, 'strict $.** ? (exists (@."Node Type"))') n),
  per_deal AS (
    SELECT n FROM nodes WHERE n->>'Node Type' = 'Aggregate' AND (n->'Group Key')::text LIKE '%deal_id%'),
  parts AS (
    SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = tab),
  alone AS (
    SELECT a.n, r.rels[1] AS part
    FROM per_deal a
    CROSS JOIN LATERAL (SELECT array_agg(DISTINCT x #>> '{}') AS rels
                        FROM jsonb_path_query(a.n, 'lax $.**."Relation Name"') x) r
    WHERE cardinality(r.rels) = 1 AND r.rels[1] IN (SELECT relname FROM parts))
  SELECT format('%s of %s', (SELECT count(DISTINCT part) FROM alone), (SELECT count(*) FROM parts)),
         (SELECT string_agg(DISTINCT n->>'Strategy', ', ') FROM alone),
         EXISTS (SELECT FROM nodes WHERE n->>'Node Type' = 'Append' AND (n->'Parallel Aware')::boolean),
         EXISTS (SELECT FROM nodes WHERE n->>'Node Type' IN ('Gather', 'Gather Merge')),
         EXISTS (SELECT FROM per_deal WHERE n->>'Partial Mode' = 'Finalize');
END $$;

-- a plan's check: its rows against the reference, both ways
CREATE FUNCTION pg_temp.wfp_check(tab text) RETURNS text LANGUAGE sql AS $$
SELECT format($q$
SELECT (SELECT count(*) FROM (%1$s) r) AS deals,
       (SELECT count(*) FROM (%1$s EXCEPT ALL TABLE wfp_ref) x) AS not_in_serial,
       (SELECT count(*) FROM (TABLE wfp_ref EXCEPT ALL %1$s) y) AS not_in_this_plan$q$, pg_temp.wfp_results(tab))
$$;
SELECT pg_temp.wfp_check('wfp_hash') AS check_hash, pg_temp.wfp_check('wfp_range') AS check_range \gset

-- 1. hash partitions, partitionwise, serial: an aggregate per partition
SET enable_partitionwise_aggregate = on;
SELECT per_partition, parallel_append, gather, combine FROM pg_temp.wfp_plan(:'check_hash', 'wfp_hash');
:check_hash;

-- 2. the same, each partition read in (deal_id, ts) order through its index:
-- GroupAggregate, which streams the aggregates over ts
SET enable_hashagg = off;
SET enable_sort = off;
SET enable_seqscan = off;
SELECT per_partition, strategies FROM pg_temp.wfp_plan(:'check_hash', 'wfp_hash');
:check_hash;
RESET enable_hashagg;
RESET enable_sort;
RESET enable_seqscan;

-- 3. in parallel: the per-partition aggregates under a Parallel Append.  The
-- partitions are smaller than min_parallel_table_scan_size, so no partition
-- is scanned in parallel: the workers share out whole partitions.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT per_partition, parallel_append, gather, combine FROM pg_temp.wfp_plan(:'check_hash', 'wfp_hash');
:check_hash;

-- 4. parallel without partitionwise aggregation: partial aggregates over a
-- Parallel Append of parallel scans, the states of a deal combined
SET enable_partitionwise_aggregate = off;
SET min_parallel_table_scan_size = 0;
SELECT per_partition, parallel_append, gather, combine FROM pg_temp.wfp_plan(:'check_hash', 'wfp_hash');
:check_hash;

-- 5. month partitions, partitionwise, serial: a partial aggregate per
-- partition, the deals over two months combined
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
SELECT per_partition, parallel_append, gather, combine FROM pg_temp.wfp_plan(:'check_range', 'wfp_range');
:check_range;

-- 6. the same in parallel
SET max_parallel_workers_per_gather = 2;
SELECT per_partition, parallel_append, gather, combine FROM pg_temp.wfp_plan(:'check_range', 'wfp_range');
:check_range;

RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE wfp_plain, wfp_hash, wfp_range, wfp_ref;
