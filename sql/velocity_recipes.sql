-- The README's velocity recipes on a small hand-checked CRM.
--
-- velocity recipes of the README on a small hand-checked CRM: time in stage
-- per team, stored rollups, stuck deals, sales cycle length and pipeline
-- velocity.  (test/suites/velocity_sample.sh runs them on the sample data.)
SET timezone = 'UTC';
CREATE SCHEMA crm;
CREATE FUNCTION crm.as_of() RETURNS timestamptz LANGUAGE sql IMMUTABLE
  AS $$SELECT timestamptz '2026-06-30 18:00:00+00'$$;
CREATE TABLE crm.teams (team_id int PRIMARY KEY, name text, funnel_id int);
CREATE TABLE crm.sellers (seller_id int PRIMARY KEY, team_id int, name text, hired_on date);
CREATE TABLE crm.deals (deal_id bigint PRIMARY KEY, funnel_id int, seller_id int, created_at timestamptz,
                        amount numeric(12,2), status text, closed_at timestamptz);
CREATE TABLE crm.stage_history (deal_id bigint, stage stage, entered_at timestamptz, left_at timestamptz);
INSERT INTO crm.teams VALUES (1, 'North', 1), (2, 'South', 1);
INSERT INTO crm.sellers VALUES (1, 1, 'Anna', '2025-01-01'), (2, 1, 'Boris', '2025-01-01'), (3, 2, 'Вера', '2025-01-01');
INSERT INTO crm.deals VALUES
  (1, 1, 1, '2026-01-01', 1000, 'won',  '2026-01-11'),   -- 10-day cycle
  (2, 1, 1, '2026-01-05', 3000, 'won',  '2026-01-25'),   -- 20-day cycle
  (3, 1, 2, '2026-02-01',  500, 'lost', '2026-02-03'),
  (4, 1, 1, '2026-06-01', 2000, 'open', NULL),
  (5, 1, 2, '2026-06-10', 4000, 'open', NULL),
  (6, 1, 3, '2026-03-01', 6000, 'won',  '2026-03-31'),   -- 30-day cycle
  (7, 1, 3, '2026-04-01', 1000, 'lost', '2026-04-15'),
  (8, 1, 3, '2026-06-20', 2500, 'open', NULL),
  (9, 1, 3, '2026-05-01', 1500, 'lost', '2026-05-02');
INSERT INTO crm.stage_history VALUES
  -- lead: 1, 1, 2, 14.75 and 15.75 days; deal 8 open for 10 days
  (1, '1:lead', '2026-01-01', '2026-01-02'),
  (2, '1:lead', '2026-01-05', '2026-01-06'),
  (6, '1:lead', '2026-03-01', '2026-03-03'),
  (4, '1:lead', '2026-06-01', '2026-06-15 18:00'),
  (5, '1:lead', '2026-06-10', '2026-06-25 18:00'),
  (8, '1:lead', '2026-06-20 18:00', NULL),
  -- meeting: 1 .. 10 days; deal 4 open for 15 days, deal 5 for 5 days
  (1, '2:meeting', '2026-01-02', '2026-01-03'),
  (2, '2:meeting', '2026-01-06', '2026-01-08'),
  (3, '2:meeting', '2026-02-01', '2026-02-04'),
  (6, '2:meeting', '2026-03-03', '2026-03-07'),
  (7, '2:meeting', '2026-04-01', '2026-04-06'),
  (9, '2:meeting', '2026-05-01', '2026-05-07'),
  (1, '2:meeting', '2026-01-03', '2026-01-10'),
  (2, '2:meeting', '2026-01-08', '2026-01-16'),
  (6, '2:meeting', '2026-03-07', '2026-03-16'),
  (7, '2:meeting', '2026-04-06', '2026-04-16'),
  (4, '2:meeting', '2026-06-15 18:00', NULL),
  (5, '2:meeting', '2026-06-25 18:00', NULL);

-- time in stage per team
SELECT t.name AS team, x.position, x.stage, x.visits, x.open,
       round(x.avg_days::numeric, 2) AS avg_days, round(x.p50_days::numeric, 2) AS p50_days,
       round(x.p90_days::numeric, 2) AS p90_days, round(x.max_days::numeric, 2) AS max_days
FROM (SELECT s.team_id, stage_velocity(h.stage, h.entered_at, h.left_at) AS v
      FROM crm.stage_history h
      JOIN crm.deals d USING (deal_id)
      JOIN crm.sellers s USING (seller_id)
      GROUP BY s.team_id) tv
JOIN crm.teams t USING (team_id)
CROSS JOIN velocity_steps(tv.v) x
ORDER BY t.name, x.position;

-- a rollup table per seller and month, merged per team: the same as from the rows
CREATE TABLE crm.velocity_monthly AS
SELECT d.seller_id, date_trunc('month', h.entered_at) AS month,
       stage_velocity(h.stage, h.entered_at, h.left_at) AS v
FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
GROUP BY 1, 2;
SELECT s.team_id, stage_velocity(m.v)::text = (
         SELECT stage_velocity(h.stage, h.entered_at, h.left_at)::text
         FROM crm.stage_history h JOIN crm.deals d USING (deal_id) JOIN crm.sellers s2 USING (seller_id)
         WHERE s2.team_id = s.team_id) AS rollup_equal
FROM crm.velocity_monthly m JOIN crm.sellers s USING (seller_id)
GROUP BY s.team_id ORDER BY s.team_id;

-- stuck deals: open longer than the 90th percentile of their stage
WITH norms AS (
  SELECT d.funnel_id, stage_velocity(h.stage, h.entered_at, h.left_at) AS v
  FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
  GROUP BY d.funnel_id)
SELECT d.deal_id, s.name AS seller, h.stage,
       crm.as_of() - h.entered_at AS in_stage,
       date_trunc('second', time_in_stage(n.v, h.stage, 0.9)) AS p90
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
JOIN crm.sellers s USING (seller_id)
JOIN norms n USING (funnel_id)
WHERE d.status = 'open' AND h.left_at IS NULL
  AND crm.as_of() - h.entered_at > time_in_stage(n.v, h.stage, 0.9)
ORDER BY crm.as_of() - h.entered_at DESC;
-- the exact 90th percentiles for comparison: lead 15.75 days, meeting 9 days
SELECT stage, percentile_disc(0.9) WITHIN GROUP (ORDER BY left_at - entered_at) AS exact_p90
FROM crm.stage_history WHERE left_at IS NOT NULL GROUP BY stage ORDER BY stage;

-- sales cycle length of won deals: mean, and median and p90 from a
-- one-stage velocity (created -> closed)
SELECT t.name AS team,
       round(avg(extract(epoch FROM d.closed_at - d.created_at) / 86400), 1) AS avg_cycle_days,
       time_in_stage(stage_velocity(stage(1, 'cycle'), d.created_at, d.closed_at), '1', 0.5) AS median_cycle,
       time_in_stage(stage_velocity(stage(1, 'cycle'), d.created_at, d.closed_at), '1', 0.9) AS p90_cycle
FROM crm.deals d JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id)
WHERE d.status = 'won'
GROUP BY t.name ORDER BY t.name;

-- pipeline velocity per team: open deals x win rate x average won deal / cycle days
-- North: 2 x 2/3 x 2000 / 15 = 177.78 a day; South: 1 x 1/3 x 6000 / 30 = 66.67 a day
SELECT team, open_deals, round(win_rate::numeric, 4) AS win_rate, round(avg_deal_size, 2) AS avg_deal_size,
       round(avg_cycle_days::numeric, 2) AS avg_cycle_days,
       round(pipeline_velocity(open_deals, win_rate, avg_deal_size, avg_cycle_days), 2) AS per_day
FROM (SELECT t.name AS team,
             count(*) FILTER (WHERE d.status = 'open') AS open_deals,
             count(*) FILTER (WHERE d.status = 'won')::float8
               / nullif(count(*) FILTER (WHERE d.status IN ('won', 'lost')), 0) AS win_rate,
             avg(d.amount) FILTER (WHERE d.status = 'won') AS avg_deal_size,
             avg(extract(epoch FROM d.closed_at - d.created_at) / 86400)
               FILTER (WHERE d.status = 'won')::float8 AS avg_cycle_days
      FROM crm.deals d JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id)
      GROUP BY t.name) k
ORDER BY per_day DESC;
-- pipeline_velocity is NULL without a positive cycle length
SELECT pipeline_velocity(3, 0.5, 1000, 0) IS NULL AS zero_cycle, pipeline_velocity(3, 0.5, 1000, NULL) IS NULL AS no_cycle,
       pipeline_velocity(3, 0.5, 1000, 10) AS per_day;
-- safe against a hostile search_path
SET search_path = pg_temp;
SELECT public.pipeline_velocity(2, 0.25, 400, 5) AS hostile_path;
RESET search_path;

DROP SCHEMA crm CASCADE;
