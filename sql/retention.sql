-- retention: ClickHouse's.  Element 1 is 1 when some row satisfies
-- condition 1; element k when some row satisfies condition 1 and some row
-- (perhaps another) condition k.
SELECT g, retention(c = 1, c = 2, c = 3) AS exclusive, retention(c >= 1, c = 2) AS overlapping
FROM (VALUES (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3), (3, 1), (4, NULL), (4, 1)) v(g, c)
GROUP BY g ORDER BY g;
-- a row may satisfy condition 1 and another (ClickHouse 18.16 counted only its first)
SELECT retention(c = 2, c >= 1) FROM (VALUES (2)) v(c);
-- no rows: NULL; NULL conditions are false; one condition is enough
SELECT retention(true, true) FROM generate_series(1, 0);
SELECT retention(NULL, true), retention(c = 1) FROM (VALUES (1), (NULL)) v(c);
-- the cohort table's shape: per first month, which later months the customer bought in
SELECT retention(m = 0, m = 1, m = 2, m = 3) AS r, count(*)
FROM (VALUES (1, 0), (1, 1), (1, 3), (2, 0), (2, 2), (3, 1)) v(customer, m)
GROUP BY customer ORDER BY customer;
-- conditions: at most 1,024, the same number in every row
\set VERBOSITY terse
SELECT retention(VARIADIC array_fill(true, ARRAY[1024])) = array_fill(1, ARRAY[1024]);
SELECT retention(VARIADIC array_fill(true, ARRAY[1025]));
SELECT retention(VARIADIC '{}'::boolean[]);
SELECT retention(VARIADIC NULL::boolean[]) AS only_null_arrays, retention(VARIADIC CASE WHEN i = 1 THEN NULL ELSE ARRAY[i = 2, i = 3] END) FROM generate_series(1, 3) i;
SELECT retention(VARIADIC array_fill(true, ARRAY[i])) FROM generate_series(1, 2) i;
-- the state is an int[] of 0 and 1 checked by every function: any int[] can be passed
CREATE AGGREGATE pg_temp.ret_from(boolean[]) (sfunc = retention_trans, stype = int[], finalfunc = retention_final, initcond = '{2,0}');
SELECT pg_temp.ret_from(ARRAY[true, false]);
CREATE AGGREGATE pg_temp.ret_merge(int[]) (sfunc = retention_combine, stype = int[], finalfunc = retention_final);
SELECT pg_temp.ret_merge(s) FROM (VALUES ('{1,0,1}'::int[]), ('{0,1,0}')) v(s);
SELECT pg_temp.ret_merge(s) FROM (VALUES ('{1,0,1}'::int[]), ('{0,1}')) v(s);
SELECT pg_temp.ret_merge(s) FROM (VALUES ('{1,NULL}'::int[])) v(s);
SELECT pg_temp.ret_merge(s) FROM (VALUES ('[0:1]={1,1}'::int[])) v(s);
SELECT pg_temp.ret_merge(s) FROM (VALUES ('{{1,1}}'::int[])) v(s);
SELECT retention_final('{1,1}');
SELECT retention_trans('{1,1}', ARRAY[true, true]);
