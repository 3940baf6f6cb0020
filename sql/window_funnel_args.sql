-- window_funnel's separate-argument overloads equal the same calls with a VARIADIC array.
--
-- window_funnel and window_funnel_times with 1 to 8 separate step arguments
-- against the same aggregates called with an explicit VARIADIC array: random
-- groups with ties in time, rows satisfying several steps or none, NULL steps
-- and NULL times; every mode, both time axes.  The output is the number of
-- comparisons and of mismatches (0).
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
SELECT setseed(0.5151);

-- the separate-argument forms: 8 arities x 4 signatures x 2 aggregates
SELECT count(*) AS arg_forms FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
WHERE p.proname IN ('window_funnel', 'window_funnel_times') AND p.provariadic = 0
  AND p.proargtypes[p.pronargs - 1] = 'boolean'::regtype;

CREATE TEMP TABLE wfa AS
SELECT g % 40 AS client, CASE WHEN random() < 0.03 THEN NULL ELSE floor(random() * 30)::bigint END AS t,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor(random() * 10)::int END AS e,
       random() < 0.2 AS x
FROM generate_series(1, 1500) g;

CREATE FUNCTION pg_temp.wfa_mismatches(OUT checks int, OUT mismatches int)
LANGUAGE plpgsql AS $$
DECLARE
    n int;
    mode text;
    conds text;
    q text;
    bad int;
BEGIN
    checks := 0;
    mismatches := 0;
    FOR n IN 1..8 LOOP
        -- step k: e = k, or x (so that some rows satisfy several steps)
        SELECT string_agg(format('(e = %s OR (x AND e = %s))', k, k + 1), ', ' ORDER BY k)
        INTO conds FROM generate_series(1, n) k;
        FOREACH mode IN ARRAY ARRAY['', 'strict_order', 'strict_deduplication', 'strict_increase',
                                    'strict_once', 'strict_order, allow_reentry'] LOOP
            q := format($q$
                SELECT count(*) FROM (
                    SELECT client,
                           window_funnel(3::bigint, %1$L, t, %2$s) AS a,
                           window_funnel(3::bigint, %1$L, t, VARIADIC ARRAY[%2$s]) AS b,
                           window_funnel_times(3::bigint, %1$L, t, %2$s) AS c,
                           window_funnel_times(3::bigint, %1$L, t, VARIADIC ARRAY[%2$s]) AS d,
                           window_funnel(interval '3 hours', %1$L, timestamptz '2025-01-01' + t * interval '1 hour', %2$s) AS e1,
                           window_funnel(interval '3 hours', %1$L, timestamptz '2025-01-01' + t * interval '1 hour', VARIADIC ARRAY[%2$s]) AS f
                    FROM wfa GROUP BY client) r
                WHERE a IS DISTINCT FROM b OR c IS DISTINCT FROM d OR e1 IS DISTINCT FROM f$q$, mode, conds);
            EXECUTE q INTO bad;
            checks := checks + 40;
            mismatches := mismatches + bad;
            IF mode = '' THEN
                -- the forms without a mode argument too
                EXECUTE replace(q, format('%L, ', mode), '') INTO bad;
                checks := checks + 40;
                mismatches := mismatches + bad;
            END IF;
        END LOOP;
    END LOOP;
END
$$;
SELECT * FROM pg_temp.wfa_mismatches();
-- the same under parallel aggregation (combine, serialize, deserialize)
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT * FROM pg_temp.wfa_mismatches();
