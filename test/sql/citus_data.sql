-- The data of the Citus suite (test/suites/citus.sh), run on the coordinator
-- once the workers are added and funnel is installed.  Two schemas with the
-- same tables and the same rows:
--   single  plain tables of the coordinator (the single-node answer)
--   dist    the same tables distributed by deal (plans by seller), 8 shards,
--           co-located, and the stages as a reference table
-- The queries (test/sql/citus_queries.sql) name the tables unqualified and
-- run once with search_path = dist and once with search_path = single.
-- Deterministic: every number comes from generate_series and an integer
-- hash (h below), never from random(); 3,000 deals, 4 teams, 48 sellers.
SET client_min_messages = warning;
SET timezone = 'UTC';
SET citus.shard_count = 8;

CREATE SCHEMA single;
CREATE SCHEMA dist;

-- h(x, m): a hash of x in 0..m-1 (Knuth's multiplicative hash, in bigint);
-- a temporary function, which Citus warns it keeps on the coordinator
SET client_min_messages = error;
CREATE FUNCTION pg_temp.h(x bigint, m int) RETURNS int LANGUAGE sql IMMUTABLE
AS $$ SELECT (((x * 2654435761) % 4294967296) / 7 % m)::int $$;
SET client_min_messages = warning;

-- the funnel's stages (a reference table in dist)
CREATE TABLE single.stages (position int PRIMARY KEY, name text NOT NULL, s stage NOT NULL);
INSERT INTO single.stages
SELECT i, n, stage(i::int, n)
FROM unnest(ARRAY['lead', 'qualified', 'meeting', 'proposal', 'negotiation', 'won']) WITH ORDINALITY u(n, i);

-- the deals: team, seller, start, how deep they went, open or closed
CREATE TEMP TABLE deal AS
SELECT d AS deal, 1 + pg_temp.h(d, 4) AS team, 1 + pg_temp.h(d * 3 + 1, 48) AS seller,
       timestamptz '2026-01-01 00:00+00' + pg_temp.h(d * 5 + 2, 330) * interval '1 day'
                                       + pg_temp.h(d * 7 + 3, 86400) * interval '1 second' AS start,
       1 + pg_temp.h(d * 11 + 4, 6) AS depth,
       pg_temp.h(d * 13 + 5, 3) = 0 AS open
FROM generate_series(1, 3000) d;

-- events: 3 to 12 per deal, kinds of a product funnel, four step flags; a
-- few rows without a kind (NULL steps) or without a time.  seq_at and seq_t
-- (at and its epoch in microseconds, plus 16 x deal + the kind's number in
-- microseconds) are the times of the sequence aggregates' checks: those
-- take events at one time in the order rows arrive, which the distributed
-- and the local runs do not share; rows still at one time are of one deal
-- and one kind, so of the same conditions, and their order tells nothing
CREATE TABLE single.events (deal bigint NOT NULL, team int NOT NULL, at timestamptz, t bigint, kind text,
                            s1 boolean, s2 boolean, s3 boolean, s4 boolean, seq_at timestamptz, seq_t bigint);
INSERT INTO single.events
SELECT deal, team, at, extract(epoch FROM at)::bigint, kind,
       kind IN ('visit', 'call'), kind IN ('signup', 'demo'), kind = 'trial', kind IN ('pay', 'order'),
       at + (deal * 16 + k) * interval '1 microsecond', extract(epoch FROM at)::bigint * 1000000 + deal * 16 + k
FROM (SELECT e.deal, e.team,
             CASE WHEN pg_temp.h(e.deal * 101 + i, 97) = 0 THEN NULL
                  ELSE e.start + (i * 6 + pg_temp.h(e.deal * 103 + i, 48)) * interval '1 hour' END AS at,
             CASE WHEN pg_temp.h(e.deal * 107 + i, 41) = 0 THEN NULL
                  ELSE (ARRAY['visit', 'signup', 'demo', 'trial', 'quote', 'order', 'pay', 'renew', 'churn', 'call'])
                       [1 + (pg_temp.h(e.deal * 109 + i, 10) + i) % 10] END AS kind
      FROM deal e, generate_series(1, 3 + pg_temp.h(e.deal * 17 + 6, 10)) i) x,
     LATERAL (SELECT coalesce(array_position(ARRAY['visit', 'signup', 'demo', 'trial', 'quote', 'order', 'pay',
                                                   'renew', 'churn', 'call'], x.kind), 0) AS k) kind_number;

-- stage visits: a deal walks from lead to its depth, each stage lasting
-- hours to weeks; the last visit of an open deal has no end
CREATE TABLE single.visits (deal bigint NOT NULL, team int NOT NULL, stage stage NOT NULL,
                            entered_at timestamptz NOT NULL, left_at timestamptz);
INSERT INTO single.visits
SELECT deal, team, stage(p, (SELECT name FROM single.stages WHERE position = p)),
       start + off, CASE WHEN p = depth AND open THEN NULL ELSE start + off + dur END
FROM (SELECT d.*, p,
             pg_temp.h(d.deal * 19 + p, 400) * interval '1 hour' AS dur,
             coalesce(sum(pg_temp.h(d.deal * 19 + p, 400)) OVER (PARTITION BY d.deal ORDER BY p
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * interval '1 hour' AS off
      FROM deal d, generate_series(1, d.depth) p) x;

-- the entered-only history: the visits' entries, plus a re-entry of the
-- first stage for some deals and entries at the same moment for others
CREATE TABLE single.history (deal bigint NOT NULL, team int NOT NULL, stage stage NOT NULL,
                             entered_at timestamptz NOT NULL);
INSERT INTO single.history
SELECT deal, team, stage, entered_at FROM single.visits
UNION ALL
SELECT deal, team, stage(1, 'lead'), start + interval '1000 hours' FROM deal WHERE pg_temp.h(deal * 23, 9) = 0
UNION ALL
SELECT deal, team, stage(2, 'qualified'), start FROM deal WHERE pg_temp.h(deal * 29, 11) = 0;

-- contacts: 2 to 9 per deal, on the hour, so some share a time
CREATE TABLE single.contacts (deal bigint NOT NULL, team int NOT NULL, kind text NOT NULL, at timestamptz NOT NULL);
INSERT INTO single.contacts
SELECT d.deal, d.team,
       (ARRAY['call', 'email', 'meeting', 'demo', 'proposal'])[1 + pg_temp.h(d.deal * 31 + i, 5)],
       date_trunc('hour', d.start) + (i / 2 * 5 + pg_temp.h(d.deal * 37 + i, 3)) * interval '1 hour'
FROM deal d, generate_series(1, 2 + pg_temp.h(d.deal * 41 + 7, 8)) i;

-- daily plans of 48 sellers over 150 days; every ninth day a second row for
-- the same day (rows of a day add up), some days without a plan
CREATE TABLE single.plans (seller int NOT NULL, team int NOT NULL, day date NOT NULL,
                           plan numeric NOT NULL, actual numeric NOT NULL);
INSERT INTO single.plans
SELECT s, 1 + s % 4, date '2026-01-01' + d,
       CASE WHEN pg_temp.h(s * 1000 + d, 17) = 0 THEN 0 ELSE 10 + pg_temp.h(s * 1000 + d, 8) END,
       pg_temp.h(s * 2000 + d, 1600) / 100.0
FROM generate_series(1, 48) s, generate_series(0, 149) d, generate_series(1, 2) r
WHERE r = 1 OR d % 9 = 0;

-- the same tables in dist, distributed; then the same rows
CREATE TABLE dist.stages (LIKE single.stages INCLUDING ALL);
CREATE TABLE dist.events (LIKE single.events);
CREATE TABLE dist.visits (LIKE single.visits);
CREATE TABLE dist.history (LIKE single.history);
CREATE TABLE dist.contacts (LIKE single.contacts);
CREATE TABLE dist.plans (LIKE single.plans);
SELECT create_reference_table('dist.stages');
SELECT create_distributed_table('dist.events', 'deal');
SELECT create_distributed_table('dist.visits', 'deal', colocate_with => 'dist.events');
SELECT create_distributed_table('dist.history', 'deal', colocate_with => 'dist.events');
SELECT create_distributed_table('dist.contacts', 'deal', colocate_with => 'dist.events');
SELECT create_distributed_table('dist.plans', 'seller', colocate_with => 'none');
INSERT INTO dist.stages SELECT * FROM single.stages;
INSERT INTO dist.events SELECT * FROM single.events;
INSERT INTO dist.visits SELECT * FROM single.visits;
INSERT INTO dist.history SELECT * FROM single.history;
INSERT INTO dist.contacts SELECT * FROM single.contacts;
INSERT INTO dist.plans SELECT * FROM single.plans;
ANALYZE;
