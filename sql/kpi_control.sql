-- The plan and KPI recipes (rollup, leaderboard, daily control report) on hand-checked data.
--
-- Plans and KPIs: the rollup, leaderboard and daily control report recipes
-- of README.md (test/include/recipes/*.sql) on hand-checked data
SET timezone = 'UTC';
SET datestyle = 'ISO';
\set ECHO none
\i test/include/fixture_kpi_crm.sql
\set ECHO all

-- the rollup table; merging it gives exactly the one-pass result
\i test/include/recipes/attainment_monthly.sql
SELECT seller_id, indicator, month, a FROM attainment_monthly ORDER BY 1, 2;
SELECT (SELECT plan_attainment(a) FROM attainment_monthly WHERE indicator = 'calls')::text
     = (SELECT plan_attainment(actual, plan, day) FROM crm.daily_plans WHERE indicator = 'calls')::text
  AS rollup_is_exact;

-- teams and department: calls North 24/24 with 2 days missed (shortfall 3),
-- Юг 6/12 missed 4 (7), department 30/36 missed 4 (9); meetings North
-- 11/12, Юг 2/6, department 13/18 missed 5; revenue North 1050/1200 missed
-- 4 (400), Юг 0/600 (600), department 1050/1800 missed 5 (850)
\i test/include/recipes/team_rollup.sql

-- leaderboard: Bob 100 % (+13 vs North's 87.5 %), Ann 75 % (-13), Вера 0 %
\i test/include/recipes/leaderboard.sql

-- control report: Bob leads (calls 100 %, meetings 117 %: 108 %), Ann 83 %
-- with 4 of 6 days missed, Вера 42 % with 5 of 6 missed, flagged
\i test/include/recipes/control_report.sql

-- a late row folds into the stored month with +
UPDATE attainment_monthly m
SET a = m.a + (SELECT plan_attainment(1, 0, date '2026-01-12'))
WHERE m.seller_id = 3 AND m.indicator = 'calls';
SELECT a FROM attainment_monthly WHERE seller_id = 3 AND indicator = 'calls';
SET client_min_messages = warning;
DROP SCHEMA crm CASCADE;
