-- window_funnel_times, the input of time_to_convert (test/bench/run, case items).
SELECT cardinality(times) AS level, count(*) AS deals
FROM (SELECT window_funnel_times(interval '30 days', ts,
                                 event = 'created', event = 'qualified', event = 'meeting_held') AS times
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
