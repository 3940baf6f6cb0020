-- The waterfall of a quarter in plain SQL: one pass, four filtered counts
-- per stage, by the definitions.
SELECT stage_position(stage) AS "position",
       count(*) FILTER (WHERE entered_at < lower(p) AND (left_at IS NULL OR left_at >= lower(p))) AS at_start,
       count(*) FILTER (WHERE entered_at >= lower(p) AND entered_at < upper(p)) AS entered,
       count(*) FILTER (WHERE left_at >= lower(p) AND left_at < upper(p)) AS exited,
       count(*) FILTER (WHERE entered_at < upper(p) AND (left_at IS NULL OR left_at >= upper(p))) AS at_end
FROM bench_visits, (SELECT tstzrange('2025-04-01', '2025-07-01') AS p) period
GROUP BY stage
ORDER BY 1
