-- Demo 60: plans and KPIs.  Plan attainment per seller and indicator
-- (plan_attainment, attainment_report), rollups, a leaderboard, the daily
-- control report, effective actions and the conveyor.  The recipes are the
-- ones README.md shows, kept in test/include/recipes/ and tested in sql/kpi_*.sql.
SET timezone = 'UTC';
SET datestyle = 'ISO';

\echo
\echo '=================================================================='
\echo ' Plans and KPIs: attainment, effective actions, the conveyor, and'
\echo ' the daily control report for crm.today() = 2026-06-30'
\echo '=================================================================='
\echo
\echo 'One seller, every indicator, 2026 so far: exact totals, days met and missed,'
\echo 'the longest run of missed days, the current streak (+ met, - missed), shortfall'
SELECT p.indicator, i.kind, r.actual, r.plan, round((100 * r.ratio)::numeric) AS "%",
       r.days, r.days_met AS met, r.days_missed AS missed,
       r.longest_miss_streak AS "longest miss run", r.current_streak AS streak, r.shortfall
FROM (SELECT indicator, plan_attainment(actual, plan, day) AS a
      FROM crm.daily_plans
      WHERE seller_id = (SELECT seller_id FROM crm.sellers WHERE name = 'Alice Morgan')
      GROUP BY indicator) p
JOIN crm.indicators i USING (indicator)
CROSS JOIN LATERAL attainment_report(p.a) r
ORDER BY i.kind, p.indicator;

\echo 'The same attainment as stored: the text form (per-day actual/plan from each'
\echo 'run of working days), here for the last week of June'
SELECT plan_attainment(actual, plan, day) AS "calls, Alice Morgan, 2026-06-22 .. 06-30"
FROM crm.daily_plans
WHERE seller_id = 1 AND indicator = 'calls' AND day >= '2026-06-22';

\i test/include/recipes/attainment_monthly.sql
\echo 'Rollups: June per team and for the department, merged from the sellers'' monthly'
\echo 'attainments (a team''s day is met when its summed actual reaches its summed plan)'
SELECT coalesce(t.name, 'department') AS team, g.indicator,
       r.actual, r.plan, round((100 * r.ratio)::numeric) AS "%",
       r.days, r.days_missed AS missed, r.longest_miss_streak AS "longest miss run", r.shortfall
FROM (SELECT s.team_id, m.indicator, plan_attainment(m.a) AS a
      FROM attainment_monthly m
      JOIN crm.sellers s USING (seller_id)
      WHERE m.month = date_trunc('month', crm.today()) AND m.indicator IN ('calls', 'revenue')
      GROUP BY GROUPING SETS ((s.team_id, m.indicator), (m.indicator))) g
LEFT JOIN crm.teams t USING (team_id)
CROSS JOIN LATERAL attainment_report(g.a) r
ORDER BY g.indicator, g.team_id NULLS LAST;

\echo 'Merging the rollup is exact: the department''s revenue attainment merged from the'
\echo 'monthly rollups equals one pass over the daily rows'
SELECT (SELECT count(*) FROM attainment_monthly WHERE indicator = 'revenue') AS "monthly attainments",
       (SELECT count(*) FROM crm.daily_plans WHERE indicator = 'revenue') AS "daily rows",
       (SELECT plan_attainment(a) FROM attainment_monthly WHERE indicator = 'revenue')::text
     = (SELECT plan_attainment(actual, plan, day) FROM crm.daily_plans WHERE indicator = 'revenue')::text
         AS "rollup = one pass";

\echo 'Leaderboard: revenue attainment in 2026, ranked in the department and in the team'
\i test/include/recipes/leaderboard.sql

\echo 'The daily control report (DOMAIN rule 6): % of plan on leading indicators today and'
\echo 'in June, ranked; missed = days of June with a leading plan missed, longest run of'
\echo 'them, streak (+ met, - missed days); results % = resulting indicators in June;'
\echo 'the sellers who missed most days flagged'
\i test/include/recipes/control_report.sql

\i test/include/recipes/effective_contacts.sql
\echo 'Effective actions (DOMAIN rule 4): a contact after which the deal stood at a higher'
\echo 'stage before its next contact.  All contacts against effective ones, per stage:'
\echo 'many contacts per advance at a stage is ineffective work (rule 1)'
SELECT f.name AS funnel, stage_position(e.stage) AS pos, min(e.stage) AS stage,
       count(*) AS contacts,
       count(*) FILTER (WHERE e.effective) AS effective,
       round(count(*)::numeric / nullif(count(*) FILTER (WHERE e.effective), 0), 1)
         AS "contacts per advance"
FROM effective_contacts e
JOIN crm.deals d USING (deal_id)
JOIN crm.funnels f USING (funnel_id)
GROUP BY f.funnel_id, f.name, stage_position(e.stage)
ORDER BY f.funnel_id, pos;

\echo 'Effective actions per contact kind'
SELECT e.kind, count(*) AS contacts, count(*) FILTER (WHERE e.effective) AS effective,
       round(100.0 * count(*) FILTER (WHERE e.effective) / count(*), 1) AS "effective %"
FROM effective_contacts e
GROUP BY e.kind
ORDER BY "effective %" DESC, e.kind;

\echo 'Per seller (who made the contact): the most and the fewest contacts per advance'
WITH per_seller AS (
    SELECT s.name AS seller, t.name AS team,
           count(*) AS contacts,
           count(*) FILTER (WHERE e.effective) AS effective,
           round(count(*)::numeric / nullif(count(*) FILTER (WHERE e.effective), 0), 1)
             AS "contacts per advance"
    FROM effective_contacts e
    JOIN crm.sellers s USING (seller_id)
    JOIN crm.teams t USING (team_id)
    GROUP BY s.seller_id, s.name, t.name)
(SELECT * FROM per_seller ORDER BY "contacts per advance" DESC, seller LIMIT 4)
UNION ALL
(SELECT * FROM per_seller ORDER BY "contacts per advance", seller LIMIT 4)
ORDER BY "contacts per advance" DESC, seller;

\i test/include/recipes/stage_chains.sql
\echo 'Conveyor conformance per seller: share of deals that followed the prescribed chain'
\echo '(actual @> prescribed) at each stage they left, by stage position; mean conformance'
SELECT s.name AS seller, count(*) AS "deal-stages",
       round(100.0 * avg((sc.actual @> sc.prescribed)::int) FILTER (WHERE stage_position(sc.stage) = 1)) AS "1 followed %",
       round(100.0 * avg((sc.actual @> sc.prescribed)::int) FILTER (WHERE stage_position(sc.stage) = 2)) AS "2 followed %",
       round(100.0 * avg((sc.actual @> sc.prescribed)::int) FILTER (WHERE stage_position(sc.stage) = 3)) AS "3 followed %",
       round(100.0 * avg((sc.actual @> sc.prescribed)::int) FILTER (WHERE stage_position(sc.stage) = 4)) AS "4 followed %",
       round(100.0 * avg((sc.actual @> sc.prescribed)::int) FILTER (WHERE stage_position(sc.stage) = 5)) AS "5 followed %",
       round(avg(chain_conformance(sc.actual, sc.prescribed))::numeric, 2) AS conformance
FROM stage_chains sc
JOIN crm.sellers s USING (seller_id)
GROUP BY s.seller_id, s.name
ORDER BY conformance DESC, s.seller_id
LIMIT 8;

\i test/include/recipes/next_contacts.sql
\echo 'What to do with each client today: open deals by the next prescribed contact'
\echo '(chain done: the conveyor of the stage is complete, the deal is due to move on)'
SELECT t.name AS team, count(*) AS "open deals",
       count(*) FILTER (WHERE n.next_contact IS NULL) AS "chain done",
       string_agg(DISTINCT n.next_contact, ', ') AS "next contacts due"
FROM next_contacts n
JOIN crm.sellers s USING (seller_id)
JOIN crm.teams t USING (team_id)
GROUP BY t.team_id, t.name
ORDER BY t.team_id;

\echo 'One seller''s list for today, the longest-waiting deals first (days waiting: in the'
\echo 'current stage): the next contact the stage''s prescribed chain asks for (the chains:'
\echo 'test/demo/20_contact_chain.sql) and the contacts done since the deal entered the stage'
SELECT n.deal_id AS deal, n.stage, crm.today() - n.entered_at::date AS "days waiting",
       coalesce(n.next_contact, '(move on)') AS "next contact", n.done AS "done at this stage"
FROM next_contacts n
JOIN crm.sellers s USING (seller_id)
WHERE s.name = 'Борис Иванов'
ORDER BY n.entered_at
LIMIT 8;
