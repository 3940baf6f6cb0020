-- sequence_match, sequence_count, sequence_match_times and retention against slow references on random groups.
--
-- The three sequence functions against the transliteration of ClickHouse's
-- backtracker (test/include/reference_sequence.sql, itself checked by
-- sequence_reference_cases) on random groups: times with many equal ones,
-- four conditions (rows satisfying several, none, NULL conditions), rows
-- without a time, and patterns covering every construct (see
-- seq_patterns).  Each group's answers must be the reference's: the output
-- is counts of groups and of mismatches (which must be 0) per form:
-- conditions or event names, bigint or timestamptz axis, rows fed in
-- arrival order, in time order or reversed.  Then a parallel plan
-- (Partial and Finalize Aggregate) must give the serial plan's answers,
-- and retention the answers of a plain SQL reference (bool_or).
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_sequence.sql
\set ECHO all
SELECT setseed(0.3030);

-- The patterns: every atom, every time operator, leading and trailing time
-- conditions, .* before a time condition, the empty pattern, patterns
-- naming fewer conditions than the four passed; tz_pattern is the same on
-- the timestamptz axis, some with V as a quoted interval
CREATE TEMP TABLE seq_patterns (pid int, pattern text, tz_pattern text, event_names boolean, half_seconds boolean);
INSERT INTO seq_patterns (pid, pattern)
SELECT n, p FROM unnest(ARRAY[
  '', '.', '.*', '..', '.*.*', '(?1)', '(?3)', '(?1)(?2)', '(?1).(?2)', '(?1).*(?2)', '(?2)(?1)(?3)',
  '(?1).*(?2).*(?3)', '(?1)(?1)', '(?1).*', '.*(?2)', '(?4)..(?1)', '(?1).*(?1).*(?1)',
  -- (?N) time (?N)
  '(?1)(?t<=3)(?2)', '(?1)(?t<3)(?2)', '(?1)(?t>=3)(?2)', '(?1)(?t>3)(?2)', '(?1)(?t==3)(?2)',
  '(?1)(?t==0)(?2)', '(?1)(?t<=0)(?1)', '(?2)(?t==0)(?1)',
  -- .* or . then time
  '(?1).*(?t<=2)(?2)', '(?1).*(?t>2)(?2)', '(?1).*(?t==1)(?2)', '(?1).*(?t<1)(?2)', '(?1).(?t<=1)(?3)',
  '.(?t>=2).', '.(?t<1).', '.*(?t>0)(?2).',
  -- leading time conditions
  '(?t>2)(?1)', '(?t<=1)(?2)', '(?t==2)(?1)(?t==0)(?2)', '(?t>=1)(?1)(?t<4)(?3)',
  -- trailing time conditions
  '(?1)(?t<2)', '(?1)(?t<=0)', '(?1)(?t>4)', '(?1)(?t>=0)', '(?1)(?t>=2)', '(?1)(?t==2)', '.*(?t<=3)',
  -- time conditions only
  '(?t<0)', '(?t<=5)', '(?t>=0)', '(?t>1)', '(?t==0)', '.*(?t<0).*(?t>=0)',
  -- longer
  '(?2)(?t<=5)(?1)(?t>=1)(?3)', '(?1)(?t<=4)(?2).*(?3)(?t>1)(?4)', '(?4).(?t==1).*(?1)',
  '(?1)(?t>=2).(?t<=4)(?2)', '(?3)(?t<10)(?3)(?t<10)(?3)', '(?1)(?t>=1)(?1)(?t>=1)(?1)',
  '(?1).*(?t>1)(?2).*(?t<=3)(?1)'
]) WITH ORDINALITY u(p, n);
UPDATE seq_patterns SET tz_pattern = CASE pattern
  WHEN '(?1)(?t<=3)(?2)' THEN '(?1)(?t<=''3 seconds'')(?2)'
  WHEN '(?1)(?t==3)(?2)' THEN '(?1)(?t==''00:00:03'')(?2)'
  WHEN '(?1).*(?t>2)(?2)' THEN '(?1).*(?t>''2 s'')(?2)'
  WHEN '(?t<=5)' THEN '(?t<=''5 seconds'')'
  WHEN '(?2)(?t<=5)(?1)(?t>=1)(?3)' THEN '(?2)(?t<=''5 seconds'')(?1)(?t>=''1 second'')(?3)'
  ELSE pattern END;
-- the forms that only change how events and times are given run a part of
-- the patterns (to keep the reference's time down): the event-name form
-- every third one, the timestamptz axis in half seconds half of those with
-- time conditions and those with a quoted interval
UPDATE seq_patterns SET event_names = pid % 3 = 1,
                        half_seconds = pattern LIKE '%(?t%' AND (pid % 2 = 1 OR tz_pattern LIKE '%''%');

-- 250 groups of 1 to 13 rows; times drawn from a range about the group's
-- size (times 1, 2 or 4), so that many are equal; each group's first row
-- has a time (no group without a timed row); conditions true with probability
-- 0.2 to 0.3 and NULL with 0.05; an event name for the event-name form
CREATE TEMP TABLE seq_groups AS
SELECT g, (random() * 12)::int AS nrows, (ARRAY[1, 1, 2, 4])[1 + floor(random() * 4)::int] AS spread
FROM generate_series(1, 250) g;
CREATE TEMP TABLE seq_rows AS
SELECT row_number() OVER (ORDER BY g.g, k) AS id, g.g,
       CASE WHEN k > 1 AND random() < 0.06 THEN NULL ELSE floor(random() * (g.nrows + 1) * g.spread)::bigint END AS t,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.3 END AS c1,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.3 END AS c2,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.25 END AS c3,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.2 END AS c4,
       (ARRAY['a', 'b', 'c', 'd', 'x', NULL])[1 + floor(random() * 6)::int] AS ev
FROM seq_groups g, generate_series(1, g.nrows + 1) k;
ALTER TABLE seq_rows ADD COLUMN mask int, ADD COLUMN ev_mask int, ADD COLUMN ts timestamptz, ADD COLUMN ts_half timestamptz;
-- the event-name form's steps: b is both condition 2 and condition 4
UPDATE seq_rows SET mask = (c1 IS TRUE)::int | ((c2 IS TRUE)::int << 1) | ((c3 IS TRUE)::int << 2) | ((c4 IS TRUE)::int << 3),
                    ev_mask = pg_temp.seq_event_mask(ev, '{a,b,c,b}'),
                    ts = timestamptz '2024-01-01' + t * interval '1 second',
                    ts_half = timestamptz '2024-01-01' + t * interval '0.5 second';
-- (random() draws in a different order across PostgreSQL versions, so the
-- data's shape is shown as thresholds, its exact counts vary)
SELECT count(DISTINCT g) AS groups, count(*) > 1200 AS rows,
       count(*) FILTER (WHERE t IS NULL) > 40 AS null_times,
       count(*) FILTER (WHERE mask = 0) > 350 AS many_without_condition,
       count(*) FILTER (WHERE mask & (mask - 1) <> 0) > 250 AS many_with_several,
       count(*) FILTER (WHERE num_nulls(c1, c2, c3, c4) > 0) > 200 AS many_with_null_conditions,
       count(*) FILTER (WHERE same_time > 1) > 400 AS many_equal_times
FROM (SELECT *, count(*) OVER (PARTITION BY g, t) AS same_time FROM seq_rows) r;

-- each group's events as the reference's arrays (conditions, one unit a
-- second; event names; conditions on the timestamptz axis in half seconds,
-- rows reversed), each pattern parsed (on the timestamptz axis: in
-- microseconds), and the reference's answers (every group has rows)
CREATE TEMP TABLE seq_arrays AS
SELECT g, array_agg(t ORDER BY id) AS times, array_agg(mask ORDER BY id) AS masks,
       array_agg(ev_mask ORDER BY id) AS ev_masks,
       array_agg(pg_temp.seq_usec(ts_half) ORDER BY id DESC) AS half_usec,
       array_agg(mask ORDER BY id DESC) AS masks_reversed
FROM seq_rows GROUP BY g;
CREATE TEMP TABLE seq_events AS
SELECT 'conditions' AS data, a.g, e.* FROM seq_arrays a, pg_temp.seq_events(a.times, a.masks) e
UNION ALL
SELECT 'event names', a.g, e.* FROM seq_arrays a, pg_temp.seq_events(a.times, a.ev_masks) e
UNION ALL
SELECT 'half seconds, reversed', a.g, e.* FROM seq_arrays a, pg_temp.seq_events(a.half_usec, a.masks_reversed) e;
CREATE TEMP TABLE seq_parsed AS
SELECT 'conditions' AS data, p.pid, x.* FROM seq_patterns p, pg_temp.seq_parse(p.pattern) x
UNION ALL
SELECT 'event names', p.pid, x.* FROM seq_patterns p, pg_temp.seq_parse(p.pattern) x WHERE p.event_names
UNION ALL
SELECT 'half seconds, reversed', p.pid, x.* FROM seq_patterns p, pg_temp.seq_parse(p.tz_pattern, true) x WHERE p.half_seconds;
CREATE TEMP TABLE seq_ref AS
SELECT e.data, e.g, x.pid, r.*
FROM seq_events e JOIN seq_parsed x USING (data), pg_temp.seq_result(x.kinds, x.extras, e.etimes, e.emasks) r;
-- what the data exercise: every pattern matches in some group, every one
-- that can fail (all but the empty-matchable ones: .*, (?t<V), (?t<=V),
-- (?t>=0) only) fails in some group, most count more than once somewhere
SELECT data, count(DISTINCT pid) AS patterns,
       count(DISTINCT pid) FILTER (WHERE matched) AS matching,
       count(DISTINCT pid) FILTER (WHERE NOT matched) + count(DISTINCT pid) FILTER (WHERE p.pattern ~ '^(\.\*|\(\?t(<=?\d+|>=0)\))*$') AS failing_or_empty_matchable,
       count(DISTINCT pid) FILTER (WHERE count > 1) > count(DISTINCT pid) / 2 AS most_counting_several
FROM seq_ref JOIN seq_patterns p USING (pid) GROUP BY data ORDER BY data;
-- ClickHouse's sequenceMatch runs its DFA, not the backtracker, on
-- patterns without time conditions: the two agree on every such group and
-- pattern
SELECT count(*) AS compared,
       count(*) FILTER (WHERE pg_temp.seq_dfa(x.kinds, x.extras, e.etimes, e.emasks) IS DISTINCT FROM f.matched) AS mismatches
FROM seq_ref f JOIN seq_parsed x USING (data, pid) JOIN seq_events e USING (data, g)
WHERE f.data = 'conditions' AND NOT 'lt' = ANY (x.kinds) AND NOT 'le' = ANY (x.kinds) AND NOT 'gt' = ANY (x.kinds)
      AND NOT 'ge' = ANY (x.kinds) AND NOT 'eq' = ANY (x.kinds);

-- The functions, one row per group and pattern and form (the pattern
-- differs between groups of one call); the times come back as the
-- reference's units
CREATE TEMP TABLE seq_out (form text, data text, g int, pid int, matched boolean, count bigint, match_times bigint[]);
CREATE FUNCTION pg_temp.seq_units(t timestamptz[], unit interval) RETURNS bigint[] LANGUAGE sql AS $$
  SELECT CASE WHEN t IS NOT NULL THEN
           coalesce(array_agg((extract(epoch FROM z - timestamptz '2024-01-01') / extract(epoch FROM unit))::bigint ORDER BY n), '{}') END
  FROM unnest(t) WITH ORDINALITY u(z, n) $$;
-- bigint axis, arrival order
INSERT INTO seq_out
SELECT 'bigint, arrival order', 'conditions', r.g, p.pid,
       sequence_match(p.pattern, r.t, r.c1, r.c2, r.c3, r.c4 ORDER BY r.id),
       sequence_count(p.pattern, r.t, r.c1, r.c2, r.c3, r.c4 ORDER BY r.id),
       sequence_match_times(p.pattern, r.t, r.c1, r.c2, r.c3, r.c4 ORDER BY r.id)
FROM seq_rows r CROSS JOIN seq_patterns p GROUP BY r.g, p.pid;
-- the same through the boolean[] form (VARIADIC; the calls above take the 4-argument one)
INSERT INTO seq_out
SELECT 'bigint, arrival order, VARIADIC array', 'conditions', r.g, p.pid,
       sequence_match(p.pattern, r.t, VARIADIC ARRAY[r.c1, r.c2, r.c3, r.c4] ORDER BY r.id),
       sequence_count(p.pattern, r.t, VARIADIC ARRAY[r.c1, r.c2, r.c3, r.c4] ORDER BY r.id),
       sequence_match_times(p.pattern, r.t, VARIADIC ARRAY[r.c1, r.c2, r.c3, r.c4] ORDER BY r.id)
FROM seq_rows r CROSS JOIN seq_patterns p GROUP BY r.g, p.pid;
-- timestamptz axis (one unit a second), time order
INSERT INTO seq_out
SELECT 'timestamptz, time order', 'conditions', x.g, x.pid, x.m, x.c, pg_temp.seq_units(x.mt, interval '1 second')
FROM (SELECT r.g, p.pid,
             sequence_match(p.tz_pattern, r.ts, r.c1, r.c2, r.c3, r.c4
                            ORDER BY r.t, r.id) AS m,
             sequence_count(p.tz_pattern, r.ts, r.c1, r.c2, r.c3, r.c4
                            ORDER BY r.t, r.id) AS c,
             sequence_match_times(p.tz_pattern, r.ts, r.c1, r.c2, r.c3, r.c4
                                  ORDER BY r.t, r.id) AS mt
      FROM seq_rows r CROSS JOIN seq_patterns p GROUP BY r.g, p.pid) x;
-- timestamptz axis in half seconds, reversed order
INSERT INTO seq_out
SELECT 'timestamptz in half seconds, reversed order', 'half seconds, reversed', x.g, x.pid, x.m, x.c,
       pg_temp.seq_usec(x.mt)
FROM (SELECT r.g, p.pid,
             sequence_match(p.tz_pattern, r.ts_half, r.c1, r.c2, r.c3, r.c4
                            ORDER BY r.id DESC) AS m,
             sequence_count(p.tz_pattern, r.ts_half, r.c1, r.c2, r.c3, r.c4
                            ORDER BY r.id DESC) AS c,
             sequence_match_times(p.tz_pattern, r.ts_half, r.c1, r.c2, r.c3, r.c4
                                  ORDER BY r.id DESC) AS mt
      FROM seq_rows r CROSS JOIN seq_patterns p WHERE p.half_seconds GROUP BY r.g, p.pid) x;
-- event names, both axes, arrival order
INSERT INTO seq_out
SELECT 'event names, bigint', 'event names', r.g, p.pid,
       sequence_match(p.pattern, r.t, r.ev, '{a,b,c,b}' ORDER BY r.id),
       sequence_count(p.pattern, r.t, r.ev, '{a,b,c,b}' ORDER BY r.id),
       sequence_match_times(p.pattern, r.t, r.ev, '{a,b,c,b}' ORDER BY r.id)
FROM seq_rows r CROSS JOIN seq_patterns p WHERE p.event_names GROUP BY r.g, p.pid;
INSERT INTO seq_out
SELECT 'event names, timestamptz', 'event names', x.g, x.pid, x.m, x.c, pg_temp.seq_units(x.mt, interval '1 second')
FROM (SELECT r.g, p.pid,
             sequence_match(p.tz_pattern, r.ts, r.ev, '{a,b,c,b}'
                            ORDER BY r.id) AS m,
             sequence_count(p.tz_pattern, r.ts, r.ev, '{a,b,c,b}'
                            ORDER BY r.id) AS c,
             sequence_match_times(p.tz_pattern, r.ts, r.ev, '{a,b,c,b}'
                                  ORDER BY r.id) AS mt
      FROM seq_rows r CROSS JOIN seq_patterns p WHERE p.event_names GROUP BY r.g, p.pid) x;

-- Mismatches against the reference, per form: groups times patterns
-- compared, and the pairs whose answers differ
SELECT o.form, count(*) AS compared,
       count(*) FILTER (WHERE o.matched IS DISTINCT FROM f.matched) AS match_mismatches,
       count(*) FILTER (WHERE o.count IS DISTINCT FROM f.count) AS count_mismatches,
       count(*) FILTER (WHERE o.match_times IS DISTINCT FROM f.match_times) AS times_mismatches
FROM seq_out o JOIN seq_ref f USING (data, g, pid)
GROUP BY o.form ORDER BY o.form;

-- Edges the random groups do not have: no rows at all (NULL throughout);
-- only rows without a time, and rows but no event: a group without events
-- (only the empty-matchable patterns match, count 0, times '{}' or NULL)
SELECT sequence_match('(?1)', t, c1, c2) AS m, sequence_count('(?1)', t, c1, c2) AS c,
       sequence_match_times('(?1)', t, c1, c2) AS mt, retention(c1, c2) AS r
FROM seq_rows WHERE false;
SELECT p, sequence_match(p, t, c1, c2) AS m, sequence_count(p, t, c1, c2) AS c, sequence_match_times(p, t, c1, c2) AS mt
FROM (VALUES (NULL::bigint, true, true)) v(t, c1, c2), unnest(ARRAY['', '.*', '(?1)', '(?t<=3)']) p GROUP BY p ORDER BY p;
SELECT p, sequence_match(p, t, c1, c2) AS m, sequence_count(p, t, c1, c2) AS c, sequence_match_times(p, t, c1, c2) AS mt
FROM (VALUES (5::bigint, false, NULL::boolean)) v(t, c1, c2), unnest(ARRAY['', '.*', '(?1)', '(?t<=3)']) p GROUP BY p ORDER BY p;

-- retention against bool_or: element 1 = some row has condition 1, element
-- k = some row has condition 1 and some row condition k; NULL is false
SELECT count(*) AS groups,
       count(*) FILTER (WHERE r4 IS DISTINCT FROM ARRAY[b1, b1 & b2, b1 & b3, b1 & b4]) AS mismatches_4,
       count(*) FILTER (WHERE r2 IS DISTINCT FROM ARRAY[b2, b2 & b1]) AS mismatches_2,
       count(*) FILTER (WHERE re IS DISTINCT FROM ARRAY[ea, ea & eb, ea & ec]) AS mismatches_event_names,
       count(*) FILTER (WHERE r4 = '{1,1,1,1}') > 10 AS some_all,
       count(*) FILTER (WHERE r4[1] = 1 AND r4 <> '{1,1,1,1}') > 10 AS some_partial,
       count(*) FILTER (WHERE r4 = '{0,0,0,0}') > 10 AS some_none
FROM (SELECT g, retention(c1, c2, c3, c4) AS r4, retention(c2, c1) AS r2,
             retention(ev = 'a', ev = 'b', ev = 'c') AS re,
             coalesce(bool_or(c1), false)::int AS b1, coalesce(bool_or(c2), false)::int AS b2,
             coalesce(bool_or(c3), false)::int AS b3, coalesce(bool_or(c4), false)::int AS b4,
             coalesce(bool_or(ev = 'a'), false)::int AS ea, coalesce(bool_or(ev = 'b'), false)::int AS eb,
             coalesce(bool_or(ev = 'c'), false)::int AS ec
      FROM seq_rows GROUP BY g) x;

-- A parallel plan (Partial and Finalize Aggregate, states combined from
-- the workers) against the serial plan, without ORDER BY in the calls:
-- parallel workers cannot read temporary tables, so the groups go to a
-- table, each row once per pattern (the planner aggregates a join's rows
-- only above the Gather), stored by pattern (the functions compile a
-- pattern again when it changes from one row to the next) and in random
-- order within one, with distinct times within each group (the order the
-- rows reach the aggregate then does not matter; rows without a time stay)
CREATE TABLE seq_par AS
SELECT r.g, p.pid, p.pattern, p.tz_pattern, r.t, timestamptz '2024-01-01' + r.t * interval '1 second' AS ts,
       r.c1, r.c2, r.c3, r.c4, r.ev
FROM (SELECT g, CASE WHEN t IS NOT NULL THEN 3 * row_number() OVER (PARTITION BY g ORDER BY random())
                                             + floor(random() * 3)::bigint END AS t,
             c1, c2, c3, c4, ev
      FROM seq_rows) r
CROSS JOIN seq_patterns p
WHERE p.pid % 2 = 0 OR p.pattern = ''
ORDER BY p.pid, random();
ANALYZE seq_par;
CREATE TEMP VIEW seq_par_out AS
SELECT g, pid,
       sequence_match(pattern, t, c1, c2, c3, c4) AS m,
       sequence_count(pattern, t, c1, c2, c3, c4) AS c,
       sequence_match_times(pattern, t, c1, c2, c3, c4) AS mt,
       sequence_match(tz_pattern, ts, c1, c2, c3, c4) AS tz_m,
       sequence_count(tz_pattern, ts, c1, c2, c3, c4) AS tz_c,
       sequence_match_times(tz_pattern, ts, c1, c2, c3, c4) AS tz_mt,
       sequence_match(pattern, t, ev, '{a,b,c,b}') AS ev_m,
       sequence_count(pattern, t, ev, '{a,b,c,b}') AS ev_c,
       sequence_match_times(pattern, t, ev, '{a,b,c,b}') AS ev_mt,
       retention(c1, c2, c3, c4) AS ret
FROM seq_par GROUP BY g, pid;
CREATE TEMP TABLE seq_serial AS SELECT * FROM seq_par_out;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- only the workers aggregate, so most groups are split between two of them
SET parallel_leader_participation = off;
SET enable_sort = off;
CREATE FUNCTION pg_temp.seq_plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  partial boolean := false;
  finalize boolean := false;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    partial := partial OR line ~ 'Partial .*Aggregate';
    finalize := finalize OR line ~ 'Finalize .*Aggregate';
  END LOOP;
  RETURN CASE WHEN partial AND finalize THEN 'Partial and Finalize Aggregate' ELSE 'serial' END;
END $$;
CREATE TEMP VIEW seq_par_check AS
SELECT count(*) AS compared,
       count(*) FILTER (WHERE (p.m, p.c, p.mt) IS DISTINCT FROM (s.m, s.c, s.mt)) AS bigint_mismatches,
       count(*) FILTER (WHERE (p.tz_m, p.tz_c, p.tz_mt) IS DISTINCT FROM (s.tz_m, s.tz_c, s.tz_mt)) AS timestamptz_mismatches,
       count(*) FILTER (WHERE (p.ev_m, p.ev_c, p.ev_mt) IS DISTINCT FROM (s.ev_m, s.ev_c, s.ev_mt)) AS event_name_mismatches,
       count(*) FILTER (WHERE p.ret IS DISTINCT FROM s.ret) AS retention_mismatches,
       count(*) FILTER (WHERE p.c > 1) > 1000 AS many_counting_several
FROM seq_par_out p JOIN seq_serial s USING (g, pid);
SELECT pg_temp.seq_plan('SELECT * FROM seq_par_check') AS plan;
SELECT * FROM seq_par_check;
DROP VIEW seq_par_check;
DROP VIEW seq_par_out;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_sort;
DROP TABLE seq_par;
