-- The conveyor recipes (stage chains, next contacts) on hand-checked data.
--
-- Conveyor conformance per seller and stage, and the next prescribed
-- contact of every open deal: the recipes test/include/recipes/stage_chains.sql
-- and next_contacts.sql (the ones README.md shows) on hand-checked data
SET timezone = 'UTC';
SET datestyle = 'ISO';
\set ECHO none
\i test/include/fixture_kpi_crm.sql
\i test/include/recipes/stage_chains.sql
\i test/include/recipes/next_contacts.sql
\set ECHO all

-- deal 2's 1:lead spans two visits (call, email; later call): it followed
-- "call > email"; deal 4's two calls at one moment sort by kind
SELECT deal_id, seller_id, stage, actual, prescribed, actual @> prescribed AS followed
FROM stage_chains ORDER BY deal_id, stage;

-- per seller (the deal's owner) and stage: Ann followed the chain on both
-- leads and on one of two qualified deals (conformance (1 + 0.5) / 2)
SELECT s.name AS seller, sc.stage,
       count(*) AS deals,
       count(*) FILTER (WHERE sc.actual @> sc.prescribed) AS followed,
       round(100.0 * count(*) FILTER (WHERE sc.actual @> sc.prescribed) / count(*)) AS "followed %",
       round(avg(chain_conformance(sc.actual, sc.prescribed))::numeric, 2) AS conformance
FROM stage_chains sc
JOIN crm.sellers s USING (seller_id)
GROUP BY s.seller_id, s.name, sc.stage
ORDER BY s.seller_id, sc.stage;

-- today's list: deal 1 had its meeting, a demo is next; deal 4 has had no
-- contact since it qualified: a call is next
SELECT s.name AS seller, n.deal_id, n.stage, n.entered_at, n.done, n.prescribed, n.next_contact
FROM next_contacts n
JOIN crm.sellers s USING (seller_id)
ORDER BY s.name, n.entered_at;

-- a deal whose chain is done gets NULL: the deal is due to move on
INSERT INTO crm.contacts VALUES (16, 1, 1, 'demo', '2026-01-09 10:00+00'),
                                (17, 1, 1, 'follow-up', '2026-01-12 11:00+00');
SELECT deal_id, done, next_contact IS NULL AS chain_done FROM next_contacts WHERE deal_id = 1;
SET client_min_messages = warning;
DROP SCHEMA crm CASCADE;
