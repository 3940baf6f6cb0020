-- funnel over a Twenty CRM workspace, as Twenty stores it: views and
-- functions that turn opportunity, timelineActivity, workspaceMember, task,
-- note, taskTarget and noteTarget into the inputs of funnel's aggregates.  A
-- psql script:
--
--   psql -d twenty -v funnel_schema=funnel_twenty -v twenty_schema=workspace_<id> -f integrations/twenty.sql
--
-- twenty_schema (required) is the workspace's schema, workspace_ and the
-- workspace id in base 36 (Twenty's get-workspace-schema-name.util.ts;
-- older versions encoded it otherwise, so it is a parameter);
-- funnel_schema (default funnel_twenty) is created if missing and receives
-- every object; twenty_tz (default UTC) is the time zone whose day a close
-- date (a timestamptz in Twenty) and a closing are.  The extension funnel
-- must be installed, in a schema on the search_path.  Run it again after a
-- Twenty upgrade, or to update: it replaces its objects and keeps its
-- tables (stage_positions, won_stages, lost_stages, stale_thresholds,
-- forecast_categories, sales_targets).  It changes nothing in Twenty's
-- tables, and its views read the stage and the task status (enum columns
-- Twenty drops and adds again when their options change) through the whole
-- row, so they never hold Twenty's migrations up.  Parts a workspace may
-- not have are found through pg_attribute: the morph columns
-- targetOpportunityId (Twenty 1.12 and later in timelineActivity, 1.17 in
-- taskTarget and noteTarget; opportunityId before), opportunity.ownerId
-- (2025; the seller is the deal's creator without it) and
-- opportunity.probability (free text, 2024).  docs/guides/twenty.md
-- explains each object.
\set ON_ERROR_STOP 1
\if :{?twenty_schema}
\else
DO $$ BEGIN RAISE EXCEPTION 'integrations/twenty.sql needs twenty_schema, the workspace''s schema'
    USING HINT = 'Run it with psql -v twenty_schema=workspace_... (SELECT nspname FROM pg_namespace WHERE nspname LIKE ''workspace\_%'' lists them).'; END $$;
\endif
\if :{?funnel_schema}
\else
\set funnel_schema funnel_twenty
\endif
\if :{?twenty_tz}
\else
\set twenty_tz UTC
\endif

BEGIN;
SET LOCAL client_min_messages = warning;
SELECT to_regclass(format('%I.opportunity', :'twenty_schema')) IS NOT NULL
       AND to_regclass(format('%I."timelineActivity"', :'twenty_schema')) IS NOT NULL AS funnel_twenty_found,
       now() AT TIME ZONE :'twenty_tz' IS NOT NULL AS funnel_twenty_tz_valid \gset
\if :funnel_twenty_found
\else
DO $$ BEGIN RAISE EXCEPTION 'no Twenty workspace in the schema given as twenty_schema'
    USING HINT = 'twenty_schema names the schema holding the tables opportunity and timelineActivity.'; END $$;
\endif
CREATE SCHEMA IF NOT EXISTS :"funnel_schema";
SELECT format('%I, %I, %s', :'funnel_schema', :'twenty_schema', current_setting('search_path')) AS funnel_twenty_path,
       format('%I.opportunity', :'twenty_schema') AS funnel_twenty_opportunity \gset
SET LOCAL search_path = :funnel_twenty_path;

-- what this workspace has: a column of a table of the workspace, or not
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'opportunity'::regclass
               AND attname = 'ownerId' AND NOT attisdropped) AS funnel_twenty_has_owner,
       EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'opportunity'::regclass
               AND attname = 'probability' AND NOT attisdropped) AS funnel_twenty_has_probability,
       (SELECT coalesce(min(attname) FILTER (WHERE attname = 'targetOpportunityId'), 'opportunityId')
        FROM pg_attribute WHERE attrelid = '"timelineActivity"'::regclass AND NOT attisdropped) AS funnel_twenty_activity_target,
       (SELECT coalesce(min(attname) FILTER (WHERE attname = 'targetOpportunityId'), 'opportunityId')
        FROM pg_attribute WHERE attrelid = '"taskTarget"'::regclass AND NOT attisdropped) AS funnel_twenty_task_target,
       (SELECT coalesce(min(attname) FILTER (WHERE attname = 'targetOpportunityId'), 'opportunityId')
        FROM pg_attribute WHERE attrelid = '"noteTarget"'::regclass AND NOT attisdropped) AS funnel_twenty_note_target \gset
\if :funnel_twenty_has_owner
\set funnel_twenty_seller 'coalesce(o."ownerId", o."createdByWorkspaceMemberId")'
\else
\set funnel_twenty_seller 'o."createdByWorkspaceMemberId"'
\endif
\if :funnel_twenty_has_probability
\set funnel_twenty_probability 'o.probability'
\else
\set funnel_twenty_probability 'NULL::text'
\endif

-- replaced, not altered, so that a newer script may change a column (a
-- view of your own on these must be dropped first; the tables are kept)
DROP FUNCTION IF EXISTS :"funnel_schema".slippage(text, timestamptz, timestamptz);
DROP FUNCTION IF EXISTS :"funnel_schema".stale_counts(timestamptz);
DROP FUNCTION IF EXISTS :"funnel_schema".stale_deals(timestamptz);
DROP VIEW IF EXISTS :"funnel_schema".cohorts, :"funnel_schema".coverage, :"funnel_schema".forecast,
    :"funnel_schema".deals, :"funnel_schema".contacts, :"funnel_schema".sellers,
    :"funnel_schema".close_date_changes, :"funnel_schema".stage_visits, :"funnel_schema".stage_entries,
    :"funnel_schema".stage_changes, :"funnel_schema".stages;

-- the tables you fill, kept when the script runs again:
-- a funnel position per stage option (or per stage string of the history
-- only: a renamed or removed option), over the enum's order
CREATE TABLE IF NOT EXISTS :"funnel_schema".stage_positions (
    stage text PRIMARY KEY,
    position int NOT NULL CHECK (position BETWEEN 1 AND 255)
);
-- the options that mean won (none: the last stage) and lost (none: Twenty
-- has no lost flag, so no deal is lost)
CREATE TABLE IF NOT EXISTS :"funnel_schema".won_stages (stage text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS :"funnel_schema".lost_stages (stage text PRIMARY KEY);
-- thresholds in days per stage (0 or none: never stale)
CREATE TABLE IF NOT EXISTS :"funnel_schema".stale_thresholds (
    stage text PRIMARY KEY,
    days int NOT NULL CHECK (days >= 0)
);
-- Salesforce-style forecast categories per stage
CREATE TABLE IF NOT EXISTS :"funnel_schema".forecast_categories (
    stage text PRIMARY KEY,
    category text NOT NULL CHECK (category IN ('pipeline', 'best_case', 'commit', 'closed', 'omitted'))
);
-- quotas per seller (a workspaceMember) and period: Twenty keeps none
CREATE TABLE IF NOT EXISTS :"funnel_schema".sales_targets (
    seller_id uuid,
    period_start date,
    period_end date NOT NULL,
    target numeric NOT NULL CHECK (target > 0),
    PRIMARY KEY (seller_id, period_start),
    CHECK (period_end >= period_start)
);

-- a close date of a diff (a JSON string: an ISO timestamp, or a plain
-- date) as the day it is in the time zone tz
CREATE OR REPLACE FUNCTION :"funnel_schema".twenty_date(value text, tz text) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN value ~ '^\d{4}-\d{2}-\d{2}$' THEN value::date
                      ELSE (value::timestamptz AT TIME ZONE tz)::date END $$;

-- the stage options: the labels of the enum type of opportunity.stage (the
-- type read from the column: Twenty makes a new one whenever the options
-- change), in the enum's order, and the stage strings that only the
-- history has (renamed and removed options).  Positions: stage_positions,
-- else the option's rank in the enum's order (lost stages left out); a
-- string of the history only has none unless stage_positions gives one.
-- A stage is named by the option at its position (the first in the
-- enum's order), so an old name mapped to a position is that option.
-- Lost stages have no position: a deal leaves the funnel there.  Won: the
-- stages of won_stages, else the last position.
CREATE OR REPLACE VIEW :"funnel_schema".stages AS
WITH options AS (
    SELECT e.enumlabel::text AS stage_name, e.enumsortorder AS enum_order
    FROM pg_enum e
    WHERE e.enumtypid = (SELECT a.atttypid FROM pg_attribute a
                         WHERE a.attrelid = :'funnel_twenty_opportunity'::regclass AND a.attname = 'stage' AND NOT a.attisdropped)
), history_only AS (
    SELECT DISTINCT s.stage_name
    FROM "timelineActivity" a,
         LATERAL (VALUES (a.properties -> 'diff' -> 'stage' ->> 'before'), (a.properties -> 'diff' -> 'stage' ->> 'after'),
                         (a.properties -> 'after' ->> 'stage')) s(stage_name)
    WHERE a.name IN ('opportunity.updated', 'opportunity.created') AND s.stage_name IS NOT NULL
      AND s.stage_name NOT IN (SELECT stage_name FROM options)
), every_stage AS (
    SELECT o.stage_name, o.enum_order, true AS in_enum, l.stage IS NOT NULL AS is_lost
    FROM options o LEFT JOIN lost_stages l ON l.stage = o.stage_name
    UNION ALL
    SELECT h.stage_name, NULL, false, l.stage IS NOT NULL
    FROM history_only h LEFT JOIN lost_stages l ON l.stage = h.stage_name
), positioned AS (
    SELECT e.*,
           CASE WHEN NOT e.is_lost
                THEN coalesce(p.position,
                              CASE WHEN e.in_enum
                                   THEN (SELECT count(*) FROM every_stage b
                                         WHERE b.in_enum AND NOT b.is_lost AND b.enum_order <= e.enum_order)::int END) END AS position
    FROM every_stage e LEFT JOIN stage_positions p ON p.stage = e.stage_name
)
SELECT p.stage_name,
       stage(p.position, coalesce((SELECT n.stage_name FROM positioned n WHERE n.in_enum AND n.position = p.position
                                   ORDER BY n.enum_order LIMIT 1), p.stage_name)) AS stage,
       p.in_enum, p.enum_order,
       p.position IS NOT NULL AND CASE WHEN EXISTS (SELECT FROM won_stages) THEN p.stage_name IN (SELECT stage FROM won_stages)
                                       ELSE p.position = (SELECT max(position) FROM positioned) END AS is_won,
       p.is_lost,
       coalesce(t.days, 0) AS threshold_days
FROM positioned p
LEFT JOIN stale_thresholds t ON t.stage = p.stage_name;

-- the stage changes Twenty wrote: opportunity.updated rows whose diff has
-- the key stage, at happensAt (a merged row's first change), in the order
-- (happensAt, createdAt, id); of deals, not of deleted ones.  merged: the
-- row took later updates in (Twenty merges one member's updates of a
-- record within 10 minutes of the row's first write: first before, last
-- after); skipped_positions: the positions a forward move jumped over
-- (NULL when a stage has none), which a merged row hides
CREATE OR REPLACE VIEW :"funnel_schema".stage_changes AS
SELECT a.:"funnel_twenty_activity_target" AS deal_id, a.id AS activity_id,
       a."happensAt" AS changed_at, a."createdAt" AS written_at,
       a.properties -> 'diff' -> 'stage' ->> 'before' AS old_stage,
       a.properties -> 'diff' -> 'stage' ->> 'after' AS new_stage,
       a."workspaceMemberId" AS member_id,
       a."updatedAt" > a."createdAt" AS merged,
       CASE WHEN b.stage IS NOT NULL AND n.stage IS NOT NULL
            THEN greatest(stage_position(n.stage) - stage_position(b.stage) - 1, 0) END AS skipped_positions
FROM "timelineActivity" a
JOIN opportunity o ON o.id = a.:"funnel_twenty_activity_target" AND o."deletedAt" IS NULL
LEFT JOIN stages b ON b.stage_name = a.properties -> 'diff' -> 'stage' ->> 'before'
LEFT JOIN stages n ON n.stage_name = a.properties -> 'diff' -> 'stage' ->> 'after'
WHERE a.name = 'opportunity.updated' AND a.properties -> 'diff' ? 'stage' AND a."deletedAt" IS NULL;

-- the entered-only history: the deal's first stage at its createdAt (the
-- stage of a 2024 opportunity.created row's record, else the first
-- change's old stage, else the current stage), then each change's new
-- stage.  Entries of one deal at one moment count as the last of them.
-- deal_key: the id's last 64 bits (random in Twenty's uuids, v4 and v7),
-- for the aggregates that take a bigint deal id.  A stage string without a position has stage NULL: the
-- aggregates skip it, stage_visits ends the visit before it
CREATE OR REPLACE VIEW :"funnel_schema".stage_entries AS
SELECT e.deal_id, ('x' || translate(right(e.deal_id::text, 17), '-', ''))::bit(64)::bigint AS deal_key,
       st.stage, e.stage_name, e.entered_at, e.seq
FROM (
    SELECT DISTINCT ON (deal_id, entered_at) deal_id, stage_name, entered_at, seq
    FROM (
        SELECT o.id AS deal_id,
               coalesce(created.stage_name, first_change.old_stage, to_jsonb(o) ->> 'stage') AS stage_name,
               o."createdAt" AS entered_at, 0::bigint AS seq
        FROM opportunity o
        LEFT JOIN (SELECT DISTINCT ON (a.:"funnel_twenty_activity_target") a.:"funnel_twenty_activity_target" AS deal_id,
                          a.properties -> 'after' ->> 'stage' AS stage_name
                   FROM "timelineActivity" a
                   WHERE a.name = 'opportunity.created' AND a.properties -> 'after' ? 'stage' AND a."deletedAt" IS NULL
                   ORDER BY a.:"funnel_twenty_activity_target", a."happensAt", a."createdAt", a.id) created ON created.deal_id = o.id
        LEFT JOIN (SELECT DISTINCT ON (deal_id) deal_id, old_stage FROM stage_changes
                   ORDER BY deal_id, changed_at, written_at, activity_id) first_change ON first_change.deal_id = o.id
        WHERE o."deletedAt" IS NULL
        UNION ALL
        SELECT deal_id, new_stage, changed_at,
               row_number() OVER (PARTITION BY deal_id ORDER BY changed_at, written_at, activity_id)
        FROM stage_changes
    ) every_entry
    ORDER BY deal_id, entered_at, seq DESC
) e
LEFT JOIN stages st ON st.stage_name = e.stage_name;

-- stage visits: each entry lasts until the deal's next one, the last one
-- is open (a won deal's too); an entry into a stage without a position (a
-- lost stage, an unmapped old option) ends the visit before it and is no
-- visit itself
CREATE OR REPLACE VIEW :"funnel_schema".stage_visits AS
SELECT deal_id, stage, entered_at, left_at
FROM (SELECT deal_id, stage, entered_at, lead(entered_at) OVER (PARTITION BY deal_id ORDER BY seq) AS left_at
      FROM stage_entries) v
WHERE stage IS NOT NULL;

-- the close date changes Twenty wrote: opportunity.updated rows whose
-- diff has closeDate, each value's day in twenty_tz; a change within one
-- day (a time or a time zone edited) is none
CREATE OR REPLACE VIEW :"funnel_schema".close_date_changes AS
SELECT deal_id, changed_at, old_close_date, new_close_date, activity_id
FROM (
    SELECT a.:"funnel_twenty_activity_target" AS deal_id, a.id AS activity_id, a."happensAt" AS changed_at,
           twenty_date(a.properties -> 'diff' -> 'closeDate' ->> 'before', :'twenty_tz') AS old_close_date,
           twenty_date(a.properties -> 'diff' -> 'closeDate' ->> 'after', :'twenty_tz') AS new_close_date
    FROM "timelineActivity" a
    JOIN opportunity o ON o.id = a.:"funnel_twenty_activity_target" AND o."deletedAt" IS NULL
    WHERE a.name = 'opportunity.updated' AND a.properties -> 'diff' ? 'closeDate' AND a."deletedAt" IS NULL
) c
WHERE old_close_date IS DISTINCT FROM new_close_date;

-- the workspace's members, deleted ones too (history refers to them)
CREATE OR REPLACE VIEW :"funnel_schema".sellers AS
SELECT m.id AS seller_id,
       coalesce(nullif(trim(coalesce(m."nameFirstName", '') || ' ' || coalesce(m."nameLastName", '')), ''), m."userEmail") AS name,
       m."userEmail" AS email, m."deletedAt" IS NULL AS active
FROM "workspaceMember" m;

-- done tasks and notes linked to a deal (taskTarget, noteTarget), deleted
-- ones and deleted links left out: a task at its last update (Twenty keeps
-- no completion time) by its assignee, a note at its creation by its author
CREATE OR REPLACE VIEW :"funnel_schema".contacts AS
SELECT DISTINCT tt.:"funnel_twenty_task_target" AS deal_id, 'Task' AS kind, t."updatedAt" AS at,
       t."assigneeId" AS seller_id, t.id AS activity_id, t.title
FROM task t
JOIN "taskTarget" tt ON tt."taskId" = t.id AND tt."deletedAt" IS NULL
JOIN opportunity o ON o.id = tt.:"funnel_twenty_task_target" AND o."deletedAt" IS NULL
WHERE to_jsonb(t) ->> 'status' = 'DONE' AND t."deletedAt" IS NULL
UNION
SELECT nt.:"funnel_twenty_note_target", 'Note', n."createdAt", n."createdByWorkspaceMemberId", n.id, n.title
FROM note n
JOIN "noteTarget" nt ON nt."noteId" = n.id AND nt."deletedAt" IS NULL
JOIN opportunity o ON o.id = nt.:"funnel_twenty_note_target" AND o."deletedAt" IS NULL
WHERE n."deletedAt" IS NULL;

-- the opportunities (not deleted) as deals: seller (the owner, else the
-- creator), amount (micros / 10^6), probability (a 2024 free-text field,
-- read as a percentage when it is a number from 0 to 100), status (won,
-- lost by won_stages and lost_stages, else open), closing (the last stage
-- change, when closed), the expected closing's day in twenty_tz, and the
-- deepest stage the deal reached
CREATE OR REPLACE VIEW :"funnel_schema".deals AS
SELECT o.id AS deal_id, ('x' || translate(right(o.id::text, 17), '-', ''))::bit(64)::bigint AS deal_key,
       o.name, :funnel_twenty_seller AS seller_id, o."createdAt" AS created_at,
       s.stage, s.stage_name,
       o."amountAmountMicros" / 1000000 AS amount, o."amountCurrencyCode" AS currency,
       p.probability,
       round(o."amountAmountMicros" / 1000000 * p.probability / 100, 2) AS weighted_amount,
       CASE WHEN s.is_lost THEN 'lost' WHEN s.is_won THEN 'won' ELSE 'open' END AS status,
       CASE WHEN s.is_lost OR s.is_won THEN e.last_change END AS closed_at,
       (o."closeDate" AT TIME ZONE :'twenty_tz')::date AS expected_closing,
       e.last_change AS last_stage_change_at, e.reached,
       o."companyId" AS company_id, o."pointOfContactId" AS point_of_contact_id
FROM opportunity o
LEFT JOIN stages s ON s.stage_name = to_jsonb(o) ->> 'stage'
LEFT JOIN (SELECT deal_id, max(entered_at) AS last_change, max(stage) AS reached FROM stage_entries GROUP BY deal_id) e
  ON e.deal_id = o.id
CROSS JOIN LATERAL (SELECT CASE WHEN n ~ '^\d+(\.\d+)?$' AND n::numeric <= 100 THEN n::numeric END AS probability
                    FROM (SELECT trim(trailing '% ' FROM trim(:funnel_twenty_probability)) AS n) t) p
WHERE o."deletedAt" IS NULL;

-- the forecast per seller, expected-closing month and category (won:
-- closed; open: forecast_categories, else pipeline; lost left out)
CREATE OR REPLACE VIEW :"funnel_schema".forecast AS
SELECT d.seller_id, date_trunc('month', d.expected_closing)::date AS month,
       CASE WHEN d.status = 'won' THEN 'closed' ELSE coalesce(fc.category, 'pipeline') END AS category,
       count(*) AS deals, sum(d.amount) AS amount, sum(d.weighted_amount) AS weighted_amount
FROM deals d
LEFT JOIN forecast_categories fc ON fc.stage = d.stage_name
WHERE d.status <> 'lost'
GROUP BY 1, 2, 3;

-- stale deals: an open deal whose stage has a threshold (stale_thresholds;
-- Twenty has none of its own) is stale when its last stage change is more
-- than that many days before at; with the days since its last stage change
-- and since its last contact
CREATE OR REPLACE FUNCTION :"funnel_schema".stale_deals(at timestamptz DEFAULT now())
RETURNS TABLE (deal_id uuid, seller_id uuid, stage stage, stage_name text, threshold_days int,
               days_in_stage int, days_since_contact int, stale boolean)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT d.deal_id, d.seller_id, d.stage, d.stage_name, s.threshold_days,
           extract(day FROM at - d.last_stage_change_at)::int,
           extract(day FROM at - c.last_contact)::int,
           s.threshold_days <> 0 AND d.last_stage_change_at + s.threshold_days * interval '1 day' < at
    FROM deals d JOIN stages s ON s.stage_name = d.stage_name
    LEFT JOIN (SELECT deal_id, max(at) AS last_contact FROM contacts GROUP BY deal_id) c ON c.deal_id = d.deal_id
    WHERE d.status = 'open'
$$;

-- how many of each seller's open deals are stale, per stage
CREATE OR REPLACE FUNCTION :"funnel_schema".stale_counts(at timestamptz DEFAULT now())
RETURNS TABLE (seller_id uuid, stage stage, stage_name text, open_deals bigint, stale_deals bigint)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT seller_id, stage, stage_name, count(*), count(*) FILTER (WHERE stale)
    FROM stale_deals(at) GROUP BY 1, 2, 3
$$;

-- coverage per sales_targets row: won so far (closing's day in the
-- period), what remains, the open pipeline whose expected closing falls in
-- the period, pipeline over remaining (NULL when nothing remains), and the
-- required coverage at the seller's historic conversions (closed deals'
-- deepest stage): deals needed at the first stage per won deal, NULL when
-- the seller won none
CREATE OR REPLACE VIEW :"funnel_schema".coverage AS
WITH d AS MATERIALIZED (
    SELECT seller_id, status, amount, (closed_at AT TIME ZONE :'twenty_tz')::date AS closed_on, expected_closing, reached
    FROM deals WHERE seller_id IN (SELECT seller_id FROM sales_targets)
)
SELECT t.seller_id, t.period_start, t.period_end, t.target, w.won_amount,
       greatest(t.target - w.won_amount, 0) AS remaining,
       o.open_deals, o.open_amount,
       o.open_amount / nullif(greatest(t.target - w.won_amount, 0), 0) AS coverage,
       h.required_coverage
FROM sales_targets t
CROSS JOIN LATERAL (
    SELECT coalesce(sum(d.amount), 0) AS won_amount FROM d
    WHERE d.seller_id = t.seller_id AND d.status = 'won' AND d.closed_on BETWEEN t.period_start AND t.period_end) w
CROSS JOIN LATERAL (
    SELECT count(*) AS open_deals, coalesce(sum(d.amount), 0) AS open_amount FROM d
    WHERE d.seller_id = t.seller_id AND d.status = 'open' AND d.expected_closing BETWEEN t.period_start AND t.period_end) o
CROSS JOIN LATERAL (
    SELECT CASE WHEN count(*) FILTER (WHERE d.status = 'won') > 0
                THEN (SELECT r.required FROM required_pipeline(funnel_conversion(d.reached), 1) r ORDER BY r.position LIMIT 1) END
           AS required_coverage
    FROM d WHERE d.seller_id = t.seller_id AND d.status <> 'open') h;

-- slippage per deal and close-date period (date_trunc's unit): the moves
-- (both dates set and different) made in [since, until) with the old or
-- the new date in the period; how many, the days moved in all, the net
-- days (last new - first old), moved out of the period or pulled into it
CREATE OR REPLACE FUNCTION :"funnel_schema".slippage(period text DEFAULT 'quarter', since timestamptz DEFAULT NULL,
                                                     until timestamptz DEFAULT NULL)
RETURNS TABLE (deal_id uuid, period_start date, moves int, days_moved int, net_days int, moved_out boolean, pulled_in boolean)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$
    SELECT date_trunc(period, timestamp '2000-01-01');   -- an unknown unit is date_trunc's error
    WITH moves AS (
        SELECT c.deal_id, c.changed_at, c.activity_id, c.old_close_date AS old, c.new_close_date AS new,
               date_trunc(period, c.old_close_date::timestamp)::date AS old_p,
               date_trunc(period, c.new_close_date::timestamp)::date AS new_p
        FROM close_date_changes c
        WHERE c.old_close_date <> c.new_close_date
          AND (since IS NULL OR c.changed_at >= since) AND (until IS NULL OR c.changed_at < until)
    ), per_period AS (
        SELECT m.deal_id, p.p, m.old, m.new, m.old_p, m.new_p,
               row_number() OVER (PARTITION BY m.deal_id, p.p ORDER BY m.changed_at, m.activity_id) AS n,
               row_number() OVER (PARTITION BY m.deal_id, p.p ORDER BY m.changed_at DESC, m.activity_id DESC) AS n_desc
        FROM moves m
        CROSS JOIN LATERAL (SELECT m.old_p UNION SELECT m.new_p) p(p)
    )
    SELECT deal_id, p, count(*)::int, sum(abs(new - old))::int,
           (min(new) FILTER (WHERE n_desc = 1) - min(old) FILTER (WHERE n = 1))::int,
           bool_or(n = 1 AND old_p = p) AND bool_or(n_desc = 1 AND new_p <> p),
           bool_or(n = 1 AND old_p <> p) AND bool_or(n_desc = 1 AND new_p = p)
    FROM per_period
    GROUP BY deal_id, p
$$;

-- cohorts per creation month (UTC): deals, won, lost, open, win rate, the
-- median days from creation to won (a sketch quantile, within 0.4%), the
-- shares won within 30, 60 and 90 days, and the funnel of the deals'
-- deepest stage
CREATE OR REPLACE VIEW :"funnel_schema".cohorts AS
SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
       count(*) AS deals,
       count(*) FILTER (WHERE status = 'won') AS won,
       count(*) FILTER (WHERE status = 'lost') AS lost,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE status = 'won')::float8 / count(*) AS win_rate,
       extract(epoch FROM time_in_stage(time_to_convert(ARRAY[created_at, closed_at]) FILTER (WHERE status = 'won'),
                                        stage(1), 0.5))::float8 / 86400 AS median_days_to_win,
       count(*) FILTER (WHERE status = 'won' AND closed_at <= created_at + interval '30 days')::float8 / count(*) AS won_within_30,
       count(*) FILTER (WHERE status = 'won' AND closed_at <= created_at + interval '60 days')::float8 / count(*) AS won_within_60,
       count(*) FILTER (WHERE status = 'won' AND closed_at <= created_at + interval '90 days')::float8 / count(*) AS won_within_90,
       funnel_conversion(reached) AS conversion
FROM deals
GROUP BY 1;
COMMIT;
