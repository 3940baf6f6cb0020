-- Demo 20: contact chains.  What sellers actually did at each stage, built
-- with contact_chain_agg from crm.contacts, against the prescribed conveyor
-- in crm.funnel_stages.prescribed_chain.
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' Contact chains: the prescribed conveyor and what sellers did'
\echo '=================================================================='
\echo
\echo 'The prescribed chain of each stage (DOMAIN rule 2), as contact_chain'
SELECT f.name AS funnel, fs.stage, fs.prescribed_chain::contact_chain AS prescribed,
       chain_length(fs.prescribed_chain::contact_chain) AS contacts
FROM crm.funnel_stages fs
JOIN crm.funnels f USING (funnel_id)
ORDER BY fs.funnel_id, fs.stage;

-- One row per stage visit: the contacts made while the deal stood at that
-- stage, in time order; a visit without contacts has the empty chain.
CREATE TEMP TABLE visit_chains AS
SELECT d.funnel_id, d.seller_id, h.deal_id, h.stage, h.entered_at,
       h.left_at IS NULL AND d.status = 'open' AS still_open,
       lead(h.stage) OVER (PARTITION BY h.deal_id ORDER BY h.entered_at) AS next_stage,
       coalesce(contact_chain_agg(c.kind, c.at), '') AS actual,
       fs.prescribed_chain::contact_chain AS prescribed
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
JOIN crm.funnel_stages fs ON fs.funnel_id = d.funnel_id AND fs.stage = h.stage
LEFT JOIN crm.contacts c
       ON c.deal_id = h.deal_id AND c.at >= h.entered_at AND c.at < coalesce(h.left_at, crm.as_of())
GROUP BY d.funnel_id, d.seller_id, h.deal_id, h.stage, h.entered_at, h.left_at, d.status,
         fs.prescribed_chain;

-- the deal shown stage by stage: the first of the wholesale funnel with a
-- repeated call ("звонок > повтор")
CREATE TEMP VIEW one_deal AS
SELECT * FROM visit_chains
WHERE deal_id = (SELECT min(deal_id) FROM visit_chains
                 WHERE funnel_id = 2 AND actual @> '"звонок > повтор"');

\echo 'One deal, stage by stage: the contacts made at each visit, in time order (actual)'
SELECT stage, chain_length(actual) AS contacts, actual
FROM one_deal
ORDER BY entered_at;

\echo 'The same visits against the prescribed chain: followed in order (actual @> prescribed),'
\echo 'conformance, the next prescribed contact still to do, and the contacts beyond the chain'
SELECT stage, prescribed,
       actual @> prescribed AS followed,
       round(chain_conformance(actual, prescribed)::numeric, 2) AS conformance,
       chain_next(actual, prescribed) AS "next to do",
       chain_extra(actual, prescribed) AS "extra contacts"
FROM one_deal
ORDER BY entered_at;

\echo 'Conveyor discipline per stage (both funnels): share of visits that followed the'
\echo 'prescribed chain in order (actual @> prescribed), mean conformance, mean extra'
\echo 'contacts, and the prescribed contact most often left undone (chain_next)'
SELECT v.stage,
       count(*) AS visits,
       round(avg(chain_length(v.actual)), 1) AS "contacts/visit",
       round(100.0 * avg((v.actual @> v.prescribed)::int), 1) AS "followed %",
       round(avg(chain_conformance(v.actual, v.prescribed))::numeric, 2) AS conformance,
       round(avg(chain_extra(v.actual, v.prescribed)), 1) AS "extra/visit",
       mode() WITHIN GROUP (ORDER BY chain_next(v.actual, v.prescribed)) AS "most often missing"
FROM visit_chains v
WHERE chain_length(v.prescribed) > 0
GROUP BY v.funnel_id, v.stage
ORDER BY v.funnel_id, v.stage;

\echo 'Does the conveyor pay? Share of finished stage visits after which the deal'
\echo 'stood at a later stage, by whether the prescribed chain was followed'
SELECT f.name AS funnel,
       v.actual @> v.prescribed AS followed,
       count(*) AS visits,
       round(100.0 * avg(coalesce(v.next_stage > v.stage, false)::int), 1) AS "advanced %",
       round(avg(chain_extra(v.actual, v.prescribed)), 1) AS "extra/visit"
FROM visit_chains v
JOIN crm.funnels f USING (funnel_id)
WHERE chain_length(v.prescribed) > 0 AND NOT v.still_open
GROUP BY v.funnel_id, f.name, followed
ORDER BY v.funnel_id, followed;

\echo 'Many contacts, no progress: sellers with the most extra contacts per visit'
SELECT s.name AS seller, count(*) AS visits,
       round(avg(chain_extra(v.actual, v.prescribed)), 2) AS "extra/visit",
       round(avg(chain_conformance(v.actual, v.prescribed))::numeric, 2) AS conformance
FROM visit_chains v
JOIN crm.sellers s USING (seller_id)
WHERE chain_length(v.prescribed) > 0
GROUP BY s.seller_id, s.name
ORDER BY "extra/visit" DESC, s.seller_id
LIMIT 5;

\echo 'The most common actual chains at "2:квалификация" (GROUP BY on contact_chain)'
SELECT actual, count(*) AS visits, actual @> prescribed AS followed
FROM visit_chains
WHERE funnel_id = 2 AND stage = '2:квалификация'
GROUP BY actual, prescribed
ORDER BY visits DESC, actual
LIMIT 5;

DROP VIEW one_deal;
DROP TABLE visit_chains;
