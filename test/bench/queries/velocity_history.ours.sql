SELECT "position", visits, exits, open, avg_days, p50_days, p90_days, max_days
FROM velocity_steps((SELECT stage_velocity(deal_id, stage, entered_at) FROM bench_visits))
ORDER BY 1
