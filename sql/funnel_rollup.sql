-- Random rollups of funnels (aggregate and +) equal one pass; funnel_steps against plain SQL.
--
-- Randomized rollups: random splits of the same rows, aggregated apart and
-- merged (by the aggregate and by +), equal the one-pass aggregate; and
-- funnel_steps equals a plain-SQL computation of the same figures.
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.2718);
CREATE TEMP TABLE rr AS
SELECT id, seller, team, day,
       CASE WHEN r < 0.05 THEN NULL
            ELSE stage(p, CASE variant
                            WHEN 0 THEN NULL
                            WHEN 1 THEN upper(n)
                            WHEN 2 THEN n || ' ' || (id % 5)
                            WHEN 3 THEN 'этап ' || p
                            ELSE n END) END AS s
FROM (SELECT i AS id, 1 + i % 12 AS seller, i % 3 AS team, 1 + floor(random() * 30)::int AS day,
             random() AS r, floor(random() * 8)::int AS variant,
             (ARRAY[1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 9, 12])[1 + floor(random() * 13)::int] AS p
      FROM generate_series(1, 12000) i) x,
     LATERAL (SELECT (ARRAY['lead', 'qualified', 'meeting', 'demo', 'proposal', 'negotiation', 'contract',
                            'signed', 'invoiced', 'paid', 'renewal', 'won'])[x.p] AS n) m;
-- a seller with no stage at all: his parts are NULL funnels
UPDATE rr SET s = NULL WHERE seller = 12;

CREATE TEMP TABLE one_pass AS SELECT team, funnel_conversion(s) AS f FROM rr GROUP BY team;
SELECT team, f FROM one_pass ORDER BY team;

-- fold an array of funnels with +, in the array's order
CREATE FUNCTION pg_temp.fold(fs funnel[]) RETURNS funnel LANGUAGE plpgsql AS $$
DECLARE
  acc funnel;
  x funnel;
BEGIN
  FOREACH x IN ARRAY fs LOOP
    acc := acc + x;
  END LOOP;
  RETURN acc;
END $$;

-- 40 random splits into 1 to 50 parts
CREATE TEMP TABLE split AS
SELECT t AS trial, rr.team, 1 + floor(random() * (1 + t % 50))::int AS part, rr.s
FROM generate_series(1, 40) t, rr;
CREATE TEMP TABLE parts AS
SELECT trial, team, part, funnel_conversion(s) AS f FROM split GROUP BY trial, team, part;
CREATE TEMP TABLE merged AS
SELECT trial, team, funnel_conversion(f) AS by_aggregate, pg_temp.fold(array_agg(f ORDER BY random())) AS by_plus
FROM parts GROUP BY trial, team;
SELECT count(*) AS merges_checked,
       count(*) FILTER (WHERE m.by_aggregate::text IS DISTINCT FROM o.f::text) AS aggregate_mismatches,
       count(*) FILTER (WHERE m.by_plus::text IS DISTINCT FROM o.f::text) AS plus_mismatches
FROM merged m JOIN one_pass o USING (team);

-- two levels: seller per day -> seller -> team, and through the text form
-- (as Citus ships partial states)
CREATE TEMP TABLE daily AS SELECT team, seller, day, funnel_conversion(s) AS f FROM rr GROUP BY team, seller, day;
CREATE TEMP TABLE per_seller AS SELECT team, seller, funnel_conversion(f) AS f FROM daily GROUP BY team, seller;
SELECT count(*) AS teams,
       count(*) FILTER (WHERE t.f::text IS DISTINCT FROM o.f::text) AS two_level_mismatches,
       count(*) FILTER (WHERE x.f::text IS DISTINCT FROM o.f::text) AS via_text_mismatches
FROM one_pass o
LEFT JOIN (SELECT team, funnel_conversion(f) AS f FROM per_seller GROUP BY team) t USING (team)
LEFT JOIN (SELECT team, funnel_conversion(f::text::funnel) AS f FROM daily GROUP BY team) x USING (team);
SELECT count(*) FILTER (WHERE f IS NULL) AS null_seller_funnels FROM per_seller;

-- funnel_steps against plain SQL, per team and per seller
CREATE TEMP TABLE expected_steps AS
WITH r AS (
  SELECT team, seller, stage_position(s) AS p, stage_name(s) AS n FROM rr WHERE s IS NOT NULL
), groups AS (
  SELECT team, NULL::int AS seller, p, n FROM r
  UNION ALL
  SELECT team, seller, p, n FROM r
), counts AS (
  SELECT team, seller, p, count(*) AS stopped, min(n COLLATE "C") AS stage FROM groups GROUP BY 1, 2, 3
), grid AS (
  SELECT team, seller, g AS position
  FROM (SELECT team, seller, min(p) lo, max(p) hi FROM counts GROUP BY 1, 2) b, generate_series(lo, hi) g
), filled AS (
  SELECT g.team, g.seller, g.position, c.stage, coalesce(c.stopped, 0) AS stopped,
         sum(coalesce(c.stopped, 0)) OVER (PARTITION BY g.team, g.seller ORDER BY g.position DESC)::bigint AS reached
  FROM grid g LEFT JOIN counts c ON c.team = g.team AND c.seller IS NOT DISTINCT FROM g.seller AND c.p = g.position
)
SELECT team, seller, position, stage, reached, stopped,
       lead(reached) OVER w::float8 / reached AS step_conversion,
       last_value(reached) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)::float8 / reached AS total_conversion
FROM filled WINDOW w AS (PARTITION BY team, seller ORDER BY position);
CREATE TEMP TABLE actual_steps AS
SELECT team, NULL::int AS seller, st.* FROM one_pass, funnel_steps(f, 0.35) st
UNION ALL
SELECT team, seller, st.* FROM per_seller, funnel_steps(f, 0.35) st;
SELECT count(*) AS step_rows_checked,
       count(*) FILTER (WHERE (e.stage, e.reached, e.stopped, e.step_conversion, e.total_conversion, e.step_conversion < 0.35)
                        IS DISTINCT FROM (a.stage, a.reached, a.stopped, a.step_conversion, a.total_conversion, a.below_norm))
         AS step_mismatches
FROM expected_steps e FULL JOIN actual_steps a
  ON a.team = e.team AND a.seller IS NOT DISTINCT FROM e.seller AND a.position = e.position;

-- required_pipeline against plain SQL: required = target / total_conversion,
-- current = what a current funnel holds at the position
CREATE TEMP TABLE current_funnel AS SELECT team, funnel_conversion(s) AS f FROM rr WHERE day > 25 GROUP BY team;
CREATE TEMP TABLE current_counts AS
SELECT c.team, st.position, st.stopped FROM current_funnel c, funnel_steps(c.f) st;
SELECT count(*) AS pipeline_rows_checked,
       count(*) FILTER (WHERE (e.stage, e.step_conversion, 40.5 / e.total_conversion, coalesce(cc.stopped, 0),
                               40.5 / e.total_conversion - coalesce(cc.stopped, 0))
                        IS DISTINCT FROM (a.stage, a.step_conversion, a.required, a.current, a.gap)) AS pipeline_mismatches
FROM expected_steps e
JOIN current_funnel c ON c.team = e.team
LEFT JOIN current_counts cc ON cc.team = e.team AND cc.position = e.position
JOIN LATERAL required_pipeline((SELECT f FROM one_pass o WHERE o.team = e.team), 40.5, c.f) a ON a.position = e.position
WHERE e.seller IS NULL;
