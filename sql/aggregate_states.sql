-- Aggregate states through their text and binary forms, split and combined as Citus does.
--
-- The value-type states of window_funnel (and window_funnel_times),
-- contact_chain_agg and the entered-only stage_velocity (0.2).  Citus sends
-- each partial state between nodes through its type's text form: here
-- aggregates stop at the state, as Citus's worker_partial_agg does, and
-- others combine states and finish, as its coord_combine_agg does.  Rows are
-- split at random into parts, each part's state goes through text (and
-- binary COPY), and the combined result must equal the aggregate's own.
SELECT setseed(0.42);

\set ECHO none
\i test/include/fixture_split_aggregates.sql
\set ECHO all

-- 6000 events of 300 clients, each at a distinct second, in 3 random parts
CREATE TABLE ev AS
SELECT g AS id, 1 + (g * 7919) % 300 AS client, floor(random() * 3)::int AS part,
       timestamptz '2026-01-01 00:00+00' + ((g::bigint * 1000003) % 2592000) * interval '1 second' AS ts,
       (ARRAY['visit', 'call', 'demo', 'offer', 'email'])[1 + floor(random() * 5)::int] AS kind
FROM generate_series(1, 6000) g;

CREATE TABLE modes (mode text);
INSERT INTO modes VALUES (''), ('strict_deduplication'), ('strict_order'), ('strict_increase'),
    ('strict_once'), ('strict_order, allow_reentry'), ('strict_deduplication, strict_increase');

-- window_funnel and window_funnel_times in every mode, steps as arguments
-- and as an array: the parts' states combined equal the direct result
WITH direct AS (
    SELECT mode, client,
           window_funnel(interval '3 days', mode, ts, kind = 'visit', kind = 'call', kind = 'offer') AS level,
           window_funnel_times(interval '3 days', mode, ts, kind = 'visit', kind = 'call', kind = 'offer') AS times
    FROM ev, modes GROUP BY mode, client),
parts AS (
    SELECT mode, client, part,
           wf_partial(interval '3 days', mode, ts, kind = 'visit', kind = 'call', kind = 'offer')::text AS args_state,
           wf_partial(interval '3 days', mode, ts,
                      VARIADIC ARRAY[kind = 'visit', kind = 'call', kind = 'offer'])::text AS array_state
    FROM ev, modes GROUP BY mode, client, part),
combined AS (
    SELECT mode, client,
           wf_combined(args_state::window_funnel_state ORDER BY part DESC) AS level,
           wf_times_combined(args_state::window_funnel_state ORDER BY part) AS times,
           wf_combined(array_state::window_funnel_state ORDER BY part) AS array_level
    FROM parts GROUP BY mode, client)
SELECT mode, count(*) AS clients, sum(d.level) AS levels, count(*) FILTER (WHERE d.level = 3) AS converted,
       count(*) FILTER (WHERE d.level IS DISTINCT FROM c.level OR d.times IS DISTINCT FROM c.times
                        OR d.level IS DISTINCT FROM c.array_level) AS differ
FROM direct d FULL JOIN combined c USING (mode, client)
GROUP BY mode ORDER BY mode;

-- contact_chain_agg and the entered-only stage_velocity the same way
WITH parts AS (
    SELECT client, part, chain_partial(kind, ts)::text AS state FROM ev GROUP BY client, part)
SELECT count(*) AS clients,
       count(*) FILTER (WHERE d.chain IS DISTINCT FROM c.chain) AS differ
FROM (SELECT client, contact_chain_agg(kind, ts) AS chain FROM ev GROUP BY client) d
FULL JOIN (SELECT client, chain_combined(state::contact_chain_agg_state) AS chain
           FROM parts GROUP BY client) c USING (client);

CREATE TABLE history AS
SELECT id % 40 AS deal, id % 3 AS team, part, ts AS entered_at,
       (1 + id % 4 || ':' || (ARRAY['lead', 'qualified', 'proposal', 'won'])[1 + id % 4])::stage AS s
FROM ev WHERE id <= 2000;
WITH parts AS (
    SELECT team, part, history_partial(deal, s, entered_at)::text AS state
    FROM history GROUP BY team, part)
SELECT d.team, d.v = c.v AS same, d.v::text = c.v::text AS same_text
FROM (SELECT team, stage_velocity(deal, s, entered_at) AS v FROM history GROUP BY team) d
JOIN (SELECT team, history_combined(state::stage_velocity_history) AS v FROM parts GROUP BY team) c
  USING (team)
ORDER BY d.team;

-- states read back from their text form and from binary COPY unchanged
CREATE TABLE states AS
SELECT client, wf_partial(interval '3 days', 'strict_order', ts, kind = 'visit', kind = 'call',
                          kind = 'offer') AS wf,
       chain_partial(kind, ts) AS chain, history_partial(client, '2:qualified', ts) AS history
FROM ev GROUP BY client;
SELECT current_setting('data_directory') || '/funnel_states_bin.copy' AS states_file \gset
COPY states TO :'states_file' WITH (FORMAT binary);
CREATE TABLE states_read (LIKE states);
COPY states_read FROM :'states_file' WITH (FORMAT binary);
SELECT count(*) AS states,
       count(*) FILTER (WHERE s.wf::text::window_funnel_state::text <> s.wf::text
                        OR s.chain::text::contact_chain_agg_state::text <> s.chain::text
                        OR s.history::text::stage_velocity_history::text <> s.history::text) AS text_differ,
       count(*) FILTER (WHERE r.wf::text <> s.wf::text OR r.chain::text <> s.chain::text
                        OR r.history::text <> s.history::text) AS binary_differ
FROM states s JOIN states_read r USING (client);

-- a state's text form holds its events, not the room it had to grow
SELECT length(wf_partial(interval '1 day', '', ts, true, false, false)::text) AS text_length,
       2 + 2 * (42 + 14 * 5) AS for_5_events
FROM generate_series(timestamptz '2026-01-01', '2026-01-05', interval '1 day') ts;
SELECT length(chain_partial(k, timestamptz '2026-01-01')::text) AS text_length,
       2 + 2 * (5 + 3 * (9 + 4)) AS for_3_calls
FROM (VALUES ('call'), ('call'), ('call')) v(k);

-- a state of 1 step and 1 event on the bigint axis in its byte form
-- (version 4): level 1; a state read from text combines
SELECT wf_combined(s::window_funnel_state) AS level
FROM (VALUES ('\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000020000000000000007000000000001'),
             ('\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000020000000000000009000000000001')) v(s);

-- malformed and inconsistent states are rejected
\set VERBOSITY default
SELECT 'abc'::window_funnel_state;
SELECT '\x0'::window_funnel_state;
SELECT '\x0g'::window_funnel_state;
SELECT '\x05'::window_funnel_state;
-- the forms before version 4 (here 0.1's) have no time axis: not read
SELECT '\x0101000000000000000000000000000000010000000100000000000000010000000000000007000000000001'::window_funnel_state;
-- one event announced, none given
SELECT '\x040100000000000000000000000000000001000000000000000000000001000000000000000100000002'::window_funnel_state;
-- step 2 of a 1-step funnel
SELECT '\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000020000000000000007000000000002'::window_funnel_state;
-- a step 0 event outside strict_order
SELECT '\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000020000000000000007000000000000'::window_funnel_state;
-- no time axis
SELECT '\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000000000000000000007000000000001'::window_funnel_state;
-- a time out of timestamptz's range on its axis (the bigint axis takes it)
SELECT '\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000017fffffffffff0000000000000001'::window_funnel_state;
SELECT '\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000027fffffffffff0000000000000001'::window_funnel_state IS NOT NULL AS bigint_axis_reads;
-- events no transition makes: a row at two times, a row's steps out of
-- order, a row number with no events, a row split in two
SELECT '\x04010000000000000000000000000000000200000000000000000000000100000000000000020000000200000000000000070000000000010000000000000008000000000002'::window_funnel_state;
SELECT '\x04000000000000000000000000000000000200000000000000000000000100000000000000020000000200000000000000070000000000020000000000000007000000000001'::window_funnel_state;
SELECT '\x04010000000000000000000000000000000200000000000000000000000200000000000000020000000200000000000000070000000000010000000000000008000000000002'::window_funnel_state;
SELECT '\x040000000000000000000000000000000002000000000000000000000002000000000000000300000002000000000000000700000000000100000000000000080000000100010000000000000007000000000002'::window_funnel_state;
SELECT '\x02'::contact_chain_agg_state;
-- a kind cut short, bytes after the last contact, an empty kind
SELECT '\x010000000100000000000000000463616c'::contact_chain_agg_state;
SELECT '\x010000000100000000000000000463616c6c00'::contact_chain_agg_state;
SELECT '\x01000000010000000000000000006c'::contact_chain_agg_state;
SELECT '\x02'::stage_velocity_history;
-- no end byte after the names
SELECT '\x0100000000000000010000000000000001000000000000000001'::stage_velocity_history;
-- position 0
SELECT '\x010000000000000001000000000000000100000000000000000000'::stage_velocity_history;
-- a name not in the server encoding
SELECT '\x01000000000000000100000000000000010000000000000000010102ffff00'::stage_velocity_history;
\set VERBOSITY terse

-- the support functions run only inside an aggregate
SELECT window_funnel_final('\x040100000000000000000000000000000000000000000000000000000000000000000000000000000002'::window_funnel_state);
SELECT window_funnel_times_final('\x040100000000000000000000000000000000000000000000000000000000000000000000000000000002'::window_funnel_state);
SELECT window_funnel_combine(NULL, '\x040100000000000000000000000000000000000000000000000000000000000000000000000000000002');
SELECT contact_chain_agg_finalfn('\x0100000000'::contact_chain_agg_state);
SELECT velocity_history_final('\x01000000000000000000'::stage_velocity_history);

DROP TABLE ev, modes, history, states, states_read;
\set ECHO none
\i test/include/fixture_split_aggregates_drop.sql
\set ECHO all
