-- Grafana panel "Funnel per team": Format Table; as a bar chart add the
-- transformation "Grouping to matrix" (row: stage, column: team, cell: reached).
-- The dashboard time range selects deals by creation time.
SELECT t.name AS team, s.position, s.stage, s.reached, s.step_conversion
FROM (SELECT x.team_id, funnel_conversion(m.reached) AS f
      FROM crm.deals d
      JOIN crm.sellers x USING (seller_id)
      CROSS JOIN LATERAL (SELECT max(h.stage) AS reached
                          FROM crm.stage_history h WHERE h.deal_id = d.deal_id) m
      WHERE $__timeFilter(d.created_at)
      GROUP BY x.team_id) p
JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL funnel_steps(p.f) s
ORDER BY t.name, s.position;
