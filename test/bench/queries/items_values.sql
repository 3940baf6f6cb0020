-- window_funnel_values at the cost of the plain funnel (test/bench/run,
-- case items): the first-touch event of each deal's chain, counted.
SELECT v[1] AS first_touch, count(*) AS deals
FROM (SELECT window_funnel_values(interval '30 days', ts, event,
                                  event = 'created', event = 'qualified', event = 'meeting_held') AS v
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
