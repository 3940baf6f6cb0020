-- The reference of velocity255: the same number of visits over 6 stages.
SELECT sum(visits) AS visits, sum(exits) AS exits
FROM velocity_steps((SELECT stage_velocity(stage, entered_at, left_at) FROM bench_wide6))
