-- window_funnel_values: the value of the row used at each step of the reported chain.
--
-- window_funnel_values: the value of the row used at each step of the chain
-- window_funnel_times reports, for attribution (first touch v[1], last
-- touch v[cardinality(v)], step N v[N]).
SET timezone = 'UTC';
CREATE TEMP TABLE touches (deal int, at timestamptz, event text, source text, amount numeric, seller int);
INSERT INTO touches VALUES
  (1, '2026-03-01 09:00', 'lead', 'webinar', 100, 7),
  (1, '2026-03-02 09:00', 'lead', 'ads', 110, 8),
  (1, '2026-03-04 10:00', 'demo', 'referral', 120, 7),
  (1, '2026-03-09 10:00', 'proposal', NULL, 130, 9),
  (2, '2026-03-01 09:00', 'lead', 'ads', 200, 7),
  (2, '2026-03-20 09:00', 'proposal', 'email', 210, 8),
  (3, '2026-03-05 09:00', 'demo', 'ads', 300, 9);

-- the values follow the reported chain (its times alongside); a skipped optional step is NULL
SELECT deal,
       window_funnel_times(interval '30 days', 'optional 2', at, event = 'lead', event = 'demo', event = 'proposal') AS times,
       window_funnel_values(interval '30 days', 'optional 2', at, source, event = 'lead', event = 'demo', event = 'proposal') AS sources,
       window_funnel_values(interval '30 days', 'optional 2', at, amount, event, ARRAY['lead', 'demo', 'proposal']) AS amounts,
       window_funnel_values(interval '30 days', at, seller, event = 'lead', event = 'demo', event = 'proposal') AS sellers_default_mode
FROM touches GROUP BY deal ORDER BY deal;

-- first and last touch; a deal reaching nothing gives an empty array
SELECT deal, v[1] AS first_touch, v[cardinality(v)] AS last_touch, cardinality(v) AS level
FROM (SELECT deal, window_funnel_values(interval '30 days', 'optional 2', at, source,
                                        event = 'lead', event = 'demo', event = 'proposal') AS v
      FROM touches GROUP BY deal) s ORDER BY deal;
SELECT window_funnel_values(interval '30 days', at, source, event = 'lead') FROM touches WHERE false;

-- the bigint axis, strict modes and the 0.1 modes too
SELECT window_funnel_values(10::bigint, 'strict_order', ts, ts * 10, ts > 0, ts > 1, ts > 2) AS strict_order,
       window_funnel_values(10::bigint, 'strict_once', ts, ts::text, true, true, true) AS strict_once,
       window_funnel_values(10::bigint, 'exclude 3', ts, ts, ts = 1, ts = 3, ts = 2) AS cut
FROM generate_series(1::bigint, 4) ts;
SELECT window_funnel_values(10::bigint, 'any_order', ts, v, e, ARRAY['c', 'b', 'a'])
FROM (VALUES (1::bigint, 'b', 'x'), (2, 'a', 'y'), (3, 'b', 'z')) t(ts, e, v);

-- any type with binary I/O: composite, jsonb, an enum (arrays have no array type to return)
CREATE TYPE touch AS (deal int, source text);
CREATE TYPE channel AS ENUM ('ads', 'webinar', 'referral');
SELECT window_funnel_values(interval '30 days', at, (deal, source)::touch, event = 'lead', event = 'demo') AS rows,
       window_funnel_values(interval '30 days', at, jsonb_build_object('s', source), event = 'lead', event = 'demo') AS jsonb,
       window_funnel_values(interval '30 days', at, source::channel, event = 'lead', event = 'demo') AS enums
FROM touches WHERE deal = 1;
DROP TYPE touch, channel;
-- a row of no named type cannot be read back, a type without binary I/O is refused: when the first value arrives
SELECT window_funnel_values(10::bigint, 1::bigint, ROW(1, 'x'), true);
\echo :LAST_ERROR_SQLSTATE
SELECT window_funnel_values(10::bigint, 1::bigint, 'postgres=r/postgres'::aclitem, true);
\echo :LAST_ERROR_SQLSTATE

-- rows at one time matching one step: the first row that reached the state
SELECT window_funnel_values(10::bigint, ts, v, true, e = 'b' ORDER BY v DESC) AS desc_order,
       window_funnel_values(10::bigint, ts, v, true, e = 'b' ORDER BY v) AS asc_order
FROM (VALUES (1::bigint, 'a', 'p'), (1, 'b', 'q'), (1, 'b', 'r')) t(ts, e, v);

-- parallel plans combine the values with the events; big values go through TOAST
SELECT setseed(0.3);
CREATE TABLE wfv_many AS
SELECT i / 6 AS g, floor(random() * 20)::bigint AS ts,
       (ARRAY['a', 'b', 'c', 'x'])[1 + floor(random() * 4)::int] AS e,
       CASE WHEN i % 5000 = 0 THEN repeat('long', 3000) ELSE 'v' || i END AS v
FROM generate_series(1, 60000) i;
ANALYZE wfv_many;
CREATE TEMP TABLE wfv_serial AS
SELECT g, window_funnel_values(8, 'exclude 4, optional 2', ts, v, e = 'a', e = 'b', e = 'c', e = 'x') AS v,
       window_funnel_times(8, 'exclude 4, optional 2', ts, e = 'a', e = 'b', e = 'c', e = 'x') AS t
FROM wfv_many GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT g, window_funnel_values(8, 'exclude 4, optional 2', ts, v, e = 'a', e = 'b', e = 'c', e = 'x')
FROM wfv_many GROUP BY g;
CREATE TEMP TABLE wfv_parallel AS
SELECT g, window_funnel_values(8, 'exclude 4, optional 2', ts, v, e = 'a', e = 'b', e = 'c', e = 'x') AS v
FROM wfv_many GROUP BY g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
-- every value belongs to a row of its step at the reported time; parallel values may differ only at ties
SELECT count(*) AS groups,
       count(*) FILTER (WHERE cardinality(s.v) IS DISTINCT FROM cardinality(s.t)) AS length_differs,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM generate_subscripts(s.t, 1) k
         WHERE s.t[k] IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM wfv_many m WHERE m.g = s.g AND m.ts = s.t[k] AND m.v = s.v[k]
             AND m.e = (ARRAY['a', 'b', 'c'])[k]))
         OR EXISTS (SELECT 1 FROM generate_subscripts(s.t, 1) k WHERE (s.t[k] IS NULL) <> (s.v[k] IS NULL))) AS wrong_value,
       count(*) FILTER (WHERE cardinality(p.v) IS DISTINCT FROM cardinality(s.v)) AS parallel_length_differs,
       count(*) FILTER (WHERE s.v::text LIKE '%longlong%') AS long_values
FROM wfv_serial s JOIN wfv_parallel p USING (g);
DROP TABLE wfv_many;

-- the byte form of a state with values (window_funnel_state's, which
-- parallel workers exchange) is checked: a state of no rows with an empty
-- pool reads, a pool one byte longer or shorter than its rows' values does not
SELECT ('\x' || '04' || '01' || '00000000' || '0000000000000001' || '00000001' || '0000000000000000' ||
        '00000000' || '0000000000000000' || '0000' || '01' || '02' || '00000000')::window_funnel_state IS NOT NULL AS empty_pool_reads;
SELECT ('\x' || '04' || '01' || '00000000' || '0000000000000001' || '00000001' || '0000000000000000' ||
        '00000000' || '0000000000000000' || '0000' || '01' || '02' || '00000001' || 'ff')::window_funnel_state;
\echo :LAST_ERROR_SQLSTATE
SELECT ('\x' || '04' || '01' || '00000000' || '0000000000000001' || '00000001' || '0000000000000000' ||
        '00000000' || '0000000000000000' || '0000' || '01' || '02' || '00000000' || 'ff')::window_funnel_state;
\echo :LAST_ERROR_SQLSTATE
