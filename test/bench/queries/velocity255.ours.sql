-- stage_velocity over 255 stages whose durations span every range of
-- buckets (issue D4): a row must cost the same however many stages the
-- state holds, so this is timed against the same number of rows over 6
-- stages (velocity255.base.sql).  Both give the total visits and exits.
SELECT sum(visits) AS visits, sum(exits) AS exits
FROM velocity_steps((SELECT stage_velocity(stage, entered_at, left_at) FROM bench_wide255))
