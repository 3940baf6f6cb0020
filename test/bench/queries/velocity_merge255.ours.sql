-- v + v of one velocity of 255 wide stages, 12 times (issue D4): merging
-- must cost the same per stage however many stages a value has, so this is
-- timed against v + v of 6 such stages 510 times, the same 3060 stage
-- merges (velocity_merge255.base.sql).  Both give the packed bytes of the
-- stages they produced: each result less its 4-byte header and its version,
-- form and stage count bytes (every stage packs alike: same data, no name).
SELECT sum(pg_column_size(w.v + w.v) - 7) AS stage_bytes
FROM bench_wide_values w, generate_series(1, 12) i
WHERE w.stages = 255
