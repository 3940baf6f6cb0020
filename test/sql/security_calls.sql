-- Every function, operator, aggregate and cast of funnel, called by an
-- ordinary role (test/suites/security.sh).  The suite checks that every
-- function of the extension is named here, except the support functions that
-- types, operators, casts and aggregates call for us.
\set ON_ERROR_STOP 1

-- stage
CREATE TEMP TABLE sec_stage (s stage);
INSERT INTO sec_stage SELECT stage(1 + i % 7, 'n' || i % 3) FROM generate_series(1, 50) i;
CREATE INDEX ON sec_stage (s);
SELECT stage(3, 'x'), stage(3), stage_position('3:x'), stage_name('3:x'), 5::stage, '5:x'::stage::integer;
SELECT '2:a'::stage < '3', '2:a'::stage <= '3', '2:a'::stage = '3', '2:a'::stage <> '3',
       '2:a'::stage >= '3', '2:a'::stage > '3', stage_cmp('1', '2'),
       stage_hash('3:x'), stage_hash_extended('3:x', 1), stage_smaller('1', '2'), stage_larger('1', '2');
SELECT min(s), max(s), count(DISTINCT s) FROM sec_stage;
SELECT s, count(*) FROM sec_stage GROUP BY s ORDER BY s LIMIT 2;
SELECT stage_send('3:x'), stage_out('3:x'), stage_in('3:x');

-- contact_chain
CREATE TEMP TABLE sec_contacts (deal int, kind text, at timestamptz);
INSERT INTO sec_contacts SELECT i % 5, (ARRAY['call', 'email', 'meeting'])[1 + i % 3],
  timestamptz '2026-01-01' + i * interval '1 hour' FROM generate_series(1, 40) i;
CREATE TEMP TABLE sec_chain AS SELECT deal, contact_chain_agg(kind, at) c FROM sec_contacts GROUP BY deal;
CREATE INDEX ON sec_chain (c);
SELECT deal, c, chain_length(c), chain_kinds(c), c::text[], c @> 'call > email', 'call' <@ c,
       chain_conformance(c, 'call > meeting'), chain_next(c, 'call > demo'), chain_extra(c, 'call'),
       c || 'demo', contact_chain(ARRAY['a', 'b']), ARRAY['a', 'b']::contact_chain
FROM sec_chain ORDER BY deal;
SELECT c = c, c <> c, c < c, c <= c, c > c, c >= c, contact_chain_cmp(c, c),
       contact_chain_hash(c), contact_chain_hash_extended(c, 1), contact_chain_send(c)
FROM sec_chain ORDER BY deal LIMIT 1;
SELECT c, count(*) FROM sec_chain GROUP BY c ORDER BY c LIMIT 2;
