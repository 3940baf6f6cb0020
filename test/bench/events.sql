-- The events of window_funnel (included by data.sql, and by the scale series
-- of test/bench/run, after setseed()): events_per_deal events per deal,
-- about 1.5 days apart, mostly moving forward through six steps, a fifth of
-- them noise that matches no step; in (deal_id, ts) order, into the new
-- table named by the psql variable events.
CREATE TABLE :"events" (deal_id bigint, ts timestamptz, event text);
INSERT INTO :"events"
SELECT d.deal_id,
       d.t0 + (j * 1.5 + random() * 1.5) * interval '1 day',
       CASE WHEN random() < 0.2
            THEN (ARRAY['email_opened', 'site_visit'])[1 + (random() < 0.5)::int]
            ELSE (ARRAY['created', 'qualified', 'meeting_held', 'proposal_sent',
                        'contract_signed', 'paid'])
                 [greatest(1, least(6, j - floor(random() * 3)::int))]
       END
FROM (SELECT g AS deal_id, timestamptz '2025-01-01 00:00+00' + random() * interval '365 days' AS t0
      FROM generate_series(1, :deals) g) d,
     generate_series(1, :events_per_deal) j
ORDER BY d.deal_id, j;
