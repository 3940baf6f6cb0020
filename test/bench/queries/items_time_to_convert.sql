-- time_to_convert over the chains' times (test/bench/run, case items).
SELECT position, visits, exits, p50_days
FROM velocity_steps((
    SELECT time_to_convert(times)
    FROM (SELECT window_funnel_times(interval '30 days', ts,
                                     event = 'created', event = 'qualified', event = 'meeting_held') AS times
          FROM bench_events
          GROUP BY deal_id) per_deal))
