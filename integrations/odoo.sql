-- funnel over Odoo's CRM tables, as Odoo 17 and later store them: views and
-- functions that turn crm_lead, crm_stage, mail_message,
-- mail_tracking_value, mail_activity, mail_activity_plan and
-- gamification_goal into the inputs of funnel's aggregates, and the
-- pipeline-health reports (coverage, slippage, cohorts).  A psql script:
--
--   psql -d odoo -v funnel_schema=funnel_odoo -v odoo_schema=public -f integrations/odoo.sql
--
-- funnel_schema (default funnel_odoo) is created if missing and receives
-- every object; odoo_schema (default public) holds Odoo's tables; odoo_lang
-- (default en_US) picks the translation of stage and activity names.  The
-- extension funnel must be installed, in a schema on the search_path.  Run
-- it again after an Odoo upgrade, or to update: it replaces its objects.
-- Odoo keeps UTC in timestamp columns without a time zone; every time here
-- is a timestamptz read as UTC.  Parts Odoo may not have are optional:
-- crm_stage.rotting_threshold_days (Odoo 19; before it, thresholds come
-- from the stale_thresholds table only) and the gamification module (without
-- it goal_plans has no rows).  docs/guides/odoo.md explains each object.
\set ON_ERROR_STOP 1
\if :{?funnel_schema}
\else
\set funnel_schema funnel_odoo
\endif
\if :{?odoo_schema}
\else
\set odoo_schema public
\endif
\if :{?odoo_lang}
\else
\set odoo_lang en_US
\endif

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS :"funnel_schema";
SELECT format('%I, %I, %s', :'funnel_schema', :'odoo_schema', current_setting('search_path')) AS funnel_odoo_path \gset
SET LOCAL search_path = :funnel_odoo_path;

-- what this Odoo has of the optional parts
SELECT EXISTS (SELECT FROM pg_attribute
               WHERE attrelid = to_regclass(format('%I.crm_stage', :'odoo_schema'))
                 AND attname = 'rotting_threshold_days' AND NOT attisdropped) AS funnel_odoo_has_rotting,
       to_regclass(format('%I.gamification_goal', :'odoo_schema')) IS NOT NULL
         AND to_regclass(format('%I.gamification_goal_definition', :'odoo_schema')) IS NOT NULL AS funnel_odoo_has_goals \gset
\if :funnel_odoo_has_rotting
\set funnel_odoo_rotting 's.rotting_threshold_days'
\else
\set funnel_odoo_rotting 'NULL::int'
\endif

-- replaced, not altered, so that a newer script may change a column (a
-- view of your own on these must be dropped first; the tables
-- sales_targets, stale_thresholds and forecast_categories are kept)
DROP FUNCTION IF EXISTS :"funnel_schema".slippage(text, timestamptz, timestamptz);
DROP VIEW IF EXISTS :"funnel_schema".cohorts, :"funnel_schema".coverage, :"funnel_schema".close_date_changes;
DROP FUNCTION IF EXISTS :"funnel_schema".stale_counts(timestamptz);
DROP FUNCTION IF EXISTS :"funnel_schema".stale_deals(timestamptz);
DROP FUNCTION IF EXISTS :"funnel_schema".stage_durations(timestamptz);
DROP VIEW IF EXISTS :"funnel_schema".forecast, :"funnel_schema".deals, :"funnel_schema".goal_plans,
    :"funnel_schema".prescribed_chains, :"funnel_schema".planned_activities, :"funnel_schema".contacts,
    :"funnel_schema".sellers,
    :"funnel_schema".stage_visits, :"funnel_schema".stage_entries, :"funnel_schema".stage_changes,
    :"funnel_schema".stages;

-- a translated name (Odoo keeps them as jsonb by language): lang's, else
-- English, else any
CREATE OR REPLACE FUNCTION :"funnel_schema".odoo_name(name jsonb, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(name ->> lang, name ->> 'en_US', (SELECT min(value) FROM jsonb_each_text(name))) $$;

-- rotting thresholds of your own, in days per stage (0: never stale): a
-- row wins over Odoo's rotting_threshold_days, and is the only threshold
-- before Odoo 19; kept when the script runs again
CREATE TABLE IF NOT EXISTS :"funnel_schema".stale_thresholds (
    stage_id int PRIMARY KEY,
    days int NOT NULL CHECK (days >= 0)
);

-- crm_stage as funnel stages: positions in Odoo's stage order (sequence,
-- name, id), the name in odoo_lang
CREATE OR REPLACE VIEW :"funnel_schema".stages AS
SELECT s.id AS stage_id,
       stage(row_number() OVER (ORDER BY s.sequence, odoo_name(s.name, :'odoo_lang'), s.id)::int, odoo_name(s.name, :'odoo_lang')) AS stage,
       coalesce(s.is_won, false) AS is_won, coalesce(s.fold, false) AS fold,
       coalesce(t.days, :funnel_odoo_rotting, 0) AS rotting_threshold_days,
       s.sequence
FROM crm_stage s
LEFT JOIN stale_thresholds t ON t.stage_id = s.id;

-- the stage changes Odoo tracked: one row per tracking value of
-- crm.lead.stage_id, in Odoo's order (the tracking value's id), at the
-- tracking value's create_date as Odoo's duration computation reads it
CREATE OR REPLACE VIEW :"funnel_schema".stage_changes AS
SELECT m.res_id AS lead_id, v.id AS tracking_id,
       v.create_date AT TIME ZONE 'UTC' AS changed_at,
       v.old_value_integer AS old_stage_id, v.new_value_integer AS new_stage_id
FROM mail_tracking_value v
JOIN mail_message m ON m.id = v.mail_message_id
JOIN ir_model_fields f ON f.id = v.field_id
WHERE f.model = 'crm.lead' AND f.name = 'stage_id' AND m.model = 'crm.lead';

-- the entered-only history: the lead's first stage at its create_date
-- (Odoo writes no tracking value at creation: it is the first change's old
-- stage, or the current stage when it never changed), then each change's
-- new stage.  Entries of one lead at one moment (a change in the
-- transaction that created the lead, say) count as the last of them in
-- Odoo's order: the entered-only aggregates order ties by position, and the
-- ones before lasted no time.  An entry into a stage deleted since keeps
-- its stage_id, with stage NULL: the aggregates skip it (the visit before
-- it lasts until the next entry), stage_visits ends the visit before it
CREATE OR REPLACE VIEW :"funnel_schema".stage_entries AS
SELECT e.lead_id, st.stage, e.stage_id, e.entered_at, e.seq
FROM (
    SELECT DISTINCT ON (lead_id, entered_at) lead_id, stage_id, entered_at, seq
    FROM (
        SELECT l.id AS lead_id, coalesce(first_change.old_stage_id, l.stage_id) AS stage_id,
               l.create_date AT TIME ZONE 'UTC' AS entered_at, 0::bigint AS seq
        FROM crm_lead l
        LEFT JOIN (SELECT DISTINCT ON (lead_id) lead_id, old_stage_id FROM stage_changes
                   ORDER BY lead_id, tracking_id) first_change ON first_change.lead_id = l.id
        UNION ALL
        SELECT c.lead_id, c.new_stage_id, c.changed_at, c.tracking_id
        FROM stage_changes c JOIN crm_lead l ON l.id = c.lead_id
    ) every_entry
    ORDER BY lead_id, entered_at, seq DESC
) e
LEFT JOIN stages st ON st.stage_id = e.stage_id;

-- stage visits: each entry lasts until the lead's next one; the current
-- stage's visit is open (left_at NULL), but for a lost lead, which Odoo
-- archives in its stage: that visit ends when it was lost (date_closed), so
-- lost deals leave the pipeline.  Visits of deleted stages are left out.
CREATE OR REPLACE VIEW :"funnel_schema".stage_visits AS
SELECT lead_id, stage, entered_at, left_at
FROM (
    SELECT e.lead_id, e.stage, e.entered_at,
           coalesce(lead(e.entered_at) OVER (PARTITION BY e.lead_id ORDER BY e.seq),
                    CASE WHEN NOT coalesce(l.active, true) AND l.probability = 0
                         THEN greatest(l.date_closed AT TIME ZONE 'UTC', e.entered_at) END) AS left_at
    FROM stage_entries e JOIN crm_lead l ON l.id = e.lead_id
) v
WHERE stage IS NOT NULL;

-- Odoo's time in stage (mail.tracking.duration.mixin): per lead and stage,
-- the seconds between consecutive stage changes from create_date, the
-- current stage counted until at, each interval truncated to whole seconds
-- as Odoo does; a stage visited twice adds up
CREATE OR REPLACE FUNCTION :"funnel_schema".stage_durations(at timestamptz DEFAULT now())
RETURNS TABLE (lead_id int, stage_id int, seconds bigint)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    WITH segments AS (
        SELECT c.lead_id, c.old_stage_id AS stage_id, c.changed_at AS until,
               lag(c.changed_at) OVER (PARTITION BY c.lead_id ORDER BY c.tracking_id) AS since
        FROM stage_changes c
        UNION ALL
        SELECT l.id, l.stage_id, at, last_change.changed_at
        FROM crm_lead l
        LEFT JOIN (SELECT DISTINCT ON (lead_id) lead_id, changed_at FROM stage_changes
                   ORDER BY lead_id, tracking_id DESC) last_change ON last_change.lead_id = l.id
    )
    SELECT s.lead_id, s.stage_id,
           sum(trunc(extract(epoch FROM s.until - coalesce(s.since, l.create_date AT TIME ZONE 'UTC'))))::bigint
    FROM segments s JOIN crm_lead l ON l.id = s.lead_id
    GROUP BY 1, 2
$$;

-- the leads as deals: seller, team, amount, Odoo's won/lost status (won: in
-- a won stage at probability 100; lost: archived at probability 0, its
-- stage unchanged; else open), closing and expected closing; the weighted
-- amount is Odoo's prorated revenue, rounded to cents as Odoo rounds it
CREATE OR REPLACE VIEW :"funnel_schema".deals AS
SELECT l.id AS lead_id, l.user_id AS seller_id, l.team_id, l.type,
       l.create_date AT TIME ZONE 'UTC' AS created_at,
       st.stage, l.stage_id,
       coalesce(l.expected_revenue, 0) AS amount,
       coalesce(l.probability, 0) AS probability,
       round(coalesce(l.expected_revenue, 0) * coalesce(l.probability, 0)::numeric / 100, 2) AS weighted_amount,
       CASE WHEN l.probability = 100 AND st.is_won THEN 'won'
            WHEN NOT coalesce(l.active, true) AND l.probability = 0 THEN 'lost'
            ELSE 'open' END AS status,
       l.lost_reason_id,
       l.date_closed AT TIME ZONE 'UTC' AS closed_at,
       l.date_deadline AS expected_closing,
       coalesce(l.date_last_stage_update, l.create_date) AT TIME ZONE 'UTC' AS last_stage_change_at,
       coalesce(l.active, true) AS active
FROM crm_lead l
LEFT JOIN stages st ON st.stage_id = l.stage_id;

-- sellers and their teams: the active memberships (crm_team_member), and
-- each team's leader (crm_team.user_id)
CREATE OR REPLACE VIEW :"funnel_schema".sellers AS
SELECT u.id AS seller_id, u.login, m.crm_team_id AS team_id, odoo_name(t.name, :'odoo_lang') AS team,
       t.user_id = u.id AS leads_team
FROM res_users u
JOIN crm_team_member m ON m.user_id = u.id AND coalesce(m.active, true)
JOIN crm_team t ON t.id = m.crm_team_id;

-- done activities as contacts: Odoo posts a message with the activity's
-- type when one is marked done (and deletes the activity, or archives it
-- when its type keeps done ones), so the messages are the whole history;
-- the seller is the user whose partner wrote it
CREATE OR REPLACE VIEW :"funnel_schema".contacts AS
SELECT m.res_id AS lead_id, odoo_name(t.name, :'odoo_lang') AS kind, m.date AT TIME ZONE 'UTC' AS at,
       u.id AS seller_id, m.mail_activity_type_id AS activity_type_id, m.id AS message_id
FROM mail_message m
JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
LEFT JOIN res_users u ON u.partner_id = m.author_id
WHERE m.model = 'crm.lead' AND m.mail_activity_type_id IS NOT NULL;

-- activities still to do
CREATE OR REPLACE VIEW :"funnel_schema".planned_activities AS
SELECT a.res_id AS lead_id, odoo_name(t.name, :'odoo_lang') AS kind, a.date_deadline AS deadline, a.user_id AS seller_id,
       a.summary
FROM mail_activity a
LEFT JOIN mail_activity_type t ON t.id = a.activity_type_id
WHERE a.res_model = 'crm.lead' AND coalesce(a.active, true);

-- activity plans for leads as prescribed contact chains, in the plan's
-- order (sequence, id)
CREATE OR REPLACE VIEW :"funnel_schema".prescribed_chains AS
SELECT p.id AS plan_id, p.name AS plan,
       contact_chain(array_agg(odoo_name(t.name, :'odoo_lang') ORDER BY pt.sequence, pt.id)) AS chain
FROM mail_activity_plan p
JOIN mail_activity_plan_template pt ON pt.plan_id = p.id
JOIN mail_activity_type t ON t.id = pt.activity_type_id
WHERE p.res_model = 'crm.lead' AND coalesce(p.active, true)
GROUP BY p.id, p.name;

-- gamification goals as plans: per seller and goal definition, the target
-- and Odoo's current value, dated by the goal's last day
\if :funnel_odoo_has_goals
CREATE OR REPLACE VIEW :"funnel_schema".goal_plans AS
SELECT g.user_id AS seller_id, odoo_name(d.name, :'odoo_lang') AS goal, d.condition::varchar AS condition,
       g.start_date, g.end_date, g.current::numeric AS actual, g.target_goal::numeric AS plan, g.state::varchar AS state
FROM gamification_goal g
JOIN gamification_goal_definition d ON d.id = g.definition_id
WHERE g.state <> 'canceled';
\else
-- the gamification module is not installed: the same columns, no rows
CREATE OR REPLACE VIEW :"funnel_schema".goal_plans AS
SELECT NULL::int AS seller_id, NULL::text AS goal, NULL::varchar AS condition, NULL::date AS start_date,
       NULL::date AS end_date, NULL::numeric AS actual, NULL::numeric AS plan, NULL::varchar AS state
WHERE false;
\endif

-- Salesforce-style forecast categories, mapped per stage; stages left out
-- fall back to closed (won stages), omitted (lost deals) and pipeline
CREATE TABLE IF NOT EXISTS :"funnel_schema".forecast_categories (
    stage_id int PRIMARY KEY,
    category text NOT NULL CHECK (category IN ('pipeline', 'best_case', 'commit', 'closed', 'omitted'))
);

-- the weighted pipeline and forecast per seller, team, expected-closing
-- month and category: amount and amount x probability (Odoo's prorated
-- revenue), open and won deals
CREATE OR REPLACE VIEW :"funnel_schema".forecast AS
SELECT d.seller_id, d.team_id, date_trunc('month', d.expected_closing)::date AS month,
       CASE WHEN d.status = 'lost' THEN 'omitted'
            WHEN d.status = 'won' THEN 'closed'
            ELSE coalesce(fc.category, 'pipeline') END AS category,
       count(*) AS deals, sum(d.amount) AS amount, sum(d.weighted_amount) AS weighted_amount
FROM deals d
LEFT JOIN forecast_categories fc ON fc.stage_id = d.stage_id
WHERE d.type = 'opportunity' AND d.status <> 'lost'
GROUP BY 1, 2, 3, 4;

-- stale deals, Odoo's rotting rule: an open opportunity whose stage has a
-- threshold (rotting_threshold_days, 0: never) is rotting when its last
-- stage change is more than that many days before at; with the days since
-- its last stage change and since its last done activity
CREATE OR REPLACE FUNCTION :"funnel_schema".stale_deals(at timestamptz DEFAULT now())
RETURNS TABLE (lead_id int, seller_id int, team_id int, stage stage, threshold_days int,
               days_in_stage int, days_since_contact int, stale boolean)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT d.lead_id, d.seller_id, d.team_id, d.stage, s.rotting_threshold_days,
           extract(day FROM at - d.last_stage_change_at)::int,
           extract(day FROM at - (SELECT max(c.at) FROM contacts c WHERE c.lead_id = d.lead_id))::int,
           s.rotting_threshold_days <> 0
             AND d.last_stage_change_at + s.rotting_threshold_days * interval '1 day' < at
    FROM deals d JOIN stages s ON s.stage_id = d.stage_id
    WHERE d.status = 'open' AND d.type = 'opportunity' AND d.active
$$;

-- how many of each seller's open opportunities are stale, per stage
CREATE OR REPLACE FUNCTION :"funnel_schema".stale_counts(at timestamptz DEFAULT now())
RETURNS TABLE (seller_id int, stage stage, open_deals bigint, stale_deals bigint)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT seller_id, stage, count(*), count(*) FILTER (WHERE stale)
    FROM stale_deals(at) GROUP BY 1, 2
$$;
-- pipeline health: coverage, slippage and cohorts (docs/guides/pipeline-health.md
-- has the definitions, the same for every CRM)

-- the changes of the expected closing date: one row per tracking value of
-- crm.lead.date_deadline, the dates as Odoo stores a tracked date (the day
-- at midnight in old/new_value_datetime).  Stock Odoo does not track
-- date_deadline: the view is empty unless a module adds tracking=True to it
CREATE OR REPLACE VIEW :"funnel_schema".close_date_changes AS
SELECT m.res_id AS lead_id, v.id AS tracking_id,
       v.create_date AT TIME ZONE 'UTC' AS changed_at,
       v.old_value_datetime::date AS old_close_date, v.new_value_datetime::date AS new_close_date
FROM mail_tracking_value v
JOIN mail_message m ON m.id = v.mail_message_id
JOIN ir_model_fields f ON f.id = v.field_id
WHERE f.model = 'crm.lead' AND f.name = 'date_deadline' AND m.model = 'crm.lead';

-- revenue targets per seller (res_users.id) and period, which you fill:
-- Odoo keeps no quota usable here (gamification goals are one way to fill
-- it, docs/guides/odoo.md shows how); kept when the script runs again
CREATE TABLE IF NOT EXISTS :"funnel_schema".sales_targets (
    seller_id int NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    target numeric NOT NULL CHECK (target > 0),
    PRIMARY KEY (seller_id, period_start),
    CHECK (period_end >= period_start)
);

-- coverage, one row per target: the won amount of the period (won deals
-- closed in it, UTC dates), what remains, the open pipeline whose expected
-- closing falls in the period (open, active opportunities: Odoo's
-- pipeline), open amount over remaining, and the coverage the seller's
-- history requires: required_pipeline's first row for one won deal over
-- the funnel of the seller's closed deals (their deepest stage), NULL for
-- a seller who never won
CREATE OR REPLACE VIEW :"funnel_schema".coverage AS
WITH reached AS (
    SELECT lead_id, max(stage) AS stage FROM stage_entries GROUP BY lead_id
), history AS (
    SELECT d.seller_id, funnel_conversion(r.stage) AS closed_funnel
    FROM deals d JOIN reached r USING (lead_id)
    WHERE d.status IN ('won', 'lost')
    GROUP BY d.seller_id
    HAVING count(*) FILTER (WHERE d.status = 'won') > 0
)
SELECT t.seller_id, t.period_start, t.period_end, t.target, w.won_amount,
       greatest(t.target - w.won_amount, 0) AS remaining,
       o.open_deals, o.open_amount,
       o.open_amount / nullif(greatest(t.target - w.won_amount, 0), 0) AS coverage,
       (SELECT r.required FROM required_pipeline(h.closed_funnel, 1) r ORDER BY r.position LIMIT 1) AS required_coverage
FROM sales_targets t
CROSS JOIN LATERAL (
    SELECT coalesce(sum(d.amount), 0) AS won_amount FROM deals d
    WHERE d.seller_id = t.seller_id AND d.status = 'won'
      AND (d.closed_at AT TIME ZONE 'UTC')::date BETWEEN t.period_start AND t.period_end) w
CROSS JOIN LATERAL (
    SELECT count(*) AS open_deals, coalesce(sum(d.amount), 0) AS open_amount FROM deals d
    WHERE d.seller_id = t.seller_id AND d.status = 'open' AND d.active AND d.type = 'opportunity'
      AND d.expected_closing BETWEEN t.period_start AND t.period_end) o
LEFT JOIN history h ON h.seller_id = t.seller_id;

-- slippage per lead and close-date period (period: a date_trunc unit):
-- the moves (changes between two different dates, changed in
-- [since, until)) whose old or new date falls in the period, how many,
-- their days in all, the net days (the last new date minus the first old
-- one), and whether the lead moved out of the period or was pulled into it
CREATE OR REPLACE FUNCTION :"funnel_schema".slippage(period text DEFAULT 'quarter', since timestamptz DEFAULT NULL,
                                                     until timestamptz DEFAULT NULL)
RETURNS TABLE (lead_id int, period_start date, moves int, days_moved int, net_days int,
               moved_out boolean, pulled_in boolean)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    -- a unit date_trunc rejects is an error even without changes
    SELECT date_trunc(period, timestamp '2000-01-01');
    WITH moves AS (
        SELECT c.lead_id, c.changed_at, c.tracking_id, c.old_close_date AS old, c.new_close_date AS new,
               date_trunc(period, c.old_close_date::timestamp)::date AS old_p,
               date_trunc(period, c.new_close_date::timestamp)::date AS new_p
        FROM close_date_changes c
        WHERE c.old_close_date <> c.new_close_date
          AND (since IS NULL OR c.changed_at >= since) AND (until IS NULL OR c.changed_at < until)
    ), per_period AS (
        SELECT m.lead_id, p.p, m.old, m.new, m.old_p, m.new_p,
               row_number() OVER (PARTITION BY m.lead_id, p.p ORDER BY m.changed_at, m.tracking_id) AS n,
               row_number() OVER (PARTITION BY m.lead_id, p.p ORDER BY m.changed_at DESC, m.tracking_id DESC) AS n_desc
        FROM moves m
        CROSS JOIN LATERAL (SELECT m.old_p UNION SELECT m.new_p) p(p)
    )
    SELECT lead_id, p, count(*)::int, sum(abs(new - old))::int,
           (min(new) FILTER (WHERE n_desc = 1) - min(old) FILTER (WHERE n = 1))::int,
           bool_or(n = 1 AND old_p = p) AND bool_or(n_desc = 1 AND new_p <> p),
           bool_or(n = 1 AND old_p <> p) AND bool_or(n_desc = 1 AND new_p = p)
    FROM per_period
    GROUP BY lead_id, p
$$;

-- cohorts per creation month (UTC): the month's leads, won, lost and
-- open, the win rate, the median days to win (time_to_convert from
-- creation to date_closed of the won ones; a sketch quantile), the share
-- won within 30, 60 and 90 days of creation, and the funnel of the
-- leads' deepest stage
CREATE OR REPLACE VIEW :"funnel_schema".cohorts AS
SELECT date_trunc('month', d.created_at AT TIME ZONE 'UTC')::date AS month,
       count(*) AS deals,
       count(*) FILTER (WHERE d.status = 'won') AS won,
       count(*) FILTER (WHERE d.status = 'lost') AS lost,
       count(*) FILTER (WHERE d.status = 'open') AS open,
       count(*) FILTER (WHERE d.status = 'won')::float8 / count(*) AS win_rate,
       velocity_quantile(time_to_convert(ARRAY[d.created_at, greatest(d.closed_at, d.created_at)])
                           FILTER (WHERE d.status = 'won'), stage(1), 0.5) AS median_days_to_win,
       count(*) FILTER (WHERE d.status = 'won' AND d.closed_at <= d.created_at + interval '30 days')::float8 / count(*) AS won_within_30,
       count(*) FILTER (WHERE d.status = 'won' AND d.closed_at <= d.created_at + interval '60 days')::float8 / count(*) AS won_within_60,
       count(*) FILTER (WHERE d.status = 'won' AND d.closed_at <= d.created_at + interval '90 days')::float8 / count(*) AS won_within_90,
       funnel_conversion(r.stage) AS conversion
FROM deals d
LEFT JOIN (SELECT lead_id, max(stage) AS stage FROM stage_entries GROUP BY lead_id) r USING (lead_id)
GROUP BY 1;
COMMIT;
