-- The waterfall of a quarter from entries only, in plain SQL: a visit lasts
-- until the deal's next entry (lead over the deal's entries in time order,
-- ties by position), then four filtered counts per stage.
SELECT stage_position(stage) AS "position",
       count(*) FILTER (WHERE entered_at < lower(p) AND (left_at IS NULL OR left_at >= lower(p))) AS at_start,
       count(*) FILTER (WHERE entered_at >= lower(p) AND entered_at < upper(p)) AS entered,
       count(*) FILTER (WHERE left_at >= lower(p) AND left_at < upper(p)) AS exited,
       count(*) FILTER (WHERE entered_at < upper(p) AND (left_at IS NULL OR left_at >= upper(p))) AS at_end
FROM (SELECT stage, entered_at,
             lead(entered_at) OVER (PARTITION BY deal_id ORDER BY entered_at, stage_position(stage)) AS left_at
      FROM bench_visits) entries,
     (SELECT tstzrange('2025-04-01', '2025-07-01') AS p) period
GROUP BY stage
ORDER BY 1
