-- The query of issue D4: stage_velocity over rows made by generate_series,
-- 255 stages whose durations span every range of buckets, timed against as
-- many rows over 6 stages (velocity255_series.base.sql).  Both give the
-- total visits and exits.
SELECT sum(visits) AS visits, sum(exits) AS exits
FROM velocity_steps((
    SELECT stage_velocity(stage(p), timestamptz '2025-01-01 00:00+00',
                          timestamptz '2025-01-01 00:00+00' + exp(k * (43.33 / per255))::bigint * interval '1 microsecond')
    FROM bench_wide_size, generate_series(1, 255) p, generate_series(1, per255) k))
