-- The sample CRM dataset: schema crm, one year of a sales department's work
-- (2025-07-01 .. 2026-06-30) in two funnels, generated deterministically.
-- Load with psql into a database where CREATE EXTENSION funnel was run:
--     psql -X -v ON_ERROR_STOP=1 -f test/sample/crm.sql
-- The layout is described in README.md ("The sample dataset").
--
-- Every random draw happens in one PL/pgSQL loop over ordered rows, after
-- setseed, so the data is the same on every run whatever the query plans.
-- Business time runs on a working clock: 11 working hours (08:00-19:00 UTC)
-- a day, Monday to Friday, so stage changes and contacts happen in office
-- hours while durations still range from minutes to months.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
-- funnel's types and functions wherever CREATE EXTENSION put them (its
-- SCHEMA option), for this script's session
SELECT set_config('search_path', format('%I, public', extnamespace::regnamespace), false) AS search_path
FROM pg_extension WHERE extname = 'funnel' \gset

DROP SCHEMA IF EXISTS crm CASCADE;
CREATE SCHEMA crm;
COMMENT ON SCHEMA crm IS 'sample CRM data for the funnel extension (test/sample/crm.sql)';

-- "now" of the dataset: demos and tests use these, never now()
CREATE FUNCTION crm.as_of() RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT timestamptz '2026-06-30 18:00:00+00'$$;
CREATE FUNCTION crm.today() RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT date '2026-06-30'$$;

CREATE TABLE crm.funnels (
    funnel_id int PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE crm.teams (
    team_id int PRIMARY KEY,
    name text NOT NULL,
    funnel_id int NOT NULL REFERENCES crm.funnels
);

CREATE TABLE crm.sellers (
    seller_id int PRIMARY KEY,
    team_id int NOT NULL REFERENCES crm.teams,
    name text NOT NULL,
    hired_on date NOT NULL
);

CREATE TABLE crm.funnel_stages (
    funnel_id int REFERENCES crm.funnels,
    stage stage,
    prescribed_chain text NOT NULL,
    PRIMARY KEY (funnel_id, stage)
);

CREATE TABLE crm.deals (
    deal_id bigint PRIMARY KEY,
    funnel_id int NOT NULL REFERENCES crm.funnels,
    seller_id int NOT NULL REFERENCES crm.sellers,
    created_at timestamptz NOT NULL,
    amount numeric(12,2) NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    closed_at timestamptz,
    CHECK ((status = 'open') = (closed_at IS NULL))
);

CREATE TABLE crm.stage_history (
    deal_id bigint REFERENCES crm.deals,
    stage stage NOT NULL,
    entered_at timestamptz,
    left_at timestamptz,
    PRIMARY KEY (deal_id, entered_at),
    CHECK (left_at >= entered_at)
);

CREATE TABLE crm.contacts (
    contact_id bigint PRIMARY KEY,
    deal_id bigint NOT NULL REFERENCES crm.deals,
    seller_id int NOT NULL REFERENCES crm.sellers,
    kind text NOT NULL,
    at timestamptz NOT NULL
);

CREATE TABLE crm.indicators (
    indicator text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('leading', 'resulting'))
);

CREATE TABLE crm.daily_plans (
    seller_id int REFERENCES crm.sellers,
    indicator text REFERENCES crm.indicators,
    day date,
    plan numeric NOT NULL CHECK (plan >= 0),
    actual numeric NOT NULL CHECK (actual >= 0),
    PRIMARY KEY (seller_id, indicator, day)
);

-- event_id is the order the events arrived in, which is not time order
CREATE TABLE crm.events (
    deal_id bigint NOT NULL REFERENCES crm.deals,
    at timestamptz NOT NULL,
    event text NOT NULL,
    event_id bigint PRIMARY KEY
);

INSERT INTO crm.funnels VALUES
    (1, 'B2B SaaS'),
    (2, 'Оптовые продажи');

INSERT INTO crm.teams VALUES
    (1, 'Enterprise', 1),
    (2, 'Inside Sales', 1),
    (3, 'Москва', 2),
    (4, 'Регионы', 2);

INSERT INTO crm.funnel_stages VALUES
    (1, '1:lead', 'call > email'),
    (1, '2:qualified', 'call > meeting'),
    (1, '3:meeting', 'meeting > demo > follow-up'),
    (1, '4:proposal', 'proposal > call > follow-up'),
    (1, '5:negotiation', 'call > meeting > email'),
    (1, '6:won', ''),
    (2, '1:заявка', 'звонок > письмо'),
    (2, '2:квалификация', '"звонок > повтор" > встреча'),
    (2, '3:встреча', 'встреча > презентация > письмо'),
    (2, '4:коммерческое предложение', 'КП > звонок'),
    (2, '5:договор', 'звонок > встреча > письмо'),
    (2, '6:оплата', '');

INSERT INTO crm.indicators VALUES
    ('calls', 'leading'),
    ('meetings', 'leading'),
    ('proposals_sent', 'leading'),
    ('deals_won', 'resulting'),
    ('revenue', 'resulting');

-- How each seller works; only the generator sees this.  conv scales the
-- step conversions, speed the time in stage, waste adds contacts beyond the
-- prescribed chain, adherence is the chance a contact is the next prescribed
-- one, rate is new deals per working day.  A buddy takes over a seller's
-- contacts during the seller's two-week vacation.
CREATE TEMP TABLE seller_profile (
    seller_id int, team_id int, name text, hired_on date,
    conv float8, speed float8, waste float8, adherence float8, rate float8,
    buddy int, vacation_from date
);
INSERT INTO seller_profile VALUES
    ( 1, 1, 'Alice Morgan',     '2022-03-14', 1.25, 1.2, 0.10, 0.95, 0.80,  2, '2026-02-16'),
    ( 2, 1, 'Brian Chen',       '2023-09-04', 1.05, 1.5, 0.30, 0.85, 0.80,  1, '2026-05-04'),
    ( 3, 1, 'Carla Diaz',       '2021-06-01', 1.15, 1.3, 0.20, 0.90, 0.90,  4, '2026-03-09'),
    ( 4, 1, 'David Okafor',     '2024-01-15', 0.90, 1.6, 0.50, 0.75, 0.70,  3, '2026-06-01'),
    ( 5, 1, 'Emma Novak',       '2024-11-04', 1.00, 1.1, 0.30, 0.85, 0.80,  6, '2026-04-20'),
    ( 6, 1, 'Frank Ito',        '2026-02-02', 0.80, 1.3, 0.80, 0.60, 0.60,  5, NULL),
    ( 7, 2, 'Grace Kim',        '2022-08-22', 1.10, 0.5, 0.20, 0.90, 1.40,  8, '2026-01-19'),
    ( 8, 2, 'Henry Walsh',      '2023-02-06', 0.95, 0.7, 0.60, 0.70, 1.30,  7, '2026-03-23'),
    ( 9, 2, 'Isabel Rossi',     '2024-05-13', 1.00, 0.6, 0.40, 0.80, 1.30, 10, '2026-05-18'),
    (10, 2, 'Jack Turner',      '2023-07-03', 0.70, 0.8, 1.60, 0.45, 1.50,  9, '2026-02-23'),
    (11, 2, 'Kate Lindqvist',   '2025-10-06', 0.85, 0.7, 0.70, 0.65, 1.10, 12, '2026-06-15'),
    (12, 2, 'Liam Byrne',       '2021-11-15', 1.20, 0.6, 0.15, 0.95, 1.20, 11, '2026-04-06'),
    (13, 3, 'Анна Смирнова',    '2020-02-10', 1.30, 0.9, 0.10, 0.95, 0.90, 14, '2026-05-04'),
    (14, 3, 'Борис Иванов',     '2022-10-03', 1.05, 1.0, 0.30, 0.85, 0.90, 13, '2026-02-09'),
    (15, 3, 'Вера Кузнецова',   '2023-04-17', 1.10, 0.8, 0.25, 0.90, 1.00, 16, '2026-03-16'),
    (16, 3, 'Григорий Попов',   '2021-09-06', 0.95, 1.2, 0.40, 0.80, 0.80, 15, '2026-06-08'),
    (17, 3, 'Дарья Соколова',   '2024-08-19', 1.00, 0.9, 0.35, 0.80, 0.90, 18, '2026-05-25'),
    (18, 3, 'Егор Лебедев',     '2026-04-13', 0.75, 1.1, 0.90, 0.55, 0.60, 17, NULL),
    (19, 4, 'Жанна Морозова',   '2022-05-23', 0.90, 1.3, 0.80, 0.60, 1.00, 20, '2026-01-26'),
    (20, 4, 'Игорь Волков',     '2023-11-13', 0.65, 1.6, 1.80, 0.35, 1.10, 19, '2026-04-13'),
    (21, 4, 'Ксения Павлова',   '2024-02-26', 0.80, 1.2, 1.00, 0.50, 1.00, 22, '2026-03-02'),
    (22, 4, 'Леонид Фёдоров',   '2021-03-01', 1.00, 1.0, 0.50, 0.75, 0.90, 21, '2026-06-01'),
    (23, 4, 'Мария Орлова',     '2024-10-07', 0.70, 1.4, 1.30, 0.45, 1.00, 24, '2026-02-16'),
    (24, 4, 'Никита Зайцев',    '2025-09-01', 0.60, 1.5, 1.50, 0.40, 0.90, 23, '2026-05-11');

INSERT INTO crm.sellers
SELECT seller_id, team_id, name, hired_on FROM seller_profile ORDER BY seller_id;

-- working clock -> wall clock: w working hours after Monday 2025-06-30 08:00,
-- 55 working hours a week, rounded to the second
CREATE FUNCTION pg_temp.wall(w float8) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE
    AS $$SELECT timestamptz '2025-06-30 00:00:00+00'
        + make_interval(days => (7 * floor(w / 55) + floor((w - 55 * floor(w / 55)) / 11))::int,
                        secs => 28800 + round((w - 55 * floor(w / 55)
                                               - 11 * floor((w - 55 * floor(w / 55)) / 11)) * 3600))$$;

CREATE TEMP TABLE gen_deal (deal_id bigint, seller_id int, funnel_id int, w float8, amount numeric,
                            status text, closed_w float8);
CREATE TEMP TABLE gen_visit (deal_id bigint, pos int, enter_w float8, leave_w float8);
CREATE TEMP TABLE gen_contact (n bigint, deal_id bigint, seller_id int, kind text, w float8);
CREATE TEMP TABLE gen_event (n bigint, deal_id bigint, w float8, offset_s int, event text, delay_s int);

DO $gen$
DECLARE
    w_asof constant float8 := 2881;     -- 2026-06-30 18:00 on the working clock
    -- per funnel (row) and position (column)
    base_conv constant float8[] := '{{0.60,0.62,0.68,0.62,0.75},{0.65,0.60,0.62,0.70,0.80}}';
    median_h constant float8[] := '{{10,40,70,90,110},{8,30,55,70,90}}';
    chains constant text[] := ARRAY[
        ['call|email', 'call|meeting', 'meeting|demo|follow-up', 'proposal|call|follow-up', 'call|meeting|email'],
        ['звонок|письмо', 'звонок > повтор|встреча', 'встреча|презентация|письмо', 'КП|звонок', 'звонок|встреча|письмо']];
    pool constant text[] := ARRAY[
        ['call', 'email', 'follow-up', 'meeting', 'demo', 'proposal'],
        ['звонок', 'письмо', 'звонок > повтор', 'встреча', 'презентация', 'КП']];
    pool_cum constant float8[] := '{0.35,0.65,0.80,0.90,0.95,1.0}';
    step_event constant text[] := '{created,qualified,meeting_held,proposal_sent,contract_signed,paid}';
    sp record;
    d record;
    day date;
    day_w float8;
    k int;
    i int;
    j int;
    p float8;
    u float8;
    z float8;
    -- generated rows, appended in place
    dl_seller int[] := '{}';
    dl_w float8[] := '{}';
    nd int := 0;
    v_deal bigint[] := '{}';
    v_pos int[] := '{}';
    v_enter float8[] := '{}';
    v_leave float8[] := '{}';
    nv int := 0;
    c_deal bigint[] := '{}';
    c_seller int[] := '{}';
    c_kind text[] := '{}';
    c_w float8[] := '{}';
    nc int := 0;
    e_deal bigint[] := '{}';
    e_w float8[] := '{}';
    e_off int[] := '{}';
    e_name text[] := '{}';
    e_delay int[] := '{}';
    ne int := 0;
    g_amount numeric[] := '{}';
    g_status text[] := '{}';
    g_closed float8[] := '{}';
    -- the deal being simulated
    pos int;
    nxt int;
    w float8;
    wl float8;
    dur float8;
    mult float8;
    returns int;
    chain text[];
    n int;
    spacing float8[];
    total float8;
    acc float8;
    kind text;
    status text;
    closed float8;
    life_end float8;
BEGIN
    PERFORM setseed(0.2025);

    -- 1. deals arrive on working days outside vacations, ~Poisson per seller
    FOR sp IN SELECT * FROM seller_profile ORDER BY seller_id LOOP
        FOR day IN
            SELECT g::date FROM generate_series(greatest(sp.hired_on, date '2025-07-01'),
                                                date '2026-06-30', interval '1 day') g
            WHERE extract(isodow FROM g) < 6
              AND (sp.vacation_from IS NULL OR g::date NOT BETWEEN sp.vacation_from AND sp.vacation_from + 11)
            ORDER BY 1
        LOOP
            day_w := 55 * ((day - date '2025-06-30') / 7) + 11 * ((day - date '2025-06-30') % 7);
            p := exp(-sp.rate * 1.1);
            k := 0;
            u := random();
            WHILE u > p LOOP
                k := k + 1;
                u := u * random();
            END LOOP;
            FOR i IN 1 .. k LOOP
                w := day_w + 11 * random();
                CONTINUE WHEN w >= w_asof;
                nd := nd + 1;
                dl_seller[nd] := sp.seller_id;
                dl_w[nd] := w;
            END LOOP;
        END LOOP;
    END LOOP;
    INSERT INTO gen_deal (deal_id, seller_id, funnel_id, w)
    SELECT row_number() OVER (ORDER BY x.w, x.seller_id), x.seller_id, t.funnel_id, x.w
    FROM unnest(dl_seller, dl_w) x(seller_id, w)
    JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id);

    -- 2. each deal walks the funnel until it is won, lost or still open
    FOR d IN
        SELECT g.deal_id, g.funnel_id AS f, g.w, pr.* FROM gen_deal g JOIN seller_profile pr USING (seller_id)
        ORDER BY g.deal_id
    LOOP
        z := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
        g_amount[d.deal_id] := CASE d.f
            WHEN 1 THEN greatest(500, round((9000 * CASE d.team_id WHEN 1 THEN 2.5 ELSE 1 END * exp(0.8 * z))::numeric, -2))
            ELSE greatest(5000, round((300000 * exp(0.9 * z))::numeric, -3)) END;
        pos := 1;
        w := d.w;
        returns := 0;
        status := 'open';
        closed := NULL;
        life_end := w_asof;
        ne := ne + 1;
        e_deal[ne] := d.deal_id; e_w[ne] := w; e_off[ne] := 0; e_name[ne] := 'created'; e_delay[ne] := 0;
        IF random() < 0.15 THEN     -- came from the web site: same timestamp
            ne := ne + 1;
            e_deal[ne] := d.deal_id; e_w[ne] := w; e_off[ne] := 0; e_name[ne] := 'site_visit'; e_delay[ne] := 0;
        END IF;
        LOOP
            IF pos = 6 THEN
                nv := nv + 1;
                v_deal[nv] := d.deal_id; v_pos[nv] := 6; v_enter[nv] := w; v_leave[nv] := w;
                status := 'won';
                closed := w;
                EXIT;
            END IF;
            -- what happens when the deal leaves this stage
            u := random();
            p := least(0.95, base_conv[d.f][pos] * d.conv);
            IF u < p THEN
                nxt := pos + 1;
                IF pos <= 4 AND random() < 0.06 THEN
                    nxt := pos + 2;
                END IF;
                mult := 1;
            ELSIF pos >= 3 AND returns < 2 AND u < p + 0.03 + 0.08 * (1 - d.adherence) THEN
                nxt := pos - 1;
                IF pos >= 4 AND random() < 0.3 THEN
                    nxt := pos - 2;
                END IF;
                returns := returns + 1;
                mult := 1.3;
            ELSE
                nxt := 0;           -- lost
                mult := 1.8;
            END IF;
            z := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
            dur := greatest(0.05, median_h[d.f][pos] * d.speed * mult * exp(1.25 * z));
            IF dur > 440 THEN       -- a long tail, but deals go stale: months, not years
                dur := 440 * (1 + ln(dur / 440));
            END IF;
            wl := w + dur;

            -- contacts at this stage: the prescribed chain, followed more or
            -- less faithfully, plus waste; those after the as-of moment have
            -- not happened yet
            chain := string_to_array(chains[d.f][pos], '|');
            z := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
            n := round((cardinality(chain) + 0.3 + d.waste * (cardinality(chain) + 1))
                       * exp(0.35 * z) * CASE WHEN nxt = 0 THEN 0.75 ELSE 1 END);
            n := least(n, 1 + floor(dur * 2)::int);
            IF n > 0 THEN
                -- sorted uniform times from exponential spacings, kept
                -- 1% away from the visit's ends
                total := 0;
                FOR i IN 1 .. n + 1 LOOP
                    spacing[i] := -ln(1 - random());
                    total := total + spacing[i];
                END LOOP;
                acc := 0;
                j := 1;
                FOR i IN 1 .. n LOOP
                    acc := acc + spacing[i];
                    IF j <= cardinality(chain) AND random() < d.adherence THEN
                        kind := chain[j];
                        j := j + 1;
                    ELSE
                        u := random();
                        k := 1;
                        WHILE pool_cum[k] < u LOOP
                            k := k + 1;
                        END LOOP;
                        kind := pool[d.f][k];
                    END IF;
                    EXIT WHEN w + dur * (0.01 + 0.98 * acc / total) >= w_asof;
                    nc := nc + 1;
                    c_deal[nc] := d.deal_id;
                    c_seller[nc] := d.seller_id;
                    c_kind[nc] := kind;
                    c_w[nc] := w + dur * (0.01 + 0.98 * acc / total);
                    IF kind IN ('email', 'письмо') AND random() < 0.6 THEN
                        z := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
                        ne := ne + 1;
                        e_deal[ne] := d.deal_id; e_w[ne] := c_w[nc];
                        e_off[ne] := round(60 * exp(3 + 1.5 * z));
                        e_name[ne] := 'email_opened'; e_delay[ne] := 0;
                    END IF;
                END LOOP;
            END IF;

            IF wl >= w_asof THEN
                nv := nv + 1;
                v_deal[nv] := d.deal_id; v_pos[nv] := pos; v_enter[nv] := w; v_leave[nv] := NULL;
                EXIT;
            END IF;
            nv := nv + 1;
            v_deal[nv] := d.deal_id; v_pos[nv] := pos; v_enter[nv] := w; v_leave[nv] := wl;
            IF nxt = 0 THEN
                status := 'lost';
                closed := wl;
                EXIT;
            END IF;

            -- the step event of the next stage; a skipped stage is sometimes
            -- logged at the same moment (moved across two columns at once);
            -- a few events carry clock skew or arrive days late
            IF nxt = pos + 2 AND random() < 0.5 THEN
                ne := ne + 1;
                e_deal[ne] := d.deal_id; e_w[ne] := wl; e_off[ne] := 0;
                e_name[ne] := step_event[pos + 1]; e_delay[ne] := 0;
            END IF;
            ne := ne + 1;
            e_deal[ne] := d.deal_id; e_w[ne] := wl; e_name[ne] := step_event[nxt];
            e_off[ne] := CASE WHEN random() < 0.02 THEN -1 - floor(1800 * random())::int ELSE 0 END;
            e_delay[ne] := CASE WHEN random() < 0.03 THEN 86400 + floor(4 * 86400 * random())::int ELSE 0 END;
            pos := nxt;
            w := wl;
        END LOOP;
        g_status[d.deal_id] := status;
        g_closed[d.deal_id] := closed;

        -- site visits somewhere in the deal's life
        life_end := coalesce(closed, w_asof);
        u := random();
        p := exp(-1.0);
        WHILE u > p LOOP
            ne := ne + 1;
            e_deal[ne] := d.deal_id; e_w[ne] := d.w + (life_end - d.w) * random(); e_off[ne] := 0;
            e_name[ne] := 'site_visit'; e_delay[ne] := 0;
            u := u * random();
        END LOOP;
    END LOOP;

    UPDATE gen_deal g SET amount = x.amount, status = x.status, closed_w = x.closed
    FROM unnest(g_amount, g_status, g_closed) WITH ORDINALITY x(amount, status, closed, deal_id)
    WHERE g.deal_id = x.deal_id;
    INSERT INTO gen_visit SELECT * FROM unnest(v_deal, v_pos, v_enter, v_leave);
    INSERT INTO gen_contact SELECT x.n, x.deal_id, x.seller_id, x.kind, x.w
    FROM unnest(c_deal, c_seller, c_kind, c_w) WITH ORDINALITY x(deal_id, seller_id, kind, w, n);
    INSERT INTO gen_event SELECT x.n, x.deal_id, x.w, x.off, x.name, x.delay
    FROM unnest(e_deal, e_w, e_off, e_name, e_delay) WITH ORDINALITY x(deal_id, w, off, name, delay, n);
END
$gen$;

INSERT INTO crm.deals
SELECT deal_id, funnel_id, seller_id, pg_temp.wall(w), amount, status, pg_temp.wall(closed_w)
FROM gen_deal ORDER BY deal_id;

INSERT INTO crm.stage_history
SELECT v.deal_id, fs.stage, pg_temp.wall(v.enter_w), pg_temp.wall(v.leave_w)
FROM gen_visit v
JOIN gen_deal g USING (deal_id)
JOIN crm.funnel_stages fs ON fs.funnel_id = g.funnel_id AND stage_position(fs.stage) = v.pos
ORDER BY v.deal_id, v.enter_w;

-- contact ids follow logging order; a buddy covers a seller's vacation
INSERT INTO crm.contacts
SELECT row_number() OVER (ORDER BY x.at, x.n), x.deal_id, x.seller_id, x.kind, x.at
FROM (SELECT c.n, c.deal_id, c.kind, pg_temp.wall(c.w) AS at,
             CASE WHEN pg_temp.wall(c.w)::date BETWEEN sp.vacation_from AND sp.vacation_from + 11
                  THEN sp.buddy ELSE c.seller_id END AS seller_id
      FROM gen_contact c JOIN seller_profile sp USING (seller_id)) x
ORDER BY 1;

-- event ids follow arrival order: late events come in days after they happened
INSERT INTO crm.events
SELECT deal_id, at, event, row_number() OVER (ORDER BY at + make_interval(secs => delay_s), n)
FROM (SELECT n, deal_id, pg_temp.wall(w) + make_interval(secs => offset_s) AS at, event, delay_s
      FROM gen_event) e
WHERE at <= crm.as_of()
ORDER BY 4;

-- Daily plans: the team norm for each working day of 2026 from the hiring
-- date; half the norm in a new seller's first four weeks; 0 on vacation;
-- proposals are planned on Tuesdays and Thursdays.  Actuals come from the
-- contacts and won deals above.
INSERT INTO crm.daily_plans
SELECT sp.seller_id, i.indicator, g.day,
       CASE WHEN g.day BETWEEN sp.vacation_from AND sp.vacation_from + 11 THEN 0
            ELSE round(CASE i.indicator
                           WHEN 'calls' THEN n.calls
                           WHEN 'meetings' THEN n.meetings
                           WHEN 'proposals_sent' THEN
                               CASE WHEN extract(isodow FROM g.day) IN (2, 4) THEN n.proposals ELSE 0 END
                           WHEN 'deals_won' THEN n.won
                           ELSE n.revenue END
                       * CASE WHEN g.day < sp.hired_on + 28 THEN 0.5 ELSE 1 END, 2) END,
       coalesce(CASE i.indicator
                    WHEN 'calls' THEN c.calls
                    WHEN 'meetings' THEN c.meetings
                    WHEN 'proposals_sent' THEN c.proposals
                    WHEN 'deals_won' THEN w.won
                    ELSE w.revenue END, 0)
FROM seller_profile sp
JOIN (VALUES (1, 3, 1, 1, 0.12, 4000),
             (2, 5, 2, 2, 0.20, 2500),
             (3, 4, 2, 1, 0.20, 60000),
             (4, 5, 1, 1, 0.10, 40000)) n(team_id, calls, meetings, proposals, won, revenue) USING (team_id)
CROSS JOIN LATERAL (SELECT d::date AS day FROM generate_series(greatest(sp.hired_on, date '2026-01-01'),
                                                                date '2026-06-30', interval '1 day') d
                    WHERE extract(isodow FROM d) < 6) g
CROSS JOIN crm.indicators i
LEFT JOIN (SELECT seller_id, at::date AS day,
                  count(*) FILTER (WHERE kind IN ('call', 'звонок', 'звонок > повтор')) AS calls,
                  count(*) FILTER (WHERE kind IN ('meeting', 'встреча')) AS meetings,
                  count(*) FILTER (WHERE kind IN ('proposal', 'КП')) AS proposals
           FROM crm.contacts GROUP BY 1, 2) c ON c.seller_id = sp.seller_id AND c.day = g.day
LEFT JOIN (SELECT seller_id, closed_at::date AS day, count(*) AS won, sum(amount) AS revenue
           FROM crm.deals WHERE status = 'won' GROUP BY 1, 2) w ON w.seller_id = sp.seller_id AND w.day = g.day
ORDER BY 1, 2, 3;

-- Sales targets: revenue per seller and quarter, from the same team norm
-- as the daily plans (so the 2026 Q1 and Q2 targets are the sums of the
-- revenue plans) and the same rules, through Q3 2026, the quarter ahead.
CREATE TABLE crm.sales_targets (
    seller_id int REFERENCES crm.sellers,
    period_start date,
    period_end date NOT NULL,
    target numeric NOT NULL CHECK (target > 0),
    PRIMARY KEY (seller_id, period_start),
    CHECK (period_end >= period_start)
);
INSERT INTO crm.sales_targets
SELECT sp.seller_id, date_trunc('quarter', g.d)::date, (date_trunc('quarter', g.d) + interval '3 months - 1 day')::date,
       sum(CASE WHEN g.d::date BETWEEN sp.vacation_from AND sp.vacation_from + 11 THEN 0
                ELSE round(n.revenue * CASE WHEN g.d::date < sp.hired_on + 28 THEN 0.5 ELSE 1 END, 2) END)
FROM seller_profile sp
JOIN (VALUES (1, 4000), (2, 2500), (3, 60000), (4, 40000)) n(team_id, revenue) USING (team_id)
CROSS JOIN LATERAL generate_series(greatest(sp.hired_on, date '2026-01-01'), date '2026-09-30', interval '1 day') g(d)
WHERE extract(isodow FROM g.d) < 6
GROUP BY 1, 2, 3
ORDER BY 1, 2;

-- Close-date history: a deal's expected close date, set when it is
-- created and moved while it is open.  When the date passes with the deal
-- still open, the seller pushes it out the next morning; between, the
-- seller reviews it now and then and pushes it out or pulls it in; a won
-- deal's last move, shortly before it closes, sets it near the close.
-- Its own pass over the deals, in order, after everything else and with
-- its own seed, so the tables above are what they were without it.
CREATE TABLE crm.close_date_changes (
    deal_id bigint REFERENCES crm.deals,
    changed_at timestamptz,
    old_close_date date,
    new_close_date date NOT NULL,
    PRIMARY KEY (deal_id, changed_at)
);
DO $gen$
DECLARE
    d record;
    t timestamptz;
    nt timestamptz;
    due timestamptz;
    life_end timestamptz;
    cd date;
    nd date;
    u float8;
    n int := 0;
    x_deal bigint[] := '{}';
    x_at timestamptz[] := '{}';
    x_old date[] := '{}';
    x_new date[] := '{}';
BEGIN
    PERFORM setseed(0.31);
    FOR d IN SELECT deal_id, funnel_id, created_at, status, closed_at FROM crm.deals ORDER BY deal_id LOOP
        t := d.created_at;
        -- the first estimate: a B2B SaaS cycle is longer than a wholesale one
        cd := d.created_at::date + CASE d.funnel_id WHEN 1 THEN 30 + floor(90 * random())::int
                                                    ELSE 14 + floor(60 * random())::int END;
        n := n + 1;
        x_deal[n] := d.deal_id; x_at[n] := t; x_old[n] := NULL; x_new[n] := cd;
        life_end := coalesce(d.closed_at, crm.as_of());
        LOOP
            -- the next review, about monthly, or the morning after the date passed
            nt := date_trunc('second', t + -ln(1 - random()) * interval '30 days');
            due := (cd + 1)::timestamp AT TIME ZONE 'UTC' + interval '9 hours';
            u := random();
            IF due < nt THEN
                nt := due;
                u := 1;
            END IF;
            nt := greatest(nt, t + interval '1 second');
            EXIT WHEN nt >= life_end;
            IF u = 1 THEN                   -- slipped: pushed out from today
                nd := nt::date + 7 + floor(45 * random())::int;
            ELSIF u < 0.15 THEN             -- pulled in, never before tomorrow
                nd := greatest(nt::date + 1, cd - 3 - floor(20 * random())::int);
            ELSIF u < 0.55 THEN             -- pushed out
                nd := cd + 3 + floor(30 * random())::int;
            ELSE
                nd := cd;                   -- reviewed, kept
            END IF;
            IF nd <> cd THEN
                n := n + 1;
                x_deal[n] := d.deal_id; x_at[n] := nt; x_old[n] := cd; x_new[n] := nd;
                cd := nd;
            END IF;
            t := nt;
        END LOOP;
        IF d.status = 'won' THEN
            nt := date_trunc('second', t + (d.closed_at - t) * (0.8 + 0.2 * random()));
            nd := d.closed_at::date + floor(5 * random())::int - 2;
            IF nt > t AND nt < d.closed_at AND nd <> cd THEN
                n := n + 1;
                x_deal[n] := d.deal_id; x_at[n] := nt; x_old[n] := cd; x_new[n] := nd;
            END IF;
        END IF;
    END LOOP;
    INSERT INTO crm.close_date_changes
    SELECT * FROM unnest(x_deal, x_at, x_old, x_new) ORDER BY 1, 2;
END
$gen$;

CREATE INDEX ON crm.deals (seller_id);
CREATE INDEX ON crm.contacts (deal_id, at);
CREATE INDEX ON crm.contacts (seller_id, at);
CREATE INDEX ON crm.events (deal_id, at);

DROP TABLE seller_profile, gen_deal, gen_visit, gen_contact, gen_event;
DROP FUNCTION pg_temp.wall(float8);
ANALYZE crm.funnels, crm.teams, crm.sellers, crm.funnel_stages, crm.deals, crm.stage_history,
        crm.contacts, crm.indicators, crm.daily_plans, crm.events, crm.sales_targets, crm.close_date_changes;
RESET client_min_messages;
