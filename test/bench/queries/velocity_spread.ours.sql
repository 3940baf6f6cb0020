SELECT "position", visits, exits, open, avg_days, p50_days, p90_days, max_days
FROM velocity_steps((SELECT stage_velocity(stage, entered_at, left_at) FROM bench_visits_spread))
ORDER BY 1
