-- Exact plain-SQL window funnel, mode strict_order: the default-mode chains
-- (see wfunnel3.base.sql) over every row (step 0: matches no step), cut at
-- the first row that, after a step 1, matches no step or is a step k whose
-- step k-1 was never reached.
WITH e AS (
    SELECT deal_id, ts,
           CASE event WHEN 'created' THEN 1 WHEN 'qualified' THEN 2 WHEN 'meeting_held' THEN 3 ELSE 0 END AS step,
           CASE WHEN event = 'created' THEN ts END AS s1
    FROM bench_events
), l2 AS (
    SELECT *, CASE WHEN step = 2 AND max(s1) OVER w >= ts - interval '5 days' THEN max(s1) OVER w END AS s2,
           max(s1) OVER w IS NOT NULL AS started
    FROM e WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l3 AS (
    SELECT *, CASE WHEN step = 3 AND max(s2) OVER w >= ts - interval '5 days' THEN max(s2) OVER w END AS s3,
           step = 3 AND max(s2) OVER w IS NULL AS gap
    FROM l2 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), cut AS (
    SELECT deal_id,
           CASE WHEN s3 IS NOT NULL THEN 3 WHEN s2 IS NOT NULL THEN 2 WHEN s1 IS NOT NULL THEN 1 ELSE 0 END AS level,
           bool_or(started AND (step = 0 OR gap)) OVER w AS stopped
    FROM l3 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), per_deal AS (
    SELECT deal_id, max(level) FILTER (WHERE NOT stopped) AS level
    FROM cut
    GROUP BY deal_id
)
SELECT level, count(*) AS deals
FROM per_deal
WHERE level > 0
GROUP BY level
ORDER BY 1
