-- funnel_steps and required_pipeline compute step conversion and needed clients from a funnel
-- 20 clients: 10 stopped at lead, 5 at qualified, none at 3, 2 at proposal
-- (position 4), none at 5, 3 won (position 6)
SELECT * FROM funnel_steps('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}');
-- the norm: an explicit share, or the setting funnel.min_conversion read at call time
SELECT position, step_conversion, below_norm FROM funnel_steps('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}', 0.55);
SELECT position, below_norm FROM funnel_steps('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}', 0);
SELECT position, below_norm FROM funnel_steps('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}', 1);
SHOW funnel.min_conversion;
SET funnel.min_conversion = 0.6;
SELECT position, step_conversion, below_norm FROM funnel_steps('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}');
RESET funnel.min_conversion;
SELECT position, step_conversion, below_norm FROM funnel_steps('v1 {1:lead=91, 2:qualified=9, 3=1}');
-- a funnel that starts late, a single position, an empty funnel, NULL
SELECT * FROM funnel_steps('v1 {3:meeting=4, 5=1}');
SELECT * FROM funnel_steps('v1 {7:won=2}');
SELECT count(*) AS empty_rows FROM funnel_steps('v1 {}');
SELECT count(*) AS null_rows FROM funnel_steps(NULL);
SELECT count(*) AS null_rows FROM funnel_steps(NULL, 0.5);
-- full range, big counts
SELECT count(*), min(position), max(position), max(reached), sum(stopped)
FROM funnel_steps('v1 {1=4611686018427387903, 255=4611686018427387903}');
-- errors: 22023
\set VERBOSITY default
SELECT * FROM funnel_steps('v1 {1=1}', -0.1);
SELECT * FROM funnel_steps('v1 {1=1}', 1.5);
SELECT * FROM funnel_steps('v1 {1=1}', 'NaN');
SELECT * FROM funnel_steps('v1 {1=1}', NULL);
SET funnel.min_conversion = 2;
\set VERBOSITY terse
DO $$
DECLARE
  norms float8[] := ARRAY[-0.1, 1.5, 'NaN', NULL];
  n float8;
BEGIN
  FOREACH n IN ARRAY norms LOOP
    BEGIN
      PERFORM * FROM funnel_steps('v1 {1=1}', n);
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', coalesce(n::text, 'NULL'), SQLSTATE;
    END;
  END LOOP;
END $$;
\set VERBOSITY default

-- required_pipeline: required(last) = target, required(p) = required(next) / step_conversion(p)
SELECT * FROM required_pipeline('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}', 6);
-- with the current funnel: its clients per position (0 where it has none,
-- positions outside the history's range ignored) and the gap
SELECT * FROM required_pipeline('v1 {1:lead=10, 2:qualified=5, 4:proposal=2, 6:won=3}', 6,
                                'v1 {1:lead=20, 3:meeting=4, 4:proposal=5, 9:other=7}');
-- NULL current: current and gap NULL, as without it
SELECT count(*) FILTER (WHERE current IS NULL AND gap IS NULL) AS null_current_rows
FROM required_pipeline('v1 {1=3, 2=1}', 2, NULL);
SELECT * FROM required_pipeline('v1 {2:qualified=3, 3:won=1}', 0, 'v1 {}');
SELECT count(*) AS null_history_rows FROM required_pipeline(NULL, 5, 'v1 {1=1}');
SELECT * FROM required_pipeline('v1 {4:won=9}', 12.5, 'v1 {4:won=2}');
-- the same required counts by the chained definition
SELECT position, required,
       lead(required) OVER (ORDER BY position) / step_conversion AS chained
FROM required_pipeline('v1 {1=7, 2=6, 3=2, 5=1}', 10);
\set VERBOSITY default
SELECT * FROM required_pipeline('v1 {1=1}', -1);
SELECT * FROM required_pipeline('v1 {1=1}', NULL);
SELECT * FROM required_pipeline('v1 {1=1}', 'Infinity');
SELECT * FROM required_pipeline('v1 {1=1}', 'NaN', 'v1 {}');
\set VERBOSITY terse
DO $$
DECLARE
  targets float8[] := ARRAY[-1::float8, NULL, 'Infinity', 'NaN'];
  t float8;
BEGIN
  FOREACH t IN ARRAY targets LOOP
    BEGIN
      PERFORM * FROM required_pipeline('v1 {1=1}', t);
    EXCEPTION WHEN others THEN
      RAISE NOTICE '% -> %', coalesce(t::text, 'NULL'), SQLSTATE;
    END;
  END LOOP;
END $$;
\set VERBOSITY default
