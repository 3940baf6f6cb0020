-- funnel_conversion over one row per deal; sum(stopped) gives the same
-- figure as the baseline, so the check compares like with like.
SELECT sum(stopped) AS deals
FROM funnel_steps((SELECT funnel_conversion(reached) FROM bench_reached))
