-- Generated data for the Odoo-shaped schema (test/odoo/schema.sql), written
-- as Odoo writes it: a lead's creation leaves no tracking value; every
-- stage change is a mail_message with a mail_tracking_value of
-- crm.lead.stage_id (old and new stage, at the change); winning moves to
-- the won stage at probability 100; losing archives the lead at
-- probability 0 with a lost reason and keeps its stage; a done activity is
-- a message carrying the activity's type (Meetings, whose type keeps done
-- activities, also stay as archived activities).  Other tracked fields,
-- notes and another model's stage changes are there to be ignored.  The
-- data ends before 2026-07-01, the tests' "now".
SET search_path = odoo;
SELECT setseed(0.1718) \gset

INSERT INTO res_company VALUES (1, 'Funnel Demo', 1);
INSERT INTO res_currency VALUES (1, 'EUR', '€');
INSERT INTO res_partner (id, name) SELECT g, 'Partner ' || g FROM generate_series(1, 40) g;
INSERT INTO res_users (id, login, partner_id, company_id, active, share)
SELECT g, 'user' || g, g, 1, true, false FROM generate_series(1, 13) g;

INSERT INTO crm_team (id, name, sequence, active, company_id, user_id, use_leads, use_opportunities, invoiced_target) VALUES
    (1, '{"en_US": "Direct"}', 10, true, 1, 2, true, true, 50000),
    (2, '{"en_US": "Partners"}', 20, true, 1, 6, true, true, 30000),
    (3, '{"en_US": "Enterprise"}', 30, true, 1, 10, true, true, 80000);
INSERT INTO crm_team_member (crm_team_id, user_id, active)
SELECT 1 + (u - 2) / 4, u, true FROM generate_series(2, 13) u
UNION ALL SELECT 2, 5, false;

INSERT INTO crm_stage (id, name, sequence, is_won, rotting_threshold_days, fold) VALUES
    (1, '{"en_US": "New", "fr_FR": "Nouveau"}', 1, false, 7, false),
    (2, '{"en_US": "Qualified", "fr_FR": "Qualifié"}', 2, false, 14, false),
    (3, '{"en_US": "Proposition", "fr_FR": "Proposition"}', 3, false, 21, false),
    (4, '{"en_US": "Negotiation", "fr_FR": "Négociation"}', 4, false, 0, false),
    (5, '{"en_US": "Won", "fr_FR": "Gagné"}', 70, true, 0, false);
INSERT INTO crm_lost_reason (id, name) VALUES
    (1, '{"en_US": "Too expensive"}'), (2, '{"en_US": "We don''t have people/skills"}'), (3, '{"en_US": "Not enough stock"}');

INSERT INTO ir_model (id, model, name) VALUES
    (1, 'crm.lead', '{"en_US": "Lead"}'), (2, 'res.partner', '{"en_US": "Contact"}'), (3, 'project.task', '{"en_US": "Task"}');
INSERT INTO ir_model_fields (id, name, model, model_id, field_description, ttype, relation) VALUES
    (101, 'stage_id', 'crm.lead', 1, '{"en_US": "Stage"}', 'many2one', 'crm.stage'),
    (102, 'probability', 'crm.lead', 1, '{"en_US": "Probability"}', 'float', NULL),
    (103, 'user_id', 'crm.lead', 1, '{"en_US": "Salesperson"}', 'many2one', 'res.users'),
    (104, 'active', 'crm.lead', 1, '{"en_US": "Active"}', 'boolean', NULL),
    (105, 'stage_id', 'project.task', 3, '{"en_US": "Stage"}', 'many2one', 'project.task.type'),
    (106, 'date_deadline', 'crm.lead', 1, '{"en_US": "Expected Closing"}', 'date', NULL);
INSERT INTO mail_message_subtype (id, name, res_model, internal) VALUES
    (1, '{"en_US": "Note"}', NULL, true), (2, '{"en_US": "Activities"}', NULL, true),
    (3, '{"en_US": "Opportunity Created"}', 'crm.lead', false), (4, '{"en_US": "Stage Changed"}', 'crm.lead', false),
    (5, '{"en_US": "Opportunity Won"}', 'crm.lead', false), (6, '{"en_US": "Opportunity Lost"}', 'crm.lead', false);
INSERT INTO ir_model_data (module, name, model, res_id) VALUES
    ('mail', 'mt_note', 'mail.message.subtype', 1), ('mail', 'mt_activities', 'mail.message.subtype', 2),
    ('crm', 'mt_lead_create', 'mail.message.subtype', 3), ('crm', 'mt_lead_stage', 'mail.message.subtype', 4),
    ('crm', 'mt_lead_won', 'mail.message.subtype', 5), ('crm', 'mt_lead_lost', 'mail.message.subtype', 6);

INSERT INTO mail_activity_type (id, name, sequence, delay_count, delay_unit, delay_from, category, keep_done, res_model) VALUES
    (1, '{"en_US": "Email", "fr_FR": "E-mail"}', 5, 0, 'days', 'previous_activity', 'default', false, NULL),
    (2, '{"en_US": "Call", "fr_FR": "Appel"}', 6, 2, 'days', 'previous_activity', 'phonecall', false, NULL),
    (3, '{"en_US": "Meeting", "fr_FR": "Réunion"}', 3, 0, 'days', 'previous_activity', 'meeting', true, NULL),
    (4, '{"en_US": "To-Do", "fr_FR": "À faire"}', 4, 5, 'days', 'previous_activity', 'default', false, NULL);
INSERT INTO mail_activity_plan (id, name, company_id, active, res_model_id, res_model) VALUES
    (1, 'Qualification', 1, true, 1, 'crm.lead'), (2, 'Closing', 1, true, 1, 'crm.lead'),
    (3, 'Onboarding', 1, true, 2, 'res.partner'), (4, 'Old plan', 1, false, 1, 'crm.lead');
INSERT INTO mail_activity_plan_template (plan_id, sequence, activity_type_id, delay_count, delay_unit, delay_from, summary, responsible_type) VALUES
    (1, 10, 2, 0, 'days', 'after_plan_date', 'Discovery call', 'on_demand'),
    (1, 20, 1, 2, 'days', 'after_plan_date', 'Send the brochure', 'on_demand'),
    (1, 20, 3, 7, 'days', 'after_plan_date', 'Demo meeting', 'on_demand'),
    (2, 10, 3, 0, 'days', 'after_plan_date', 'Negotiation meeting', 'on_demand'),
    (2, 30, 4, 3, 'days', 'after_plan_date', 'Prepare the contract', 'on_demand'),
    (2, 20, 1, 1, 'days', 'after_plan_date', 'Send the quote', 'on_demand'),
    (3, 10, 1, 0, 'days', 'after_plan_date', 'Welcome', 'on_demand'),
    (4, 10, 4, 0, 'days', 'after_plan_date', 'Retired', 'on_demand');

INSERT INTO gamification_goal_definition (id, name, computation_mode, model_id, field_id, condition, batch_mode) VALUES
    (1, '{"en_US": "Won revenue"}', 'sum', 1, NULL, 'higher', true),
    (2, '{"en_US": "New opportunities"}', 'count', 1, NULL, 'higher', true);
INSERT INTO gamification_goal (definition_id, user_id, start_date, end_date, target_goal, current, state)
SELECT d, u, m::date, (m + interval '1 month - 1 day')::date,
       CASE d WHEN 1 THEN 12000 ELSE 10 END,
       round((CASE d WHEN 1 THEN 15000 ELSE 14 END * random())::numeric, 2),
       CASE WHEN m = '2026-06-01' THEN 'inprogress' WHEN (u + d) % 17 = 0 THEN 'canceled' ELSE 'failed' END
FROM generate_series(1, 2) d, generate_series(2, 13) u,
     generate_series(timestamp '2026-01-01', '2026-06-01', interval '1 month') m;
UPDATE gamification_goal SET state = 'reached' WHERE state = 'failed' AND current >= target_goal;

-- the leads and their histories
CREATE FUNCTION pg_temp.stage_name(id int) RETURNS varchar LANGUAGE sql AS
    $$ SELECT name ->> 'en_US' FROM odoo.crm_stage WHERE crm_stage.id = $1 $$;
CREATE FUNCTION pg_temp.message(lead int, at timestamp, author int, subtype int, kind varchar,
                                activity_type int DEFAULT NULL) RETURNS int LANGUAGE sql AS $$
    INSERT INTO odoo.mail_message (date, model, res_id, message_type, subtype_id, author_id, mail_activity_type_id,
                                   body, create_date, write_date)
    VALUES (at, 'crm.lead', lead, kind, subtype, author, activity_type, '', at, at) RETURNING id
$$;
CREATE FUNCTION pg_temp.change_stage(lead int, at timestamp, author int, old_stage int, new_stage int, won boolean)
RETURNS void LANGUAGE sql AS $$
    WITH m AS (SELECT pg_temp.message(lead, at, author, CASE WHEN won THEN 5 ELSE 4 END, 'notification') AS id)
    INSERT INTO odoo.mail_tracking_value (field_id, old_value_integer, new_value_integer, old_value_char, new_value_char,
                                          mail_message_id, create_date, write_date)
    SELECT 101, old_stage, new_stage, pg_temp.stage_name(old_stage), pg_temp.stage_name(new_stage), m.id, at, at FROM m
    UNION ALL
    -- the probability is tracked in the same message
    SELECT 102, NULL, NULL, NULL, NULL, m.id, at, at FROM m WHERE won OR random() < 0.3
$$;

DO $gen$
DECLARE
    now_ timestamp := '2026-07-01 00:00';
    probability_of float8[] := '{10, 30, 60, 80, 100}';
    lead int;
    seller int;
    created timestamp;
    t timestamp;
    stage int;
    next_stage int;
    r float8;
    outcome text;
    changed timestamp;
    closed timestamp;
    k int;
BEGIN
    FOR lead IN 1 .. 1500 LOOP
        seller := 2 + lead % 12;
        created := timestamp '2025-07-01' + random() * interval '360 days';
        t := created;
        stage := 1;
        outcome := 'open';
        changed := NULL;
        closed := NULL;
        PERFORM pg_temp.message(lead, created, seller, 3, 'notification');
        LOOP
            -- a few changes land within the same second as the one before
            t := t + CASE WHEN random() < 0.03 THEN random() * interval '1 second'
                          ELSE random() * interval '25 days' END;
            EXIT WHEN t >= now_;
            r := random();
            IF r < 0.07 THEN
                outcome := 'lost';
                closed := t;
                INSERT INTO mail_tracking_value (field_id, mail_message_id, old_value_integer, new_value_integer, create_date)
                SELECT 104, pg_temp.message(lead, t, seller, 6, 'notification'), 1, 0, t;
                EXIT;
            ELSIF r < 0.17 AND stage >= 3 THEN
                outcome := 'won';
                next_stage := 5;
            ELSIF r < 0.25 AND stage > 1 THEN
                next_stage := stage - 1;
            ELSIF r < 0.80 AND stage < 4 THEN
                next_stage := stage + 1;
            ELSIF r < 0.88 THEN
                EXIT;
            ELSE
                CONTINUE;
            END IF;
            PERFORM pg_temp.change_stage(lead, t, seller, stage, next_stage, outcome = 'won');
            stage := next_stage;
            changed := t;
            IF outcome = 'won' THEN
                closed := t;
                EXIT;
            END IF;
        END LOOP;
        INSERT INTO crm_lead (id, name, user_id, team_id, company_id, active, type, priority, stage_id,
                              expected_revenue, probability, automated_probability, prorated_revenue,
                              date_closed, date_last_stage_update, date_deadline, won_status, lost_reason_id,
                              create_date, write_date, partner_id)
        VALUES (lead, 'Opportunity ' || lead, seller, 1 + (seller - 2) / 4, 1, outcome <> 'lost',
                CASE WHEN lead % 10 = 0 THEN 'lead' ELSE 'opportunity' END, (lead % 4)::varchar, stage,
                round((500 + random() * 20000)::numeric, 2),
                CASE outcome WHEN 'lost' THEN 0 ELSE probability_of[stage] END,
                CASE outcome WHEN 'lost' THEN 0 ELSE probability_of[stage] END, NULL,
                closed, coalesce(changed, created), (created + (30 + floor(random() * 120)) * interval '1 day')::date,
                CASE outcome WHEN 'open' THEN 'pending' ELSE outcome END,
                CASE WHEN outcome = 'lost' THEN 1 + lead % 3 END,
                created, coalesce(closed, changed, created), 14 + lead % 27);
        -- done activities: a message with the type; Meetings are also kept, archived
        FOR k IN 1 .. floor(random() * 7)::int LOOP
            t := created + random() * (least(coalesce(closed, now_), now_) - created);
            r := random();
            PERFORM pg_temp.message(lead, t, CASE WHEN r < 0.1 THEN 1 ELSE seller END, 2, 'notification',
                                    1 + floor(random() * 4)::int);
        END LOOP;
        -- notes and e-mails are messages too, but not contacts
        IF random() < 0.5 THEN
            PERFORM pg_temp.message(lead, created + interval '1 hour', seller, 1, 'comment');
        END IF;
        -- activities still to do on open leads
        IF outcome = 'open' THEN
            FOR k IN 1 .. floor(random() * 3)::int LOOP
                INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id, summary, date_deadline,
                                           user_id, active, create_date)
                VALUES (1, 'crm.lead', lead, 1 + floor(random() * 4)::int, 'Follow up',
                        (now_ + (floor(random() * 20) - 10) * interval '1 day')::date, seller, true, now_ - interval '20 days');
            END LOOP;
        END IF;
    END LOOP;
END
$gen$;
INSERT INTO mail_activity (res_model_id, res_model, res_id, activity_type_id, summary, date_deadline, date_done,
                           user_id, active, create_date)
SELECT 1, 'crm.lead', m.res_id, m.mail_activity_type_id, 'Meeting', m.date::date, m.date::date,
       coalesce(u.id, 2), false, m.date - interval '3 days'
FROM mail_message m LEFT JOIN res_users u ON u.partner_id = m.author_id
WHERE m.mail_activity_type_id = 3;
UPDATE crm_lead SET prorated_revenue = round(expected_revenue * probability::numeric / 100, 2);
UPDATE crm_lead SET date_closed = NULL WHERE won_status = 'pending';

-- three leads with histories that need care:
-- 1501 moved out of its first stage in the transaction that created it (an
--      on-creation rule): a tracking value at its create_date;
-- 1502 has two changes at one moment whose order (by id) is not the order
--      of their stages' positions;
-- 1503 went through a stage deleted since (id 99: its tracking values stay)
INSERT INTO crm_lead (id, name, user_id, team_id, company_id, active, type, priority, stage_id,
                      expected_revenue, probability, automated_probability, prorated_revenue,
                      date_closed, date_last_stage_update, date_deadline, won_status, create_date, write_date, partner_id)
VALUES (1501, 'Created and moved', 2, 1, 1, true, 'opportunity', '1', 2, 1000, 30, 30, 300,
        NULL, '2026-03-01 09:00', '2026-08-01', 'pending', '2026-02-01 10:00', '2026-03-01 09:00', 14),
       (1502, 'Two changes at once', 3, 1, 1, true, 'opportunity', '1', 2, 2000, 30, 30, 600,
        NULL, '2026-02-10 12:00', '2026-08-01', 'pending', '2026-02-05 08:00', '2026-02-10 12:00', 15),
       (1503, 'Through a deleted stage', 4, 1, 1, true, 'opportunity', '1', 2, 3000, 30, 30, 900,
        NULL, '2026-03-01 11:00', '2026-08-01', 'pending', '2026-01-15 08:00', '2026-03-01 11:00', 16);
DO $$
BEGIN
    PERFORM pg_temp.change_stage(1501, '2026-02-01 10:00', 2, 3, 1, false);
    PERFORM pg_temp.change_stage(1501, '2026-03-01 09:00', 2, 1, 2, false);
    PERFORM pg_temp.change_stage(1502, '2026-02-10 12:00', 3, 1, 4, false);
    PERFORM pg_temp.change_stage(1502, '2026-02-10 12:00', 3, 4, 2, false);
    PERFORM pg_temp.change_stage(1503, '2026-02-01 08:00', 4, 1, 99, false);
    PERFORM pg_temp.change_stage(1503, '2026-03-01 11:00', 4, 99, 2, false);
END
$$;

-- the expected closing date, tracked as Odoo tracks a date field when a
-- module adds tracking=True to date_deadline (stock Odoo does not): a
-- message with a tracking value whose old and new dates are the days at
-- midnight.  A third of the leads moved it 1 to 3 times while open, the
-- last move ending on its current date_deadline, mostly later, some
-- earlier; a few first set it (old NULL).  No random(): the moves follow
-- from the lead's id and dates.
CREATE FUNCTION pg_temp.track_deadline(lead int, at timestamp, old_date date, new_date date) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO odoo.mail_tracking_value (field_id, old_value_datetime, new_value_datetime, mail_message_id,
                                          create_date, write_date)
    VALUES (106, old_date, new_date,
            pg_temp.message(lead, at, (SELECT user_id FROM odoo.crm_lead WHERE id = lead), 1, 'notification'), at, at)
$$;
SELECT count(pg_temp.track_deadline(id, at, old_date, new_date))
FROM (
    SELECT id, k, n,
           create_date + (least(coalesce(date_closed, '2026-07-01'), '2026-07-01') - create_date) * (n - k + 1) / (n + 1) AS at,
           CASE WHEN k = n AND id % 30 = 0 THEN NULL
                ELSE date_deadline - sum(delta) OVER (PARTITION BY id ORDER BY k)::int END AS old_date,
           date_deadline - (sum(delta) OVER (PARTITION BY id ORDER BY k) - delta)::int AS new_date
    FROM (SELECT l.id, l.create_date, l.date_closed, l.date_deadline, 1 + l.id / 3 % 3 AS n, k,
                 CASE WHEN (l.id * 7 + k * 13) % 61 = 20 THEN 5 ELSE (l.id * 7 + k * 13) % 61 - 20 END AS delta
          FROM crm_lead l, generate_series(1, 3) k
          WHERE l.id % 3 = 0 AND l.id <= 1500 AND k <= 1 + l.id / 3 % 3) moves
    ORDER BY id, k DESC
) t \gset
-- and three that need care: 1501 moved its date three times within one
-- quarter's reach (out of Q3 2026 into Q4, then back); 1502 twice at one
-- moment (the tracking value's id orders them); 1503 set it, moved it out
-- of Q1, cleared it and set it again
DO $$
BEGIN
    PERFORM pg_temp.track_deadline(1501, '2026-02-02 10:00', '2026-07-10', '2026-09-30');
    PERFORM pg_temp.track_deadline(1501, '2026-02-15 10:00', '2026-09-30', '2026-10-15');
    PERFORM pg_temp.track_deadline(1501, '2026-02-20 10:00', '2026-10-15', '2026-08-01');
    PERFORM pg_temp.track_deadline(1502, '2026-02-10 12:00', '2026-06-30', '2026-07-31');
    PERFORM pg_temp.track_deadline(1502, '2026-02-10 12:00', '2026-07-31', '2026-08-01');
    PERFORM pg_temp.track_deadline(1503, '2026-01-20 09:00', NULL, '2026-03-15');
    PERFORM pg_temp.track_deadline(1503, '2026-02-10 09:00', '2026-03-15', '2026-05-20');
    PERFORM pg_temp.track_deadline(1503, '2026-02-20 09:00', '2026-05-20', NULL);
    PERFORM pg_temp.track_deadline(1503, '2026-03-01 09:00', NULL, '2026-08-01');
END
$$;

-- another model's stage changes, under the same res_ids: not the leads'
INSERT INTO mail_message (id, date, model, res_id, message_type, subtype_id)
VALUES (900001, '2026-01-10 10:00', 'project.task', 7, 'notification', NULL);
INSERT INTO mail_tracking_value (field_id, old_value_integer, new_value_integer, mail_message_id, create_date)
VALUES (105, 1, 2, 900001, '2026-01-10 10:00');
SELECT setval(pg_get_serial_sequence('odoo.crm_lead', 'id'), 1503) \gset
ANALYZE;
RESET search_path;
