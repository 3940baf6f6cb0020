-- bar (ClickHouse's bar) and funnel_chart, the funnel drawn with it.
SET extra_float_digits = 0;

-- the eighths of one character: cut down, never rounded up
SELECT x, bar(x, 0, 8, 1) AS bar, bar(x - 0.001, 0, 8, 1) AS just_below, octet_length(bar(x, 0, 8, 1)) AS bytes
FROM generate_series(0, 8) x ORDER BY x;

-- the width is the bar of max; x is clamped to [min, max]; min need not be 0
SELECT x, bar(x, -10, 10, 10) AS bar, char_length(bar(x, -10, 10, 10)) AS chars
FROM (VALUES (-100::float8), (-10), (-9), (-5.5), (0), (3.3), (9.99), (10), (1e300::float8)) v(x) ORDER BY x;
SELECT char_length(bar(1, 0, 1)) AS default_width, char_length(bar(1, 0, 1, 1000)) AS widest,
       bar(0.5, 0, 1, 3) AS half_of_3, bar(1, 0, 3, 3) AS exactly_one;

-- ClickHouse's order of operations, (x - min) * width / (max - min):
-- integral scales land exactly on the eighths
SELECT bar(1, 0, 8, 1) AS one_eighth, bar(1, -3, 5, 1) AS shifted, bar(125, 0, 1000, 1) AS wide_scale;

-- infinities and NaN of x: clamped, NaN draws nothing; bounds far apart
SELECT bar('Infinity', 0, 1, 4) AS inf, bar('-Infinity', 0, 1, 4) = '' AS minus_inf_empty, bar('NaN', 0, 1, 4) = '' AS nan_empty,
       bar(0, -1e308, 1e308, 4) AS half_of_huge, bar(5e307, 0, 1e308, 80) = bar(1, 0, 2, 80) AS huge_half;

-- NULL in, NULL out (STRICT)
SELECT bar(NULL, 0, 1) IS NULL AS x, bar(1, NULL, 1) IS NULL AS min, bar(1, 0, NULL) IS NULL AS max,
       bar(1, 0, 1, NULL) IS NULL AS width;

-- errors: 22023
\set VERBOSITY sqlstate
SELECT bar(1, 0, 1, 0);
SELECT bar(1, 0, 1, 1001);
SELECT bar(1, 0, 1, -5);
SELECT bar(1, 1, 1);
SELECT bar(1, 2, 1);
SELECT bar(1, 'NaN', 1);
SELECT bar(1, 0, 'Infinity');
SELECT bar(1, '-Infinity', 0);
\set VERBOSITY default
SELECT bar(1, 2, 1);
SELECT bar(1, 0, 1, 0);

-- funnel_chart: funnel_steps' rows with a bar of reached, the first row's
-- bar width characters; nobody stopped at position 4 (no name)
CREATE TEMP TABLE chart_deals (deal int, reached stage);
INSERT INTO chart_deals
SELECT i, stage(p, (ARRAY['lead', 'qualified', 'demo', 'offer', 'won'])[p])
FROM generate_series(1, 100) i,
     LATERAL (SELECT CASE WHEN i <= 40 THEN 1 WHEN i <= 65 THEN 2 WHEN i <= 85 THEN 3 ELSE 5 END AS p) s;
SELECT * FROM funnel_chart((SELECT funnel_conversion(reached) FROM chart_deals));
SELECT * FROM funnel_chart((SELECT funnel_conversion(reached) FROM chart_deals), 10);
-- the same rows as funnel_steps
SELECT count(*) AS rows,
       count(*) FILTER (WHERE c.stage IS NOT DISTINCT FROM s.stage AND c.reached = s.reached
                        AND c.step_conversion IS NOT DISTINCT FROM s.step_conversion) AS same
FROM funnel_chart((SELECT funnel_conversion(reached) FROM chart_deals)) c
FULL JOIN funnel_steps((SELECT funnel_conversion(reached) FROM chart_deals)) s USING (position);
-- the default width is 40
SELECT char_length(bar) FROM funnel_chart('v1 {1:a=3, 2:b=1}') ORDER BY position;
-- one position; width 1; NULL and empty funnels draw nothing
SELECT * FROM funnel_chart('v1 {3:only=7}');
SELECT * FROM funnel_chart('v1 {1:a=1, 2:b=7}', 1);
SELECT count(*) FROM funnel_chart(NULL);
SELECT count(*) FROM funnel_chart('v1 {}');
-- errors: the width (checked even when there is nothing to draw)
SELECT * FROM funnel_chart('v1 {1:a=1}', 0);
SELECT * FROM funnel_chart('v1 {}', 1001);
SELECT * FROM funnel_chart('v1 {1:a=1}', NULL);

-- the catalog: names, defaults, volatility, strictness
SELECT p.oid::regprocedure AS function, pg_get_function_arguments(p.oid) AS arguments,
       p.provolatile AS volatile, p.proparallel AS parallel, p.proisstrict AS strict, p.proretset AS set
FROM pg_proc p
WHERE p.proname IN ('bar', 'funnel_chart', 'funnel_compare')
  AND p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'funnel')
ORDER BY 1::text;
SELECT pg_get_function_result('funnel_chart(funnel, integer)'::regprocedure) AS funnel_chart,
       pg_get_function_result('funnel_compare(funnel, funnel, float8)'::regprocedure) AS funnel_compare;
