-- wf30 in plain SQL: wfunnel3.base.sql's window functions (see there) with
-- wf30's 30-day window, the levels above 0 (the deals with no step event
-- have no row here).  test/bench/run runs it in DuckDB (duckdb.sh) and, in
-- --check, in PostgreSQL against window_funnel; so it is written in the SQL
-- both read.
WITH e AS (
    SELECT deal_id, ts,
           CASE event WHEN 'created' THEN 1 WHEN 'qualified' THEN 2 WHEN 'meeting_held' THEN 3 END AS step,
           CASE WHEN event = 'created' THEN ts END AS s1
    FROM bench_events
    WHERE event IN ('created', 'qualified', 'meeting_held')
), l2 AS (
    SELECT *, CASE WHEN step = 2 AND max(s1) OVER w >= ts - interval '30 days' THEN max(s1) OVER w END AS s2
    FROM e WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l3 AS (
    SELECT *, CASE WHEN step = 3 AND max(s2) OVER w >= ts - interval '30 days' THEN max(s2) OVER w END AS s3
    FROM l2 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), per_deal AS (
    SELECT deal_id,
           max(CASE WHEN s3 IS NOT NULL THEN 3 WHEN s2 IS NOT NULL THEN 2 WHEN s1 IS NOT NULL THEN 1 ELSE 0 END) AS level
    FROM l3
    GROUP BY deal_id
)
SELECT level, count(*) AS deals
FROM per_deal
WHERE level > 0
GROUP BY level
ORDER BY 1
