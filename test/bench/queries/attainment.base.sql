-- Plain-SQL streak query (gaps and islands): number the runs of met/missed
-- days with lag() and a running sum in one sort order, sum each run, then
-- each seller and indicator.  Relies on one row per (seller, indicator,
-- day), which the table's primary key guarantees (plan_attainment adds up
-- rows of the same day itself).
WITH flagged AS (
    SELECT seller_id, indicator, day, actual, plan, actual >= plan AS met,
           CASE WHEN (actual >= plan) IS DISTINCT FROM lag(actual >= plan) OVER w THEN 1 ELSE 0 END AS new_run
    FROM bench_plans
    WINDOW w AS (PARTITION BY seller_id, indicator ORDER BY day)
), numbered AS (
    SELECT *, sum(new_run) OVER w AS run
    FROM flagged
    WINDOW w AS (PARTITION BY seller_id, indicator ORDER BY day ROWS UNBOUNDED PRECEDING)
), runs AS (
    SELECT seller_id, indicator, run, bool_and(met) AS met, count(*) AS len,
           sum(actual) AS actual, sum(plan) AS plan, sum(plan - actual) AS gap
    FROM numbered
    GROUP BY seller_id, indicator, run
)
SELECT seller_id, indicator, sum(actual) AS actual, sum(plan) AS plan,
       (sum(actual) / nullif(sum(plan), 0))::float8 AS ratio,
       sum(len)::int AS days,
       coalesce(sum(len) FILTER (WHERE met), 0)::int AS days_met,
       coalesce(sum(len) FILTER (WHERE NOT met), 0)::int AS days_missed,
       coalesce(max(len) FILTER (WHERE NOT met), 0)::int AS longest_miss_streak,
       (array_agg(CASE WHEN met THEN len ELSE -len END ORDER BY run DESC))[1]::int AS current_streak,
       coalesce(sum(gap) FILTER (WHERE NOT met), 0) AS shortfall
FROM runs
GROUP BY seller_id, indicator
ORDER BY 1, 2
