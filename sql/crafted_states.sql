-- Crafted states in a role's own aggregates: every state reader refuses what no transition makes.
--
-- Aggregates of a role's own over funnel's support functions: a state's
-- bytes are user input (CREATE AGGREGATE pg_temp.x with a SQL transition
-- returning a crafted state, or an initcond), so every function that reads
-- a state refuses one its aggregate could not have made, with a specific
-- SQLSTATE (issue 27).  test/sql/crafted_state_sweep.sql sweeps mutated states
-- of every type under AddressSanitizer; these are the cases it grew from.
CREATE ROLE funnel_crafter;
SET ROLE funnel_crafter;
SET timezone = 'UTC';
\set VERBOSITY terse

-- window_funnel_values_final reads the value pool only of a state made
-- with values: a state of 2 rows and no values is refused
CREATE FUNCTION pg_temp.no_values(s window_funnel_state, w interval, t timestamptz, v anyelement, st boolean[])
  RETURNS window_funnel_state LANGUAGE sql AS $$ SELECT '\x040100000000000000141dd7600000000002000000000000000000000002000000000000000200000001002ea470ae860000000000000001002ea47e17c04000000000010002'::window_funnel_state $$;
CREATE AGGREGATE pg_temp.values_of(interval, timestamptz, anyelement, boolean[])
  (sfunc = pg_temp.no_values, stype = window_funnel_state, finalfunc = window_funnel_values_final, finalfunc_extra);
SELECT pg_temp.values_of('1 day', now(), 'x'::bytea, ARRAY[true, true]);
\echo :LAST_ERROR_SQLSTATE
-- an initial state without values, continued by window_funnel_values'
-- transition, would leave rows without values: refused
CREATE AGGREGATE pg_temp.values_from(interval, timestamptz, anyelement, VARIADIC boolean[])
  (sfunc = window_funnel_values_trans, stype = window_funnel_state, finalfunc = window_funnel_values_final,
   finalfunc_extra, initcond = '\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001');
SELECT pg_temp.values_from('1 day', ts, ts, true, true)
FROM generate_series(timestamptz '2026-01-01', '2026-01-03', '1 day') ts;
\echo :LAST_ERROR_SQLSTATE
-- the same initial state (step 1 on 2416-01-12) continued by window_funnel's
-- own transition is one of its states: the level counts its row
CREATE AGGREGATE pg_temp.level_from(interval, timestamptz, VARIADIC boolean[])
  (sfunc = window_funnel_trans, stype = window_funnel_state, finalfunc = window_funnel_final,
   initcond = '\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001');
SELECT pg_temp.level_from('1 day', ts, false, true) AS level
FROM generate_series(timestamptz '2416-01-12 12:00', '2416-01-13 12:00', '1 day') ts;

-- the times finals refuse a state of the other time axis
CREATE AGGREGATE pg_temp.bigint_times(bigint, bigint, boolean[])
  (sfunc = window_funnel_trans, stype = window_funnel_state, finalfunc = window_funnel_times_final);
SELECT pg_temp.bigint_times(10, 9223372036854775000, ARRAY[true]);
\echo :LAST_ERROR_SQLSTATE
CREATE AGGREGATE pg_temp.tstz_times(interval, timestamptz, boolean[])
  (sfunc = window_funnel_trans, stype = window_funnel_state, finalfunc = window_funnel_times_bigint_final);
SELECT pg_temp.tstz_times('1 day', now(), ARRAY[true]);
\echo :LAST_ERROR_SQLSTATE
-- window_funnel's final function refuses a state with values (one final
-- for both axes: it checks no axis)
CREATE AGGREGATE pg_temp.level_of_values(interval, timestamptz, anyelement, VARIADIC boolean[])
  (sfunc = window_funnel_values_trans, stype = window_funnel_state, finalfunc = window_funnel_final);
SELECT pg_temp.level_of_values('1 day', now(), 1, true);
\echo :LAST_ERROR_SQLSTATE
-- and so do transitions and combine functions
CREATE AGGREGATE pg_temp.bigint_from_tstz(bigint, bigint, boolean[])
  (sfunc = window_funnel_trans, stype = window_funnel_state, finalfunc = window_funnel_final,
   initcond = '\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001');
SELECT pg_temp.bigint_from_tstz(10, 5, ARRAY[true]);
\echo :LAST_ERROR_SQLSTATE
CREATE AGGREGATE pg_temp.combined(window_funnel_state)
  (sfunc = window_funnel_combine, stype = window_funnel_state, finalfunc = window_funnel_final);
SELECT pg_temp.combined(s::window_funnel_state)
FROM (VALUES ('\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001'), ('\x0401000000000000000000000000000000010000000000000000000000010000000000000001000000020000000000000007000000000001')) v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.combined(s::window_funnel_state) AS level
FROM (VALUES ('\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001'), ('\x040100000000000000141dd7600000000002000000000000000000000001000000000000000100000001002ea470ae860000000000000001')) v(s);

-- (a stage_velocity_history naming a stage it has no entry of, the issue's
-- F2, is refused on input: sql/velocity_history.sql)

-- a final of a role's own named window_funnel_final (a role that may
-- create in the extension's schema) is not taken for ours: a state shared
-- with window_funnel's, read in time order, keeps its times, so the state
-- it lets out gives them
RESET ROLE;
GRANT CREATE ON SCHEMA public TO funnel_crafter;
SET ROLE funnel_crafter;
CREATE FUNCTION public.window_funnel_final(s window_funnel_state, w interval, t timestamptz, st boolean[])
  RETURNS window_funnel_state LANGUAGE sql AS 'SELECT s';
CREATE AGGREGATE pg_temp.let_out(interval, timestamptz, VARIADIC boolean[])
  (sfunc = window_funnel_trans, stype = window_funnel_state, finalfunc = public.window_funnel_final,
   finalfunc_extra);
CREATE AGGREGATE pg_temp.times_of(window_funnel_state)
  (sfunc = window_funnel_combine, stype = window_funnel_state, finalfunc = window_funnel_times_final);
SELECT pg_temp.times_of(s) AS times, min(level) AS level
FROM (SELECT window_funnel('1 day', ts, ts::time < '12:00', ts::time >= '12:00' ORDER BY ts) AS level,
             pg_temp.let_out('1 day', ts, ts::time < '12:00', ts::time >= '12:00' ORDER BY ts) AS s
      FROM generate_series(timestamptz '2026-01-01', '2026-01-02', '6 hours') ts) q;
DISCARD TEMP;
DROP FUNCTION public.window_funnel_final(window_funnel_state, interval, timestamptz, boolean[]);
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM funnel_crafter;
DROP ROLE funnel_crafter;
