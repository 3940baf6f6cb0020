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

\echo 'The same funnel drawn (funnel_chart(f, 40)): each bar proportional to reached'
SELECT position, stage, reached, round(step_conversion::numeric, 3) AS "step conversion", bar
FROM funnel_chart((SELECT funnel_conversion(deepest) FROM deal_deepest
                   WHERE team_id = 1 AND status <> 'open'), 40);

CREATE TEMP TABLE seller_funnel AS
SELECT s.team_id, s.seller_id, s.name AS seller, funnel_conversion(dd.deepest) AS f
FROM deal_deepest dd JOIN crm.sellers s USING (seller_id, team_id)
WHERE dd.status <> 'open'
GROUP BY s.team_id, s.seller_id, s.name;
-- Each seller against the rest of the team: the team's funnel minus the
-- seller.  funnel has no subtraction, so the rest is the merge of the other
-- sellers' funnels; with the seller's own merged back (+) it is the team's.
CREATE TEMP TABLE seller_vs_team AS
SELECT sf.team_id, sf.seller_id, sf.seller, sf.f,
       (SELECT funnel_conversion(o.f) FROM seller_funnel o
        WHERE o.team_id = sf.team_id AND o.seller_id <> sf.seller_id) AS rest
FROM seller_funnel sf;
\echo 'Each seller against the rest of the team: rest = funnel_conversion(f) over the other'
\echo 'sellers of the team (the team''s funnel minus the seller''s: funnel has no subtraction)'
SELECT bool_and(v.f + v.rest = (SELECT funnel_conversion(deepest) FROM deal_deepest dd
                                WHERE dd.team_id = v.team_id AND dd.status <> 'open'))
         AS "seller + rest = team, every seller"
FROM seller_vs_team v;

\echo 'Per seller, the steps where the seller converts significantly below or above the rest'
\echo 'of the team (funnel_compare(f, rest): two-proportion z-test, p < 0.05); the other'
\echo 'steps'' gaps may be chance: they are not counted'
SELECT v.seller,
       count(*) FILTER (WHERE c.significant AND c.difference < 0) AS "steps below",
       count(*) FILTER (WHERE c.significant AND c.difference > 0) AS "steps above",
       coalesce(string_agg(c.stage, ', ' ORDER BY c.position)
                  FILTER (WHERE c.significant AND c.difference < 0), '') AS "significantly below the team at"
FROM seller_vs_team v
CROSS JOIN LATERAL funnel_compare(v.f, v.rest) c
GROUP BY v.team_id, v.seller
ORDER BY v.team_id, v.seller;

\echo 'One seller, every step against the rest of the team: reached, step conversion with'
\echo 'its 95% Wilson interval, the rest''s, and the p-value; only significant gaps flagged'
SELECT c.stage, c.reached, round(c.step_conversion::numeric, 2) AS conversion,
       round(c.ci_low::numeric, 2) || ' .. ' || round(c.ci_high::numeric, 2) AS "95% interval",
       c.baseline_reached AS "rest reached", round(c.baseline_conversion::numeric, 2) AS "rest conversion",
       round(c.p_value::numeric, 4) AS "p-value",
       CASE WHEN c.significant THEN CASE WHEN c.difference < 0 THEN 'below team' ELSE 'above team' END
            ELSE '' END AS gap
FROM seller_vs_team v, funnel_compare(v.f, v.rest) c
WHERE v.seller = 'Frank Ito'
ORDER BY c.position;

\echo 'The weakest step per seller (the 8 weakest): advanced of reached, the step conversion'
\echo 'with its 95% Wilson interval, the rest of the team''s conversion there, and whether'
\echo 'the gap is significant (p < 0.05) or may be a small sample'
SELECT v.seller, w.stage AS "weakest step",
       round(w.step_conversion * w.reached) || ' of ' || w.reached AS advanced,
       round(w.step_conversion::numeric, 2) || ' (' || round(w.ci_low::numeric, 2) || ' .. '
         || round(w.ci_high::numeric, 2) || ')' AS "conversion, 95% CI",
       round(w.baseline_conversion::numeric, 2) AS "rest of team",
       CASE WHEN w.p_value < 0.0001 THEN '< 0.0001' ELSE round(w.p_value::numeric, 4)::text END AS "p-value",
       CASE WHEN w.significant THEN CASE WHEN w.difference < 0 THEN 'below team' ELSE 'above team' END
            ELSE '' END AS gap
FROM seller_vs_team v
CROSS JOIN LATERAL (SELECT * FROM funnel_compare(v.f, v.rest)
                    WHERE step_conversion IS NOT NULL
                    ORDER BY step_conversion, position LIMIT 1) w
ORDER BY w.step_conversion, v.seller
LIMIT 8;

-- steps below the norm funnel.min_conversion at its default (20%), kept for
-- the table below, which counts them again at a stricter 40%
CREATE TEMP TABLE seller_below_default AS
SELECT seller_id, (SELECT count(*) FROM funnel_steps(f) WHERE below_norm) AS below
FROM seller_funnel;
SET funnel.min_conversion = 0.4;
\echo 'Steps below the norm funnel.min_conversion, per seller: at its default (20%) and at a'
\echo 'stricter 40% (SET funnel.min_conversion = 0.4); confidently below = the interval''s'
\echo 'upper end (ci_high) is below the norm too, so the gap is no small-sample accident'
SELECT v.seller, bd.below AS "below 20%",
       count(*) AS "below 40%",
       count(*) FILTER (WHERE c.ci_high < current_setting('funnel.min_conversion')::float8)
         AS "confidently below 40%",
       string_agg(c.stage || ' ' || round(c.step_conversion::numeric, 2), ', ' ORDER BY c.position)
         AS "the steps below 40%"
FROM seller_vs_team v
JOIN seller_below_default bd USING (seller_id)
CROSS JOIN LATERAL funnel_steps(v.f) s
JOIN LATERAL funnel_compare(v.f, v.rest) c ON c.position = s.position
WHERE s.below_norm
GROUP BY v.team_id, v.seller, bd.below
ORDER BY v.team_id, v.seller;
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
