-- The reference of velocity255_series: the same number of visits over 6 stages.
SELECT sum(visits) AS visits, sum(exits) AS exits
FROM velocity_steps((
    SELECT stage_velocity(stage(p), timestamptz '2025-01-01 00:00+00',
                          timestamptz '2025-01-01 00:00+00' + exp(k * (43.33 / per6))::bigint * interval '1 microsecond')
    FROM bench_wide_size, generate_series(1, 6) p, generate_series(1, per6) k))
