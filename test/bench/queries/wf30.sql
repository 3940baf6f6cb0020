-- The comparison with ClickHouse (test/bench/run, section "window_funnel at
-- ClickHouse speed"): 3 steps as boolean conditions, a 30-day window, the
-- number of deals per level; run over bench_events_arrival and
-- bench_events_timeline.
SELECT level, count(*) AS deals
FROM (SELECT window_funnel(interval '30 days', ts,
                           event = 'created', event = 'qualified', event = 'meeting_held') AS level
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY level
ORDER BY level
