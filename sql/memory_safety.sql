-- Every function taking a funnel type, on values in every datum form, as an ordinary role.
--
-- Memory safety as an ordinary role: values stored in every form a datum
-- takes (short header, plain 4-byte header, compressed, out of line) passed
-- to every function and aggregate of the extension that takes one of its
-- types, straight from a table, through a MATERIALIZED CTE, and as the
-- state a moving aggregate's inverse function returns.  Each call must give
-- what the same call on a fresh in-memory copy of the value gives (the same
-- result or the same clean error), and no call may raise an internal error.
CREATE ROLE funnel_sweep_user;
CREATE SCHEMA sweep AUTHORIZATION funnel_sweep_user;
SET ROLE funnel_sweep_user;
SET search_path = sweep, public;

-- the defects found by adversarial testing, each as it was reported
-- D1: the final function read a short-header value as a raw pointer
WITH t AS MATERIALIZED (SELECT 'v1 2026-01-01:65793/1'::attainment a)
SELECT attainment_final(a) FROM t;
-- D2: a moving aggregate's inverse hands a stored value to the transition
CREATE TABLE d2_src (a attainment, f funnel);
INSERT INTO d2_src VALUES ('v1 2026-01-01:65793/1', 'v1 {1:abc=1}');
CREATE FUNCTION pg_temp.inv(attainment, numeric, numeric, date) RETURNS attainment
    LANGUAGE sql AS $$ SELECT a FROM sweep.d2_src $$;
CREATE AGGREGATE pg_temp.mv(numeric, numeric, date) (
    SFUNC = attainment_trans, STYPE = attainment,
    MSFUNC = attainment_trans, MINVFUNC = pg_temp.inv, MSTYPE = attainment);
SELECT pg_temp.mv(1, 1, d) OVER (ORDER BY d ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES ('2026-01-01'::date), ('2026-01-02'), ('2026-01-03')) v(d);
CREATE FUNCTION pg_temp.finv(funnel, stage) RETURNS funnel
    LANGUAGE sql AS $$ SELECT f FROM sweep.d2_src $$;
CREATE AGGREGATE pg_temp.fmv(stage) (
    SFUNC = funnel_stage_trans, STYPE = funnel,
    MSFUNC = funnel_stage_trans, MINVFUNC = pg_temp.finv, MSTYPE = funnel);
-- the third row is {1:abc=1} from the inverse plus its own client at 2
SELECT pg_temp.fmv(s) OVER (ORDER BY s ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES ('1:abc'::stage), ('2'), ('2')) v(s);
-- D3: the transition and combine functions work outside an aggregate too
SELECT attainment_trans(NULL, 1, 1, '2020-01-01'),
       attainment_combine(NULL, 'v1 2026-01-01:1/1'),
       attainment_trans('v1 2026-01-03:1/1', 2, 3, '2026-01-01'),
       attainment_combine('v1 2026-01-03:1/1', 'v1 2026-01-01:1.5/2'),
       attainment_trans('v1 2026-01-03:1/1', NULL, 3, '2026-01-01') AS null_row_skipped,
       attainment_combine(NULL, NULL) IS NULL AS both_null;
-- D5: like float8 arithmetic, an overflowing required count is an error
SELECT * FROM required_pipeline('v1 {1=9223372036854775806, 2=1}', 1e300);
SELECT position, required FROM required_pipeline('v1 {1=9223372036854775806, 2=1}', 1e280);
-- pipeline_velocity is NULL unless every input is finite and the cycle positive
SELECT pipeline_velocity(10, 0.5, 1000, 'NaN') IS NULL AS nan_cycle,
       pipeline_velocity(10, 0.5, 1000, 'Infinity') IS NULL AS infinite_cycle,
       pipeline_velocity(10, 0.5, 1000, 0) IS NULL AS zero_cycle,
       pipeline_velocity(10, 'NaN', 1000, 5) IS NULL AS nan_rate,
       pipeline_velocity(10, '-Infinity', 1000, 5) IS NULL AS infinite_rate,
       pipeline_velocity(10, 0.5, 'NaN', 5) IS NULL AS nan_size,
       pipeline_velocity(10, 0.5, 'Infinity', 5) IS NULL AS infinite_size,
       pipeline_velocity(10, 0.5, 1000, 5) AS finite;

-- The stored values: per type a small value (short header), a medium one
-- (under 2 kB: a plain 4-byte header, compressed or moved out of line in a
-- row widened by an uncompressible PLAIN column) and a large one.
CREATE TABLE samples (type text, size text, literal text);
INSERT INTO samples
SELECT 'stage', 'small', '3:proposal'
UNION ALL SELECT 'stage', 'medium', stage(5, repeat('ab', 110))::text
UNION ALL SELECT 'contact_chain', 'small', 'call > email'
UNION ALL SELECT 'contact_chain', 'medium', (SELECT string_agg('call' || g % 3, ' > ') FROM generate_series(1, 150) g)
UNION ALL SELECT 'contact_chain', 'large', (SELECT string_agg('meeting' || g % 5, ' > ') FROM generate_series(1, 3000) g)
UNION ALL SELECT 'funnel', 'small', 'v1 {1:lead=10, 2:qualified=5, 4=2}'
UNION ALL SELECT 'funnel', 'medium', (SELECT funnel_conversion(stage(g % 40 + 1, 'stage ' || g % 40))::text FROM generate_series(1, 400) g)
UNION ALL SELECT 'funnel', 'large', (SELECT funnel_conversion(stage(g % 250 + 1, 'stage number ' || g % 250))::text FROM generate_series(1, 4000) g)
UNION ALL SELECT 'velocity', 'small', 'v1'
UNION ALL SELECT 'velocity', 'medium', (SELECT stage_velocity(stage(p, 'st' || p), '2026-01-01', '2026-01-01'::timestamptz + k * interval '1 hour')::text
                                        FROM generate_series(1, 8) p, generate_series(1, 5) k)
UNION ALL SELECT 'velocity', 'large', (SELECT stage_velocity(stage(p, 'st' || p), '2026-01-01', '2026-01-01'::timestamptz + exp(k / 3.0) * interval '1 second')::text
                                       FROM generate_series(1, 60) p, generate_series(1, 40) k)
UNION ALL SELECT 'attainment', 'small', 'v1 2026-01-01:65793/1'
UNION ALL SELECT 'attainment', 'medium', (SELECT plan_attainment(d % 7, 5, '2026-01-01'::date + d)::text FROM generate_series(0, 40) d)
UNION ALL SELECT 'attainment', 'large', (SELECT plan_attainment(d * 1000003 % 997, 500, '2025-01-01'::date + d)::text FROM generate_series(0, 400) d)
UNION ALL SELECT 'flow', 'small', 'v1 [2026-01-01,2026-02-01) 1:a(1,2,1,2)'
UNION ALL SELECT 'flow', 'medium', (SELECT pipeline_flow(stage(g % 40 + 1, 'stage ' || g % 40), '2026-01-01'::timestamptz + g * interval '1 hour', NULL, tstzrange('2026-01-01', '2026-02-01'))::text FROM generate_series(1, 400) g)
UNION ALL SELECT 'flow', 'large', (SELECT pipeline_flow(stage(g % 250 + 1, 'stage number ' || g % 250), '2026-01-01'::timestamptz + g * interval '1 hour', NULL, tstzrange('2026-01-01', '2026-02-01'))::text FROM generate_series(1, 4000) g);

-- stored_<type>: form short (small value), inline (medium), compressed and
-- external (medium in a widened row), large (as the toaster stores it)
CREATE FUNCTION make_store(t regtype) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
	name text := replace(t::text, ' ', '_');
	pad text := repeat('x', 2600);
BEGIN
	EXECUTE format('CREATE TABLE %I (id int, form text, v %s)', 'plain_' || name, t);
	EXECUTE format('CREATE TABLE %I (id int, form text, v %s, pad text)', 'wide_' || name, t);
	EXECUTE format('ALTER TABLE %I ALTER pad SET STORAGE PLAIN', 'wide_' || name);
	EXECUTE format('CREATE TABLE %I (id int, form text, v %s, pad text)', 'ext_' || name, t);
	EXECUTE format('ALTER TABLE %I ALTER pad SET STORAGE PLAIN, ALTER v SET STORAGE EXTERNAL', 'ext_' || name);
	EXECUTE format($q$INSERT INTO %I SELECT 1, 'short', literal::%s FROM samples WHERE type = %L AND size = 'small'
	                  UNION ALL SELECT 2, 'inline', literal::%s FROM samples WHERE type = %L AND size = 'medium'
	                  UNION ALL SELECT 5, 'large', literal::%s FROM samples WHERE type = %L AND size = 'large'$q$,
				   'plain_' || name, t, t, t, t, t, t);
	EXECUTE format($q$INSERT INTO %I SELECT 3, 'compressed', literal::%s, %L FROM samples WHERE type = %L AND size = 'medium'$q$,
				   'wide_' || name, t, pad, t);
	EXECUTE format($q$INSERT INTO %I SELECT 4, 'external', literal::%s, %L FROM samples WHERE type = %L AND size = 'medium'$q$,
				   'ext_' || name, t, pad, t);
	EXECUTE format('CREATE VIEW %I AS SELECT id, form, v FROM %I UNION ALL SELECT id, form, v FROM %I UNION ALL SELECT id, form, v FROM %I',
				   'stored_' || name, 'plain_' || name, 'wide_' || name, 'ext_' || name);
END
$fn$;
SELECT make_store(t) FROM unnest('{stage,contact_chain,funnel,velocity,attainment,flow}'::regtype[]) t;

-- the forms are the ones intended: a value under 127 bytes of a type that
-- is not PLAIN is stored with a 1-byte header, compressed ones are, and the
-- external ones are in the TOAST table
CREATE FUNCTION form_check(t regtype) RETURNS TABLE (type regtype, form text, as_intended boolean)
LANGUAGE plpgsql AS $fn$
BEGIN
	RETURN QUERY EXECUTE format($q$
		SELECT %L::regtype, form,
		       CASE form WHEN 'short' THEN pg_column_size(v) < 127
		                 WHEN 'inline' THEN pg_column_compression(v) IS NULL AND pg_column_size(v) >= 127
		                 WHEN 'compressed' THEN pg_column_compression(v) IS NOT NULL
		                 WHEN 'external' THEN pg_column_compression(v) IS NULL
		                 ELSE true END
		FROM %I ORDER BY id$q$, t, 'stored_' || replace(t::text, ' ', '_'));
END
$fn$;
SELECT f.* FROM unnest('{stage,contact_chain,funnel,velocity,attainment,flow}'::regtype[]) t, form_check(t) f;
SELECT typname, typstorage FROM pg_type
WHERE typname IN ('stage', 'contact_chain', 'funnel', 'velocity', 'attainment', 'flow') ORDER BY 1;
SELECT c.relname, pg_relation_size(c.reltoastrelid) > 0 AS values_out_of_line
FROM pg_class c WHERE c.relname LIKE 'ext\_%' AND c.relnamespace = 'sweep'::regnamespace ORDER BY 1;

-- a fixed argument for each other position
CREATE FUNCTION arg_default(t regtype) RETURNS text LANGUAGE sql AS $$
	SELECT CASE t
		WHEN 'stage'::regtype THEN $a$'2:b'::stage$a$
		WHEN 'contact_chain'::regtype THEN $a$'call > email'::contact_chain$a$
		WHEN 'funnel'::regtype THEN $a$'v1 {1:lead=3, 2=1}'::funnel$a$
		WHEN 'velocity'::regtype THEN $a$'v1 1:st1(3,0,21600000000,3600000000,10800000000;3286,3414,3488)'::velocity$a$
		WHEN 'attainment'::regtype THEN $a$'v1 2026-01-01:1/2'::attainment$a$
		WHEN 'flow'::regtype THEN $a$'v1 [2026-01-01,2026-02-01) 2:b(0,3,1,2)'::flow$a$
		WHEN 'tstzrange'::regtype THEN $a$tstzrange('2026-01-01', '2026-02-01')$a$
		WHEN 'bigint'::regtype THEN '7::bigint'
		WHEN 'integer'::regtype THEN '2'
		WHEN 'double precision'::regtype THEN '0.5::float8'
		WHEN 'numeric'::regtype THEN '2::numeric'
		WHEN 'date'::regtype THEN $a$'2026-01-02'::date$a$
		WHEN 'timestamp with time zone'::regtype THEN $a$'2026-01-02 10:00+00'::timestamptz$a$
		WHEN 'timestamp with time zone[]'::regtype THEN $a$'{2026-01-02 10:00+00, NULL, 2026-01-03 10:00+00}'::timestamptz[]$a$
		WHEN 'text'::regtype THEN $a$'call'::text$a$
	END
$$;

-- result of a query as text, or the SQLSTATE of its error
CREATE FUNCTION outcome(q text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
	r text;
BEGIN
	EXECUTE q INTO r;
	RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END
$fn$;

CREATE TABLE sweep_calls (fn text, arg int, form text, route text, got text, fresh text);

-- every function and aggregate of the extension with one of its types
-- among its arguments (and none of type internal)
CREATE VIEW targets AS
SELECT p.oid AS fn, p.prokind, ARRAY(SELECT unnest(p.proargtypes::oid[]::regtype[])) AS args
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
WHERE p.proargtypes::oid[] && '{stage,contact_chain,funnel,velocity,attainment,flow}'::regtype[]::oid[]
  AND NOT 'internal'::regtype::oid = ANY (p.proargtypes::oid[]);

CREATE FUNCTION sweep_all() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
	t record;
	s record;
	i int;
	k int;
	call_stored text;
	call_fresh text;
	store text;
	fn_name text;
BEGIN
	FOR t IN SELECT * FROM targets ORDER BY fn::regprocedure::text LOOP
		fn_name := (SELECT format('%I', proname) FROM pg_proc WHERE oid = t.fn);
		FOR i IN 1 .. array_length(t.args, 1) LOOP
			CONTINUE WHEN t.args[i] NOT IN ('stage', 'contact_chain', 'funnel', 'velocity', 'attainment', 'flow');
			store := 'stored_' || t.args[i]::text;
			call_stored := fn_name || '(';
			call_fresh := fn_name || '(';
			FOR k IN 1 .. array_length(t.args, 1) LOOP
				IF k > 1 THEN
					call_stored := call_stored || ', ';
					call_fresh := call_fresh || ', ';
				END IF;
				IF k = i THEN
					call_stored := call_stored || 'v';
					call_fresh := call_fresh || format('v::text::%s', t.args[i]);
				ELSE
					call_stored := call_stored || arg_default(t.args[k]);
					call_fresh := call_fresh || arg_default(t.args[k]);
				END IF;
			END LOOP;
			call_stored := call_stored || ')';
			call_fresh := call_fresh || ')';
			FOR s IN EXECUTE format('SELECT id, form FROM %I ORDER BY id', store) LOOP
				INSERT INTO sweep_calls
				SELECT t.fn::regprocedure::text, i, s.form, r.route, outcome(format(r.q, call_stored)), outcome(format(r.q, call_fresh))
				FROM (VALUES
					('table', format('SELECT string_agg(r::text, %L) FROM (SELECT %%s AS r FROM %I WHERE id = %s) x', ' | ', store, s.id)),
					('cte', format('WITH m AS MATERIALIZED (SELECT v FROM %I WHERE id = %s) SELECT string_agg(r::text, %L) FROM (SELECT %%s AS r FROM m) x', store, s.id, ' | '))
				) r(route, q);
			END LOOP;
		END LOOP;
	END LOOP;
END
$fn$;
SELECT sweep_all();

-- every target was called, with every form of value, by both routes
SELECT fn, count(*) AS calls,
       count(*) FILTER (WHERE got IS DISTINCT FROM fresh) AS differ,
       count(*) FILTER (WHERE got LIKE 'ERROR XX%' OR fresh LIKE 'ERROR XX%') AS internal_errors,
       count(*) FILTER (WHERE got LIKE 'ERROR%') AS errors
FROM sweep_calls GROUP BY fn ORDER BY fn;
SELECT * FROM sweep_calls WHERE got IS DISTINCT FROM fresh OR got LIKE 'ERROR XX%' ORDER BY 1, 2, 3, 4;
SELECT count(DISTINCT fn) = (SELECT count(*) FROM targets) AS every_target_called,
       count(DISTINCT form) AS forms FROM sweep_calls;

-- Moving aggregates whose inverse returns a stored value of every form:
-- the rows after it must equal the same transitions called directly on a
-- fresh copy of that value.
CREATE TABLE moving (sfunc text, finalfunc text, stype regtype, argtypes text, row1 text, row2 text, row3 text);
INSERT INTO moving VALUES
	('attainment_trans', 'attainment_final', 'attainment', 'numeric, numeric, date',
	 $$1, 2, '2026-01-01'$$, $$3, 4, '2026-01-02'$$, $$5.5, 6, '2026-01-03'$$),
	('attainment_combine', 'attainment_final', 'attainment', 'attainment',
	 $$'v1 2026-01-01:1/2'$$, $$'v1 2026-01-02:3/4'$$, $$'v1 2025-12-30:5/6'$$),
	('funnel_stage_trans', 'funnel_final', 'funnel', 'stage',
	 $$'1:lead'$$, $$'2:qualified'$$, $$'3:a name that the stored value lacks'$$),
	('funnel_merge_trans', 'funnel_final', 'funnel', 'funnel',
	 $$'v1 {1:lead=3}'$$, $$'v1 {2=4}'$$, $$'v1 {1:a=2, 7:won=1}'$$),
	('velocity_trans', 'velocity_final', 'velocity', 'stage, timestamptz, timestamptz',
	 $$'1:a', '2026-01-01', '2026-01-02'$$, $$'2:b', '2026-01-01', NULL$$, $$'9:new', '2026-01-01', '2026-03-01'$$),
	('velocity_merge', 'velocity_final', 'velocity', 'velocity',
	 $$'v1 1:st1(3,0,21600000000,3600000000,10800000000;3286,3414,3488)'$$, $$'v1'$$,
	 $$'v1 2:st2(3,0,21600000000,3600000000,10800000000;3286,3414,3488)'$$);

CREATE TABLE moving_rows (sfunc text, form text, got text[], expected text[]);

CREATE FUNCTION moving_all() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
	m record;
	s record;
	store text;
	types text[];
	columns text;
	call_args text;
	got text[];
	expected text[];
	first_state text;
	second_state text;
BEGIN
	FOR m IN SELECT * FROM moving ORDER BY sfunc LOOP
		store := 'stored_' || m.stype::text;
		types := string_to_array(m.argtypes, ', ');
		columns := (SELECT string_agg('a' || g, ', ') FROM generate_series(1, cardinality(types)) g);
		call_args := (SELECT string_agg(format('a%s::%s', g, types[g]), ', ') FROM generate_series(1, cardinality(types)) g);
		EXECUTE format('CREATE FUNCTION pg_temp.inverse(%s, %s) RETURNS %s LANGUAGE sql AS %L',
					   m.stype, m.argtypes, m.stype,
					   format($q$SELECT v FROM sweep.%I WHERE id = current_setting('sweep.id')::int$q$, store));
		EXECUTE format('CREATE AGGREGATE pg_temp.moving(%s) (SFUNC = %s, STYPE = %s, MSFUNC = %s, '
					   'MINVFUNC = pg_temp.inverse, MSTYPE = %s, MFINALFUNC = %s)',
					   m.argtypes, m.sfunc, m.stype, m.sfunc, m.stype, m.finalfunc);
		first_state := format('%s(NULL, %s)', m.sfunc, m.row1);
		second_state := format('%s(%s, %s)', m.sfunc, first_state, m.row2);
		FOR s IN EXECUTE format('SELECT id, form FROM %I ORDER BY id', store) LOOP
			PERFORM set_config('sweep.id', s.id::text, true);
			EXECUTE format($q$SELECT array_agg(r::text ORDER BY n) FROM (
				SELECT n, pg_temp.moving(%s) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r
				FROM (SELECT 1, %s UNION ALL SELECT 2, %s UNION ALL SELECT 3, %s) v(n, %s)) w$q$,
				call_args, m.row1, m.row2, m.row3, columns)
				INTO got;
			EXECUTE format($q$SELECT ARRAY[%s(%s)::text, %s(%s)::text,
			                  %s(%s((SELECT v::text::%s FROM %I WHERE id = %s), %s))::text]$q$,
						   m.finalfunc, first_state, m.finalfunc, second_state,
						   m.finalfunc, m.sfunc, m.stype, store, s.id, m.row3)
				INTO expected;
			INSERT INTO moving_rows VALUES (m.sfunc, s.form, got, expected);
		END LOOP;
		EXECUTE format('DROP AGGREGATE pg_temp.moving(%s)', m.argtypes);
		EXECUTE format('DROP FUNCTION pg_temp.inverse(%s, %s)', m.stype, m.argtypes);
	END LOOP;
END
$fn$;
SELECT moving_all();
SELECT sfunc, count(*) AS forms, count(*) FILTER (WHERE got = expected) AS right_result
FROM moving_rows GROUP BY sfunc ORDER BY sfunc;
SELECT * FROM moving_rows WHERE got IS DISTINCT FROM expected ORDER BY 1, 2;

-- the same moving aggregates through the extension's own final functions,
-- called directly on every stored form
SELECT 'attainment_final' AS fn, form, attainment_final(v) = v AS same FROM stored_attainment
UNION ALL SELECT 'funnel_final', form, funnel_final(v) = v FROM stored_funnel
UNION ALL SELECT 'velocity_final', form, velocity_final(v) = v FROM stored_velocity
ORDER BY 1, 2;

RESET ROLE;
RESET search_path;
DROP OWNED BY funnel_sweep_user;
DROP ROLE funnel_sweep_user;
