-- The plain funnel the items are measured against (test/bench/run, case
-- items): wf30's 3 steps, the default mode.
SELECT level, count(*) AS deals
FROM (SELECT window_funnel(interval '30 days', ts,
                           event = 'created', event = 'qualified', event = 'meeting_held') AS level
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY level
ORDER BY level
