-- One call per SQL-language function of funnel, fully qualified and with
-- literal arguments only, so that under a hostile search_path nothing but the
-- function bodies can resolve a name to the attacker's schema
-- (test/suites/security.sh).  One query per line.
SELECT public.pipeline_velocity(10, 0.25, 1000, 30);
