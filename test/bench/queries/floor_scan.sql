-- Reference, not a case: reading every event once, with no grouping and no
-- aggregate work.  Every window_funnel query, ours or a baseline, reads all
-- the events, so none can be faster than this.
SELECT count(*) FROM bench_events
