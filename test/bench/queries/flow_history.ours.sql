SELECT "position", at_start, entered, exited, at_end
FROM flow_steps((SELECT pipeline_flow(deal_id, stage, entered_at, tstzrange('2025-04-01', '2025-07-01'))
                 FROM bench_visits))
ORDER BY 1
