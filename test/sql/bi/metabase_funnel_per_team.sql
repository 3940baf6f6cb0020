-- Metabase question "Funnel per team" (native SQL; visualize as a bar chart:
-- x stage, series team, y reached).  {{from}} and {{to}} are optional Date
-- variables on the deal's creation.
SELECT t.name AS team, s.position, s.stage, s.reached, s.step_conversion
FROM (SELECT x.team_id, funnel_conversion(m.reached) AS f
      FROM crm.deals d
      JOIN crm.sellers x USING (seller_id)
      CROSS JOIN LATERAL (SELECT max(h.stage) AS reached
                          FROM crm.stage_history h WHERE h.deal_id = d.deal_id) m
      WHERE true
        [[AND d.created_at >= {{from}}]]
        [[AND d.created_at < {{to}}]]
      GROUP BY x.team_id) p
JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL funnel_steps(p.f) s
ORDER BY t.name, s.position;
