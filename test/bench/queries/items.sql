-- The cost of each funnel item (test/bench/run, case items): the levels
-- per deal of wf30's 3 steps over bench_events, with :'mode' as the mode and
-- email_opened as the exclusion condition (items3.sql: without it).
SELECT level, count(*) AS deals
FROM (SELECT window_funnel(interval '30 days', :'mode', ts,
                           event = 'created', event = 'qualified', event = 'meeting_held',
                           event = 'email_opened') AS level
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY level
ORDER BY level
