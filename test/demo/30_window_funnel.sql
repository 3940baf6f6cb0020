-- Demo 30: window_funnel on the raw event stream crm.events
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' window_funnel: the deepest step each deal reached within 90 days'
\echo ' of its "created" event (ClickHouse windowFunnel semantics)'
\echo '=================================================================='
\echo
\echo 'Deals reaching each step, per funnel (steps: created, qualified,'
\echo 'meeting_held, proposal_sent, contract_signed, paid)'
WITH deepest AS (
    SELECT e.deal_id,
           window_funnel(interval '90 days', e.at,
                         e.event = 'created', e.event = 'qualified', e.event = 'meeting_held',
                         e.event = 'proposal_sent', e.event = 'contract_signed', e.event = 'paid') AS level
    FROM crm.events e
    GROUP BY e.deal_id)
SELECT f.name AS funnel, s.step, s.name AS "step event",
       count(*) FILTER (WHERE dl.level >= s.step) AS deals,
       round(100.0 * count(*) FILTER (WHERE dl.level >= s.step)
             / nullif(count(*) FILTER (WHERE dl.level >= 1), 0), 1) AS "% of created"
FROM deepest dl
JOIN crm.deals d USING (deal_id)
JOIN crm.funnels f USING (funnel_id)
CROSS JOIN unnest('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}'::text[])
           WITH ORDINALITY s(name, step)
GROUP BY f.funnel_id, f.name, s.step, s.name
ORDER BY f.funnel_id, s.step;

\echo 'The same funnel under each mode: deals that reached each step (deepest step'
\echo 'at or beyond it, as in the first table; e-mail opens and site visits left out).'
\echo 'strict_order stops at an event that skips a step, strict_deduplication at a'
\echo 'repeated step, strict_increase does not count two steps logged at the same moment'
SELECT m.mode, s.name AS step, count(*) FILTER (WHERE x.level >= s.step) AS deals
FROM (VALUES ('default', ''), ('strict_order', 'strict_order'),
             ('strict_deduplication', 'strict_deduplication'),
             ('strict_increase', 'strict_increase')) m(mode, spec)
CROSS JOIN LATERAL (
    SELECT e.deal_id,
           window_funnel(interval '90 days', m.spec, e.at,
                         e.event = 'created', e.event = 'qualified', e.event = 'meeting_held',
                         e.event = 'proposal_sent', e.event = 'contract_signed', e.event = 'paid') AS level
    FROM crm.events e
    WHERE e.event NOT IN ('email_opened', 'site_visit')
    GROUP BY e.deal_id) x
CROSS JOIN unnest('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}'::text[])
           WITH ORDINALITY s(name, step)
GROUP BY m.mode, s.step, s.name
ORDER BY m.mode, s.step \crosstabview mode step deals

\echo 'Time to convert, per step (window_funnel_times: when each step of the'
\echo 'chain happened); median and 90th percentile in days'
WITH chains AS (
    SELECT window_funnel_times(interval '90 days', e.at,
                               e.event = 'created', e.event = 'qualified', e.event = 'meeting_held',
                               e.event = 'proposal_sent', e.event = 'contract_signed', e.event = 'paid') AS t
    FROM crm.events e
    GROUP BY e.deal_id)
SELECT k AS step, s.name AS "reached step",
       count(*) AS deals,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t[k] - t[k - 1])) / 86400)::numeric, 1) AS "median days",
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t[k] - t[k - 1])) / 86400)::numeric, 1) AS "p90 days"
FROM chains
CROSS JOIN unnest('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}'::text[])
           WITH ORDINALITY s(name, k)
WHERE k >= 2 AND cardinality(t) >= k
GROUP BY k, s.name
ORDER BY k;

\echo 'One paid deal: its chain, step by step'
SELECT s.name AS step, t.at
FROM (SELECT window_funnel_times(interval '90 days', e.at,
                                 e.event = 'created', e.event = 'qualified', e.event = 'meeting_held',
                                 e.event = 'proposal_sent', e.event = 'contract_signed', e.event = 'paid') AS times
      FROM crm.events e
      WHERE e.deal_id = (SELECT min(deal_id) FROM crm.events WHERE event = 'paid')) c
CROSS JOIN unnest(c.times) WITH ORDINALITY t(at, k)
JOIN unnest('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}'::text[])
     WITH ORDINALITY s(name, k) USING (k)
ORDER BY k;
