-- A copy of the events hash-partitioned by deal (included by data.sql and
-- by the scale series of test/bench/run): the new table named by the psql
-- variable part, PARTITION BY HASH (deal_id) into :partitions partitions
-- part_0, part_1, ..., filled from the table named by source in (deal_id,
-- ts) order with a covering index on it, as docs/guides/many-cores.md
-- converts a table.  With enable_partitionwise_aggregate each partition is
-- grouped by deal on its own (over its index), and a Parallel Append can
-- give the partitions to different workers.
CREATE TABLE :"part" (deal_id bigint, ts timestamptz, event text) PARTITION BY HASH (deal_id);
-- (a partitioned table takes no parallel_workers; its partitions take 2, as
-- the other tables of the benchmark)
SELECT format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)'
              ' WITH (parallel_workers = 2)',
              :'part' || '_' || i, :'part', :partitions, i)
FROM generate_series(0, :partitions - 1) i
\gexec
INSERT INTO :"part" SELECT * FROM :"source" ORDER BY deal_id, ts;
CREATE INDEX ON :"part" (deal_id, ts) INCLUDE (event);
