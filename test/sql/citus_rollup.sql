-- The rollup tables of the Citus suite (test/suites/citus.sh), made from the
-- tables of test/sql/citus_data.sql: run once with search_path = dist and
-- psql variable distribute = on (the rollups are distributed tables: by deal,
-- co-located with the visits, and by team), once with search_path = single
-- and distribute = off.  Kept as a job would keep them: batches of rows
-- merged into existing rows with INSERT ... ON CONFLICT DO UPDATE, with the
-- merge functions in one batch and the + operator in the other.  The batches
-- split each key's rows (odd and even stage positions; odd and even days), so
-- every key is merged at least once.
SET client_min_messages = warning;
SET timezone = 'UTC';

-- funnel and velocity per deal and month of entry
CREATE TABLE deal_rollup (deal bigint, team int, month date, f funnel, v velocity,
                          PRIMARY KEY (deal, month));
-- attainment per seller and month, distributed by team
CREATE TABLE team_rollup (team int, seller int, month date, a attainment,
                          PRIMARY KEY (team, seller, month));
\if :distribute
SELECT create_distributed_table('deal_rollup', 'deal', colocate_with => 'visits');
SELECT create_distributed_table('team_rollup', 'team');
\endif

-- batch 1: odd stage positions, odd days; the merge functions
INSERT INTO deal_rollup AS r (deal, team, month, f, v)
SELECT deal, team, date_trunc('month', entered_at AT TIME ZONE 'UTC')::date,
       funnel_conversion(stage), stage_velocity(stage, entered_at, left_at)
FROM visits WHERE stage_position(stage) % 2 = 1
GROUP BY 1, 2, 3
ON CONFLICT (deal, month) DO UPDATE SET f = funnel_merge(r.f, excluded.f), v = velocity_merge(r.v, excluded.v);

INSERT INTO team_rollup AS r (team, seller, month, a)
SELECT team, seller, date_trunc('month', day)::date, plan_attainment(actual, plan, day)
FROM plans WHERE extract(day FROM day)::int % 2 = 1
GROUP BY 1, 2, 3
ON CONFLICT (team, seller, month) DO UPDATE SET a = attainment_merge(r.a, excluded.a);

-- batch 2: the rest; the + operator
INSERT INTO deal_rollup AS r (deal, team, month, f, v)
SELECT deal, team, date_trunc('month', entered_at AT TIME ZONE 'UTC')::date,
       funnel_conversion(stage), stage_velocity(stage, entered_at, left_at)
FROM visits WHERE stage_position(stage) % 2 = 0
GROUP BY 1, 2, 3
ON CONFLICT (deal, month) DO UPDATE SET f = r.f + excluded.f, v = r.v + excluded.v;

INSERT INTO team_rollup AS r (team, seller, month, a)
SELECT team, seller, date_trunc('month', day)::date, plan_attainment(actual, plan, day)
FROM plans WHERE extract(day FROM day)::int % 2 = 0
GROUP BY 1, 2, 3
ON CONFLICT (team, seller, month) DO UPDATE SET a = r.a + excluded.a;
