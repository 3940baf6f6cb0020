-- wf_modes: every valid window_funnel mode, one row each (the 24 combinations
-- of the five flags; allow_reentry only with strict_order), for the
-- randomized comparisons against the references.
CREATE TEMP TABLE wf_modes (mode text);
INSERT INTO wf_modes
SELECT concat_ws(',', CASE WHEN d THEN 'strict_deduplication' END, CASE WHEN o THEN 'strict_order' END,
                 CASE WHEN i THEN 'strict_increase' END, CASE WHEN s THEN 'strict_once' END,
                 CASE WHEN r THEN 'allow_reentry' END)
FROM (VALUES (false), (true)) d(d), (VALUES (false), (true)) o(o), (VALUES (false), (true)) i(i),
     (VALUES (false), (true)) s(s), (VALUES (false), (true)) r(r)
WHERE o OR NOT r;
