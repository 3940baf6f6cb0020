-- Leaderboard: sellers ranked on revenue attainment so far this year, in
-- the department and in their team, with the gap to their team's average
-- (in percentage points).
WITH this_year AS (
    SELECT m.seller_id, plan_attainment(m.a) AS a
    FROM attainment_monthly m
    WHERE m.indicator = 'revenue' AND m.month >= date_trunc('year', crm.today())
    GROUP BY m.seller_id)
SELECT rank() OVER (ORDER BY attainment_ratio(y.a) DESC NULLS LAST) AS rank,
       s.name AS seller, t.name AS team,
       rank() OVER (PARTITION BY s.team_id ORDER BY attainment_ratio(y.a) DESC NULLS LAST) AS "rank in team",
       round((100 * attainment_ratio(y.a))::numeric) AS "revenue %",
       round((100 * (attainment_ratio(y.a)
                     - avg(attainment_ratio(y.a)) OVER (PARTITION BY s.team_id)))::numeric) AS "vs team avg",
       r.days_met AS "days met", r.days_missed AS "days missed", r.current_streak AS streak
FROM this_year y
CROSS JOIN LATERAL attainment_report(y.a) r
JOIN crm.sellers s USING (seller_id)
JOIN crm.teams t USING (team_id)
ORDER BY rank, seller;
