-- The soft-error checks of sql/input_soft_errors.sql, for PostgreSQL 17+
-- (COPY ... ON_ERROR is new in 17); in a file of its own because psql
-- would read inline COPY data even in a skipped \if branch.
-- the error a cast to type raises, as code / message / detail / hint
CREATE FUNCTION pg_temp.raised(input text, type text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  code text; message text; detail text; hint text;
BEGIN
  EXECUTE format('SELECT $1::%s', type) USING input;
  RETURN NULL;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
  RETURN concat_ws(' / ', code, message, nullif(detail, ''), nullif(hint, ''));
END $$;

-- the error pg_input_error_info saves, in the same form
CREATE FUNCTION pg_temp.saved(input text, type text) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' / ', sql_error_code, message, detail, hint)
  FROM pg_input_error_info(input, type)
  WHERE message IS NOT NULL
$$;

-- text made from raw bytes, for names in an invalid encoding, shown as hex
CREATE CAST (bytea AS text) WITHOUT FUNCTION;
CREATE CAST (text AS bytea) WITHOUT FUNCTION;

CREATE TEMP TABLE bad_input (type text, input text);
INSERT INTO bad_input VALUES
  ('stage', ''), ('stage', 'x:lead'), ('stage', '3 x'), ('stage', '0:lead'), ('stage', '256'),
  ('stage', '2:' || repeat('n', 256)), ('stage', '\x333aff'::bytea::text),
  ('contact_chain', 'call > '), ('contact_chain', 'call > "mail'), ('contact_chain', repeat('x', 256)),
  ('contact_chain', repeat('a > ', 10000) || 'a'), ('contact_chain', '\x63616c6c203e20ff'::bytea::text),
  ('funnel', ''), ('funnel', 'v2 {1=1}'), ('funnel', 'v1 {1=x}'), ('funnel', 'v1 {1:a=1, 1:b=2}'),
  ('funnel', 'v1 {1=99999999999999999999}'), ('funnel', 'v1 {0=1}'),
  ('funnel', 'v1 {1:' || repeat('n', 256) || '=1}'), ('funnel', '\x7631207b313ac3283d317d'::bytea::text),
  ('velocity', ''), ('velocity', 'v1 1(0,0)'), ('velocity', 'v1 2(0,1) 1(0,1)'),
  ('velocity', 'v1 1(99999999999999999999,0)'), ('velocity', 'v1 1:' || repeat('n', 256) || '(0,1)'),
  ('velocity', '\x763120313aff28302c3129'::bytea::text),
  ('attainment', ''), ('attainment', 'v1 2026-01-01:1'), ('attainment', 'v1 2026-01-01:1/-1'),
  ('attainment', 'v1 2026-01-01:123456789012345678901234567890123456789/1'),
  ('attainment', 'v1 2026-01-01:' || repeat('1/1,', 40) || 'x'),
  ('attainment', 'v1 2026-01-01:1/1 2127-01-01:1/1'),
  ('window_funnel_state', 'ab'), ('window_funnel_state', '\x0g'), ('window_funnel_state', '\x05'),
  ('contact_chain_agg_state', '\x010000000100000000000000000463616c'),
  ('stage_velocity_history', '\x010000000000000001000000000000000100000000000000000000'),
  ('flow', ''), ('flow', 'v1 [2026-01-01,someday)'), ('flow', 'v1 [2026-02-01,2026-01-01)'),
  ('flow', 'v1 [2026-01-01,2026-01-01)'), ('flow', 'v1 [2026-01-01,2026-02-01) 1(1,2,3,1)'),
  ('flow', 'v1 [2026-01-01,2026-02-01) 1(9223372036854775807,1,0,0)'),
  ('flow', '\x7631205b323032362d30312d30312c2920313aff28302c312c302c3129'::bytea::text),
  ('pipeline_flow_state', '\x02'), ('pipeline_flow_state', '\x01000000000000000000000000000000000000'),
  ('pipeline_flow_history', '\x010000000000000000000000000000000000000000000000000000');

-- every bad input: invalid, and the saved error is the raised one
SELECT type, CASE WHEN pg_temp.saved(input, type) LIKE '22021 %' THEN encode(input::bytea, 'hex')
                  ELSE left(input, 40) END AS input,
       NOT pg_input_is_valid(input, type) AS invalid,
       pg_temp.saved(input, type) IS NOT DISTINCT FROM pg_temp.raised(input, type) AS same_error,
       left(pg_temp.saved(input, type), 160) AS saved
FROM bad_input ORDER BY type, input::bytea;

-- valid input is valid, and reads back as the cast reads it
SELECT type, input, pg_input_is_valid(input, type) AS valid, pg_temp.saved(input, type) IS NULL AS no_error
FROM (VALUES ('stage', '3:proposal'), ('stage', '2:встреча'), ('contact_chain', 'call > "e-mail" > встреча'),
             ('funnel', 'v1 {1:lead=120, 2:qualified=64}'), ('velocity', 'v1 1:lead(1,0,5,5,5;5)'),
             ('attainment', 'v1 2026-01-05:12/10,9/10'),
             ('window_funnel_state', '\x040100000000000000000000000000000000000000000000000000000000000000000000000000000002'),
             ('contact_chain_agg_state', '\x0100000000'),
             ('stage_velocity_history', '\x01000000000000000000'),
             ('flow', 'v1 [2026-01-01,2026-02-01) 1:lead(4,7,6,5)'),
             ('pipeline_flow_state', '\x01040000000000000000000000141dd7600000'),
             ('pipeline_flow_history', '\x01040000000000000000000000141dd76000000000000000000000')) v(type, input)
ORDER BY type;

-- COPY skips the rows a type rejects and loads the rest unchanged
CREATE TEMP TABLE loaded (s stage, c contact_chain, f funnel, v velocity, a attainment);
COPY loaded FROM STDIN WITH (ON_ERROR ignore);
1:lead	call > mail	v1 {1:lead=2}	v1 1:lead(1,0,5,5,5;5)	v1 2026-01-05:12/10
x:lead	call	v1 {1=1}	v1 1(0,1)	v1 2026-01-05:1/1
2:meeting	call > "mail	v1 {1=1}	v1 1(0,1)	v1 2026-01-05:1/1
3:offer	call	v1 {1=x}	v1 1(0,1)	v1 2026-01-05:1/1
4:contract	call	v1 {1=1}	v1 1(0,0)	v1 2026-01-05:1/1
5:won	call	v1 {1=1}	v1 1(0,1)	v1 2026-01-05:1/-1
6:paid	meeting > call	v1 {2:qualified=7}	v1 2(0,3)	v1 2026-01-06:3/4,5/4
\.
SELECT s, c, f, v, a FROM loaded ORDER BY s;

DROP CAST (bytea AS text);
DROP CAST (text AS bytea);
