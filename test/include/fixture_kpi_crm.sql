-- Test fixture: a tiny CRM in schema crm with the layout of the sample
-- dataset (test/sample/crm.sql), small enough to check every KPI by hand.
-- "Now" is 2026-01-12 18:00 UTC (a Monday).  Drop with DROP SCHEMA crm CASCADE.
CREATE SCHEMA crm;
CREATE FUNCTION crm.as_of() RETURNS timestamptz LANGUAGE sql IMMUTABLE
    AS $$SELECT timestamptz '2026-01-12 18:00:00+00'$$;
CREATE FUNCTION crm.today() RETURNS date LANGUAGE sql IMMUTABLE
    AS $$SELECT date '2026-01-12'$$;
CREATE TABLE crm.teams (team_id int PRIMARY KEY, name text, funnel_id int);
CREATE TABLE crm.sellers (seller_id int PRIMARY KEY, team_id int, name text, hired_on date);
CREATE TABLE crm.funnel_stages (funnel_id int, stage stage, prescribed_chain text,
                                PRIMARY KEY (funnel_id, stage));
CREATE TABLE crm.deals (deal_id bigint PRIMARY KEY, funnel_id int, seller_id int,
                        created_at timestamptz, amount numeric(12,2), status text,
                        closed_at timestamptz);
CREATE TABLE crm.stage_history (deal_id bigint, stage stage, entered_at timestamptz,
                                left_at timestamptz, PRIMARY KEY (deal_id, entered_at));
CREATE TABLE crm.contacts (contact_id bigint PRIMARY KEY, deal_id bigint, seller_id int,
                           kind text, at timestamptz);
CREATE TABLE crm.indicators (indicator text PRIMARY KEY, kind text);
CREATE TABLE crm.daily_plans (seller_id int, indicator text, day date, plan numeric,
                              actual numeric, PRIMARY KEY (seller_id, indicator, day));

INSERT INTO crm.teams VALUES (1, 'North', 1), (2, 'Юг', 1);
INSERT INTO crm.sellers VALUES (1, 1, 'Ann', '2024-01-01'), (2, 1, 'Bob', '2024-01-01'),
                               (3, 2, 'Вера', '2024-01-01');
INSERT INTO crm.funnel_stages VALUES
    (1, '1:lead', 'call > email'),
    (1, '2:qualified', 'call > meeting'),
    (1, '3:meeting', 'meeting > demo > follow-up'),
    (1, '4:proposal', 'proposal > call > follow-up'),
    (1, '5:negotiation', 'call > meeting > email'),
    (1, '6:won', '');
INSERT INTO crm.deals VALUES
    (1, 1, 1, '2026-01-05 09:00+00', 1000, 'open', NULL),
    (2, 1, 1, '2026-01-05 09:00+00', 2000, 'lost', '2026-01-12 10:00+00'),
    (3, 1, 2, '2026-01-05 09:00+00', 3000, 'won', '2026-01-09 16:00+00'),
    (4, 1, 3, '2026-01-05 09:00+00', 4000, 'open', NULL);
INSERT INTO crm.stage_history VALUES
    -- deal 1 advances one stage at a time and is at 3:meeting now
    (1, '1:lead', '2026-01-05 09:00+00', '2026-01-06 10:00+00'),
    (1, '2:qualified', '2026-01-06 10:00+00', '2026-01-08 12:00+00'),
    (1, '3:meeting', '2026-01-08 12:00+00', NULL),
    -- deal 2 returns from 2:qualified to 1:lead and is lost
    (2, '1:lead', '2026-01-05 09:00+00', '2026-01-07 09:00+00'),
    (2, '2:qualified', '2026-01-07 09:00+00', '2026-01-09 09:00+00'),
    (2, '1:lead', '2026-01-09 09:00+00', '2026-01-12 10:00+00'),
    -- deal 3 skips 2:qualified and is won
    (3, '1:lead', '2026-01-05 09:00+00', '2026-01-06 09:00+00'),
    (3, '3:meeting', '2026-01-06 09:00+00', '2026-01-07 14:00+00'),
    (3, '4:proposal', '2026-01-07 14:00+00', '2026-01-09 16:00+00'),
    (3, '6:won', '2026-01-09 16:00+00', NULL),
    -- deal 4 is at 2:qualified now
    (4, '1:lead', '2026-01-05 09:00+00', '2026-01-06 10:00+00'),
    (4, '2:qualified', '2026-01-06 10:00+00', NULL);
INSERT INTO crm.contacts VALUES
    (1, 1, 1, 'call', '2026-01-05 10:00+00'),
    (2, 1, 1, 'email', '2026-01-05 15:00+00'),     -- effective: 1 -> 2 before contact 3
    (3, 1, 1, 'call', '2026-01-06 11:00+00'),
    (4, 1, 1, 'meeting', '2026-01-07 09:00+00'),   -- effective: 2 -> 3 before contact 5
    (5, 1, 1, 'meeting', '2026-01-08 13:00+00'),
    (6, 2, 1, 'call', '2026-01-05 11:00+00'),
    (7, 2, 1, 'email', '2026-01-06 10:00+00'),     -- effective: 1 -> 2
    (8, 2, 1, 'call', '2026-01-08 10:00+00'),      -- back to 1: not effective
    (9, 2, 1, 'call', '2026-01-12 09:00+00'),
    (10, 3, 2, 'call', '2026-01-05 09:30+00'),     -- effective: 1 -> 3 at the next contact's moment
    (11, 3, 2, 'meeting', '2026-01-06 09:00+00'),  -- at the moment of entering 3; effective: 3 -> 4
    (12, 3, 2, 'proposal', '2026-01-07 15:00+00'),
    (13, 3, 2, 'follow-up', '2026-01-08 10:00+00'), -- last contact; effective: won by as_of
    (14, 4, 3, 'call', '2026-01-05 12:00+00'),     -- same moment as 15, which comes later
    (15, 4, 2, 'call', '2026-01-05 12:00+00');     -- a colleague's call; effective: 1 -> 2
INSERT INTO crm.indicators VALUES ('calls', 'leading'), ('meetings', 'leading'),
                                  ('revenue', 'resulting');
-- six working days, 2026-01-05 .. 2026-01-09 and 2026-01-12 (today)
INSERT INTO crm.daily_plans
SELECT seller_id, indicator, d.day, plan, (actuals)[d.n]
FROM (VALUES (1, 'calls', 2, '{3,1,2,0,2,4}'::numeric[]),
             (1, 'meetings', 1, '{1,1,0,1,1,0}'),
             (1, 'revenue', 100, '{0,0,150,0,0,300}'),
             (2, 'calls', 2, '{2,2,2,2,2,2}'),
             (2, 'meetings', 1, '{1,1,1,1,1,2}'),
             (2, 'revenue', 100, '{100,100,100,100,100,100}'),
             (3, 'calls', 2, '{0,0,0,1,3,2}'),
             (3, 'meetings', 1, '{0,0,1,0,0,1}'),
             (3, 'revenue', 100, '{0,0,0,0,0,0}')) v(seller_id, indicator, plan, actuals),
     (VALUES (1, date '2026-01-05'), (2, '2026-01-06'), (3, '2026-01-07'), (4, '2026-01-08'),
             (5, '2026-01-09'), (6, '2026-01-12')) d(n, day);
