-- Metabase question "Is our funnel getting better?" (native SQL; visualize as
-- a combo chart: bars deals, lines win_rate and qualified_rate, x week).
-- {{funnel}} is a Number variable (default 1).  Young cohorts have many deals
-- still open, so their win rate is not final yet.
SELECT c.cohort::date AS week, c.deals, c.still_open,
       coalesce(max(s.reached) FILTER (WHERE s.position >= 2), 0)::float8 / c.deals AS qualified_rate,
       coalesce(max(s.reached) FILTER (WHERE s.position >= c.last_position), 0)::float8 / c.deals AS win_rate
FROM (SELECT d.funnel_id, date_trunc('week', d.created_at, 'UTC') AS cohort, count(*) AS deals,
             count(*) FILTER (WHERE d.status = 'open') AS still_open,
             (SELECT max(stage_position(fs.stage)) FROM crm.funnel_stages fs
              WHERE fs.funnel_id = d.funnel_id) AS last_position,
             funnel_conversion(m.reached) AS f
      FROM crm.deals d
      CROSS JOIN LATERAL (SELECT max(h.stage) AS reached
                          FROM crm.stage_history h WHERE h.deal_id = d.deal_id) m
      WHERE d.funnel_id = {{funnel}}
      GROUP BY 1, 2) c
CROSS JOIN LATERAL funnel_steps(c.f) s
GROUP BY c.cohort, c.deals, c.still_open, c.last_position
ORDER BY 1;
