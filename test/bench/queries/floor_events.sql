-- Reference, not a case: the executor's own cost of the window_funnel
-- queries (scan the events and group them by deal, no aggregate work), the
-- floor that no aggregate can go below.
SELECT count(*) FROM (SELECT deal_id FROM bench_events GROUP BY deal_id) per_deal
