-- Exact per-stage figures from entries only, in plain SQL: a visit lasts
-- until the deal's next entry (lead over the deal's entries in time order,
-- ties by position), then one sort per stage for the percentiles.
SELECT stage_position(stage) AS "position", count(*) AS visits, count(left_at) AS exits,
       count(*) - count(left_at) AS open,
       avg(extract(epoch FROM left_at - entered_at)::float8 / 86400) AS avg_days,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at)::float8 / 86400) AS p50_days,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at)::float8 / 86400) AS p90_days,
       max(extract(epoch FROM left_at - entered_at)::float8 / 86400) AS max_days
FROM (SELECT stage, entered_at,
             lead(entered_at) OVER (PARTITION BY deal_id ORDER BY entered_at, stage_position(stage)) AS left_at
      FROM bench_visits) entries
GROUP BY stage
ORDER BY 1
