-- This month per team and for the whole department, merged from the
-- sellers' monthly rollups: a day of a team is met when the team's summed
-- actual reaches its summed plan.
SELECT coalesce(t.name, 'department') AS team, g.indicator,
       r.actual, r.plan, round((100 * r.ratio)::numeric) AS "%",
       r.days, r.days_missed AS missed, r.longest_miss_streak AS "longest miss run", r.shortfall
FROM (SELECT s.team_id, m.indicator, plan_attainment(m.a) AS a
      FROM attainment_monthly m
      JOIN crm.sellers s USING (seller_id)
      WHERE m.month = date_trunc('month', crm.today())
      GROUP BY GROUPING SETS ((s.team_id, m.indicator), (m.indicator))) g
LEFT JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL attainment_report(g.a) r
ORDER BY g.indicator, g.team_id NULLS LAST;
