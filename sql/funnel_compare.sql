-- funnel comparison and hashing: =, <>, a stable order, GROUP BY, DISTINCT, joins, indexes.
--
-- funnel comparison and hashing: =, <>, an arbitrary but stable order, so
-- that GROUP BY, DISTINCT, count(DISTINCT), UNION, ORDER BY, joins and
-- indexes work on stored funnels
SET max_parallel_workers_per_gather = 0;
-- equal: same entries; any difference in position, count or name is unequal
SELECT 'v1 {1:lead=2, 3=1}'::funnel = 'v1{3=1,1:lead=2}' AS same_entries,
       'v1 {}'::funnel = 'v1 {}' AS both_empty,
       'v1 {1:lead=2}'::funnel = 'v1 {1:lead=3}' AS other_count,
       'v1 {1:lead=2}'::funnel = 'v1 {2:lead=2}' AS other_position,
       'v1 {1:lead=2}'::funnel = 'v1 {1:Lead=2}' AS other_name,
       'v1 {1:lead=2}'::funnel = 'v1 {1=2}' AS no_name,
       'v1 {1:lead=2}'::funnel = 'v1 {1:lead=2, 2=1}' AS extra_entry,
       'v1 {1:lead=2}'::funnel <> 'v1 {1:lead=2, 2=1}' AS not_equal,
       'v1 {1:lead=2}'::funnel <> 'v1 {1:lead=2}' AS not_unequal,
       ('v1 {}'::funnel = NULL) IS NULL AS strict;
-- values with spare room and stale name bytes (aggregate and support
-- function results) equal their canonical form and hash like it
CREATE TEMP TABLE roomy AS
SELECT funnel_stage_trans('v1 {1:lead=1}', '2:qualified') AS f, 'v1 {1:lead=1, 2:qualified=1}'::funnel AS canon
UNION ALL
SELECT funnel_conversion(s ORDER BY o), 'v1 {2:a=2, 5=1}'
FROM (VALUES (1, '2:b'::stage), (2, '2:a'), (3, '5')) v(o, s)
UNION ALL
SELECT funnel_merge_trans('v1 {1:zz=1}', 'v1 {1:z=1, 9=2}'), 'v1 {1:z=2, 9=2}';
SELECT f::text, f = canon AS equal, f <= canon AND f >= canon AS ordered_equal,
       funnel_cmp(f, canon) AS cmp, funnel_hash(f) = funnel_hash(canon) AS hash_equal,
       funnel_hash_extended(f, 42) = funnel_hash_extended(canon, 42) AS hash_ext_equal
FROM roomy;
SELECT funnel_hash('v1 {1=2}') <> funnel_hash('v1 {1=3}') AS hash_differs,
       funnel_hash_extended('v1 {1=2}', 0) <> funnel_hash_extended('v1 {1=2}', 1) AS seed_matters;
-- the order: entry by entry (position, then count, then name bytes), a
-- funnel that runs out of entries first
SELECT f FROM (VALUES ('v1 {2=1}'::funnel), ('v1 {1=5}'), ('v1 {1=2}'), ('v1 {}'), ('v1 {1=2, 3=1}'),
                      ('v1 {1:b=2}'), ('v1 {1:a=2}'), ('v1 {1:ab=2}'), ('v1 {1=2, 2=9}')) v(f)
ORDER BY f;
SELECT 'v1 {1=2}'::funnel < 'v1 {1=3}' AS lt, 'v1 {2=1}'::funnel > 'v1 {1=9}' AS gt,
       'v1 {1=2}'::funnel <= 'v1 {1=2}' AS le, 'v1 {}'::funnel >= 'v1 {1=1}' AS ge,
       funnel_cmp('v1 {1:a=1}', 'v1 {1:b=1}') AS cmp_lt, funnel_cmp('v1 {1:b=1}', 'v1 {1:a=1}') AS cmp_gt;

-- grouping, DISTINCT and set operations, sorted and hashed
CREATE TEMP TABLE fs AS
SELECT i, (ARRAY['v1 {1:lead=2}', 'v1 {1:lead=2}', 'v1 {1=2}', 'v1 {1:lead=2, 4:won=1}', 'v1 {}',
                 NULL, 'v1 {2:встреча=7}'])[1 + i % 7]::funnel AS f
FROM generate_series(1, 70) i;
-- aggregates with spare room join the same groups as their canonical forms
INSERT INTO fs SELECT 100, funnel_conversion(s) FROM (VALUES ('1:lead'::stage), ('1:lead')) v(s);
ANALYZE fs;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT f, count(*) FROM fs GROUP BY f;
SELECT f, count(*) FROM fs GROUP BY f ORDER BY f;
SELECT count(DISTINCT f) AS distinct_sorted FROM fs;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT f, count(*) FROM fs GROUP BY f;
SELECT f, count(*) FROM fs GROUP BY f ORDER BY f;
SELECT count(*) AS distinct_hashed FROM (SELECT DISTINCT f FROM fs) d;
SELECT count(*) AS union_rows FROM (SELECT f FROM fs UNION SELECT f FROM fs) u;
RESET enable_sort;
-- hash and merge joins agree
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM fs x JOIN fs y USING (f);
SELECT count(*) AS hash_join FROM fs x JOIN fs y USING (f);
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM fs x JOIN fs y USING (f);
SELECT count(*) AS merge_join FROM fs x JOIN fs y USING (f);
RESET enable_hashjoin;
RESET enable_nestloop;
-- btree index
CREATE INDEX ON fs (f);
SET enable_seqscan = off;
SELECT count(*) AS by_index FROM fs WHERE f = 'v1 {1:lead=2}';
RESET enable_seqscan;

-- randomized: = agrees with text equality, equal values hash alike, the
-- order is antisymmetric and consistent with =
SELECT setseed(0.77);
CREATE TEMP TABLE rf AS
SELECT i, ('v1 {' || string_agg(p || CASE WHEN random() < 0.5 THEN ':' || (ARRAY['a', 'b', 'ab'])[1 + floor(random() * 3)::int] ELSE '' END
                               || '=' || (1 + floor(random() * 2)::int), ', ') || '}')::funnel AS f
FROM generate_series(1, 400) i, generate_series(1, 3) p
WHERE random() < 0.6
GROUP BY i;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE a.f = b.f) AS equal_pairs,
       count(*) FILTER (WHERE (a.f = b.f) <> (a.f::text = b.f::text)) AS eq_mismatches,
       count(*) FILTER (WHERE a.f = b.f AND funnel_hash(a.f) <> funnel_hash(b.f)) AS hash_mismatches,
       count(*) FILTER (WHERE sign(funnel_cmp(a.f, b.f)) <> -sign(funnel_cmp(b.f, a.f))
                           OR (funnel_cmp(a.f, b.f) = 0) <> (a.f = b.f)) AS order_mismatches
FROM rf a, rf b;

-- a sort frees what each comparison detoasts (a small funnel is stored with
-- a short header, so every comparison unpacks a copy): the sort's working
-- memory stays small instead of growing with every comparison
CREATE TEMP TABLE many_small AS
SELECT ('v1 {1:lead=' || (i % 1000 + 1) || ', 4:won=' || (i % 7 + 1) || '}')::funnel AS f
FROM generate_series(1, 5000) i;
BEGIN;
DECLARE sorted CURSOR FOR SELECT f FROM many_small ORDER BY f;
FETCH 1 FROM sorted;
SELECT max(total_bytes) < 1048576 AS sort_memory_small
FROM pg_backend_memory_contexts WHERE name = 'TupleSort sort';
COMMIT;
