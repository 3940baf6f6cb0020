-- Generated data for the Twenty-shaped workspaces (test/twenty/schema.sql),
-- written as Twenty writes it (packages/twenty-server, see
-- docs/guides/twenty.md):
--  - the stage options as a team changed them: NEGOTIATION and LOST added
--    (appended to the options, so to the enum), SCREENING renamed
--    QUALIFIED; Twenty rebuilds the enum type for every change of options
--    (a new type, the column re-added at the table's end) and rewrites the
--    current values, never the history: changes before the rename say
--    SCREENING;
--  - opportunity.created rows with properties {} (current Twenty), or the
--    whole created record under "after" (Twenty before 2025) for deals
--    created before 2025-08-15;
--  - every update through the timeline repository's upsert: an update
--    with an empty diff writes nothing; an update of the same record with
--    the same name by the same member (or by no member) less than 10
--    minutes after an existing row's createdAt merges into it (first
--    before, last after; a key whose merged before and after are equal is
--    removed, so a round trip leaves no key and the row may end with
--    diff {}), keeping that row's happensAt and createdAt and setting
--    its updatedAt; else a new row, happensAt = createdAt = the change;
--  - close dates as ISO timestamps at midnight UTC (some as plain dates),
--    moved out, pulled in, several times, set and cleared, edited within
--    one day;
--  - soft-deleted opportunities (deletedAt), done and open tasks and notes
--    linked through taskTarget/noteTarget (some deleted), linked-note
--    rows and other objects' rows to be ignored.
-- Deterministic: setseed, loops in order, ids from counters.  The data
-- ends before 2026-07-01, the tests' "now".  The 2024 workspace gets a copy
-- of the early deals whose history has only the default options, with the
-- columns of then (opportunityId, no ownerId, probability).
SET timezone = 'UTC';
SELECT setseed(0.3131) \gset

CREATE FUNCTION pg_temp.tw_id(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT format('%s-0000-4000-8000-%s', lpad(kind::text, 8, '0'), lpad(n::text, 12, '0'))::uuid $$;
CREATE SEQUENCE pg_temp.tw_activity;
CREATE FUNCTION pg_temp.tw_next() RETURNS uuid LANGUAGE sql
    AS $$ SELECT pg_temp.tw_id(9, nextval('pg_temp.tw_activity')) $$;

-- "effectively equal" as objectRecordDiffMerge has it: null, '', [] and {}
-- are one value; else jsonb equality
CREATE FUNCTION pg_temp.tw_same(a jsonb, b jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR a IN ('null', '""', '[]', '{}') THEN 'null'::jsonb ELSE a END
         = CASE WHEN b IS NULL OR b IN ('null', '""', '[]', '{}') THEN 'null'::jsonb ELSE b END $$;
CREATE FUNCTION pg_temp.tw_merge(old jsonb, new jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('diff', coalesce(jsonb_object_agg(k, v), '{}'))
    FROM (SELECT coalesce(o.key, n.key) AS k,
                 CASE WHEN o.key IS NOT NULL AND n.key IS NOT NULL
                      THEN jsonb_build_object('before', o.value -> 'before', 'after', n.value -> 'after')
                      ELSE coalesce(n.value, o.value) END AS v
          FROM jsonb_each(coalesce(old -> 'diff', '{}')) o
          FULL JOIN jsonb_each(coalesce(new -> 'diff', '{}')) n ON n.key = o.key) m
    WHERE NOT pg_temp.tw_same(v -> 'before', v -> 'after') $$;

-- the timeline repository's upsert of an opportunity.updated event
CREATE FUNCTION pg_temp.tw_update(opp uuid, member uuid, at timestamptz, diff jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    recent record;
BEGIN
    IF diff IS NULL OR diff = '{}' THEN
        RETURN;
    END IF;
    SELECT id, properties INTO recent FROM workspace_3x9k2q1m7d0a."timelineActivity"
    WHERE "targetOpportunityId" = opp AND name = 'opportunity.updated'
      AND "workspaceMemberId" IS NOT DISTINCT FROM member AND "linkedRecordId" IS NULL
      AND "createdAt" > at - interval '10 minutes'
    ORDER BY "createdAt" DESC LIMIT 1;
    IF FOUND THEN
        UPDATE workspace_3x9k2q1m7d0a."timelineActivity"
        SET properties = pg_temp.tw_merge(recent.properties, jsonb_build_object('diff', diff)),
            "workspaceMemberId" = member, "updatedAt" = at
        WHERE id = recent.id;
    ELSE
        INSERT INTO workspace_3x9k2q1m7d0a."timelineActivity"
            (id, "happensAt", name, properties, "linkedRecordCachedName", "workspaceMemberId", "targetOpportunityId",
             "createdAt", "updatedAt")
        VALUES (pg_temp.tw_next(), at, 'opportunity.updated', jsonb_build_object('diff', diff), '', member, opp, at, at);
    END IF;
END $$;
CREATE FUNCTION pg_temp.tw_event(opp uuid, member uuid, at timestamptz, event text, props jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO workspace_3x9k2q1m7d0a."timelineActivity"
        (id, "happensAt", name, properties, "linkedRecordCachedName", "workspaceMemberId", "targetOpportunityId",
         "createdAt", "updatedAt")
    VALUES (pg_temp.tw_next(), at, event, props, '', member, opp, at, at) $$;
-- a stage or close date change as a diff
CREATE FUNCTION pg_temp.tw_diff(field text, before jsonb, after jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
    AS $$ SELECT jsonb_build_object(field, jsonb_build_object('before', before, 'after', after)) $$;
-- a close date as Twenty's API holds it: an ISO timestamp in UTC, or (some
-- rows) a plain date
CREATE FUNCTION pg_temp.tw_cd(d timestamptz, plain boolean DEFAULT false) RETURNS jsonb LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN plain THEN to_jsonb(to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD'))
                      ELSE to_jsonb(to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END $$;
-- the stage option at a pipeline step on a date: SCREENING until its
-- rename on 2026-03-01
CREATE FUNCTION pg_temp.tw_stage(step int, at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE step WHEN 1 THEN 'NEW'
                     WHEN 2 THEN CASE WHEN at < '2026-03-01' THEN 'SCREENING' ELSE 'QUALIFIED' END
                     WHEN 3 THEN 'MEETING' WHEN 4 THEN 'PROPOSAL' WHEN 5 THEN 'NEGOTIATION'
                     WHEN 6 THEN 'CUSTOMER' ELSE 'LOST' END $$;

SET search_path = workspace_3x9k2q1m7d0a;

-- the options today, as Twenty's enum migration leaves them: the column
-- renamed aside, the type renamed to _temp, a new type with the options in
-- their order, the column added again (at the table's end), the values
-- copied with renamed ones mapped, the old column and type dropped
ALTER TABLE opportunity RENAME COLUMN stage TO "stage_old_5b1c0f9e";
ALTER TYPE opportunity_stage_enum RENAME TO opportunity_stage_enum_temp;
CREATE TYPE opportunity_stage_enum AS ENUM ('NEW', 'QUALIFIED', 'MEETING', 'PROPOSAL', 'CUSTOMER', 'NEGOTIATION', 'LOST');
ALTER TABLE opportunity ADD COLUMN stage opportunity_stage_enum NOT NULL DEFAULT 'NEW';
UPDATE opportunity SET stage = CASE "stage_old_5b1c0f9e"::text WHEN 'SCREENING' THEN 'QUALIFIED'
                                    ELSE "stage_old_5b1c0f9e"::text END::opportunity_stage_enum;
ALTER TABLE opportunity DROP COLUMN "stage_old_5b1c0f9e";
DROP TYPE opportunity_stage_enum_temp;

INSERT INTO "workspaceMember" (id, "nameFirstName", "nameLastName", "userEmail", "userId", "createdAt", "updatedAt", "deletedAt")
SELECT pg_temp.tw_id(1, g), (ARRAY['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta'])[g],
       (ARRAY['Lovelace', 'Costa', 'Martin', 'Ivanov', 'Nowak', 'Haddad', 'Berg'])[g],
       lower((ARRAY['ada', 'bruno', 'chloe', 'dmitri', 'eva', 'farid', 'greta'])[g]) || '@example.com',
       pg_temp.tw_id(11, g), '2025-06-01', '2025-06-01',
       CASE WHEN g = 6 THEN timestamptz '2026-05-01' END
FROM generate_series(1, 7) g;
INSERT INTO company (id, name, "domainNamePrimaryLinkUrl", employees, "accountOwnerId", position, "createdAt", "updatedAt")
SELECT pg_temp.tw_id(2, g), 'Company ' || g, 'https://company' || g || '.example', 10 * g,
       pg_temp.tw_id(1, 1 + g % 6), g, '2025-06-01', '2025-06-01'
FROM generate_series(1, 30) g;
INSERT INTO person (id, "nameFirstName", "nameLastName", "emailsPrimaryEmail", "companyId", position, "createdAt", "updatedAt")
SELECT pg_temp.tw_id(3, g), 'First' || g, 'Last' || g, 'person' || g || '@example.com', pg_temp.tw_id(2, 1 + g % 30), g,
       '2025-06-01', '2025-06-01'
FROM generate_series(1, 60) g;

-- 300 opportunities, created 2025-07-01 to 2026-06-14, each walked
-- through the pipeline by its owner (or now and then another member, or
-- an API key: no member)
DO $$
DECLARE
    deal uuid; created timestamptz; t timestamptz; creator uuid; owner uuid; actor uuid;
    step int; next_step int; cd timestamptz; new_cd timestamptz; plain boolean; r float8; amount numeric;
    first_stage text; k int;
BEGIN
    FOR i IN 1..300 LOOP
        deal := pg_temp.tw_id(4, i);
        created := timestamptz '2025-07-01 08:00' + (i - 1) * interval '28 hours' + random() * interval '10 hours';
        creator := pg_temp.tw_id(1, 1 + floor(random() * 6)::int);
        r := random();
        owner := CASE WHEN r < 0.8 THEN creator WHEN r < 0.95 THEN pg_temp.tw_id(1, 1 + floor(random() * 6)::int) END;
        step := CASE WHEN random() < 0.85 THEN 1 ELSE 3 END;
        cd := CASE WHEN random() < 0.9 THEN date_trunc('day', created + (30 + floor(random() * 90)) * interval '1 day') END;
        amount := CASE WHEN random() < 0.93 THEN (5 + floor(random() * 95)) * 1000 * 1000000 END;
        plain := i % 10 = 3;
        first_stage := pg_temp.tw_stage(step, created);
        INSERT INTO opportunity (id, name, "amountAmountMicros", "amountCurrencyCode", "closeDate", position,
                                 "createdByWorkspaceMemberId", "createdByName", "pointOfContactId", "companyId", "ownerId",
                                 "createdAt", "updatedAt")
        VALUES (deal, 'Deal ' || i, amount, 'EUR', cd, i, creator, 'Member', pg_temp.tw_id(3, 1 + i % 60),
                pg_temp.tw_id(2, 1 + i % 30), owner, created, created);
        PERFORM pg_temp.tw_event(deal, creator, created, 'opportunity.created',
            CASE WHEN created < '2025-08-15'
                 THEN jsonb_build_object('after', jsonb_build_object('id', deal, 'name', 'Deal ' || i, 'stage', first_stage,
                          'closeDate', pg_temp.tw_cd(cd), 'amount', jsonb_build_object('amountMicros', amount, 'currencyCode', 'EUR')))
                 ELSE '{}' END);
        t := created;
        LOOP
            t := t + (1 + random() * 20) * interval '1 day';
            EXIT WHEN t >= '2026-06-30';
            r := random();
            actor := CASE WHEN r < 0.85 THEN coalesce(owner, creator)
                          WHEN r < 0.95 THEN pg_temp.tw_id(1, 1 + floor(random() * 6)::int) END;
            -- now and then a close date change on its own
            IF cd IS NOT NULL AND random() < 0.2 THEN
                r := random();
                new_cd := CASE WHEN r < 0.55 THEN cd + (15 + floor(random() * 45)) * interval '1 day'
                               WHEN r < 0.85 THEN cd - (5 + floor(random() * 25)) * interval '1 day'
                               ELSE cd + interval '7 hours' END;
                PERFORM pg_temp.tw_update(deal, actor, t, pg_temp.tw_diff('closeDate', pg_temp.tw_cd(cd, plain), pg_temp.tw_cd(new_cd, plain)));
                cd := new_cd;
                CONTINUE;
            END IF;
            r := random();
            IF r < 0.12 AND t >= '2025-10-01' THEN
                PERFORM pg_temp.tw_update(deal, actor, t, pg_temp.tw_diff('stage', to_jsonb(pg_temp.tw_stage(step, t)), '"LOST"'));
                step := 7;
                EXIT;
            ELSIF r < 0.2 THEN
                EXIT;   -- left open
            END IF;
            next_step := step + 1 + CASE WHEN step = 4 AND t < '2025-10-01' THEN 1 ELSE 0 END;
            PERFORM pg_temp.tw_update(deal, actor, t, pg_temp.tw_diff('stage', to_jsonb(pg_temp.tw_stage(step, t)),
                                                                      to_jsonb(pg_temp.tw_stage(next_step, t))));
            step := next_step;
            r := random();
            IF r < 0.1 AND step < 6 THEN
                -- a burst: a second move three minutes later, merged
                next_step := step + 1 + CASE WHEN step = 4 AND t < '2025-10-01' THEN 1 ELSE 0 END;
                PERFORM pg_temp.tw_update(deal, actor, t + interval '3 minutes',
                    pg_temp.tw_diff('stage', to_jsonb(pg_temp.tw_stage(step, t)), to_jsonb(pg_temp.tw_stage(next_step, t))));
                step := next_step;
            ELSIF r < 0.14 AND step < 6 THEN
                -- a move there and back within the window: merged away
                next_step := step + 1 + CASE WHEN step = 4 AND t < '2025-10-01' THEN 1 ELSE 0 END;
                PERFORM pg_temp.tw_update(deal, actor, t + interval '2 minutes',
                    pg_temp.tw_diff('stage', to_jsonb(pg_temp.tw_stage(step, t)), to_jsonb(pg_temp.tw_stage(next_step, t))));
                PERFORM pg_temp.tw_update(deal, actor, t + interval '4 minutes',
                    pg_temp.tw_diff('stage', to_jsonb(pg_temp.tw_stage(next_step, t)), to_jsonb(pg_temp.tw_stage(step, t))));
            ELSIF r < 0.3 AND cd IS NOT NULL THEN
                -- the close date moved with the stage, one minute later: one row
                new_cd := cd + (10 + floor(random() * 40)) * interval '1 day';
                PERFORM pg_temp.tw_update(deal, actor, t + interval '1 minute',
                    pg_temp.tw_diff('closeDate', pg_temp.tw_cd(cd, plain), pg_temp.tw_cd(new_cd, plain)));
                cd := new_cd;
            END IF;
            -- amounts and names change too, and are not stage changes
            IF random() < 0.15 THEN
                PERFORM pg_temp.tw_update(deal, actor, t + interval '1 day',
                    pg_temp.tw_diff('amount', jsonb_build_object('amountMicros', amount, 'currencyCode', 'EUR'),
                                    jsonb_build_object('amountMicros', amount + 1000000000, 'currencyCode', 'EUR')));
                amount := amount + 1000000000;
            END IF;
            EXIT WHEN step = 6;
        END LOOP;
        UPDATE opportunity
        SET stage = CASE pg_temp.tw_stage(step, t) WHEN 'SCREENING' THEN 'QUALIFIED' ELSE pg_temp.tw_stage(step, t) END::opportunity_stage_enum,
            "closeDate" = cd, "amountAmountMicros" = amount, "updatedAt" = least(t, '2026-06-30')
        WHERE id = deal;
        -- done and open tasks, notes
        FOR k IN 1..floor(random() * 4)::int LOOP
            t := created + (1 + random() * 60) * interval '1 day';
            CONTINUE WHEN t >= '2026-06-30';
            INSERT INTO task (id, title, "dueAt", status, "assigneeId", "createdByWorkspaceMemberId", "createdAt", "updatedAt", "deletedAt")
            VALUES (pg_temp.tw_id(5, i * 10 + k), (ARRAY['Call', 'Send proposal', 'Demo', 'Follow up'])[k], t + interval '2 days',
                    (ARRAY['DONE', 'DONE', 'TODO', 'IN_PROGRESS', 'DONE'])[1 + floor(random() * 5)::int]::task_status_enum,
                    coalesce(owner, creator), creator, t - interval '3 days', t,
                    CASE WHEN random() < 0.06 THEN t + interval '1 day' END);
            INSERT INTO "taskTarget" (id, "taskId", "targetOpportunityId", "createdAt", "updatedAt", "deletedAt")
            VALUES (pg_temp.tw_id(7, i * 10 + k), pg_temp.tw_id(5, i * 10 + k), deal, t - interval '3 days', t - interval '3 days',
                    CASE WHEN random() < 0.05 THEN t END);
            IF k = 2 THEN   -- the task also targets the deal's contact: not a second contact
                INSERT INTO "taskTarget" (id, "taskId", "targetPersonId", "createdAt", "updatedAt")
                VALUES (pg_temp.tw_id(7, 5000 + i), pg_temp.tw_id(5, i * 10 + k), pg_temp.tw_id(3, 1 + i % 60), t, t);
            END IF;
        END LOOP;
        FOR k IN 1..floor(random() * 3)::int LOOP
            t := created + (random() * 60) * interval '1 day';
            CONTINUE WHEN t >= '2026-06-30';
            INSERT INTO note (id, title, "createdByWorkspaceMemberId", "createdAt", "updatedAt", "deletedAt")
            VALUES (pg_temp.tw_id(6, i * 10 + k), 'Note ' || k, coalesce(owner, creator), t, t,
                    CASE WHEN random() < 0.06 THEN t + interval '1 day' END);
            INSERT INTO "noteTarget" (id, "noteId", "targetOpportunityId", "createdAt", "updatedAt")
            VALUES (pg_temp.tw_id(8, i * 10 + k), pg_temp.tw_id(6, i * 10 + k), deal, t, t);
            INSERT INTO "timelineActivity" (id, "happensAt", name, properties, "linkedRecordCachedName", "linkedRecordId",
                                            "workspaceMemberId", "targetOpportunityId", "createdAt", "updatedAt")
            VALUES (pg_temp.tw_next(), t, 'linked-note.created', '{}', 'Note ' || k, pg_temp.tw_id(6, i * 10 + k),
                    coalesce(owner, creator), deal, t, t);
        END LOOP;
        -- a few deals go to the trash
        IF random() < 0.05 THEN
            UPDATE opportunity SET "deletedAt" = least(t, timestamptz '2026-06-29') + interval '1 day' WHERE id = deal;
            PERFORM pg_temp.tw_event(deal, creator, least(t, timestamptz '2026-06-29') + interval '1 day', 'opportunity.deleted', '{}');
        END IF;
    END LOOP;
END $$;

-- a note on a company only, a person's update: not the deals'
INSERT INTO note (id, title, "createdAt", "updatedAt") VALUES (pg_temp.tw_id(6, 99999), 'Company note', '2026-02-01', '2026-02-01');
INSERT INTO "noteTarget" (id, "noteId", "targetCompanyId", "createdAt", "updatedAt")
VALUES (pg_temp.tw_id(8, 99999), pg_temp.tw_id(6, 99999), pg_temp.tw_id(2, 1), '2026-02-01', '2026-02-01');
INSERT INTO "timelineActivity" (id, "happensAt", name, properties, "workspaceMemberId", "targetPersonId", "createdAt", "updatedAt")
VALUES (pg_temp.tw_next(), '2026-02-01', 'person.updated', '{"diff": {"stage": {"before": "NEW", "after": "CUSTOMER"}}}',
        pg_temp.tw_id(1, 1), pg_temp.tw_id(3, 1), '2026-02-01', '2026-02-01');

-- the cases, written one by one (deals 901 to 912, member 1 Ada unless said)
INSERT INTO opportunity (id, name, "amountAmountMicros", "amountCurrencyCode", "closeDate", stage, position,
                         "createdByWorkspaceMemberId", "ownerId", "createdAt", "updatedAt", "deletedAt")
SELECT pg_temp.tw_id(4, n), c.name, 20000000000, 'EUR', c.cd, c.stage::opportunity_stage_enum, n,
       pg_temp.tw_id(1, 1), pg_temp.tw_id(1, 1), '2026-04-01 09:00', '2026-04-01 09:00', c.deleted
FROM (VALUES (901, 'merge window from the first write', timestamptz '2026-06-30', 'PROPOSAL', NULL::timestamptz),
             (902, 'round trip', '2026-06-30', 'QUALIFIED', NULL),
             (903, 'round trip and a close date', '2026-08-31', 'NEW', NULL),
             (904, 'two members', '2026-06-30', 'MEETING', NULL),
             (905, 'close date history', '2026-09-30', 'NEW', NULL),
             (906, 'close date set and cleared', '2026-06-15', 'NEW', NULL),
             (907, 'a removed option', '2026-06-30', 'MEETING', NULL),
             (908, 'created in 2024 style', '2026-06-30', 'MEETING', NULL),
             (909, 'in the trash', '2026-06-30', 'PROPOSAL', '2026-05-01'),
             (910, 'three moves in six minutes', '2026-06-30', 'PROPOSAL', NULL),
             (911, 'an API key', '2026-06-30', 'MEETING', NULL),
             (912, 'won by Farid', '2026-05-31', 'CUSTOMER', NULL)) c(n, name, cd, stage, deleted);
-- Farid (member 6, deleted since) owns 912
UPDATE opportunity SET "ownerId" = pg_temp.tw_id(1, 6), "createdByWorkspaceMemberId" = pg_temp.tw_id(1, 6)
WHERE id = pg_temp.tw_id(4, 912);
DO $$
BEGIN
PERFORM pg_temp.tw_event(pg_temp.tw_id(4, n), pg_temp.tw_id(1, 1), '2026-04-01 09:00', 'opportunity.created',
                         CASE WHEN n = 908 THEN '{"after": {"stage": "MEETING", "name": "created in 2024 style"}}'::jsonb ELSE '{}' END)
FROM generate_series(901, 912) n;
PERFORM pg_temp.tw_update(pg_temp.tw_id(4, deal), CASE WHEN member IS NOT NULL THEN pg_temp.tw_id(1, member) END, at,
                          pg_temp.tw_diff(field, before, after))
FROM (VALUES
    -- merged while less than 10 minutes after the row's first write (10:08),
    -- a new row at 10:12 though the last merge was 4 minutes before
    (901, 1, timestamptz '2026-04-06 10:00', 'stage', jsonb '"NEW"', jsonb '"QUALIFIED"'),
    (901, 1, '2026-04-06 10:08', 'stage', '"QUALIFIED"', '"MEETING"'),
    (901, 1, '2026-04-06 10:12', 'stage', '"MEETING"', '"PROPOSAL"'),
    -- there and back: the row stays, with diff {}
    (902, 1, '2026-04-07 11:00', 'stage', '"NEW"', '"QUALIFIED"'),
    (902, 1, '2026-04-07 11:03', 'stage', '"QUALIFIED"', '"NEW"'),
    (902, 1, '2026-04-20 15:00', 'stage', '"NEW"', '"QUALIFIED"'),
    -- there and back with a close date change between: only closeDate stays
    (903, 1, '2026-04-08 14:00', 'stage', '"NEW"', '"MEETING"'),
    (903, 1, '2026-04-08 14:02', 'closeDate', '"2026-06-30T00:00:00.000Z"', '"2026-08-31T00:00:00.000Z"'),
    (903, 1, '2026-04-08 14:05', 'stage', '"MEETING"', '"NEW"'),
    -- two members: two rows
    (904, 1, '2026-04-09 09:00', 'stage', '"NEW"', '"QUALIFIED"'),
    (904, 2, '2026-04-09 09:02', 'stage', '"QUALIFIED"', '"MEETING"'),
    -- out of Q2, an edit within one day, back into Q2, out again (plain dates)
    (905, 1, '2026-04-10 10:00', 'closeDate', '"2026-05-15T00:00:00.000Z"', '"2026-07-15T00:00:00.000Z"'),
    (905, 1, '2026-05-01 10:00', 'closeDate', '"2026-07-15T00:00:00.000Z"', '"2026-07-15T09:00:00.000Z"'),
    (905, 1, '2026-05-20 10:00', 'closeDate', '"2026-07-15T09:00:00.000Z"', '"2026-06-20T00:00:00.000Z"'),
    (905, 1, '2026-06-10 10:00', 'closeDate', '"2026-06-20"', '"2026-09-30"'),
    -- set, cleared, set again: no moves
    (906, 1, '2026-04-11 10:00', 'closeDate', 'null', '"2026-05-31T00:00:00.000Z"'),
    (906, 1, '2026-04-21 10:00', 'closeDate', '"2026-05-31T00:00:00.000Z"', 'null'),
    (906, 1, '2026-05-02 10:00', 'closeDate', 'null', '"2026-06-15T00:00:00.000Z"'),
    -- DEMO, an option removed since: Twenty put the deal back to NEW without a row
    (907, 1, '2026-04-02 10:00', 'stage', '"NEW"', '"DEMO"'),
    (907, 1, '2026-04-15 10:00', 'stage', '"NEW"', '"MEETING"'),
    (909, 1, '2026-04-03 10:00', 'stage', '"NEW"', '"PROPOSAL"'),
    (910, 1, '2026-04-04 10:00', 'stage', '"NEW"', '"QUALIFIED"'),
    (910, 1, '2026-04-04 10:03', 'stage', '"QUALIFIED"', '"MEETING"'),
    (910, 1, '2026-04-04 10:06', 'stage', '"MEETING"', '"PROPOSAL"'),
    (911, NULL, '2026-04-05 10:00', 'stage', '"NEW"', '"QUALIFIED"'),
    (911, NULL, '2026-04-05 10:01', 'stage', '"QUALIFIED"', '"MEETING"'),
    (912, 6, '2026-04-20 16:00', 'stage', '"NEW"', '"CUSTOMER"')
) c(deal, member, at, field, before, after)
ORDER BY at;
PERFORM pg_temp.tw_event(pg_temp.tw_id(4, 909), pg_temp.tw_id(1, 1), '2026-05-01', 'opportunity.deleted', '{}');
END $$;

-- ---------- the 2024 workspace: a copy of the early deals ----------
SET search_path = workspace_1p4o2l7d9x3c;
CREATE TEMP TABLE tw_copied AS
SELECT o.id FROM workspace_3x9k2q1m7d0a.opportunity o
WHERE o."createdAt" < '2025-09-01' AND o.stage::text IN ('NEW', 'QUALIFIED', 'MEETING', 'PROPOSAL', 'CUSTOMER')
  AND NOT EXISTS (SELECT FROM workspace_3x9k2q1m7d0a."timelineActivity" a
                  WHERE a."targetOpportunityId" = o.id
                    AND (a.properties -> 'diff' -> 'stage' ->> 'after' NOT IN ('NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER')
                         OR a.properties -> 'diff' -> 'stage' ->> 'before' NOT IN ('NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER')));
INSERT INTO "workspaceMember" (id, "nameFirstName", "nameLastName", "userEmail", "userId", "createdAt", "updatedAt", "deletedAt")
SELECT id, "nameFirstName", "nameLastName", "userEmail", "userId", "createdAt", "updatedAt", "deletedAt"
FROM workspace_3x9k2q1m7d0a."workspaceMember";
INSERT INTO company (id, name, "accountOwnerId", position, "createdAt", "updatedAt")
SELECT id, name, "accountOwnerId", position, "createdAt", "updatedAt" FROM workspace_3x9k2q1m7d0a.company;
INSERT INTO person (id, "nameFirstName", "nameLastName", "companyId", position, "createdAt", "updatedAt")
SELECT id, "nameFirstName", "nameLastName", "companyId", position, "createdAt", "updatedAt" FROM workspace_3x9k2q1m7d0a.person;
-- probability: free text, as people typed it
INSERT INTO opportunity (id, name, "amountAmountMicros", "amountCurrencyCode", "closeDate", stage, probability, position,
                         "createdByWorkspaceMemberId", "createdByName", "pointOfContactId", "companyId",
                         "createdAt", "updatedAt", "deletedAt")
SELECT o.id, o.name, o."amountAmountMicros", o."amountCurrencyCode", o."closeDate",
       replace(o.stage::text, 'QUALIFIED', 'SCREENING')::opportunity_stage_enum,
       (ARRAY['0', '10', '50', '', '0.5', '80 %', 'high', '100'])[1 + (o.position::int % 8)], o.position,
       o."createdByWorkspaceMemberId", o."createdByName", o."pointOfContactId", o."companyId",
       o."createdAt", o."updatedAt", o."deletedAt"
FROM workspace_3x9k2q1m7d0a.opportunity o JOIN tw_copied USING (id);
INSERT INTO "timelineActivity" (id, "happensAt", name, properties, "linkedRecordCachedName", "linkedRecordId",
                                "workspaceMemberId", "opportunityId", "createdAt", "updatedAt", "deletedAt")
SELECT a.id, a."happensAt", a.name, a.properties, a."linkedRecordCachedName", a."linkedRecordId",
       a."workspaceMemberId", a."targetOpportunityId", a."createdAt", a."updatedAt", a."deletedAt"
FROM workspace_3x9k2q1m7d0a."timelineActivity" a JOIN tw_copied c ON c.id = a."targetOpportunityId";
INSERT INTO task (id, title, "dueAt", status, "assigneeId", "createdByWorkspaceMemberId", "createdAt", "updatedAt", "deletedAt")
SELECT DISTINCT t.id, t.title, t."dueAt", t.status::text::task_status_enum, t."assigneeId", t."createdByWorkspaceMemberId",
       t."createdAt", t."updatedAt", t."deletedAt"
FROM workspace_3x9k2q1m7d0a.task t JOIN workspace_3x9k2q1m7d0a."taskTarget" tt ON tt."taskId" = t.id
JOIN tw_copied c ON c.id = tt."targetOpportunityId";
INSERT INTO "taskTarget" (id, "taskId", "personId", "opportunityId", "createdAt", "updatedAt", "deletedAt")
SELECT tt.id, tt."taskId", tt."targetPersonId", tt."targetOpportunityId", tt."createdAt", tt."updatedAt", tt."deletedAt"
FROM workspace_3x9k2q1m7d0a."taskTarget" tt JOIN task t ON t.id = tt."taskId";
INSERT INTO note (id, title, "createdByWorkspaceMemberId", "createdAt", "updatedAt", "deletedAt")
SELECT DISTINCT n.id, n.title, n."createdByWorkspaceMemberId", n."createdAt", n."updatedAt", n."deletedAt"
FROM workspace_3x9k2q1m7d0a.note n JOIN workspace_3x9k2q1m7d0a."noteTarget" nt ON nt."noteId" = n.id
JOIN tw_copied c ON c.id = nt."targetOpportunityId";
INSERT INTO "noteTarget" (id, "noteId", "opportunityId", "createdAt", "updatedAt", "deletedAt")
SELECT nt.id, nt."noteId", nt."targetOpportunityId", nt."createdAt", nt."updatedAt", nt."deletedAt"
FROM workspace_3x9k2q1m7d0a."noteTarget" nt JOIN note n ON n.id = nt."noteId";
DROP TABLE tw_copied;
RESET search_path;
