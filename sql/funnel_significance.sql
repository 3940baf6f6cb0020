-- funnel_compare: a funnel's step conversions against a baseline's, with
-- Wilson's interval and the pooled two-proportion z-test.  Hand-checked
-- cases, then the C code against a slow reference of the same formulas in
-- numeric (erf by its series, the normal quantile by bisection on it) over
-- random pairs of funnels.  Only counts and booleans that do not depend on
-- the random draws are shown (random() differs across PostgreSQL versions).
SET extra_float_digits = 0;

-- a funnel of 100 clients of whom 30 reached stage 2, against 20 of 100:
-- pooled 0.25, z = 0.1 / sqrt(0.25 * 0.75 * (1/100 + 1/100)) = 1.63299,
-- p = 0.10247 (chi-square 2.6667 on 1 degree of freedom); Wilson's 95%
-- interval of 30/100 is 0.2189 .. 0.3958
SELECT position, stage, reached, step_conversion, round(ci_low::numeric, 4) AS ci_low,
       round(ci_high::numeric, 4) AS ci_high, baseline_reached, baseline_conversion,
       round(difference::numeric, 4) AS difference, round(p_value::numeric, 5) AS p_value, significant
FROM funnel_compare('v1 {1:lead=70, 2:won=30}', 'v1 {1:lead=80, 2:won=20}');

-- Newcombe (1998), Wilson's 95% intervals: 81/263 0.2553 .. 0.3662,
-- 15/148 0.0624 .. 0.1605, 0/20 0 .. 0.1611, 1/29 0.0061 .. 0.1718 (the
-- baseline, one client at stage 2, only makes 0/20 a step)
SELECT x, n, round(ci_low::numeric, 4) AS ci_low, round(ci_high::numeric, 4) AS ci_high
FROM (VALUES (81, 263), (15, 148), (0, 20), (1, 29)) v(x, n),
     funnel_compare((SELECT funnel_conversion(stage(CASE WHEN i <= x THEN 2 ELSE 1 END))
                     FROM generate_series(1, n) i), 'v1 {2=1}') c
WHERE c.position = 1
ORDER BY n;

-- a significant gap: 2 of 40 against 50 of 100 (z = -4.9, p about 1e-6)
SELECT position, step_conversion, baseline_conversion, p_value < 1e-5 AS p_below_1e_5, significant
FROM funnel_compare('v1 {1:a=38, 2:b=2}', 'v1 {1:a=50, 2:b=50}', 0.01);

-- the union of the ranges: f starts later and ends earlier than the
-- baseline.  Before its first position every client of f has passed (the
-- deepest stage is beyond), after its last none; its conversion into a
-- position it never reached is 0, where a z-test still applies.  The
-- names: f's, else the baseline's.
SELECT position, stage, reached, step_conversion, round(ci_low::numeric, 10) AS ci_low, baseline_reached,
       round(baseline_conversion::numeric, 10) AS baseline_conversion, p_value IS NULL AS no_test, significant
FROM funnel_compare('v1 {2=4, 3:f3=1}', 'v1 {1:one=5, 2:two=3, 3:three=2, 4:four=1}');

-- pooled proportion 0 or 1: p = 1; no clients on one side: no test; the
-- last position: no conversion, no test
SELECT position, reached, step_conversion, round(ci_low::numeric, 10) AS ci_low, round(ci_high::numeric, 10) AS ci_high,
       baseline_reached, baseline_conversion, round(p_value::numeric, 10) AS p_value, significant
FROM funnel_compare('v1 {1:a=3, 3:c=2}', 'v1 {1:a=7, 3:c=1}');
SELECT position, reached, step_conversion, baseline_reached, round(p_value::numeric, 10) AS p_value
FROM funnel_compare('v1 {1:a=3}', 'v1 {1:a=2, 2:b=5}');

-- NULL and empty funnels have no clients; both: no rows
SELECT position, stage, reached, step_conversion, round(ci_high::numeric, 4) AS ci_high, baseline_reached, p_value
FROM funnel_compare('v1 {1:a=1, 2:b=1}', NULL);
SELECT position, stage, reached, step_conversion, baseline_reached, baseline_conversion, p_value
FROM funnel_compare(NULL, 'v1 {1:a=1, 2:b=1}');
SELECT count(*) FROM funnel_compare('v1 {}', NULL);
SELECT count(*) FROM funnel_compare(NULL, NULL);

-- the default alpha is 0.05; a smaller alpha widens the interval
SELECT (SELECT ci_low FROM funnel_compare('v1 {1:a=70, 2:b=30}', NULL) WHERE position = 1)
     = (SELECT ci_low FROM funnel_compare('v1 {1:a=70, 2:b=30}', NULL, 0.05) WHERE position = 1) AS default_alpha,
       (SELECT ci_high - ci_low FROM funnel_compare('v1 {1:a=70, 2:b=30}', NULL, 0.01) WHERE position = 1)
     > (SELECT ci_high - ci_low FROM funnel_compare('v1 {1:a=70, 2:b=30}', NULL, 0.05) WHERE position = 1) AS wider;

-- extreme alphas stay finite and inside [0, 1]
SELECT alpha, bool_and(ci_low >= 0 AND ci_low <= step_conversion AND ci_high >= step_conversion AND ci_high <= 1) AS inside
FROM (VALUES (1e-300::float8), (5e-324), (0.999999), (0.5)) a(alpha),
     funnel_compare('v1 {1:a=5, 2:b=5, 3:c=90}', 'v1 {1:a=50, 2:b=50}', alpha) c
WHERE step_conversion IS NOT NULL
GROUP BY alpha ORDER BY alpha;

-- errors: alpha outside (0, 1) or NULL
SELECT * FROM funnel_compare('v1 {1:a=1}', NULL, 0);
SELECT * FROM funnel_compare('v1 {1:a=1}', NULL, 1);
SELECT * FROM funnel_compare('v1 {1:a=1}', NULL, -0.5);
SELECT * FROM funnel_compare('v1 {1:a=1}', NULL, 'NaN');
SELECT * FROM funnel_compare('v1 {1:a=1}', NULL, NULL);

-- The reference: the same formulas in numeric, slowly.
-- erf(x) = 2/sqrt(pi) * sum (-1)^k x^(2k+1) / (k! (2k+1)), to 1e-45
CREATE FUNCTION pg_temp.ref_erf(x numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    pi constant numeric := 3.14159265358979323846264338327950288419716939937510582097494;
    x2 numeric := round(x * x, 60);
    term numeric := round(x, 60);   -- (-1)^k x^(2k+1) / k!
    sum numeric := round(x, 60);
    k int := 0;
BEGIN
    LOOP
        k := k + 1;
        term := round(-term * x2 / k, 60);
        EXIT WHEN abs(term) < 1e-45;
        sum := sum + round(term / (2 * k + 1), 60);
    END LOOP;
    RETURN round(2 * sum / sqrt(round(pi, 60)), 50);
END
$$;

-- P(Z > z)
CREATE FUNCTION pg_temp.ref_upper_tail(z numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT (1 - pg_temp.ref_erf(z / sqrt(2.000000000000000000000000000000000000000000000000))) / 2
$$;

-- the (1 - alpha/2) quantile: bisection of P(Z > z) = alpha / 2 on [0, 40]
CREATE FUNCTION pg_temp.ref_z(alpha numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    lo numeric := 0;
    hi numeric := 40;
    mid numeric;
BEGIN
    WHILE hi - lo > 1e-15 LOOP
        mid := (lo + hi) * 0.5;
        IF pg_temp.ref_upper_tail(mid) > alpha / 2 THEN lo := mid; ELSE hi := mid; END IF;
    END LOOP;
    RETURN (lo + hi) * 0.5;
END
$$;

-- reached at a position: the clients whose deepest stage is there or beyond
CREATE FUNCTION pg_temp.ref_reached(f funnel, p int) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(sum((s ->> 'stopped')::numeric), 0)
    FROM jsonb_array_elements(f::jsonb -> 'stages') s
    WHERE (s ->> 'position')::int >= p
$$;

CREATE FUNCTION pg_temp.ref_name(f funnel, p int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT s ->> 'name' FROM jsonb_array_elements(f::jsonb -> 'stages') s WHERE (s ->> 'position')::int = p
$$;

-- the Wilson bounds: (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
CREATE FUNCTION pg_temp.ref_wilson(x numeric, n numeric, z numeric, sign int) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT round((p + z * z / (2 * n) + sign * z * sqrt(round(p * (1 - p) / n + z * z / (4 * n * n), 60)))
                 / (1 + z * z / n), 40)
    FROM (SELECT round(x / n, 60) AS p) s
$$;

CREATE FUNCTION pg_temp.ref_compare(f funnel, b funnel, alpha numeric, z numeric)
RETURNS TABLE("position" int, stage text, reached numeric, step_conversion numeric, ci_low numeric, ci_high numeric,
              baseline_reached numeric, baseline_conversion numeric, p_value numeric, z_stat numeric)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    first int;
    last int;
    n numeric; x numeric; bn numeric; bx numeric;
    pooled numeric;
BEGIN
    SELECT min((s ->> 'position')::int), max((s ->> 'position')::int) INTO first, last
    FROM (SELECT jsonb_array_elements(f::jsonb -> 'stages') UNION ALL SELECT jsonb_array_elements(b::jsonb -> 'stages')) u(s);
    IF first IS NULL THEN RETURN; END IF;
    FOR p IN first .. last LOOP
        "position" := p;
        stage := coalesce(pg_temp.ref_name(f, p), pg_temp.ref_name(b, p));
        n := pg_temp.ref_reached(f, p); x := pg_temp.ref_reached(f, p + 1);
        bn := pg_temp.ref_reached(b, p); bx := pg_temp.ref_reached(b, p + 1);
        reached := n; baseline_reached := bn;
        step_conversion := NULL; ci_low := NULL; ci_high := NULL; baseline_conversion := NULL;
        p_value := NULL; z_stat := NULL;
        IF p < last AND n > 0 THEN
            step_conversion := round(x / n, 40);
            ci_low := pg_temp.ref_wilson(x, n, z, -1);
            ci_high := pg_temp.ref_wilson(x, n, z, 1);
        END IF;
        IF p < last AND bn > 0 THEN
            baseline_conversion := round(bx / bn, 40);
        END IF;
        IF step_conversion IS NOT NULL AND baseline_conversion IS NOT NULL THEN
            pooled := round((x + bx) / (n + bn), 40);
            IF pooled = 0 OR pooled = 1 THEN
                p_value := 1;
            ELSE
                z_stat := abs(round(x / n, 40) - round(bx / bn, 40))
                          / sqrt(round(pooled * (1 - pooled) * (1 / n + 1 / bn), 60));
                -- beyond 8 the series is slow; the p-value is below 1.3e-15 there
                p_value := CASE WHEN z_stat <= 8 THEN 2 * pg_temp.ref_upper_tail(z_stat) END;
            END IF;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- the significance levels, with the reference's quantile of each: known
-- values 1.644854 (90%), 1.959964 (95%), 2.575829 (99%), 3.290527 (99.9%)
CREATE TEMP TABLE levels AS
SELECT alpha, pg_temp.ref_z(alpha::numeric) AS z
FROM unnest(ARRAY[0.05, 0.01, 0.1, 0.2, 0.001, 0.5, 1e-6]::float8[]) alpha;
SELECT alpha, round(z, 6) AS z FROM levels ORDER BY alpha;

-- random pairs of funnels: 0 to 3 clients (tiny), 12, 40 or 400, over
-- positions 1 to 6 from a random start, deeper ones rarer, so ranges overlap
-- partly, slots in between are empty and names are missing here and there;
-- plus fixed pairs that cover every branch whatever the draws
SELECT setseed(0.32);
CREATE TEMP TABLE sides AS
SELECT pair, side,
       (ARRAY[0, 1, 2, 3, 12, 40, 400])[1 + floor(random() * 7)::int] AS clients,
       1 + floor(random() * 3)::int AS start
FROM generate_series(1, 160) pair, unnest(ARRAY['f', 'b']) side;
CREATE TEMP TABLE clients AS
SELECT s.pair, s.side, CASE WHEN random() < 0.15 THEN stage(g.pos) ELSE stage(g.pos, 'p' || g.pos) END AS s
FROM sides s,
     LATERAL (SELECT least(6, s.start + floor(-ln(1 - random()) * 1.2)::int) AS pos
              FROM generate_series(1, s.clients)) g;
CREATE TEMP TABLE pairs AS
SELECT pair,
       (SELECT funnel_conversion(c.s) FROM clients c WHERE c.pair = p.pair AND c.side = 'f') AS f,
       (SELECT funnel_conversion(c.s) FROM clients c WHERE c.pair = p.pair AND c.side = 'b') AS b,
       (SELECT alpha FROM levels ORDER BY alpha OFFSET p.pair % 7 LIMIT 1) AS alpha
FROM generate_series(1, 160) p(pair)
UNION ALL
SELECT 1000 + row_number() OVER (), f::funnel, b::funnel, alpha
FROM (VALUES ('v1 {1:a=70, 2:b=30}', 'v1 {1:a=80, 2:b=20}', 0.05::float8),
             ('v1 {1:a=3, 3:c=2}', 'v1 {1:a=7, 3:c=1}', 0.05),
             ('v1 {2=4, 3:f3=1}', 'v1 {1:one=5, 2:two=3, 3:three=2, 4:four=1}', 0.1),
             ('v1 {1:a=38, 2:b=2}', 'v1 {1:a=50, 2:b=50}', 0.01),
             ('v1 {1:a=1000, 2:b=2}', 'v1 {1:a=2, 2:b=1000}', 0.001),
             (NULL, 'v1 {1:a=1, 2:b=1}', 0.2),
             ('v1 {1:a=1}', NULL, 0.5),
             ('v1 {1:a=1, 2:b=1}', 'v1 {1:a=1, 2:b=1}', 1e-6)) v(f, b, alpha);

CREATE TEMP TABLE got AS SELECT p.pair, p.alpha, c.* FROM pairs p, funnel_compare(p.f, p.b, p.alpha) c;
CREATE TEMP TABLE want AS
SELECT p.pair, r.* FROM pairs p JOIN levels l USING (alpha), pg_temp.ref_compare(p.f, p.b, p.alpha::numeric, l.z) r;

-- agreement to 1e-12, or both NULL
CREATE FUNCTION pg_temp.close(a float8, b numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (a IS NULL AND b IS NULL) OR abs(a::numeric - b) <= 1e-12
$$;

SELECT (SELECT count(*) FROM pairs) AS pairs,
       count(*) > 300 AS many_rows,
       count(*) FILTER (WHERE g.pair IS NULL OR w.pair IS NULL) AS rows_missing,
       count(*) FILTER (WHERE g.stage IS DISTINCT FROM w.stage) AS stage_differs,
       count(*) FILTER (WHERE g.reached <> w.reached OR g.baseline_reached <> w.baseline_reached) AS reached_differs,
       count(*) FILTER (WHERE NOT pg_temp.close(g.step_conversion, w.step_conversion)) AS conversion_differs,
       count(*) FILTER (WHERE NOT pg_temp.close(g.ci_low, w.ci_low) OR NOT pg_temp.close(g.ci_high, w.ci_high)) AS interval_differs,
       count(*) FILTER (WHERE NOT pg_temp.close(g.baseline_conversion, w.baseline_conversion)) AS baseline_differs,
       count(*) FILTER (WHERE NOT pg_temp.close(g.difference, w.step_conversion - w.baseline_conversion)) AS difference_differs,
       count(*) FILTER (WHERE CASE WHEN w.z_stat > 8 THEN NOT g.p_value BETWEEN 0 AND 1.3e-15
                                   ELSE NOT pg_temp.close(g.p_value, w.p_value) END) AS p_value_differs,
       count(*) FILTER (WHERE g.significant IS DISTINCT FROM
                              CASE WHEN w.z_stat > 8 THEN true ELSE w.p_value < g.alpha END) AS significant_differs
FROM got g FULL JOIN want w ON g.pair = w.pair AND g.position = w.position;

-- what the comparison covered
SELECT count(*) FILTER (WHERE p_value = 1) > 0 AS pooled_0_or_1,
       count(*) FILTER (WHERE p_value IS NULL AND step_conversion IS NOT NULL) > 0 AS baseline_without_clients,
       count(*) FILTER (WHERE reached = 0) > 0 AS f_without_clients,
       count(*) FILTER (WHERE step_conversion = 0) > 0 AS zero_conversion,
       count(*) FILTER (WHERE step_conversion = 1) > 0 AS full_conversion,
       count(*) FILTER (WHERE significant) > 0 AS significant,
       count(*) FILTER (WHERE NOT significant) > 0 AS not_significant,
       count(*) FILTER (WHERE p_value < 1e-15) > 0 AS far_tail,
       count(*) FILTER (WHERE stage IS NULL) > 0 AS unnamed,
       count(DISTINCT alpha) AS levels
FROM got;
