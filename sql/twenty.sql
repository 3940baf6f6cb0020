-- integrations/twenty.sql on Twenty-shaped workspaces, against Twenty's own rules in plain SQL.
--
-- Twenty as it stores it: integrations/twenty.sql over a Twenty-shaped
-- workspace (test/twenty/schema.sql) with data written through a
-- simulation of Twenty's timeline upsert (test/twenty/data.sql), every view
-- checked against the same figures computed from the raw tables; then a
-- 2024 workspace (opportunityId, no ownerId, probability) and another time
-- zone.  The data comes from random(), which differs across PostgreSQL
-- versions: only differences (zero), shapes and the hand-written deals
-- (901 to 912) are shown.
SET timezone = 'UTC';
SET datestyle = 'ISO';
\set ECHO none
\set QUIET on
SET client_min_messages = warning;
\i test/twenty/schema.sql
\i test/twenty/data.sql
\set funnel_schema twenty_funnel
\set twenty_schema workspace_3x9k2q1m7d0a
\i integrations/twenty.sql
RESET client_min_messages;
\set QUIET off
\set ECHO all
\set QUIET on
SET search_path = twenty_funnel, public;
\set QUIET on

-- the data has every case: new-style and 2024-style creations, merged
-- rows, a round trip merged to diff {}, deleted deals, a stage option
-- appended after CUSTOMER, strings only the history has, close dates as
-- plain dates and edits within one day
SELECT count(*) FILTER (WHERE name = 'opportunity.created' AND properties = '{}') > 200 AS created_new_style,
       count(*) FILTER (WHERE name = 'opportunity.created' AND properties ? 'after') > 10 AS created_2024_style,
       count(*) FILTER (WHERE name = 'opportunity.updated' AND "updatedAt" > "createdAt") > 50 AS merged_rows,
       count(*) FILTER (WHERE properties -> 'diff' = '{}') > 0 AS empty_diffs,
       count(*) FILTER (WHERE properties -> 'diff' -> 'closeDate' ->> 'after' ~ '^\d{4}-\d{2}-\d{2}$') > 5 AS plain_dates,
       count(*) FILTER (WHERE left(properties -> 'diff' -> 'closeDate' ->> 'before', 10)
                              = left(properties -> 'diff' -> 'closeDate' ->> 'after', 10)) > 5 AS edits_within_a_day
FROM workspace_3x9k2q1m7d0a."timelineActivity";
SELECT count(*) FILTER (WHERE "deletedAt" IS NOT NULL) > 5 AS deleted_deals,
       (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum
        WHERE enumtypid = 'workspace_3x9k2q1m7d0a.opportunity_stage_enum'::regtype) AS options
FROM workspace_3x9k2q1m7d0a.opportunity;

-- the stages before any table is filled: the enum's order, the last option
-- won, no lost stage, the strings of the history only without a position
SELECT stage_name, stage, in_enum, is_won, is_lost FROM stages ORDER BY enum_order, stage_name;

-- the team's pipeline: NEGOTIATION before CUSTOMER, SCREENING (renamed
-- QUALIFIED) at QUALIFIED's position, LOST lost, CUSTOMER won; and targets
INSERT INTO stage_positions VALUES ('SCREENING', 2), ('NEGOTIATION', 5), ('CUSTOMER', 6);
INSERT INTO lost_stages VALUES ('LOST');
INSERT INTO won_stages VALUES ('CUSTOMER');
INSERT INTO sales_targets
SELECT pg_temp.tw_id(1, m), q, (q + interval '3 months - 1 day')::date, 300000 + 50000 * m
FROM generate_series(1, 5) m, unnest(ARRAY[date '2026-01-01', '2026-04-01', '2026-07-01']) q;
-- a target met (Farid's deal 912), and a member who won nothing
INSERT INTO sales_targets VALUES (pg_temp.tw_id(1, 6), '2026-04-01', '2026-06-30', 1000),
                                 (pg_temp.tw_id(1, 7), '2026-04-01', '2026-06-30', 50000);
-- the script again: its tables keep their rows
\set QUIET on
\set ECHO none
SET client_min_messages = warning;
\i integrations/twenty.sql
RESET client_min_messages;
\set QUIET off
\set ECHO all
\set QUIET on
SELECT (SELECT count(*) FROM stage_positions) AS stage_positions, (SELECT count(*) FROM lost_stages) AS lost_stages,
       (SELECT count(*) FROM won_stages) AS won_stages, (SELECT count(*) FROM sales_targets) AS sales_targets;
SELECT stage_name, stage, in_enum, is_won, is_lost FROM stages ORDER BY stage, stage_name;

-- plain SQL: the positions, and the stage changes Twenty wrote
CREATE TEMP TABLE pos (stage_name text, position int);
INSERT INTO pos VALUES ('NEW', 1), ('QUALIFIED', 2), ('SCREENING', 2), ('MEETING', 3), ('PROPOSAL', 4),
                       ('NEGOTIATION', 5), ('CUSTOMER', 6);
CREATE TEMP TABLE raw_changes AS
SELECT a."targetOpportunityId" AS deal_id, a.id, a."happensAt" AS at, a."createdAt" AS written,
       a.properties #>> '{diff,stage,before}' AS before, a.properties #>> '{diff,stage,after}' AS after,
       a."updatedAt" <> a."createdAt" AS merged
FROM workspace_3x9k2q1m7d0a."timelineActivity" a
JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = a."targetOpportunityId"
WHERE o."deletedAt" IS NULL AND a.name = 'opportunity.updated' AND a.properties -> 'diff' -> 'stage' IS NOT NULL;
SELECT count(*) > 500 AS many,
       count(*) FILTER (WHERE (c.deal_id, c.changed_at, c.old_stage, c.new_stage, c.merged)
                              IS DISTINCT FROM (r.deal_id, r.at, r.before, r.after, r.merged)) AS differ,
       count(*) FILTER (WHERE c.skipped_positions IS DISTINCT FROM
                              CASE WHEN pa.position > pb.position + 1 THEN pa.position - pb.position - 1
                                   WHEN pa.position IS NOT NULL AND pb.position IS NOT NULL THEN 0 END) AS skips_differ
FROM stage_changes c FULL JOIN raw_changes r ON r.id = c.activity_id
LEFT JOIN pos pb ON pb.stage_name = r.before LEFT JOIN pos pa ON pa.stage_name = r.after;
-- how often a merged row skips positions (the stages between are lost)
SELECT count(*) FILTER (WHERE merged AND skipped_positions > 0) > 10 AS merged_rows_skip,
       count(*) FILTER (WHERE merged AND skipped_positions > 0) <= count(*) FILTER (WHERE skipped_positions > 0) AS of_all_skips
FROM stage_changes;

-- the hand-written deals: the 10-minute window counts from the row's
-- first write (901), a round trip leaves no stage change (902, 903), two
-- members two rows (904), an option removed since (907), three moves in
-- six minutes (910), updates by an API key merge too (911); the deleted
-- deal 909 is no deal
SELECT o.name, c.changed_at, c.old_stage, c.new_stage, c.merged, c.skipped_positions
FROM stage_changes c JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = c.deal_id
WHERE o.position > 900 ORDER BY o.position, c.changed_at;
SELECT o.name, e.stage, e.stage_name, e.entered_at
FROM stage_entries e JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = e.deal_id
WHERE o.position > 900 ORDER BY o.position, e.seq;
SELECT o.name, v.stage, v.entered_at, v.left_at
FROM stage_visits v JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = v.deal_id
WHERE o.position IN (907, 910) ORDER BY o.position, v.entered_at;

-- stage_entries in plain SQL: the first stage (a 2024 creation row's
-- record, else the first change's before, else the current stage) at
-- createdAt, then each change's after; at one moment the last of them
CREATE TEMP TABLE raw_entries AS
WITH entries AS (
    SELECT o.id AS deal_id, o."createdAt" AS at, 0::bigint AS seq,
           coalesce((SELECT a.properties #>> '{after,stage}' FROM workspace_3x9k2q1m7d0a."timelineActivity" a
                     WHERE a."targetOpportunityId" = o.id AND a.name = 'opportunity.created'),
                    (SELECT r.before FROM raw_changes r WHERE r.deal_id = o.id ORDER BY r.at, r.written, r.id LIMIT 1),
                    o.stage::text) AS stage_name
    FROM workspace_3x9k2q1m7d0a.opportunity o WHERE o."deletedAt" IS NULL
    UNION ALL
    SELECT deal_id, at, row_number() OVER (PARTITION BY deal_id ORDER BY at, written, id), after FROM raw_changes)
SELECT * FROM entries e
WHERE NOT EXISTS (SELECT FROM entries l WHERE l.deal_id = e.deal_id AND l.at = e.at AND l.seq > e.seq);
CREATE INDEX ON raw_entries (deal_id, at);
ANALYZE raw_entries;
SELECT count(*) FILTER (WHERE (e.stage_name, stage_position(e.stage)) IS DISTINCT FROM (r.stage_name, p.position)) AS differ,
       count(*) FILTER (WHERE e.stage IS NULL) > 10 AS some_without_position
FROM stage_entries e FULL JOIN raw_entries r ON r.deal_id = e.deal_id AND r.at = e.entered_at
LEFT JOIN pos p ON p.stage_name = r.stage_name;
-- stage_at on the history is the current stage, for every deal whose
-- history ends where it is (not a lost one, not DEMO's)
SELECT count(*) > 150 AS deals,
       count(*) FILTER (WHERE stage_name(s.now_in) IS DISTINCT FROM o.stage::text) AS differ
FROM workspace_3x9k2q1m7d0a.opportunity o
JOIN (SELECT deal_id, stage_at(stage, entered_at, '2026-07-01') AS now_in FROM stage_entries GROUP BY 1) s ON s.deal_id = o.id
WHERE o.stage <> 'LOST' AND o.position <> 907;

-- visits: each entry until the next one; open: the deals whose last entry
-- has a position (won and open deals); lost deals leave at LOST
SELECT count(*) FILTER (WHERE left_at IS NULL) = (SELECT count(*) FROM deals WHERE status <> 'lost') AS open_visits_of_open_and_won,
       count(*) FILTER (WHERE left_at < entered_at) AS backwards,
       count(*) FILTER (WHERE v.left_at IS DISTINCT FROM
                               (SELECT min(r.at) FROM raw_entries r WHERE r.deal_id = v.deal_id AND r.at > v.entered_at)) AS differ
FROM stage_visits v;
SELECT v.position, v.exits = e.exits AS same_exits, v.open = e.open AS same_open,
       round(coalesce(v.avg_days * v.exits * 86400, 0)::numeric) = round(coalesce(e.seconds, 0)) AS same_total_time
FROM velocity_steps((SELECT stage_velocity(stage, entered_at, left_at) FROM stage_visits)) v
JOIN (SELECT stage_position(stage) AS position, count(left_at) AS exits, count(*) - count(left_at) AS open,
             sum(extract(epoch FROM left_at - entered_at)) AS seconds
      FROM stage_visits GROUP BY 1) e USING (position)
ORDER BY 1;
SELECT (SELECT stage_velocity(deal_key, stage, entered_at) FROM stage_entries)
     = (SELECT stage_velocity(stage, entered_at, left_at) FROM
          (SELECT stage, entered_at, lead(entered_at) OVER (PARTITION BY deal_id ORDER BY entered_at) AS left_at
           FROM stage_entries WHERE stage IS NOT NULL) x) AS entered_only_same_as_visits_between_positions;

-- deals: not deleted; amount in units; seller the owner, else the
-- creator; status by the stage; closing the last change; expected closing
-- the close date's day
SELECT count(*) FILTER (WHERE (d.seller_id, d.amount, d.status, d.expected_closing, d.closed_at, d.stage_name)
                              IS DISTINCT FROM
                              (coalesce(o."ownerId", o."createdByWorkspaceMemberId"), o."amountAmountMicros" / 1e6,
                               CASE o.stage WHEN 'LOST' THEN 'lost' WHEN 'CUSTOMER' THEN 'won' ELSE 'open' END,
                               ("closeDate" AT TIME ZONE 'UTC')::date,
                               CASE WHEN o.stage IN ('LOST', 'CUSTOMER') THEN (SELECT max(r.at) FROM raw_entries r WHERE r.deal_id = o.id) END,
                               o.stage::text)) AS differ,
       count(*) FILTER (WHERE o."ownerId" IS NULL) > 0 AS some_without_owner,
       (SELECT count(*) FROM deals d JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = d.deal_id
        WHERE o."deletedAt" IS NOT NULL) AS deleted_in_deals
FROM workspace_3x9k2q1m7d0a.opportunity o LEFT JOIN deals d ON d.deal_id = o.id
WHERE o."deletedAt" IS NULL;
SELECT status, count(*) > 30 AS many, bool_and(closed_at IS NOT NULL) FILTER (WHERE status <> 'open') AS closed_have_a_date,
       count(*) FILTER (WHERE reached IS DISTINCT FROM
                        (SELECT max(stage) FROM stage_entries e WHERE e.deal_id = d.deal_id)) AS reached_differ
FROM deals d GROUP BY 1 ORDER BY 1;
SELECT count(*) = 7 AS every_member_deleted_too, count(*) FILTER (WHERE NOT active) AS deleted,
       bool_and(name IS NOT NULL) AS named
FROM sellers;

-- contacts: done tasks and notes through their targets, deleted ones and
-- deleted links left out
CREATE TEMP TABLE raw_contacts AS
SELECT tt."targetOpportunityId" AS deal_id, 'Task' AS kind, t."updatedAt" AS at, t."assigneeId" AS seller_id, t.id
FROM workspace_3x9k2q1m7d0a.task t
JOIN workspace_3x9k2q1m7d0a."taskTarget" tt ON tt."taskId" = t.id
JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = tt."targetOpportunityId"
WHERE t.status = 'DONE' AND t."deletedAt" IS NULL AND tt."deletedAt" IS NULL AND o."deletedAt" IS NULL
UNION ALL
SELECT nt."targetOpportunityId", 'Note', n."createdAt", n."createdByWorkspaceMemberId", n.id
FROM workspace_3x9k2q1m7d0a.note n
JOIN workspace_3x9k2q1m7d0a."noteTarget" nt ON nt."noteId" = n.id
JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = nt."targetOpportunityId"
WHERE n."deletedAt" IS NULL AND nt."deletedAt" IS NULL AND o."deletedAt" IS NULL;
SELECT (SELECT count(*) FROM (SELECT deal_id, kind, at, seller_id, activity_id FROM contacts
                              EXCEPT ALL SELECT * FROM raw_contacts) x) AS only_in_view,
       (SELECT count(*) FROM (SELECT * FROM raw_contacts
                              EXCEPT ALL SELECT deal_id, kind, at, seller_id, activity_id FROM contacts) x) AS only_in_raw,
       (SELECT count(DISTINCT kind) FROM contacts) AS kinds, (SELECT count(*) > 200 FROM contacts) AS many;

-- close date changes: each value's day in UTC; edits within one day left out
CREATE TEMP TABLE raw_close AS
SELECT * FROM (
    SELECT a."targetOpportunityId" AS deal_id, a.id, a."happensAt" AS at,
           (left(a.properties #>> '{diff,closeDate,before}', 10))::date AS old,
           (left(a.properties #>> '{diff,closeDate,after}', 10))::date AS new
    FROM workspace_3x9k2q1m7d0a."timelineActivity" a
    JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = a."targetOpportunityId"
    WHERE o."deletedAt" IS NULL AND a.name = 'opportunity.updated' AND a.properties -> 'diff' ? 'closeDate') c
WHERE old IS DISTINCT FROM new;
SELECT (SELECT count(*) FROM (SELECT deal_id, activity_id, changed_at, old_close_date, new_close_date FROM close_date_changes
                              EXCEPT ALL SELECT * FROM raw_close) x) AS only_in_view,
       (SELECT count(*) FROM (SELECT * FROM raw_close
                              EXCEPT ALL SELECT deal_id, activity_id, changed_at, old_close_date, new_close_date FROM close_date_changes) x) AS only_in_raw,
       (SELECT count(*) > 100 FROM close_date_changes) AS many;
SELECT o.name, c.changed_at, c.old_close_date, c.new_close_date
FROM close_date_changes c JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = c.deal_id
WHERE o.position IN (903, 905, 906) ORDER BY o.position, c.changed_at;

-- slippage in plain SQL: per deal and quarter, the moves with the old or
-- the new date in the quarter, in order
CREATE FUNCTION pg_temp.raw_slippage(unit text, len interval, since timestamptz, until timestamptz)
RETURNS TABLE (deal_id uuid, period_start date, moves int, days_moved int, net_days int, moved_out boolean, pulled_in boolean)
LANGUAGE sql AS $$
    WITH m AS (SELECT * FROM raw_close WHERE old IS NOT NULL AND new IS NOT NULL
                 AND at >= coalesce(since, '-infinity') AND at < coalesce(until, 'infinity')),
    p AS (SELECT DISTINCT deal_id, date_trunc(unit, d)::date AS ps FROM m, LATERAL (VALUES (old), (new)) v(d)),
    r AS (SELECT p.ps, (p.ps + len)::date AS pe, m.* FROM p JOIN m USING (deal_id)),
    rr AS (SELECT * FROM r WHERE old >= ps AND old < pe OR new >= ps AND new < pe),
    f AS (SELECT DISTINCT ON (deal_id, ps) deal_id, ps, old FROM rr ORDER BY deal_id, ps, at, id),
    l AS (SELECT DISTINCT ON (deal_id, ps) deal_id, ps, pe, new FROM rr ORDER BY deal_id, ps, at DESC, id DESC)
    SELECT s.deal_id, s.ps, s.moves, s.days, l.new - f.old,
           f.old >= s.ps AND f.old < l.pe AND NOT (l.new >= s.ps AND l.new < l.pe),
           NOT (f.old >= s.ps AND f.old < l.pe) AND l.new >= s.ps AND l.new < l.pe
    FROM (SELECT deal_id, ps, count(*)::int AS moves, sum(abs(new - old))::int AS days FROM rr GROUP BY 1, 2) s
    JOIN f USING (deal_id, ps) JOIN l USING (deal_id, ps)
$$;
SELECT count(*) FILTER (WHERE s IS DISTINCT FROM r) AS differ,
       count(*) FILTER (WHERE (s).moved_out) > 5 AS moved_out, count(*) FILTER (WHERE (s).pulled_in) > 5 AS pulled_in,
       count(*) FILTER (WHERE (s).moves > 1) > 5 AS several_moves
FROM slippage() s FULL JOIN pg_temp.raw_slippage('quarter', '3 months', NULL, NULL) r USING (deal_id, period_start);
SELECT count(*) FILTER (WHERE s IS DISTINCT FROM r) AS differ, count(*) > 20 AS many
FROM slippage('month', '2026-01-01', '2026-06-01') s
FULL JOIN pg_temp.raw_slippage('month', '1 month', '2026-01-01', '2026-06-01') r USING (deal_id, period_start);
SELECT o.name, s.period_start, s.moves, s.days_moved, s.net_days, s.moved_out, s.pulled_in
FROM slippage() s JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = s.deal_id
WHERE o.position > 900 ORDER BY o.position, s.period_start;
DO $$ BEGIN PERFORM * FROM twenty_funnel.slippage('fortnight');
EXCEPTION WHEN invalid_parameter_value THEN RAISE NOTICE 'slippage(''fortnight''): %', SQLSTATE; END $$;

-- coverage in plain SQL: won in the period, open pipeline closing in it,
-- and the deals needed per won deal: closed deals over those at the last
-- position reached, which is the won stage
SELECT count(*) FILTER (WHERE (c.won_amount, c.remaining, c.open_deals, c.open_amount, round(c.coverage, 9)) IS DISTINCT FROM
                              (r.won, greatest(r.target - r.won, 0), r.open_deals, r.open_amount,
                               round(r.open_amount / nullif(greatest(r.target - r.won, 0), 0), 9))) AS differ,
       count(*) FILTER (WHERE abs(c.required_coverage - r.required) > 1e-9
                           OR (c.required_coverage IS NULL) <> (r.required IS NULL)) AS required_differ,
       count(*) FILTER (WHERE c.remaining = 0) > 0 AS a_target_met,
       count(*) FILTER (WHERE c.coverage IS NULL) > 0 AS coverage_null,
       count(*) FILTER (WHERE c.coverage > 0) > 5 AS coverage_counted,
       count(*) FILTER (WHERE c.required_coverage IS NULL) AS no_won_deal,
       count(*) FILTER (WHERE c.required_coverage > 1) > 5 AS required_above_one
FROM coverage c
JOIN (SELECT t.*,
             (SELECT coalesce(sum(o."amountAmountMicros"), 0) / 1e6 FROM workspace_3x9k2q1m7d0a.opportunity o
              WHERE o."deletedAt" IS NULL AND coalesce(o."ownerId", o."createdByWorkspaceMemberId") = t.seller_id
                AND o.stage = 'CUSTOMER'
                AND (SELECT max(r.at) FROM raw_entries r WHERE r.deal_id = o.id)::date BETWEEN t.period_start AND t.period_end) AS won,
             (SELECT count(*) FROM workspace_3x9k2q1m7d0a.opportunity o
              WHERE o."deletedAt" IS NULL AND coalesce(o."ownerId", o."createdByWorkspaceMemberId") = t.seller_id
                AND o.stage NOT IN ('CUSTOMER', 'LOST') AND o."closeDate"::date BETWEEN t.period_start AND t.period_end) AS open_deals,
             (SELECT coalesce(sum(o."amountAmountMicros"), 0) / 1e6 FROM workspace_3x9k2q1m7d0a.opportunity o
              WHERE o."deletedAt" IS NULL AND coalesce(o."ownerId", o."createdByWorkspaceMemberId") = t.seller_id
                AND o.stage NOT IN ('CUSTOMER', 'LOST') AND o."closeDate"::date BETWEEN t.period_start AND t.period_end) AS open_amount,
             (SELECT CASE WHEN count(*) FILTER (WHERE o.stage = 'CUSTOMER') > 0
                          THEN count(*)::float8 / count(*) FILTER (WHERE x.deepest = (SELECT max(y.deepest) FROM (
                                   SELECT max(p.position) AS deepest FROM workspace_3x9k2q1m7d0a.opportunity o2
                                   JOIN raw_entries r ON r.deal_id = o2.id JOIN pos p USING (stage_name)
                                   WHERE o2."deletedAt" IS NULL AND o2.stage IN ('CUSTOMER', 'LOST')
                                     AND coalesce(o2."ownerId", o2."createdByWorkspaceMemberId") = t.seller_id
                                   GROUP BY o2.id) y)) END
              FROM workspace_3x9k2q1m7d0a.opportunity o
              JOIN (SELECT r.deal_id, max(p.position) AS deepest FROM raw_entries r JOIN pos p USING (stage_name)
                    GROUP BY 1) x ON x.deal_id = o.id
              WHERE o."deletedAt" IS NULL AND o.stage IN ('CUSTOMER', 'LOST')
                AND coalesce(o."ownerId", o."createdByWorkspaceMemberId") = t.seller_id) AS required
      FROM sales_targets t) r USING (seller_id, period_start);

-- cohorts in plain SQL: counts and shares exact, the median days to win
-- within 0.4% of percentile_disc, the funnel's stopped counts the deals
-- per deepest position
SELECT count(*) FILTER (WHERE (c.deals, c.won, c.lost, c.open, c.win_rate, c.won_within_30, c.won_within_60, c.won_within_90)
                              IS DISTINCT FROM (r.deals, r.won, r.lost, r.open, r.won::float8 / r.deals,
                                                r.w30::float8 / r.deals, r.w60::float8 / r.deals, r.w90::float8 / r.deals)) AS differ,
       count(*) FILTER (WHERE abs(c.median_days_to_win - r.median) > 0.004 * r.median
                           OR (c.median_days_to_win IS NULL) <> (r.median IS NULL)) AS median_off,
       count(*) FILTER (WHERE (SELECT array_agg((f.position, f.reached, f.stopped)) FROM funnel_steps(c.conversion) f)
                              IS DISTINCT FROM (SELECT array_agg((f.position, f.reached, f.stopped)) FROM funnel_steps(r.conversion) f))
         AS funnel_differ,
       count(*) > 10 AS months, count(*) FILTER (WHERE r.w30 > 0) > 3 AS some_won_within_30
FROM cohorts c
JOIN (SELECT date_trunc('month', o."createdAt" AT TIME ZONE 'UTC')::date AS month, count(*) AS deals,
             count(*) FILTER (WHERE o.stage = 'CUSTOMER') AS won, count(*) FILTER (WHERE o.stage = 'LOST') AS lost,
             count(*) FILTER (WHERE o.stage NOT IN ('CUSTOMER', 'LOST')) AS open,
             count(*) FILTER (WHERE o.stage = 'CUSTOMER' AND x.last <= o."createdAt" + interval '30 days') AS w30,
             count(*) FILTER (WHERE o.stage = 'CUSTOMER' AND x.last <= o."createdAt" + interval '60 days') AS w60,
             count(*) FILTER (WHERE o.stage = 'CUSTOMER' AND x.last <= o."createdAt" + interval '90 days') AS w90,
             percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.last - o."createdAt")::float8 / 86400)
               FILTER (WHERE o.stage = 'CUSTOMER') AS median,
             funnel_conversion(stage(x.deepest)) AS conversion
      FROM workspace_3x9k2q1m7d0a.opportunity o
      JOIN (SELECT r.deal_id, max(r.at) AS last, max(p.position) AS deepest
            FROM raw_entries r LEFT JOIN pos p USING (stage_name) GROUP BY 1) x ON x.deal_id = o.id
      WHERE o."deletedAt" IS NULL GROUP BY 1) r USING (month);

-- forecast and stale deals
INSERT INTO forecast_categories VALUES ('PROPOSAL', 'best_case'), ('NEGOTIATION', 'commit');
WITH r AS (
    SELECT coalesce(o."ownerId", o."createdByWorkspaceMemberId") AS seller_id,
           date_trunc('month', o."closeDate" AT TIME ZONE 'UTC')::date AS month,
           CASE o.stage WHEN 'CUSTOMER' THEN 'closed' WHEN 'PROPOSAL' THEN 'best_case' WHEN 'NEGOTIATION' THEN 'commit'
                        ELSE 'pipeline' END AS category,
           count(*) AS deals, sum(o."amountAmountMicros" / 1e6) AS amount
    FROM workspace_3x9k2q1m7d0a.opportunity o WHERE o."deletedAt" IS NULL AND o.stage <> 'LOST'
    GROUP BY 1, 2, 3)
SELECT (SELECT count(*) FROM (SELECT seller_id, month, category, deals, amount FROM forecast EXCEPT SELECT * FROM r) x) AS only_in_view,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT seller_id, month, category, deals, amount FROM forecast) x) AS only_in_raw,
       (SELECT count(DISTINCT category) FROM forecast) AS categories;

INSERT INTO stale_thresholds VALUES ('NEW', 7), ('QUALIFIED', 14), ('MEETING', 21);
SELECT count(*) FILTER (WHERE s.stale IS DISTINCT FROM
         coalesce((SELECT d.last_stage_change_at + t.days * interval '1 day' < '2026-07-01' AND t.days > 0
                   FROM stale_thresholds t WHERE t.stage = s.stage_name), false)) AS stale_differ,
       count(*) FILTER (WHERE s.days_since_contact IS DISTINCT FROM
         floor(extract(epoch FROM '2026-07-01'::timestamptz - (SELECT max(r.at) FROM raw_contacts r WHERE r.deal_id = s.deal_id)) / 86400)::int)
         AS contact_days_differ,
       count(*) FILTER (WHERE s.stale) > 10 AS many_stale, count(*) FILTER (WHERE NOT s.stale) > 10 AS many_fresh,
       count(*) = (SELECT count(*) FROM deals WHERE status = 'open') AS every_open_deal
FROM stale_deals('2026-07-01') s JOIN deals d USING (deal_id);
SELECT sum(stale_deals) = (SELECT count(*) FROM stale_deals('2026-07-01') WHERE stale) AS counts_add_up,
       bool_and(stale_deals = 0) FILTER (WHERE stage_name IN ('PROPOSAL', 'NEGOTIATION')) AS no_threshold_never_stale
FROM stale_counts('2026-07-01');

-- ---------- a 2024 workspace: opportunityId, no ownerId, probability ----------
\set QUIET on
\set ECHO none
SET client_min_messages = warning;
\set funnel_schema twenty_funnel_2024
\set twenty_schema workspace_1p4o2l7d9x3c
\i integrations/twenty.sql
RESET client_min_messages;
\set QUIET off
\set ECHO all
\set QUIET on
-- the default options, the last won, no lost stage
SELECT stage_name, stage, is_won, is_lost FROM twenty_funnel_2024.stages ORDER BY stage;
-- the same history as the current workspace's copy of these deals
SELECT count(*) > 20 AS deals,
       (SELECT count(*) FROM (SELECT deal_id, activity_id, changed_at, old_stage, new_stage FROM twenty_funnel_2024.stage_changes
                              EXCEPT SELECT deal_id, activity_id, changed_at, old_stage, new_stage FROM twenty_funnel.stage_changes) x) AS stage_changes_differ,
       (SELECT count(*) FROM (SELECT * FROM twenty_funnel_2024.close_date_changes
                              EXCEPT SELECT * FROM twenty_funnel.close_date_changes) x) AS close_date_changes_differ,
       (SELECT count(*) FROM (SELECT * FROM twenty_funnel_2024.contacts
                              EXCEPT SELECT * FROM twenty_funnel.contacts) x) AS contacts_differ,
       (SELECT count(*) FROM (SELECT deal_id, stage_name, entered_at FROM twenty_funnel_2024.stage_entries
                              EXCEPT SELECT deal_id, stage_name, entered_at FROM twenty_funnel.stage_entries) x) AS entries_differ
FROM twenty_funnel_2024.deals;
-- the seller is the creator; probability read where it is a number 0..100
SELECT count(*) FILTER (WHERE d.seller_id IS DISTINCT FROM o."createdByWorkspaceMemberId") AS seller_differ,
       count(*) FILTER (WHERE d.status = 'lost') AS lost,
       count(*) FILTER (WHERE d.status = 'won') = count(*) FILTER (WHERE o.stage = 'CUSTOMER') AS won_is_customer,
       count(*) FILTER (WHERE d.probability IS DISTINCT FROM
                        (SELECT p.n FROM (VALUES ('0', 0), ('10', 10), ('50', 50), ('', NULL), ('0.5', 0.5), ('80 %', 80),
                                                 ('high', NULL), ('100', 100)) p(typed, n) WHERE p.typed = o.probability)) AS probability_differ,
       count(*) FILTER (WHERE d.probability IS NULL) > 0 AS some_not_a_number,
       count(*) FILTER (WHERE d.weighted_amount IS DISTINCT FROM round(d.amount * d.probability / 100, 2)) AS weighted_differ
FROM twenty_funnel_2024.deals d JOIN workspace_1p4o2l7d9x3c.opportunity o ON o.id = d.deal_id;

-- ---------- close dates in another time zone ----------
\set QUIET on
\set ECHO none
SET client_min_messages = warning;
\set funnel_schema twenty_funnel_ny
\set twenty_schema workspace_3x9k2q1m7d0a
\set twenty_tz America/New_York
\i integrations/twenty.sql
RESET client_min_messages;
\set QUIET off
\set ECHO all
\set QUIET on
-- a midnight UTC is the day before in New York; a plain date stays
SELECT o.name, c.old_close_date, c.new_close_date
FROM twenty_funnel_ny.close_date_changes c JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = c.deal_id
WHERE o.position = 905 ORDER BY c.changed_at;
SELECT count(*) FILTER (WHERE d.expected_closing IS DISTINCT FROM (o."closeDate" AT TIME ZONE 'America/New_York')::date) AS differ,
       count(*) FILTER (WHERE d.expected_closing <> (o."closeDate" AT TIME ZONE 'UTC')::date) > 100 AS other_days
FROM twenty_funnel_ny.deals d JOIN workspace_3x9k2q1m7d0a.opportunity o ON o.id = d.deal_id;
RESET search_path;
