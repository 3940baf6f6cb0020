-- The scan floor: count the same column.
SELECT count(reached) AS deals FROM bench_reached
