-- States over 64 kB (expanded objects) on every path that keeps, copies or flattens them.
--
-- Large value-type states (0.2).  A state that outgrows 64 kB moves into an
-- expanded object and grows there in place (src/agg_state.h).  Groups of
-- thousands of rows take every path that keeps, copies or flattens a state:
-- hash and sorted aggregation, the window aggregate, parallel partial
-- aggregation (the workers' states flattened into tuples), a table of
-- states, their text form, and combining.  Each result must equal a slow
-- reference, or the same rows aggregated in small groups.
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_window_funnel.sql
\set ECHO all
SELECT setseed(0.77);

-- true when the plan of query has a node of type node_type
CREATE FUNCTION pg_temp.plan_has(query text, node_type text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
  RETURN plan::text LIKE '%"Node Type": "' || node_type || '"%'
      OR plan::text LIKE '%"Partial Mode": "' || node_type || '"%';
END $$;

\set ECHO none
\i test/include/fixture_split_aggregates.sql
\set ECHO all

-- window_funnel: 2 clients of 12000 rows, 4 steps, times with ties, on the
-- minute axis.  A state grows past 64 kB at its 3326th event.  The slow
-- reference takes seconds for a group of 4000 rows (about 4900 events), so
-- it sees the first 8000 rows (big_wf); the paths that flatten a state (into
-- a table row, or into a parallel worker's tuple, half a group each) take
-- all rows (big_wf_all), against the serial aggregate.
CREATE TABLE big_ev AS
SELECT 1 + g % 2 AS client, g AS rid, floor(random() * 16000)::bigint AS ts,
       (1 << floor(random() * 4)::int) | CASE WHEN random() < 0.3 THEN 1 << floor(random() * 4)::int ELSE 0 END AS mask
FROM generate_series(1, 24000) g;
CREATE VIEW big_wf_all AS
SELECT client, rid, mask, ts, timestamptz '2026-01-01' + ts * interval '1 minute' AS at,
       mask & 1 <> 0 AS s1, mask & 2 <> 0 AS s2, mask & 4 <> 0 AS s3, mask & 8 <> 0 AS s4
FROM big_ev;
CREATE VIEW big_wf AS SELECT * FROM big_wf_all WHERE rid <= 8000;
CREATE TABLE big_modes (mode text);
INSERT INTO big_modes VALUES ('strict_deduplication'), ('strict_increase');

-- the reference's times, in minutes from the axis' origin
CREATE TABLE wf_expected AS
SELECT m.mode, e.client,
       pg_temp.wf_reference(300, m.mode, array_agg(e.ts ORDER BY e.rid), array_agg(e.mask ORDER BY e.rid), 4) AS times
FROM big_modes m, big_ev e WHERE e.rid <= 8000 GROUP BY m.mode, e.client;
CREATE FUNCTION pg_temp.minutes(times timestamptz[]) RETURNS bigint[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg((extract(epoch FROM t - timestamptz '2026-01-01') / 60)::bigint ORDER BY o), '{}')
  FROM unnest(times) WITH ORDINALITY u(t, o) $$;

-- each path's times per mode and client; compared with the reference below
CREATE TABLE wf_got (path text, mode text, client int, times bigint[]);
SET enable_sort = off;
INSERT INTO wf_got
SELECT 'hash', mode, client, pg_temp.minutes(window_funnel_times(interval '300 minutes', mode, at, s1, s2, s3, s4))
FROM big_modes, big_wf GROUP BY mode, client;
RESET enable_sort;
SET enable_hashagg = off;
INSERT INTO wf_got
SELECT 'sorted', mode, client, pg_temp.minutes(window_funnel_times(interval '300 minutes', mode, at, s1, s2, s3, s4))
FROM big_modes, big_wf GROUP BY mode, client;
RESET enable_hashagg;
INSERT INTO wf_got
SELECT DISTINCT 'window', mode, client,
       pg_temp.minutes(window_funnel_times(interval '300 minutes', mode, at, s1, s2, s3, s4)
                       OVER (PARTITION BY mode, client))
FROM big_modes, big_wf;
INSERT INTO wf_got
SELECT 'text', mode, client, pg_temp.minutes(wf_times_combined(whole::text::window_funnel_state))
FROM (SELECT mode, client, wf_partial(interval '300 minutes', mode, at, s1, s2, s3, s4) AS whole
      FROM big_modes, big_wf GROUP BY mode, client) s
GROUP BY mode, client;
SELECT g.path, count(*) AS groups, min(cardinality(g.times)) AS min_level,
       count(*) FILTER (WHERE g.times IS DISTINCT FROM x.times) AS differ
FROM wf_got g LEFT JOIN wf_expected x USING (mode, client)
GROUP BY g.path ORDER BY g.path;

-- all rows: the serial aggregate, then states kept in a table and states of
-- two parallel workers, combined
CREATE TABLE wf_serial AS
SELECT mode, client, window_funnel_times(interval '300 minutes', mode, at, s1, s2, s3, s4) AS times
FROM big_modes, big_wf_all GROUP BY mode, client;
CREATE TABLE wf_states AS
SELECT mode, client, wf_partial(interval '300 minutes', mode, at, s1, s2, s3, s4) AS whole
FROM big_modes, big_wf_all GROUP BY mode, client;
CREATE TABLE wf_flattened AS
SELECT 'table' AS path, mode, client, wf_times_combined(whole) AS times FROM wf_states GROUP BY mode, client;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- (INSERT plans no parallel workers; CREATE TABLE AS does)
SELECT pg_temp.plan_has($$CREATE TABLE wf_parallel AS
                          SELECT client, window_funnel_times(interval '300 minutes', 'strict_increase', at, s1, s2, s3, s4)
                          FROM big_wf_all GROUP BY client$$, 'Partial') AS wf_parallel_plan;
CREATE TABLE wf_parallel_dedup AS
SELECT client, window_funnel_times(interval '300 minutes', 'strict_deduplication', at, s1, s2, s3, s4) AS times
FROM big_wf_all GROUP BY client;
CREATE TABLE wf_parallel_increase AS
SELECT client, window_funnel_times(interval '300 minutes', 'strict_increase', at, s1, s2, s3, s4) AS times
FROM big_wf_all GROUP BY client;
-- with the leader taking part, its own partial states reach the combine
-- without a tuple queue
SET parallel_leader_participation = on;
CREATE TABLE wf_parallel_leader AS
SELECT client, window_funnel_times(interval '300 minutes', 'strict_increase', at, s1, s2, s3, s4) AS times
FROM big_wf_all GROUP BY client;
INSERT INTO wf_flattened
SELECT 'parallel', 'strict_deduplication', client, times FROM wf_parallel_dedup
UNION ALL
SELECT 'parallel', 'strict_increase', client, times FROM wf_parallel_increase
UNION ALL
SELECT 'parallel_leader', 'strict_increase', client, times FROM wf_parallel_leader;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT f.path, count(*) AS groups, min(cardinality(f.times)) AS min_level,
       count(*) FILTER (WHERE f.times IS DISTINCT FROM s.times) AS differ_from_serial
FROM wf_flattened f LEFT JOIN wf_serial s USING (mode, client)
GROUP BY f.path ORDER BY f.path;
-- the states were large: their text form holds over 64 kB
SELECT min(octet_length(wf_partial::text)) / 2 > 65536 AS states_were_large
FROM (SELECT wf_partial(interval '300 minutes', 'strict_increase', at, s1, s2, s3, s4) FROM big_wf GROUP BY client) s;

-- contact_chain_agg: 9000 contacts at distinct times in one group, against
-- the chain of the kinds in time order
CREATE TABLE big_contacts AS
SELECT g AS id, timestamptz '2026-01-01' + ((g::bigint * 7919) % 9000) * interval '1 minute' AS at,
       'follow_up_contact_' || (ARRAY['call', 'mail', 'meet', 'demo'])[1 + floor(random() * 4)::int] AS kind
FROM generate_series(1, 9000) g;
WITH reference AS (SELECT string_agg(kind, ' > ' ORDER BY at)::contact_chain AS chain FROM big_contacts)
SELECT (SELECT contact_chain_agg(kind, at) FROM big_contacts) = r.chain AS ungrouped,
       (SELECT contact_chain_agg(kind, at) OVER () FROM big_contacts LIMIT 1) = r.chain AS as_window,
       (SELECT chain_combined(s::text::contact_chain_agg_state ORDER BY p)
        FROM (SELECT id % 3 AS p, chain_partial(kind, at) AS s FROM big_contacts GROUP BY 1) parts) = r.chain AS from_text,
       (SELECT octet_length(chain_partial(kind, at)::text) / 2 > 65536 FROM big_contacts) AS state_was_large
FROM reference r;

-- the entered-only stage_velocity: 60000 entries of 300 deals in one group
-- (1.4 MB of state), against the merge of small groups of whole deals
CREATE TABLE big_history AS
SELECT 1 + g % 300 AS deal, timestamptz '2026-01-01' + random() * interval '200 days' AS entered_at,
       stage(p, (ARRAY['lead', 'call', 'demo', 'offer', 'won', 'lost'])[p]) AS s
FROM (SELECT g, 1 + floor(random() * 6)::int AS p FROM generate_series(1, 60000) g) x;
CREATE TABLE history_got (path text, v text);
INSERT INTO history_got SELECT 'ungrouped', stage_velocity(deal, s, entered_at)::text FROM big_history;
INSERT INTO history_got
SELECT DISTINCT 'window', (stage_velocity(deal, s, entered_at) OVER ())::text FROM big_history;
INSERT INTO history_got
SELECT 'from_text', history_combined(h::text::stage_velocity_history ORDER BY p)::text
FROM (SELECT deal % 2 AS p, history_partial(deal, s, entered_at) AS h FROM big_history GROUP BY 1) parts;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT pg_temp.plan_has('CREATE TABLE history_parallel AS SELECT stage_velocity(deal, s, entered_at) FROM big_history',
                        'Partial') AS history_parallel_plan;
CREATE TABLE history_parallel AS SELECT stage_velocity(deal, s, entered_at)::text AS v FROM big_history;
INSERT INTO history_got SELECT 'parallel', v FROM history_parallel;
SET parallel_leader_participation = on;
CREATE TABLE history_parallel_leader AS SELECT stage_velocity(deal, s, entered_at)::text AS v FROM big_history;
INSERT INTO history_got SELECT 'parallel_leader', v FROM history_parallel_leader;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
WITH reference AS (
    SELECT stage_velocity(v)::text AS v
    FROM (SELECT stage_velocity(deal, s, entered_at) AS v FROM big_history GROUP BY deal % 200) small)
SELECT g.path, g.v = r.v AS same_as_small_groups
FROM history_got g, reference r ORDER BY g.path;
SELECT octet_length(history_partial(deal, s, entered_at)::text) / 2 > 65536 AS state_was_large FROM big_history;

DROP TABLE big_ev, big_modes, wf_expected, wf_got, wf_serial, wf_states, wf_flattened,
    wf_parallel_dedup, wf_parallel_increase, wf_parallel_leader, big_contacts, big_history, history_got,
    history_parallel, history_parallel_leader CASCADE;
\set ECHO none
\i test/include/fixture_split_aggregates_drop.sql
\set ECHO all
