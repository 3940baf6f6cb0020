-- contact_chain_agg: order, ties, NULLs, limits, a plain-SQL reference, parallel plans.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
\set VERBOSITY terse

-- time order; a tie on at is broken by the kind's bytes; NULL kind or at skipped
SELECT deal, contact_chain_agg(kind, at)
FROM (VALUES (1, 'meeting', timestamptz '2026-03-02 10:00'),
             (1, 'call', '2026-03-01 09:00'),
             (1, 'email', '2026-03-01 09:00'),
             (1, 'Email', '2026-03-01 09:00'),
             (1, NULL, '2026-03-01 08:00'),
             (1, 'skipped', NULL),
             (2, 'звонок > повтор', '2026-01-01'),
             (2, 'звонок', '2026-01-01'),
             (2, 'письмо', '-infinity'),
             (2, 'КП', 'infinity'),
             (3, 'call', '2026-01-01'),
             (3, 'call', '2026-01-01')) v(deal, kind, at)
GROUP BY deal ORDER BY deal;
-- the result does not depend on the input order
SELECT contact_chain_agg(kind, at ORDER BY kind DESC) = contact_chain_agg(kind, at ORDER BY kind) AS order_free,
       contact_chain_agg(kind, at ORDER BY kind DESC) AS chain
FROM (VALUES ('b', timestamptz '2026-01-01'), ('a', '2026-01-01'), ('c', '2025-12-31')) v(kind, at);
-- empty group, and a group whose rows are all skipped: NULL
SELECT contact_chain_agg(kind, at) IS NULL AS no_rows
FROM (VALUES ('a', timestamptz '2026-01-01')) v(kind, at) WHERE false;
SELECT contact_chain_agg(kind, at) IS NULL AS all_skipped
FROM (VALUES (NULL, timestamptz '2026-01-01'), ('a', NULL)) v(kind, at);
-- a kind containing '>' and edge spaces comes out quoted and round-trips
SELECT c, c::text::contact_chain = c AS round_trips
FROM (SELECT contact_chain_agg(kind, at) c
      FROM (VALUES ('x > y', timestamptz '2026-01-01'), (' edge', '2026-01-02')) v(kind, at)) s;
-- as a window function (the state survives being finalized more than once)
SELECT n, contact_chain_agg(kind, at) OVER (ORDER BY n)
FROM (VALUES (1, 'c', timestamptz '2026-01-03'), (2, 'a', '2026-01-01'), (3, 'b', '2026-01-02')) v(n, kind, at)
ORDER BY n;

-- errors: empty kind 22P02, long kind 22001, more than 10000 contacts 54000
SELECT contact_chain_agg(kind, at) FROM (VALUES ('', timestamptz '2026-01-01')) v(kind, at);
SELECT contact_chain_agg(repeat('x', 256), timestamptz '2026-01-01');
SELECT chain_length(contact_chain_agg('call', timestamptz '2026-01-01' + i * interval '1 minute'))
FROM generate_series(1, 10000) i;
SELECT chain_length(contact_chain_agg('call', timestamptz '2026-01-01' + i * interval '1 minute'))
FROM generate_series(1, 10001) i;
DO $$
BEGIN
  PERFORM contact_chain_agg('', timestamptz '2026-01-01');
EXCEPTION WHEN others THEN RAISE NOTICE 'empty kind -> %', SQLSTATE;
END $$;
DO $$
BEGIN
  PERFORM contact_chain_agg(repeat('x', 256), timestamptz '2026-01-01');
EXCEPTION WHEN others THEN RAISE NOTICE 'long kind -> %', SQLSTATE;
END $$;
DO $$
BEGIN
  PERFORM contact_chain_agg('a', timestamptz '2026-01-01') FROM generate_series(1, 10001);
EXCEPTION WHEN others THEN RAISE NOTICE 'too many -> %', SQLSTATE;
END $$;

-- randomized: agrees with array_agg ordered by (at, kind bytes) on random
-- groups with many ties
SELECT setseed(0.25);
CREATE TEMP TABLE agg_rows AS
SELECT (random() * 300)::int AS grp,
       (ARRAY['a', 'b', 'ab', 'звонок', 'x > y', NULL])[1 + floor(random() * 6)::int] AS kind,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE timestamptz '2026-01-01' + floor(random() * 8) * interval '1 hour' END AS at
FROM generate_series(1, 6000);
-- two groups whose rows are all skipped: NULL on both sides
INSERT INTO agg_rows VALUES (-1, NULL, '2026-01-01'), (-1, NULL, '2026-01-02'), (-2, 'a', NULL);
SELECT count(*) AS groups_checked,
       count(*) FILTER (WHERE a.chain IS NULL) AS null_groups,
       count(*) FILTER (WHERE a.chain IS DISTINCT FROM r.chain) AS mismatches
FROM (SELECT grp, contact_chain_agg(kind, at) chain FROM agg_rows GROUP BY grp) a
FULL JOIN (SELECT grp, array_agg(kind ORDER BY at, kind COLLATE "C")::contact_chain chain
           FROM agg_rows WHERE kind IS NOT NULL AND at IS NOT NULL GROUP BY grp) r USING (grp);
-- parallel: Partial/Finalize Aggregate with serialized states, same result as serial.
-- Every deal's contacts are spread over the whole table, so both workers see
-- each deal and the combine function merges real partial states.
CREATE TABLE chain_contacts AS
SELECT i % 400 AS deal,
       (ARRAY['call', 'email', 'meeting', 'звонок', 'x > y'])[1 + (i * 7) % 5] AS kind,
       CASE WHEN i % 97 = 0 THEN NULL
            ELSE timestamptz '2026-01-01' + ((i * 37) % 900) * interval '1 hour' END AS at
FROM generate_series(1, 120000) i;
ANALYZE chain_contacts;
SELECT md5(string_agg(deal || ':' || chain::text, ';' ORDER BY deal)) AS serial_grouped,
       count(*) AS serial_groups
FROM (SELECT deal, contact_chain_agg(kind, at) chain FROM chain_contacts GROUP BY deal) s \gset
SELECT md5(chain::text) AS serial_one, chain_length(chain) AS serial_one_length
FROM (SELECT contact_chain_agg(kind, at) chain FROM chain_contacts WHERE deal < 30) s \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT deal, contact_chain_agg(kind, at) FROM chain_contacts GROUP BY deal;
EXPLAIN (COSTS OFF) SELECT contact_chain_agg(kind, at) FROM chain_contacts WHERE deal < 30;
SELECT md5(string_agg(deal || ':' || chain::text, ';' ORDER BY deal)) = :'serial_grouped' AS grouped_same,
       count(*) = :serial_groups AS same_groups, count(*) AS groups
FROM (SELECT deal, contact_chain_agg(kind, at) chain FROM chain_contacts GROUP BY deal) s;
SELECT md5(chain::text) = :'serial_one' AS single_same, chain_length(chain) = :serial_one_length AS same_length,
       chain_length(chain) AS length
FROM (SELECT contact_chain_agg(kind, at) chain FROM chain_contacts WHERE deal < 30) s;
-- parallel result agrees with the reference too
SELECT count(*) FILTER (WHERE a.chain IS DISTINCT FROM r.chain) AS parallel_mismatches
FROM (SELECT deal, contact_chain_agg(kind, at) chain FROM chain_contacts GROUP BY deal) a
JOIN (SELECT deal, array_agg(kind ORDER BY at, kind COLLATE "C")::contact_chain chain
      FROM chain_contacts WHERE at IS NOT NULL GROUP BY deal) r USING (deal);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
DROP TABLE chain_contacts;

-- a state given as text is one the transitions could have written: its
-- contacts' times are timestamptz values, an infinity included (issue 27)
SELECT '\x01000000017ffffffffffffffe0161'::contact_chain_agg_state;
\echo :LAST_ERROR_SQLSTATE
CREATE AGGREGATE pg_temp.cc_combined(contact_chain_agg_state)
  (sfunc = contact_chain_agg_combinefn, stype = contact_chain_agg_state, finalfunc = contact_chain_agg_finalfn);
SELECT pg_temp.cc_combined(s) AS at_infinity FROM (VALUES ('\x01000000017fffffffffffffff0161'::contact_chain_agg_state)) v(s);
