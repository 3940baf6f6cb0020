-- Exact plain-SQL window funnel (default mode).  s<k> is the start time of
-- the latest-starting chain that reaches step k at this event: the running
-- max of s<k-1> over the events before it, if within the window of it.  The
-- latest start is the only chain that matters, as in window_funnel.  One
-- window pass per step, all in one sort order.  Assumes each row matches at
-- most one step (true for event = '...' conditions).
WITH e AS (
    SELECT deal_id, ts,
           CASE event WHEN 'created' THEN 1 WHEN 'qualified' THEN 2 WHEN 'meeting_held' THEN 3 END AS step,
           CASE WHEN event = 'created' THEN ts END AS s1
    FROM bench_events
    WHERE event IN ('created', 'qualified', 'meeting_held')
), l2 AS (
    SELECT *, CASE WHEN step = 2 AND max(s1) OVER w >= ts - interval '5 days' THEN max(s1) OVER w END AS s2
    FROM e WINDOW w AS (PARTITION BY deal_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING)
), l3 AS (
    SELECT *, CASE WHEN step = 3 AND max(s2) OVER w >= ts - interval '5 days' THEN max(s2) OVER w END AS s3
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
