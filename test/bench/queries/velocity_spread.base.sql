-- The figures of velocity over durations spread from seconds to months:
-- one sort per stage for the percentiles (the two percentile_cont calls
-- share it).
SELECT stage_position(stage) AS "position", count(*) AS visits, count(left_at) AS exits,
       count(*) - count(left_at) AS open,
       avg(extract(epoch FROM left_at - entered_at)::float8 / 86400) AS avg_days,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at)::float8 / 86400) AS p50_days,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at)::float8 / 86400) AS p90_days,
       max(extract(epoch FROM left_at - entered_at)::float8 / 86400) AS max_days
FROM bench_visits_spread
GROUP BY stage
ORDER BY 1
