-- funnel_conversion counts clients per deepest stage, and funnels merge exactly (funnel_merge, +)
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE deals (deal int, seller text, team text, deepest stage);
INSERT INTO deals VALUES
  (1, 'ann', 'north', '1:lead'), (2, 'ann', 'north', '3:meeting'), (3, 'ann', 'north', '3:meeting'),
  (4, 'ann', 'north', '6:won'), (5, 'bob', 'north', '2:qualified'), (6, 'bob', 'north', '3:Meeting'),
  (7, 'bob', 'north', NULL), (8, 'cid', 'south', '2:qualified'), (9, 'cid', 'south', '2'),
  (10, 'cid', 'south', '4:предложение'), (11, 'dan', 'south', NULL);

-- counts per deepest stage; NULL rows skipped; a position keeps the
-- bytewise-smallest non-empty name ('Meeting' < 'meeting', a name beats none)
SELECT funnel_conversion(deepest) FROM deals;
SELECT seller, funnel_conversion(deepest) FROM deals GROUP BY seller ORDER BY seller;
-- empty group and all-NULL group give NULL
SELECT funnel_conversion(deepest) IS NULL AS empty_is_null FROM deals WHERE false;
SELECT funnel_conversion(deepest) IS NULL AS all_null_is_null FROM deals WHERE seller = 'dan';
-- one row
SELECT funnel_conversion('5:x'::stage);
-- a name seen only on some rows of a position, and names arriving in any order
SELECT funnel_conversion(s ORDER BY o) FROM (VALUES (1, '2'::stage), (2, '2:b'), (3, '2:ab'), (4, '2:abc'), (5, '2')) v(o, s);
SELECT funnel_conversion(s ORDER BY o DESC) FROM (VALUES (1, '2'::stage), (2, '2:b'), (3, '2:ab'), (4, '2:abc'), (5, '2')) v(o, s);
-- positions arriving below and above the range seen so far, long names
SELECT funnel_conversion(s ORDER BY o) FROM (VALUES (1, '100:mid'::stage), (2, '1:first'), (3, '255:last'),
  (4, stage(50, repeat('я', 127))), (5, stage(50, repeat('я', 126))), (6, '100:mid')) v(o, s);
SELECT length(funnel_conversion(stage(p, repeat(chr(1000 + p), 127)))::text) AS all_positions_long_names
FROM generate_series(1, 255) p;

-- merging stored funnels: aggregate, function and operator agree
CREATE TEMP TABLE seller_funnel AS
SELECT seller, team, funnel_conversion(deepest) AS f FROM deals GROUP BY seller, team;
SELECT team, funnel_conversion(f) FROM seller_funnel GROUP BY team ORDER BY team;
SELECT team, funnel_conversion(deepest) FROM deals GROUP BY team ORDER BY team;
SELECT funnel_conversion(f) AS all_sellers FROM seller_funnel;
SELECT funnel_conversion(f) IS NULL AS merge_of_nulls_is_null FROM seller_funnel WHERE f IS NULL;
SELECT funnel_conversion(f) IS NULL AS merge_of_nothing_is_null FROM seller_funnel WHERE false;
SELECT 'v1 {1:lead=1, 3:meeting=2}'::funnel + 'v1 {2:qualified=1, 3:Meeting=1, 6:won=1}' AS plus;
SELECT funnel_merge('v1 {1:lead=1, 3:meeting=2}', 'v1 {2:qualified=1, 3:Meeting=1, 6:won=1}') AS merged;
SELECT NULL + 'v1 {2:b=1}'::funnel AS null_left, 'v1 {2:b=1}'::funnel + NULL AS null_right,
       (NULL::funnel + NULL) IS NULL AS both_null, 'v1 {}'::funnel + 'v1 {2=1}' AS empty_left,
       'v1 {2=1}'::funnel + 'v1 {}' AS empty_right, 'v1 {}'::funnel + 'v1 {}' AS both_empty;
SELECT 'v1 {2:b=1}'::funnel + 'v1 {2:b=1}' AS self_merge, 'v1 {1=1}'::funnel + 'v1 {255=1}' AS far_apart;
SELECT 'v1 {1=9223372036854775806}'::funnel + 'v1 {1=1}' AS at_limit;
\set VERBOSITY terse
SELECT 'v1 {1=9223372036854775806}'::funnel + 'v1 {1=2}';
SELECT 'v1 {1=9223372036854775806}'::funnel + 'v1 {2=2}';
SELECT funnel_conversion(f) FROM (VALUES ('v1 {1=9223372036854775806}'::funnel), ('v1 {3=5}')) v(f);
\set VERBOSITY default

-- the support functions called directly work on copies, never on their input
CREATE TEMP TABLE kept AS SELECT 'v1 {1:lead=1}'::funnel AS f;
SELECT funnel_stage_trans(f, '1:a') AS trans, funnel_stage_trans(f, '3:c') AS trans_grow,
       funnel_stage_trans(f, NULL) AS trans_null, funnel_stage_trans(NULL, '2:b') AS trans_first,
       funnel_merge_trans(f, f) AS merge_trans, f AS unchanged FROM kept;
SELECT funnel_final(f) FROM kept;
\set VERBOSITY terse
SELECT funnel_stage_trans('v1 {1=9223372036854775807}', '2');
\set VERBOSITY default
-- an aggregate whose state starts near the limit (an initcond) counts up
-- to it exactly and then raises 22003, in place or not (issue 27)
CREATE AGGREGATE pg_temp.fc_near(stage) (sfunc = funnel_stage_trans, stype = funnel, finalfunc = funnel_final,
                                         initcond = 'v1 {1:a=9223372036854775805}');
SELECT pg_temp.fc_near(s) FROM (VALUES ('1:a'::stage), ('1:a')) v(s);
SELECT pg_temp.fc_near(s) FROM (VALUES ('1:a'::stage), ('1:a'), ('1:a')) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.fc_near(s) FROM (VALUES ('2:b'::stage), ('3:c'), ('1:a')) v(s);
\echo :LAST_ERROR_SQLSTATE

-- window use: every running total is its own value
SELECT deal, funnel_conversion(deepest) OVER (ORDER BY deal) FROM deals WHERE deal <= 6 ORDER BY deal;
-- DISTINCT and FILTER
SELECT funnel_conversion(DISTINCT deepest) AS distinct_stages,
       funnel_conversion(deepest) FILTER (WHERE team = 'south') AS south FROM deals;

-- sorted, hashed and spilled grouping agree
CREATE TEMP TABLE many AS
SELECT g, stage(1 + (i * 7 + g) % 6, (ARRAY['lead', 'qualified', 'meeting', 'proposal', 'negotiation', 'won'])[1 + (i * 7 + g) % 6]) AS s
FROM generate_series(1, 3000) g, generate_series(1, 10) i;
ANALYZE many;
SET enable_hashagg = off;
CREATE TEMP TABLE by_sort AS SELECT g, funnel_conversion(s)::text AS f FROM many GROUP BY g;
RESET enable_hashagg;
SET enable_sort = off;
SET work_mem = '64kB';
EXPLAIN (COSTS OFF) SELECT g, funnel_conversion(s) FROM many GROUP BY g;
CREATE TEMP TABLE by_hash AS SELECT g, funnel_conversion(s)::text AS f FROM many GROUP BY g;
RESET work_mem;
RESET enable_sort;
SELECT count(*) AS groups, count(*) FILTER (WHERE h.f IS DISTINCT FROM s.f) AS mismatches
FROM by_sort s FULL JOIN by_hash h USING (g);
