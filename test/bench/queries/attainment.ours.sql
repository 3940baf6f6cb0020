SELECT s.seller_id, s.indicator, r.actual, r.plan, r.ratio, r.days, r.days_met, r.days_missed,
       r.longest_miss_streak, r.current_streak, r.shortfall
FROM (SELECT seller_id, indicator, plan_attainment(actual, plan, day) AS a
      FROM bench_plans
      GROUP BY seller_id, indicator) s,
     LATERAL attainment_report(s.a) r
ORDER BY 1, 2
