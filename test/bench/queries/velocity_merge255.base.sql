-- The reference of velocity_merge255: v + v of the first 6 of those stages, 510 times.
SELECT sum(pg_column_size(w.v + w.v) - 7) AS stage_bytes
FROM bench_wide_values w, generate_series(1, 510) i
WHERE w.stages = 6
