-- Reference, not a case: wf30's grouping by deal with two built-in
-- aggregates over the same two columns in place of window_funnel, what
-- PostgreSQL's per-row aggregate machinery costs on the same plan (issue
-- 29's "ours / two built-in aggregates").  The outer query uses both
-- results: the planner removes an aggregate whose result no one reads.
SELECT n AS events, count(*) AS deals, max(last_ts) AS last_ts
FROM (SELECT max(ts) AS last_ts, count(event) AS n
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY n
ORDER BY n
