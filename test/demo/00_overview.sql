-- Demo 00: a first look at the sample CRM data (schema crm).
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' The sample CRM: one year of a sales department, two funnels'
\echo ' (2025-07-01 .. 2026-06-30; "now" is crm.as_of() = 2026-06-30 18:00)'
\echo '=================================================================='
\echo
\echo 'Teams: each works one funnel; win rate = won / (won + lost)'
SELECT t.name AS team,
       f.name AS funnel,
       string_agg(DISTINCT split_part(s.name, ' ', 1), ', ') AS sellers,
       count(d.*) AS deals,
       count(d.*) FILTER (WHERE d.status = 'won') AS won,
       round(100.0 * count(d.*) FILTER (WHERE d.status = 'won')
             / nullif(count(d.*) FILTER (WHERE d.status <> 'open'), 0), 1) AS "win %"
FROM crm.teams t
JOIN crm.funnels f USING (funnel_id)
JOIN crm.sellers s USING (team_id)
LEFT JOIN crm.deals d USING (seller_id)
GROUP BY t.team_id, t.name, f.name
ORDER BY t.team_id;

\echo 'Deals by status per funnel'
SELECT f.name AS funnel,
       count(*) AS deals,
       count(*) FILTER (WHERE d.status = 'open') AS open,
       count(*) FILTER (WHERE d.status = 'won') AS won,
       count(*) FILTER (WHERE d.status = 'lost') AS lost,
       round(avg(d.amount) FILTER (WHERE d.status = 'won')) AS "avg won amount",
       round(sum(d.amount) FILTER (WHERE d.status = 'open')) AS "open pipeline"
FROM crm.deals d
JOIN crm.funnels f USING (funnel_id)
GROUP BY f.funnel_id, f.name
ORDER BY f.funnel_id;

\echo 'Stage visits per stage, in the order of the stage type (position, then name).'
\echo '"stopped here": deals whose deepest stage, max(stage), is this one'
WITH deepest AS (SELECT deal_id, max(stage) AS stage FROM crm.stage_history GROUP BY deal_id)
SELECT h.stage,
       count(*) AS visits,
       count(DISTINCT h.deal_id) AS deals,
       count(*) FILTER (WHERE h.left_at IS NULL) AS "open now",
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.left_at - h.entered_at))
              / 86400)::numeric, 1) AS "median days",
       (SELECT count(*) FROM deepest m WHERE m.stage = h.stage) AS "stopped here"
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
GROUP BY d.funnel_id, h.stage
ORDER BY d.funnel_id, h.stage;

\echo 'Each funnel from its first to its last stage: min(stage) and max(stage)'
SELECT f.name AS funnel, min(fs.stage) AS first, max(fs.stage) AS last,
       string_agg(stage_name(fs.stage), ' > ' ORDER BY fs.stage) AS stages
FROM crm.funnel_stages fs
JOIN crm.funnels f USING (funnel_id)
GROUP BY f.funnel_id, f.name
ORDER BY f.funnel_id;

\echo 'One deal''s story: it skips a stage, returns to an earlier one, and is won'
SELECT h.stage, h.entered_at, h.left_at, round((extract(epoch FROM h.left_at - h.entered_at) / 86400)::numeric, 1) AS "days in stage",
       (SELECT count(*) FROM crm.contacts c
        WHERE c.deal_id = h.deal_id AND c.at >= h.entered_at AND c.at < coalesce(h.left_at, crm.as_of())) AS contacts
FROM crm.stage_history h
WHERE h.deal_id = (SELECT min(deal_id)
                   FROM (SELECT s.deal_id
                         FROM (SELECT deal_id, stage,
                                      lag(stage) OVER (PARTITION BY deal_id ORDER BY entered_at) AS prev
                               FROM crm.stage_history) s
                         JOIN crm.deals d USING (deal_id)
                         WHERE d.status = 'won' AND d.funnel_id = 2
                         GROUP BY s.deal_id
                         HAVING bool_or(stage_position(s.stage) > stage_position(s.prev) + 1)
                            AND bool_or(s.stage < s.prev)) x)
ORDER BY h.entered_at;
