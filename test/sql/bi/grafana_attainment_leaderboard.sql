-- Grafana panel "Attainment leaderboard": Format Table.  $indicator is a
-- dashboard variable (query: SELECT indicator FROM crm.indicators); the days
-- are those of the dashboard time range.
SELECT rank() OVER (ORDER BY r.ratio DESC NULLS LAST) AS rank,
       s.name AS seller, t.name AS team, r.actual, r.plan, r.ratio,
       r.days_met, r.days_missed, r.current_streak, r.shortfall
FROM (SELECT p.seller_id, plan_attainment(p.actual, p.plan, p.day) AS a
      FROM crm.daily_plans p
      WHERE p.indicator = '$indicator'
        AND p.day >= $__timeFrom()::date AND p.day <= $__timeTo()::date
      GROUP BY p.seller_id) m
JOIN crm.sellers s USING (seller_id)
JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL attainment_report(m.a) r
ORDER BY rank, seller;
