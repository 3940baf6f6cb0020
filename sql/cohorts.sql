-- One funnel per cohort (week or month of entry) in one query, on hand-checked data.
--
-- Conversion over time: one funnel per cohort (week or month of entry) in one
-- query, on fixed hand-checked data.  Cohorts are cut in UTC with the
-- three-argument date_trunc, so the chart does not move with the session's
-- time zone.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
CREATE TEMP TABLE cohort_deal (deal_id int, funnel_id int, created_at timestamptz, reached stage, status text);
INSERT INTO cohort_deal VALUES
    -- week of Monday 2026-01-05
    (1, 1, '2026-01-05 09:00+00', '6:won', 'won'),
    (2, 1, '2026-01-06 10:00+00', '3:meeting', 'lost'),
    (3, 1, '2026-01-08 15:00+00', '2:qualified', 'lost'),
    (4, 1, '2026-01-11 23:30+00', '1:lead', 'lost'),          -- Sunday night: still that week
    -- week of 2026-01-12
    (5, 1, '2026-01-12 00:00+00', '6:won', 'won'),            -- Monday midnight: the next week
    (6, 1, '2026-01-13 11:00+00', '6:won', 'won'),
    (7, 1, '2026-01-14 11:00+00', '4:proposal', 'lost'),
    -- week of 2026-02-02
    (8, 1, '2026-02-02 09:00+00', '6:won', 'won'),
    (9, 1, '2026-02-03 09:00+00', '5:negotiation', 'open'),
    (10, 1, '2026-02-03 12:00+00', '5:negotiation', 'lost'),
    (11, 1, '2026-02-04 09:00+00', '2:qualified', 'open'),
    (12, 1, '2026-02-05 09:00+00', '1:lead', 'lost'),
    (13, 1, '2026-02-01 23:00-05', '3:meeting', 'lost'),      -- 2026-02-02 04:00 UTC
    -- the other funnel, week of 2026-01-05
    (14, 2, '2026-01-07 09:00+00', '2:квалификация', 'lost'),
    (15, 2, '2026-01-07 10:00+00', '6:оплата', 'won');

-- the funnel's stages, as crm.funnel_stages has them
CREATE TEMP TABLE cohort_stage (funnel_id int, stage stage);
INSERT INTO cohort_stage VALUES
    (1, '1:lead'), (1, '2:qualified'), (1, '3:meeting'), (1, '4:proposal'), (1, '5:negotiation'), (1, '6:won'),
    (2, '1:заявка'), (2, '2:квалификация'), (2, '3:встреча'), (2, '4:КП'), (2, '5:договор'), (2, '6:оплата');

-- funnel_steps starts at the first position where a client stopped: in the
-- small cohort of 2026-01-12 every deal got past position 3, so its rows
-- start at 4 (all 3 deals reached it)
SELECT s.position, s.reached
FROM (SELECT funnel_conversion(reached) AS f FROM cohort_deal
      WHERE funnel_id = 1 AND date_trunc('week', created_at, 'UTC') = '2026-01-12 00:00+00') c,
     funnel_steps(c.f) s
ORDER BY 1;

-- so the cohort chart reads "reached position p" as the largest reached at
-- p or beyond (reached never grows with the position): every stage of the
-- funnel gets a row, before the first observed position too.  Long form,
-- one row per cohort and stage: the chart's series are the stages.
SELECT c.funnel_id, c.cohort::date AS week, stage_position(st.stage) AS position, stage_name(st.stage) AS stage,
       coalesce(r.reached, 0) AS reached,
       round(coalesce(r.reached, 0)::numeric / c.deals, 3) AS from_entry
FROM (SELECT funnel_id, date_trunc('week', created_at, 'UTC') AS cohort, count(*) AS deals,
             funnel_conversion(reached) AS f
      FROM cohort_deal
      GROUP BY 1, 2) c
JOIN cohort_stage st USING (funnel_id)
LEFT JOIN LATERAL (SELECT max(s.reached) AS reached FROM funnel_steps(c.f) s
                   WHERE s.position >= stage_position(st.stage)) r ON true
ORDER BY 1, 2, 3;

-- wide form, one row per cohort: deals, still open, won, win rate, the
-- first step's conversion, and the change against the previous cohort
-- ("is our funnel getting better"); the grain is the only thing to change
-- between the week and the month chart
SELECT funnel_id, cohort::date, deals, still_open, won, win_rate, lead_to_qualified,
       win_rate - lag(win_rate) OVER (PARTITION BY funnel_id ORDER BY cohort) AS win_rate_change
FROM (SELECT c.funnel_id, c.cohort, c.deals, c.still_open,
             coalesce(max(s.reached) FILTER (WHERE s.position >= 6), 0) AS won,
             round(coalesce(max(s.reached) FILTER (WHERE s.position >= 6), 0)::numeric / c.deals, 3) AS win_rate,
             round(coalesce(max(s.reached) FILTER (WHERE s.position >= 2), 0)::numeric / c.deals, 3) AS lead_to_qualified
      FROM (SELECT funnel_id, date_trunc(g.grain, created_at, 'UTC') AS cohort, count(*) AS deals,
                   count(*) FILTER (WHERE status = 'open') AS still_open, funnel_conversion(reached) AS f
            FROM cohort_deal, (VALUES ('week')) g(grain)
            GROUP BY 1, 2) c
      CROSS JOIN LATERAL funnel_steps(c.f) s
      GROUP BY c.funnel_id, c.cohort, c.deals, c.still_open) w
ORDER BY 1, 2;

-- the same by month
SELECT funnel_id, cohort::date, deals, still_open, won, win_rate, lead_to_qualified,
       win_rate - lag(win_rate) OVER (PARTITION BY funnel_id ORDER BY cohort) AS win_rate_change
FROM (SELECT c.funnel_id, c.cohort, c.deals, c.still_open,
             coalesce(max(s.reached) FILTER (WHERE s.position >= 6), 0) AS won,
             round(coalesce(max(s.reached) FILTER (WHERE s.position >= 6), 0)::numeric / c.deals, 3) AS win_rate,
             round(coalesce(max(s.reached) FILTER (WHERE s.position >= 2), 0)::numeric / c.deals, 3) AS lead_to_qualified
      FROM (SELECT funnel_id, date_trunc(g.grain, created_at, 'UTC') AS cohort, count(*) AS deals,
                   count(*) FILTER (WHERE status = 'open') AS still_open, funnel_conversion(reached) AS f
            FROM cohort_deal, (VALUES ('month')) g(grain)
            GROUP BY 1, 2) c
      CROSS JOIN LATERAL funnel_steps(c.f) s
      GROUP BY c.funnel_id, c.cohort, c.deals, c.still_open) w
ORDER BY 1, 2;

-- the cohort funnels merge back: the weeks' funnels add up to the whole
-- funnel, January's weeks to January's
SELECT (SELECT funnel_conversion(f)::text
        FROM (SELECT funnel_conversion(reached) AS f FROM cohort_deal WHERE funnel_id = 1
              GROUP BY date_trunc('week', created_at, 'UTC')) w)
       = (SELECT funnel_conversion(reached)::text FROM cohort_deal WHERE funnel_id = 1) AS weeks_sum_to_whole,
       (SELECT funnel_conversion(f)::text
        FROM (SELECT funnel_conversion(reached) AS f FROM cohort_deal WHERE funnel_id = 1
              AND created_at < '2026-02-01 00:00+00' GROUP BY date_trunc('week', created_at, 'UTC')) w)
       = (SELECT funnel_conversion(reached)::text FROM cohort_deal WHERE funnel_id = 1
          AND created_at < '2026-02-01 00:00+00') AS january_weeks_sum_to_january;

-- cut in another time zone the cohorts move: deal 5 (Monday 00:00 UTC) is
-- Sunday evening in New York, so it joins the week of 2026-01-05, and deal 13
-- the week of 2026-01-26
SELECT date_trunc('week', created_at, 'America/New_York')::date AS week_in_new_york, count(*) AS deals
FROM cohort_deal
WHERE funnel_id = 1
GROUP BY 1
ORDER BY 1;

DROP TABLE cohort_deal, cohort_stage;
RESET datestyle;
RESET timezone;
