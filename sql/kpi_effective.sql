-- The effective-actions recipe on hand-checked data, and against a LATERAL formulation.
--
-- Effective actions: the recipe test/include/recipes/effective_contacts.sql (the
-- one README.md shows) on hand-checked data, then against an independent
-- formulation (LATERAL look-ups) on random data with many ties
SET timezone = 'UTC';
SET datestyle = 'ISO';
\set ECHO none
\i test/include/fixture_kpi_crm.sql
\i test/include/recipes/effective_contacts.sql
\set ECHO all

-- every contact: effective ones are 2, 4, 7, 10, 11, 13, 15 (see the fixture)
SELECT contact_id, deal_id, seller_id, kind, stage, effective
FROM effective_contacts ORDER BY contact_id;

-- per seller: all contacts against effective ones (DOMAIN rule 1 and 4)
SELECT s.name AS seller,
       count(*) AS contacts,
       count(*) FILTER (WHERE e.effective) AS effective,
       round(100.0 * count(*) FILTER (WHERE e.effective) / count(*)) AS "effective %",
       round(count(*)::numeric / nullif(count(*) FILTER (WHERE e.effective), 0), 1)
         AS "contacts per advance"
FROM effective_contacts e
JOIN crm.sellers s USING (seller_id)
GROUP BY s.seller_id, s.name
ORDER BY s.seller_id;
-- per stage the contact was made at
SELECT e.stage,
       count(*) AS contacts,
       count(*) FILTER (WHERE e.effective) AS effective,
       round(count(*)::numeric / nullif(count(*) FILTER (WHERE e.effective), 0), 1)
         AS "contacts per advance"
FROM effective_contacts e
GROUP BY e.stage
ORDER BY e.stage;
-- per contact kind
SELECT e.kind, count(*) AS contacts, count(*) FILTER (WHERE e.effective) AS effective
FROM effective_contacts e
GROUP BY e.kind
ORDER BY contacts DESC, e.kind;

-- The independent formulation: for each contact, the stage entered last at
-- or before it, and the highest stage entered after it up to the deal's next
-- contact (or the as-of moment).
CREATE TEMP VIEW effective_lateral AS
SELECT c.contact_id, b.stage,
       coalesce(stage_position(a.reached) > coalesce(stage_position(b.stage), 0), false) AS effective
FROM (SELECT *, lead(at) OVER (PARTITION BY deal_id ORDER BY at, contact_id) AS next_at
      FROM crm.contacts WHERE at <= crm.as_of()) c
LEFT JOIN LATERAL (
    SELECT h.stage FROM crm.stage_history h
    WHERE h.deal_id = c.deal_id AND h.entered_at <= c.at
    ORDER BY h.entered_at DESC, h.stage DESC LIMIT 1) b ON true
LEFT JOIN LATERAL (
    SELECT max(h.stage) AS reached FROM crm.stage_history h
    WHERE h.deal_id = c.deal_id AND h.entered_at > c.at
      AND h.entered_at <= coalesce(c.next_at, crm.as_of())) a ON true;
SELECT count(*) AS contacts_checked,
       count(*) FILTER (WHERE e.stage IS DISTINCT FROM l.stage
                           OR e.effective IS DISTINCT FROM l.effective) AS mismatches
FROM effective_contacts e FULL JOIN effective_lateral l USING (contact_id);

-- random deals: positions walk up, skip and fall back; times on 6-hour steps
-- so contacts share moments with each other and with stage entries; some
-- contacts and entries come before the first entry or after the as-of moment
TRUNCATE crm.contacts, crm.stage_history, crm.deals;
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.7);
INSERT INTO crm.deals
SELECT d, 1, 1 + d % 3, '2026-01-01', 100, 'open', NULL FROM generate_series(1, 500) d;
INSERT INTO crm.stage_history
SELECT deal_id,
       stage(greatest(1, least(6, 1 + coalesce(sum(step) OVER (PARTITION BY deal_id ORDER BY i
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))::int),
       timestamptz '2026-01-01' + make_interval(hours => (sum(gap) OVER (PARTITION BY deal_id ORDER BY i))::int),
       NULL
FROM (SELECT d AS deal_id, i,
             CASE WHEN r < 0.7 THEN 1 WHEN r < 0.8 THEN 2 ELSE -1 END AS step,
             6 * (1 + floor(random() * 7)::int) AS gap
      FROM generate_series(1, 500) d,
           LATERAL (SELECT i, random() AS r
                    FROM generate_series(1, 1 + (random() * 6 + d * 0)::int) i) x) v;
INSERT INTO crm.contacts
SELECT row_number() OVER (), d, 1 + floor(random() * 3)::int,
       (ARRAY['call', 'email', 'meeting'])[1 + floor(random() * 3)::int],
       timestamptz '2026-01-01' + make_interval(hours => 6 * floor(random() * 50)::int)
FROM generate_series(1, 500) d, LATERAL generate_series(1, (random() * 15 + d * 0)::int) j;
SELECT count(*) AS contacts_checked,
       count(*) FILTER (WHERE e.stage IS DISTINCT FROM l.stage
                           OR e.effective IS DISTINCT FROM l.effective) AS mismatches
FROM effective_contacts e FULL JOIN effective_lateral l USING (contact_id);
-- the cases cover what they should
SELECT count(*) FILTER (WHERE effective) > 300 AS many_effective,
       count(*) FILTER (WHERE NOT effective) > 1000 AS many_not,
       count(*) FILTER (WHERE stage IS NULL) > 10 AS before_first_stage,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM crm.contacts o WHERE o.deal_id = e.deal_id
                                      AND o.at = e.at AND o.contact_id <> e.contact_id)) > 100
         AS contacts_at_one_moment,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM crm.stage_history h WHERE h.deal_id = e.deal_id
                                      AND h.entered_at = e.at)) > 50 AS contact_at_stage_entry,
       (SELECT count(*) FROM crm.contacts WHERE at > crm.as_of()) > 100 AS after_as_of
FROM effective_contacts e;
SET client_min_messages = warning;
DROP SCHEMA crm CASCADE;
