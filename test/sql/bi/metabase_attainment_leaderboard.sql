-- Metabase question "Attainment leaderboard" (native SQL; table).
-- {{indicator}} is a Text variable (default revenue); {{from}} and {{to}}
-- optional Date variables; {{team}} an optional Text variable.
SELECT rank() OVER (ORDER BY r.ratio DESC NULLS LAST) AS rank,
       s.name AS seller, t.name AS team, r.actual, r.plan, r.ratio,
       r.days_met, r.days_missed, r.longest_miss_streak, r.current_streak, r.shortfall
FROM (SELECT p.seller_id, plan_attainment(p.actual, p.plan, p.day) AS a
      FROM crm.daily_plans p
      WHERE p.indicator = {{indicator}}
        [[AND p.day >= {{from}}]]
        [[AND p.day <= {{to}}]]
      GROUP BY p.seller_id) m
JOIN crm.sellers s USING (seller_id)
JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL attainment_report(m.a) r
WHERE true [[AND t.name = {{team}}]]
ORDER BY rank, seller;
