-- Exact plain-SQL window funnel, mode strict_order, six steps; see
-- wfunnel3_strict.base.sql for how it works.
WITH e AS (
    SELECT deal_id, ts,
           CASE event WHEN 'created' THEN 1 WHEN 'qualified' THEN 2 WHEN 'meeting_held' THEN 3
                      WHEN 'proposal_sent' THEN 4 WHEN 'contract_signed' THEN 5 WHEN 'paid' THEN 6
                      ELSE 0 END AS step,
           CASE WHEN event = 'created' THEN ts END AS s1
    FROM bench_events
), l2 AS (
    SELECT *, CASE WHEN step = 2 AND max(s1) OVER w >= ts - interval '12 days' THEN max(s1) OVER w END AS s2,
           max(s1) OVER w IS NOT NULL AS started
    FROM e WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l3 AS (
    SELECT *, CASE WHEN step = 3 AND max(s2) OVER w >= ts - interval '12 days' THEN max(s2) OVER w END AS s3,
           step = 3 AND max(s2) OVER w IS NULL AS gap
    FROM l2 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l4 AS (
    SELECT *, CASE WHEN step = 4 AND max(s3) OVER w >= ts - interval '12 days' THEN max(s3) OVER w END AS s4,
           gap OR (step = 4 AND max(s3) OVER w IS NULL) AS gap4
    FROM l3 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l5 AS (
    SELECT *, CASE WHEN step = 5 AND max(s4) OVER w >= ts - interval '12 days' THEN max(s4) OVER w END AS s5,
           gap4 OR (step = 5 AND max(s4) OVER w IS NULL) AS gap5
    FROM l4 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l6 AS (
    SELECT *, CASE WHEN step = 6 AND max(s5) OVER w >= ts - interval '12 days' THEN max(s5) OVER w END AS s6,
           gap5 OR (step = 6 AND max(s5) OVER w IS NULL) AS gap6
    FROM l5 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), cut AS (
    SELECT deal_id,
           CASE WHEN s6 IS NOT NULL THEN 6 WHEN s5 IS NOT NULL THEN 5 WHEN s4 IS NOT NULL THEN 4
                WHEN s3 IS NOT NULL THEN 3 WHEN s2 IS NOT NULL THEN 2 WHEN s1 IS NOT NULL THEN 1
                ELSE 0 END AS level,
           bool_or(started AND (step = 0 OR gap6)) OVER w AS stopped
    FROM l6 WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
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
