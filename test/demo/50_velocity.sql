-- Demo 50: velocity, how long deals stay in each stage (stage_velocity).
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' Velocity: time in stage, from crm.stage_history'
\echo ' stage_velocity(stage, entered_at, left_at) -> velocity, per group'
\echo '=================================================================='
\echo

-- A rollup table as a CRM would keep it: one velocity per seller and month,
-- merged later into any coarser group with stage_velocity(velocity).
CREATE TEMP TABLE velocity_monthly AS
SELECT d.seller_id, date_trunc('month', h.entered_at) AS month,
       stage_velocity(h.stage, h.entered_at, h.left_at) AS v
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
GROUP BY 1, 2;

\echo 'Time in stage per team, in days (velocity_steps of the merged monthly rollup; the'
\echo 'terminal stage is left out).  open = visits still running at crm.as_of(); p50 = median'
SELECT t.name AS team, x.position, x.stage, x.visits, x.open,
       round(x.avg_days::numeric, 1) AS "avg days", round(x.p50_days::numeric, 1) AS "p50 days",
       round(x.p90_days::numeric, 1) AS "p90 days", round(x.max_days::numeric, 1) AS "max days"
FROM (SELECT s.team_id, stage_velocity(m.v) AS v
      FROM velocity_monthly m JOIN crm.sellers s USING (seller_id)
      GROUP BY s.team_id) tv
JOIN crm.teams t USING (team_id)
CROSS JOIN velocity_steps(tv.v) x
WHERE x.position < 6
ORDER BY t.team_id, x.position;

\echo 'The same per team straight from the rows equals the merged rollup:'
SELECT bool_and(r.v::text = m.v::text) AS "rollup equals rows"
FROM (SELECT s.team_id, stage_velocity(h.stage, h.entered_at, h.left_at) AS v
      FROM crm.stage_history h JOIN crm.deals d USING (deal_id) JOIN crm.sellers s USING (seller_id)
      GROUP BY s.team_id) r
JOIN (SELECT s.team_id, stage_velocity(m.v) AS v
      FROM velocity_monthly m JOIN crm.sellers s USING (seller_id)
      GROUP BY s.team_id) m USING (team_id);

-- per seller of one funnel, the median days at each stage of that funnel but
-- the last (velocity_quantile), one column per stage as the funnel names it
PREPARE seller_medians(int) AS
SELECT s.name || ' (' || t.name || ')' AS "seller (team)", fs.stage::text AS stage,
       round(velocity_quantile(sv.v, fs.stage, 0.5)::numeric, 1) AS median_days,
       stage_position(fs.stage) AS position
FROM (SELECT seller_id, stage_velocity(v) AS v FROM velocity_monthly GROUP BY seller_id) sv
JOIN crm.sellers s USING (seller_id)
JOIN crm.teams t USING (team_id)
JOIN crm.funnel_stages fs ON fs.funnel_id = t.funnel_id AND stage_position(fs.stage) < 6
WHERE t.funnel_id = $1
ORDER BY t.team_id, s.name, fs.stage;

\echo 'Median days in each stage per seller (velocity_quantile(v, stage, 0.5)), from the same'
\echo 'rollup; funnel B2B SaaS'
EXECUTE seller_medians(1) \crosstabview "seller (team)" stage median_days position
\echo 'The same, funnel Оптовые продажи'
EXECUTE seller_medians(2) \crosstabview "seller (team)" stage median_days position
DEALLOCATE seller_medians;

\echo 'The slowest stages: highest 90th percentile of time in stage over all teams'
\echo '(visits ended = visits that left the stage, the ones the quantiles are of)'
SELECT t.name AS team, x.stage, x.exits AS "visits ended",
       round(x.p50_days::numeric, 1) AS "p50 days", round(x.p90_days::numeric, 1) AS "p90 days"
FROM (SELECT s.team_id, stage_velocity(m.v) AS v
      FROM velocity_monthly m JOIN crm.sellers s USING (seller_id)
      GROUP BY s.team_id) tv
JOIN crm.teams t USING (team_id)
CROSS JOIN velocity_steps(tv.v) x
ORDER BY x.p90_days DESC NULLS LAST
LIMIT 5;

\echo 'Stuck deals: open deals in their current stage for longer than that stage''s p90'
\echo '(norms per funnel over the whole history; the 10 with the largest overrun)'
WITH norms AS (
  SELECT d.funnel_id, stage_velocity(h.stage, h.entered_at, h.left_at) AS v
  FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
  GROUP BY d.funnel_id),
stuck AS (
  SELECT d.deal_id, t.name AS team, s.name AS seller, h.stage,
         crm.as_of() - h.entered_at AS in_stage,
         time_in_stage(n.v, h.stage, 0.9) AS p90
  FROM crm.stage_history h
  JOIN crm.deals d USING (deal_id)
  JOIN crm.sellers s USING (seller_id)
  JOIN crm.teams t USING (team_id)
  JOIN norms n ON n.funnel_id = d.funnel_id
  WHERE d.status = 'open' AND h.left_at IS NULL
    AND crm.as_of() - h.entered_at > time_in_stage(n.v, h.stage, 0.9))
SELECT deal_id, team, seller, stage, round((extract(epoch FROM in_stage) / 86400)::numeric, 1) AS "days in stage",
       round((extract(epoch FROM p90) / 86400)::numeric, 1) AS "stage p90 days",
       round((extract(epoch FROM in_stage) / extract(epoch FROM p90))::numeric, 1) AS "times p90"
FROM stuck
ORDER BY extract(epoch FROM in_stage) / extract(epoch FROM p90) DESC
LIMIT 10;

\echo 'Sales cycle (created -> won, days) and pipeline velocity per team:'
\echo 'open deals x win rate x average won deal / average cycle = money per day'
SELECT team, open_deals AS "open deals", round(100 * win_rate::numeric, 1) AS "win %",
       round(avg_deal_size) AS "avg won amount", round(avg_cycle_days::numeric, 1) AS "avg cycle days",
       round(extract(epoch FROM median_cycle)::numeric / 86400, 1) AS "median cycle days",
       round(pipeline_velocity(open_deals, win_rate, avg_deal_size, avg_cycle_days)) AS "money per day"
FROM (SELECT t.team_id, t.name AS team,
             count(*) FILTER (WHERE d.status = 'open') AS open_deals,
             count(*) FILTER (WHERE d.status = 'won')::float8
               / nullif(count(*) FILTER (WHERE d.status IN ('won', 'lost')), 0) AS win_rate,
             avg(d.amount) FILTER (WHERE d.status = 'won') AS avg_deal_size,
             avg(extract(epoch FROM d.closed_at - d.created_at) / 86400)
               FILTER (WHERE d.status = 'won')::float8 AS avg_cycle_days,
             time_in_stage(stage_velocity(stage(1, 'cycle'), d.created_at, d.closed_at)
                             FILTER (WHERE d.status = 'won'), '1', 0.5) AS median_cycle
      FROM crm.deals d JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id)
      GROUP BY t.team_id, t.name) k
ORDER BY team_id;
