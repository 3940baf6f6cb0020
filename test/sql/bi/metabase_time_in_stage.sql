-- Metabase question "Time in stage" (native SQL; visualize as a bar chart:
-- x stage, y median_days and p90_days).  {{funnel}} is a Number variable;
-- {{from}} an optional Date variable on when the visit began.
SELECT s.position, s.stage, s.p50_days AS median_days, s.p90_days, s.avg_days, s.exits AS visits_ended
FROM (SELECT stage_velocity(h.stage, h.entered_at, h.left_at) AS v
      FROM crm.stage_history h
      JOIN crm.deals d USING (deal_id)
      WHERE d.funnel_id = {{funnel}}
        [[AND h.entered_at >= {{from}}]]) q
CROSS JOIN LATERAL velocity_steps(q.v) s
WHERE s.position < (SELECT max(stage_position(stage)) FROM crm.funnel_stages WHERE funnel_id = {{funnel}})
ORDER BY s.position;
