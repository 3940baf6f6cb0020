-- Demo 40: funnel_conversion and its reports on the sample CRM (schema crm).
SET timezone = 'UTC';

\echo
\echo '=================================================================='
\echo ' Funnel conversion: the deepest stage each deal reached'
\echo '=================================================================='
\echo
-- A deal's deepest stage is max(stage) over its history.  Only closed deals
-- have finished their way down the funnel, so conversions use those; open
-- deals are the current pipeline.
CREATE TEMP VIEW deal_deepest AS
SELECT d.deal_id, d.seller_id, s.team_id, d.status, d.closed_at, max(h.stage) AS deepest
FROM crm.deals d
JOIN crm.sellers s USING (seller_id)
JOIN crm.stage_history h USING (deal_id)
GROUP BY d.deal_id, s.team_id;

\echo 'Funnel per team (closed deals): clients per deepest stage, the funnel value as stored'
\echo '(its text form; one record per team)'
\x on
SELECT t.name AS team, funnel_conversion(deepest) AS funnel
FROM deal_deepest JOIN crm.teams t USING (team_id)
WHERE status <> 'open'
GROUP BY t.team_id, t.name
ORDER BY t.team_id;
\x off

\echo 'Conversion per step, team Enterprise: reached = deals at or beyond the stage,'
\echo 'stopped = deals whose deepest stage it is, step conversion = reached at the next'
\echo 'stage / reached here, to won = won / reached here'
SELECT position, stage, reached, stopped,
       round(step_conversion::numeric, 3) AS "step conversion",
       round(total_conversion::numeric, 3) AS "to won",
       below_norm AS "below norm"
FROM funnel_steps((SELECT funnel_conversion(deepest) FROM deal_deepest
                   WHERE team_id = 1 AND status <> 'open'));

CREATE TEMP TABLE seller_funnel AS
SELECT s.team_id, s.seller_id, s.name AS seller, funnel_conversion(dd.deepest) AS f
FROM deal_deepest dd JOIN crm.sellers s USING (seller_id, team_id)
WHERE dd.status <> 'open'
GROUP BY s.team_id, s.seller_id, s.name;
-- steps below the norm funnel.min_conversion at its default (20%), kept for
-- the table below, which counts them again at a stricter 40%
CREATE TEMP TABLE seller_below_default AS
SELECT seller_id, (SELECT count(*) FROM funnel_steps(f) WHERE below_norm) AS below
FROM seller_funnel;
SET funnel.min_conversion = 0.4;
\echo 'Funnel per seller (closed deals), the 8 weakest: the step with the lowest step'
\echo 'conversion, and the steps below the norm funnel.min_conversion at its default'
\echo '(20%) and at a stricter 40% (SET funnel.min_conversion = 0.4)'
SELECT sf.seller,
       (SELECT reached FROM funnel_steps(sf.f) LIMIT 1) AS "closed deals",
       w.stage AS "weakest step", round(w.step_conversion::numeric, 2) AS "its conversion",
       bd.below AS "steps below 20%",
       (SELECT count(*) FROM funnel_steps(sf.f) WHERE below_norm) AS "steps below 40%"
FROM seller_funnel sf
JOIN seller_below_default bd USING (seller_id)
CROSS JOIN LATERAL (SELECT stage, step_conversion FROM funnel_steps(sf.f)
                    WHERE step_conversion IS NOT NULL
                    ORDER BY step_conversion LIMIT 1) w
ORDER BY w.step_conversion, sf.seller
LIMIT 8;

\echo 'The steps below the stricter norm of 40%, per seller, with their step conversion'
SELECT seller, string_agg(stage || ' ' || round(step_conversion::numeric, 2), ', ' ORDER BY position)
         AS "steps below 40%"
FROM seller_funnel, funnel_steps(f)
WHERE below_norm
GROUP BY seller ORDER BY seller;
RESET funnel.min_conversion;

\echo
\echo 'Rollup table: daily funnels per seller (by closing day), merged to teams and months'
CREATE TEMP TABLE funnel_daily AS
SELECT seller_id, team_id, closed_at::date AS day, funnel_conversion(deepest) AS f
FROM deal_deepest WHERE status <> 'open'
GROUP BY seller_id, team_id, closed_at::date;
SELECT count(*) AS "daily rows", pg_size_pretty(sum(pg_column_size(f))) AS "funnel bytes" FROM funnel_daily;
\echo 'Teams merged from the daily rows equal the teams aggregated from the deals'
SELECT t.name AS team, sum(x.days) AS "daily rows merged",
       bool_and(x.merged::text = (SELECT funnel_conversion(deepest)::text FROM deal_deepest dd
                                  WHERE dd.team_id = t.team_id AND dd.status <> 'open')) AS "same as direct"
FROM (SELECT team_id, count(*) AS days, funnel_conversion(f) AS merged FROM funnel_daily GROUP BY team_id) x
JOIN crm.teams t USING (team_id)
GROUP BY t.team_id, t.name ORDER BY t.team_id;
\echo 'Win rate per month, team Москва, from the daily rollup (funnel_conversion(funnel) per month)'
SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS month,
       (SELECT reached FROM funnel_steps(m.f) LIMIT 1) AS "closed deals",
       (SELECT stopped FROM funnel_steps(m.f) WHERE position = 6) AS won,
       (SELECT round(total_conversion::numeric, 3) FROM funnel_steps(m.f) LIMIT 1) AS "win rate"
FROM (SELECT date_trunc('month', day) AS day, funnel_conversion(f) AS f
      FROM funnel_daily WHERE team_id = 3 GROUP BY 1) m
ORDER BY 1;
\echo 'Two teams of one funnel added with +, and the result as jsonb for a BI tool'
SELECT jsonb_path_query(((SELECT funnel_conversion(f) FROM funnel_daily WHERE team_id = 1)
                         + (SELECT funnel_conversion(f) FROM funnel_daily WHERE team_id = 2))::jsonb,
                        '$.stages[*] ? (@.position >= 5)') AS "B2B SaaS, last stages";

\echo
\echo 'Required pipeline for next month: target = 120% of the average monthly wins of the'
\echo 'last three months, at the conversions of deals closed in the last six months;'
\echo 'open deals there = the open deals standing at the stage now (their open visit)'
CREATE TEMP TABLE pipeline_input AS
SELECT t.team_id, t.name AS team,
       (SELECT funnel_conversion(deepest) FROM deal_deepest dd
        WHERE dd.team_id = t.team_id AND dd.status <> 'open'
          AND dd.closed_at >= crm.today() - interval '6 months') AS history,
       (SELECT ceil(1.2 * count(*) / 3.0) FROM crm.deals d JOIN crm.sellers s USING (seller_id)
        WHERE s.team_id = t.team_id AND d.status = 'won'
          AND d.closed_at >= crm.today() - interval '3 months') AS target,
       (SELECT funnel_conversion(h.stage) FROM crm.stage_history h
        JOIN crm.deals d USING (deal_id) JOIN crm.sellers s USING (seller_id)
        WHERE s.team_id = t.team_id AND d.status = 'open' AND h.left_at IS NULL) AS current
FROM crm.teams t;
\echo 'Team Enterprise'
SELECT r.position, r.stage, round(r.step_conversion::numeric, 3) AS "step conversion",
       round(r.required::numeric, 1) AS "clients required", r.current AS "open deals there",
       round(r.gap::numeric, 1) AS "missing"
FROM pipeline_input p, required_pipeline(p.history, p.target::float8, p.current) r
WHERE p.team_id = 1;
\echo 'Every team: the target (wins next month) and the clients missing at the first stage'
SELECT p.team, p.target AS "target wins", round(r.required::numeric, 1) AS "required at stage 1",
       r.current AS "open deals there", round(r.gap::numeric, 1) AS "missing"
FROM pipeline_input p,
     LATERAL (SELECT * FROM required_pipeline(p.history, p.target::float8, p.current) LIMIT 1) r
ORDER BY p.team_id;
