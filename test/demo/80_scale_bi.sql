-- Demo 80: conversion over time (cohorts), a daily rollup kept current with
-- ON CONFLICT merges, and BI-ready reports read from the rollup.
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' Scale-out and BI: cohorts, incremental rollups, chart-ready rows'
\echo '=================================================================='
\echo
\echo 'Is the funnel getting better? Deals by month of entry, share won so far'
\echo '(recent cohorts are young: many of their deals are still open)'
SELECT cohort::date AS month,
       sum(deals) FILTER (WHERE funnel_id = 1) AS "B2B SaaS deals",
       max(win_pct) FILTER (WHERE funnel_id = 1) AS "B2B SaaS won %",
       sum(deals) FILTER (WHERE funnel_id = 2) AS "Оптовые продажи deals",
       max(win_pct) FILTER (WHERE funnel_id = 2) AS "Оптовые продажи won %",
       sum(still_open) AS "still open"
FROM (SELECT c.funnel_id, c.cohort, c.deals, c.still_open,
             round(100.0 * coalesce(max(s.reached) FILTER (WHERE s.position >= 6), 0) / c.deals, 1) AS win_pct
      FROM (SELECT d.funnel_id, date_trunc('month', d.created_at, 'UTC') AS cohort, count(*) AS deals,
                   count(*) FILTER (WHERE d.status = 'open') AS still_open,
                   funnel_conversion(r.reached) AS f
            FROM crm.deals d
            CROSS JOIN LATERAL (SELECT max(h.stage) AS reached FROM crm.stage_history h
                                WHERE h.deal_id = d.deal_id) r
            GROUP BY 1, 2) c
      CROSS JOIN LATERAL funnel_steps(c.f) s
      GROUP BY c.funnel_id, c.cohort, c.deals, c.still_open) w
GROUP BY cohort
ORDER BY cohort;

\echo 'A daily rollup: one row per day and seller with a funnel (deals closed'
\echo 'that day), a velocity (stage visits ended that day) and the revenue'
\echo 'attainment (that day''s plan), loaded in two runs (to the end of May,'
\echo 'then June) and merged with INSERT ... ON CONFLICT DO UPDATE'
CREATE TABLE crm.daily_rollup (
    day date,
    seller_id int,
    funnel funnel,
    velocity velocity,
    revenue attainment,
    PRIMARY KEY (day, seller_id)
);

-- run 1: everything before June
INSERT INTO crm.daily_rollup AS t (day, seller_id, funnel)
SELECT (d.closed_at AT TIME ZONE 'UTC')::date, d.seller_id, funnel_conversion(r.reached)
FROM crm.deals d
CROSS JOIN LATERAL (SELECT max(h.stage) AS reached FROM crm.stage_history h WHERE h.deal_id = d.deal_id) r
WHERE d.closed_at < '2026-06-01 00:00+00'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET funnel = t.funnel + excluded.funnel;
INSERT INTO crm.daily_rollup AS t (day, seller_id, velocity)
SELECT (h.left_at AT TIME ZONE 'UTC')::date, d.seller_id, stage_velocity(h.stage, h.entered_at, h.left_at)
FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
WHERE h.left_at < '2026-06-01 00:00+00'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET velocity = t.velocity + excluded.velocity;
INSERT INTO crm.daily_rollup AS t (day, seller_id, revenue)
SELECT p.day, p.seller_id, plan_attainment(p.actual, p.plan, p.day)
FROM crm.daily_plans p
WHERE p.indicator = 'revenue' AND p.day < '2026-06-01'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET revenue = t.revenue + excluded.revenue;

-- run 2: June; the same statements with the next range
INSERT INTO crm.daily_rollup AS t (day, seller_id, funnel)
SELECT (d.closed_at AT TIME ZONE 'UTC')::date, d.seller_id, funnel_conversion(r.reached)
FROM crm.deals d
CROSS JOIN LATERAL (SELECT max(h.stage) AS reached FROM crm.stage_history h WHERE h.deal_id = d.deal_id) r
WHERE d.closed_at >= '2026-06-01 00:00+00' AND d.closed_at < '2026-07-01 00:00+00'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET funnel = t.funnel + excluded.funnel;
INSERT INTO crm.daily_rollup AS t (day, seller_id, velocity)
SELECT (h.left_at AT TIME ZONE 'UTC')::date, d.seller_id, stage_velocity(h.stage, h.entered_at, h.left_at)
FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
WHERE h.left_at >= '2026-06-01 00:00+00' AND h.left_at < '2026-07-01 00:00+00'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET velocity = t.velocity + excluded.velocity;
INSERT INTO crm.daily_rollup AS t (day, seller_id, revenue)
SELECT p.day, p.seller_id, plan_attainment(p.actual, p.plan, p.day)
FROM crm.daily_plans p
WHERE p.indicator = 'revenue' AND p.day >= '2026-06-01' AND p.day < '2026-07-01'
GROUP BY 1, 2
ON CONFLICT (day, seller_id) DO UPDATE SET revenue = t.revenue + excluded.revenue;

\echo 'The rollup against the raw rows: each team''s totals are equal'
SELECT t.name AS team,
       (SELECT count(*) FROM crm.daily_rollup r JOIN crm.sellers s USING (seller_id) WHERE s.team_id = t.team_id)
           AS "rollup rows",
       (SELECT funnel_conversion(r.funnel)::text FROM crm.daily_rollup r JOIN crm.sellers s USING (seller_id)
        WHERE s.team_id = t.team_id)
       = (SELECT funnel_conversion(x.reached)::text
          FROM (SELECT max(h.stage) AS reached FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                JOIN crm.stage_history h USING (deal_id)
                WHERE s.team_id = t.team_id AND d.status <> 'open' GROUP BY d.deal_id) x) AS "funnel equal",
       (SELECT stage_velocity(r.velocity)::text FROM crm.daily_rollup r JOIN crm.sellers s USING (seller_id)
        WHERE s.team_id = t.team_id)
       = (SELECT stage_velocity(h.stage, h.entered_at, h.left_at)::text
          FROM crm.stage_history h JOIN crm.deals d USING (deal_id) JOIN crm.sellers s USING (seller_id)
          WHERE s.team_id = t.team_id AND h.left_at IS NOT NULL) AS "velocity equal",
       (SELECT plan_attainment(r.revenue)::text FROM crm.daily_rollup r JOIN crm.sellers s USING (seller_id)
        WHERE s.team_id = t.team_id)
       = (SELECT plan_attainment(p.actual, p.plan, p.day)::text
          FROM crm.daily_plans p JOIN crm.sellers s USING (seller_id)
          WHERE s.team_id = t.team_id AND p.indicator = 'revenue') AS "revenue equal"
FROM crm.teams t
ORDER BY t.team_id;

\echo 'From the rollup: funnel per team, closed deals of 2026 (BI: plain rows)'
SELECT t.name AS team, s.position, s.stage, s.reached, round(s.step_conversion::numeric, 3) AS step_conversion
FROM crm.teams t
CROSS JOIN LATERAL (SELECT funnel_conversion(r.funnel) AS f
                    FROM crm.daily_rollup r JOIN crm.sellers x USING (seller_id)
                    WHERE x.team_id = t.team_id AND r.day >= '2026-01-01') f
CROSS JOIN LATERAL funnel_steps(f.f) s
WHERE t.team_id IN (1, 3)
ORDER BY t.team_id, s.position;

\echo 'From the rollup: time in stage in days, B2B SaaS, visits ended in the second quarter'
\echo '(exits: the visits that left the stage then)'
SELECT s.position, s.stage, s.exits, round(s.p50_days::numeric, 1) AS median_days,
       round(s.p90_days::numeric, 1) AS p90_days
FROM (SELECT stage_velocity(r.velocity) AS v
      FROM crm.daily_rollup r JOIN crm.sellers x USING (seller_id) JOIN crm.teams t USING (team_id)
      WHERE t.funnel_id = 1 AND r.day >= '2026-04-01' AND r.day < '2026-07-01') q
CROSS JOIN LATERAL velocity_steps(q.v) s
WHERE s.position < 6
ORDER BY s.position;

\echo 'From the rollup: revenue attainment leaderboard, June 2026 (top 5)'
SELECT rank() OVER (ORDER BY rep.ratio DESC) AS rank, s.name AS seller, rep.actual, rep.plan,
       round(rep.ratio::numeric, 2) AS ratio, rep.days_met, rep.days_missed
FROM (SELECT r.seller_id, plan_attainment(r.revenue) AS a
      FROM crm.daily_rollup r
      WHERE r.day >= '2026-06-01' AND r.revenue IS NOT NULL
      GROUP BY r.seller_id) m
JOIN crm.sellers s USING (seller_id)
CROSS JOIN LATERAL attainment_report(m.a) rep
ORDER BY rank, seller
LIMIT 5;
