-- Grafana panel "Time in stage": Format Table, shown as a bar chart (x: stage).
-- Visits that entered their stage in the dashboard time range; the last
-- stage (won) is where deals stay, so it is left out.
SELECT s.stage, s.p50_days AS "median days", s.p90_days AS "90% within days",
       s.avg_days AS "mean days", s.exits AS "visits ended"
FROM (SELECT stage_velocity(h.stage, h.entered_at, h.left_at) AS v
      FROM crm.stage_history h
      JOIN crm.deals d USING (deal_id)
      WHERE d.funnel_id = $funnel AND $__timeFilter(h.entered_at)) q
CROSS JOIN LATERAL velocity_steps(q.v) s
WHERE s.position < (SELECT max(stage_position(stage)) FROM crm.funnel_stages WHERE funnel_id = $funnel)
ORDER BY s.position;
