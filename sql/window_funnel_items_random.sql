-- The funnel items against the chain-enumerating reference on random groups and modes.
--
-- window_funnel's funnel items (exclude, optional, step K within W,
-- any_order; issue 17) against the slow chain-enumerating reference
-- (test/include/reference_window_funnel_items.sql) on random groups with random
-- valid modes: the level must be the reference's; the times the chain of
-- the documented rule (of the uncut chains of that level, the one completed
-- first, and of those the one that started latest; any one when several tie
-- on both; any_order: its one window); the values, at each reported time,
-- the value of the first row in the order the rows reach the aggregate that
-- satisfies that step at that time.  The output is counts of groups and of
-- mismatches, which must be 0, per item kind, per form (conditions, event
-- names) and per way of feeding the rows (arrival order, reversed, in time
-- order, interval axis, parallel plan; the last only checks that the values
-- are of rows satisfying the step at the time, since the order in which the
-- workers' states combine is not known).
SET max_parallel_workers_per_gather = 0;
SET timezone = 'UTC';
\set ECHO none
\i test/include/reference_window_funnel_items.sql
\set ECHO all
SELECT setseed(0.1717);

-- A random valid mode over nconds conditions: 12% any_order alone;
-- otherwise up to two exclusions (the last conditions; half of them with
-- random steps I < J), each middle step optional with probability 0.35, each
-- step after the first within 0 to 6 with probability 0.3, strict_increase
-- with probability 0.35; drawn again until it has an item; items shuffled.
CREATE FUNCTION pg_temp.wfi_random_mode(nconds int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  items text[];
  nexcl int;
  s int;
  i int;
  j int;
  k int;
BEGIN
  IF random() < 0.12 THEN
    RETURN 'any_order';
  END IF;
  LOOP
    items := '{}';
    nexcl := floor(random() * (least(2, greatest(nconds - 2, 0)) + 1))::int;
    s := nconds - nexcl;
    FOR k IN s + 1 .. nconds LOOP
      IF random() < 0.5 THEN
        items := items || format('exclude %s', k);
      ELSE
        i := 1 + floor(random() * (s - 1))::int;
        j := i + 1 + floor(random() * (s - i))::int;
        items := items || format('exclude %s between %s and %s', k, i, j);
      END IF;
    END LOOP;
    FOR k IN 2 .. s - 1 LOOP
      IF random() < 0.35 THEN
        items := items || format('optional %s', k);
      END IF;
    END LOOP;
    FOR k IN 2 .. s LOOP
      IF random() < 0.3 THEN
        items := items || format('step %s within %s', k, floor(random() * 7)::int);
      END IF;
    END LOOP;
    EXIT WHEN cardinality(items) > 0;
  END LOOP;
  IF random() < 0.35 THEN
    items := items || 'strict_increase'::text;
  END IF;
  RETURN (SELECT string_agg(x, ', ' ORDER BY random()) FROM unnest(items) x);
END
$$;

-- 4000 groups of conditions and 1000 of the event-name form, 1 to 8 rows,
-- 2 to 5 conditions; times from a narrow range, so that many rows share a
-- time
CREATE TEMP TABLE wfi_groups AS
SELECT g, CASE WHEN g <= 4000 THEN 'conditions' ELSE 'event names' END AS form,
       (ARRAY[2, 3, 3, 4, 4, 5, 5])[1 + floor(random() * 7)::int] AS nconds,
       (ARRAY[0, 1, 2, 3, 5, 8, 15])[1 + floor(random() * 7)::int]::bigint AS win,
       1 + floor(random() * 8)::int AS nrows,
       (ARRAY[4, 8, 12, 21])[1 + floor(random() * 4)::int] AS span
FROM generate_series(1, 5000) g;
ALTER TABLE wfi_groups ADD COLUMN mode text, ADD COLUMN steps text[];
UPDATE wfi_groups SET mode = pg_temp.wfi_random_mode(nconds);
-- the event form's steps: names from a four-letter alphabet, so they repeat
UPDATE wfi_groups SET steps = (SELECT array_agg(chr(97 + floor(random() * 4)::int) ORDER BY k)
                               FROM generate_series(1, nconds) k)
WHERE form = 'event names';
-- conditions: a row satisfies none (10%), one (50%) or a random set; some
-- unsatisfied conditions are NULL; 5% of the times are NULL.  Event names:
-- one of five letters (one matching no step) or NULL.  The value is the row
-- number as text, NULL for 5% of the rows.
CREATE TEMP TABLE wfi_rows AS
SELECT g, rid,
       CASE WHEN random() < 0.05 THEN NULL ELSE floor(random() * span)::bigint END AS ts,
       CASE WHEN u < 0.10 THEN 0
            WHEN u < 0.60 THEN 1 << floor(random() * nconds)::int
            ELSE floor(random() * (1 << nconds))::int END AS mask,
       CASE WHEN random() < 0.08 THEN NULL ELSE chr(97 + floor(random() * 5)::int) END AS event,
       CASE WHEN random() < 0.05 THEN NULL ELSE 'r' || rid END AS val,
       nconds, form
FROM (SELECT g.g, r AS rid, g.span, g.nconds, g.form, random() AS u
      FROM wfi_groups g, generate_series(1, g.nrows) r) x;
UPDATE wfi_rows r SET mask = pg_temp.wfi_event_mask(r.event, g.steps)
FROM wfi_groups g WHERE g.g = r.g AND r.form = 'event names';
ALTER TABLE wfi_rows ADD COLUMN conds boolean[];
UPDATE wfi_rows SET conds = (SELECT array_agg(CASE WHEN (mask >> (k - 1)) & 1 = 1 THEN true
                                                  WHEN random() < 0.2 THEN NULL ELSE false END ORDER BY k)
                             FROM generate_series(1, nconds) k);
-- (random() draws in a different order across PostgreSQL versions, so the
-- data's shape is shown as thresholds, its exact counts vary)
SELECT form, count(DISTINCT g) AS groups, count(*) AS rows,
       count(*) FILTER (WHERE ts IS NULL) > 100 AS null_times,
       count(*) FILTER (WHERE mask = 0) > 1000 AS many_without_condition,
       count(*) FILTER (WHERE mask & (mask - 1) <> 0) > 500 AS many_with_several
FROM wfi_rows GROUP BY form ORDER BY form;

-- each group as the reference's arrays, and the reference's answers: the
-- level, the chains window_funnel_times may report (several only when they
-- tie), and, to show what the data exercise, the level the chains reach
-- before the exclusions cut them
CREATE TEMP TABLE wfi_arrays AS
SELECT g.g, g.form, g.nconds, g.win, g.mode, g.steps,
       array_agg(r.ts ORDER BY r.rid) AS times, array_agg(r.mask ORDER BY r.rid) AS masks,
       array_agg(r.val ORDER BY r.rid) AS vals
FROM wfi_groups g JOIN wfi_rows r USING (g) GROUP BY g.g, g.form, g.nconds, g.win, g.mode, g.steps;
CREATE TEMP TABLE wfi_ref AS
SELECT g, pg_temp.wfi_level(win, mode, nconds, times, masks) AS level,
       CASE WHEN NOT m.any_order THEN
         (SELECT max(cardinality(c)) FROM pg_temp.wfi_chains(win, m.nsteps, m.strict_increase, m.optional,
                                                             m.within_k, pg_temp.wfi_within(m.within_w, false),
                                                             times, masks) c) END AS uncut_level
FROM wfi_arrays a, pg_temp.wfi_mode(a.mode, a.nconds) m;
CREATE TEMP TABLE wfi_rule AS
SELECT a.g, c AS chain
FROM wfi_arrays a, pg_temp.wfi_rule_chains(a.win, a.mode, a.nconds, a.times, a.masks) c;

-- the item kinds the output is broken down by
CREATE TEMP TABLE wfi_kinds (kind text, pattern text);
INSERT INTO wfi_kinds VALUES
  ('exclude E', 'exclude \d+($|,)'), ('exclude E between I and J', 'between'),
  ('optional K', 'optional'), ('step K within W', 'within'),
  ('strict_increase', 'strict_increase'), ('any_order', 'any_order');
-- what the data exercise: levels reached, exclusions that cut the best
-- chain, reported chains that skip an optional step (any_order: windows
-- that lack a step before their last)
SELECT k.kind, count(*) AS groups, count(*) FILTER (WHERE f.level >= 2) > 100 AS many_level_2_or_more,
       count(*) FILTER (WHERE f.level < f.uncut_level) > 0 AS some_cut_by_exclusion,
       count(*) FILTER (WHERE EXISTS (SELECT FROM wfi_rule b WHERE b.g = a.g AND array_position(b.chain, NULL) IS NOT NULL)) > 0
           AS some_reported_chain_skips
FROM wfi_kinds k JOIN wfi_arrays a ON a.mode ~ k.pattern JOIN wfi_ref f USING (g)
GROUP BY k.kind ORDER BY k.kind;
-- the groups where the rule leaves several chains, tied on completion and
-- start (the check accepts any of them): 232 of the 5000 on PostgreSQL 15,
-- shown as a range since the data vary across versions
SELECT count(*) AS groups, count(*) FILTER (WHERE n.chains > 1) BETWEEN 100 AND 500 AS tied_100_to_500
FROM (SELECT g, count(*) AS chains FROM wfi_rule GROUP BY g) n;

-- The C aggregates' answers, in every way of feeding the rows, with the
-- order in which the rows reached them (feed: row numbers, taken by an
-- aggregate beside them, under the same ORDER BY).  mode and steps are
-- constant within a group.
CREATE TEMP TABLE wfi_out (variant text, g int, level int, times bigint[], vals text[], feed int[]);
-- in arrival order (as the plan reads them), both forms
INSERT INTO wfi_out
SELECT 'arrival order', g.g,
       window_funnel(g.win, g.mode, r.ts, VARIADIC r.conds),
       window_funnel_times(g.win, g.mode, r.ts, VARIADIC r.conds),
       window_funnel_values(g.win, g.mode, r.ts, r.val, VARIADIC r.conds),
       array_agg(r.rid)
FROM wfi_groups g JOIN wfi_rows r USING (g)
WHERE g.form = 'conditions' GROUP BY g.g;
INSERT INTO wfi_out
SELECT 'arrival order', g.g,
       window_funnel(g.win, g.mode, r.ts, r.event, g.steps),
       window_funnel_times(g.win, g.mode, r.ts, r.event, g.steps),
       window_funnel_values(g.win, g.mode, r.ts, r.val, r.event, g.steps),
       array_agg(r.rid)
FROM wfi_groups g JOIN wfi_rows r USING (g)
WHERE g.form = 'event names' GROUP BY g.g;
-- reversed arrival order
INSERT INTO wfi_out
SELECT 'reversed order', g.g,
       window_funnel(g.win, g.mode, r.ts, VARIADIC r.conds ORDER BY r.rid DESC),
       window_funnel_times(g.win, g.mode, r.ts, VARIADIC r.conds ORDER BY r.rid DESC),
       window_funnel_values(g.win, g.mode, r.ts, r.val, VARIADIC r.conds ORDER BY r.rid DESC),
       array_agg(r.rid ORDER BY r.rid DESC)
FROM wfi_groups g JOIN wfi_rows r USING (g)
WHERE g.form = 'conditions' GROUP BY g.g;
INSERT INTO wfi_out
SELECT 'reversed order', g.g,
       window_funnel(g.win, g.mode, r.ts, r.event, g.steps ORDER BY r.rid DESC),
       window_funnel_times(g.win, g.mode, r.ts, r.event, g.steps ORDER BY r.rid DESC),
       window_funnel_values(g.win, g.mode, r.ts, r.val, r.event, g.steps ORDER BY r.rid DESC),
       array_agg(r.rid ORDER BY r.rid DESC)
FROM wfi_groups g JOIN wfi_rows r USING (g)
WHERE g.form = 'event names' GROUP BY g.g;
-- in time order (ORDER BY ts), which lets the aggregate stream
INSERT INTO wfi_out
SELECT 'time order', g.g,
       window_funnel(g.win, g.mode, r.ts, VARIADIC r.conds ORDER BY r.ts, r.rid),
       window_funnel_times(g.win, g.mode, r.ts, VARIADIC r.conds ORDER BY r.ts, r.rid),
       window_funnel_values(g.win, g.mode, r.ts, r.val, VARIADIC r.conds ORDER BY r.ts, r.rid),
       array_agg(r.rid ORDER BY r.ts, r.rid)
FROM wfi_groups g JOIN wfi_rows r USING (g)
WHERE g.form = 'conditions' GROUP BY g.g;
-- the interval axis, on a fifth of the condition groups: one unit is one
-- second (W written 'N seconds'); the times come back as the bigint units
INSERT INTO wfi_out
SELECT 'interval axis', x.g, x.level,
       CASE WHEN x.times IS NOT NULL THEN
         (SELECT coalesce(array_agg(extract(epoch FROM z - timestamptz '2024-01-01')::bigint ORDER BY n), '{}')
          FROM unnest(x.times) WITH ORDINALITY u(z, n)) END,
       x.vals, x.feed
FROM (SELECT g.g,
             window_funnel(g.win * interval '1 second', regexp_replace(g.mode, 'within (\d+)', 'within \1 seconds', 'g'),
                           timestamptz '2024-01-01' + r.ts * interval '1 second', VARIADIC r.conds) AS level,
             window_funnel_times(g.win * interval '1 second', regexp_replace(g.mode, 'within (\d+)', 'within \1 seconds', 'g'),
                                 timestamptz '2024-01-01' + r.ts * interval '1 second', VARIADIC r.conds) AS times,
             window_funnel_values(g.win * interval '1 second', regexp_replace(g.mode, 'within (\d+)', 'within \1 seconds', 'g'),
                                  timestamptz '2024-01-01' + r.ts * interval '1 second', r.val, VARIADIC r.conds) AS vals,
             array_agg(r.rid) AS feed
      FROM wfi_groups g JOIN wfi_rows r USING (g)
      WHERE g.form = 'conditions' AND g.g % 5 = 0 GROUP BY g.g) x;

-- levels against the reference, times against its rule's chains, values
-- against the first rows fed; per item kind and per form (arrival order),
-- then per way of feeding the rows
CREATE TEMP TABLE wfi_check AS
SELECT o.variant, o.g, o.level IS DISTINCT FROM f.level AS level_mismatch,
       NOT EXISTS (SELECT FROM wfi_rule b WHERE b.g = o.g AND b.chain = o.times) AS times_mismatch,
       NOT coalesce(o.vals = pg_temp.wfi_first_values(a.times, a.masks, a.vals, o.feed, o.times), false)
           AS values_mismatch
FROM wfi_out o JOIN wfi_arrays a USING (g) JOIN wfi_ref f USING (g);
SELECT k.kind, count(*) AS groups, count(*) FILTER (WHERE c.level_mismatch) AS level_mismatches,
       count(*) FILTER (WHERE c.times_mismatch) AS times_mismatches,
       count(*) FILTER (WHERE c.values_mismatch) AS values_mismatches
FROM wfi_kinds k JOIN wfi_arrays a ON a.mode ~ k.pattern
JOIN wfi_check c ON c.g = a.g AND c.variant = 'arrival order'
GROUP BY k.kind ORDER BY k.kind;
SELECT a.form, count(*) AS groups, count(*) FILTER (WHERE c.level_mismatch) AS level_mismatches,
       count(*) FILTER (WHERE c.times_mismatch) AS times_mismatches,
       count(*) FILTER (WHERE c.values_mismatch) AS values_mismatches
FROM wfi_arrays a JOIN wfi_check c ON c.g = a.g AND c.variant = 'arrival order'
GROUP BY a.form ORDER BY a.form;
SELECT c.variant, count(*) AS groups, count(*) FILTER (WHERE c.level_mismatch) AS level_mismatches,
       count(*) FILTER (WHERE c.times_mismatch) AS times_mismatches,
       count(*) FILTER (WHERE c.values_mismatch) AS values_mismatches
FROM wfi_check c GROUP BY c.variant ORDER BY c.variant;

-- The interval axis through the reference's own interval path (everything
-- in microseconds, W read as interval text): the same levels and chains
SELECT count(*) AS groups,
       count(*) FILTER (WHERE pg_temp.wfi_level(pg_temp.wfi_usec(a.win * interval '1 second'), m.mode, a.nconds,
                                                pg_temp.wfi_usec(t.tz), a.masks, true)
                              IS DISTINCT FROM f.level) AS level_mismatches,
       count(*) FILTER (WHERE NOT pg_temp.wfi_valid_times(pg_temp.wfi_usec(a.win * interval '1 second'), m.mode, a.nconds,
                                                          pg_temp.wfi_usec(t.tz), a.masks,
                                                          (SELECT coalesce(array_agg(o.times[n] * 1000000 + pg_temp.wfi_usec(timestamptz '2024-01-01') ORDER BY n), '{}')
                                                           FROM generate_subscripts(o.times, 1) n), true)) AS times_mismatches
FROM wfi_arrays a JOIN wfi_ref f USING (g) JOIN wfi_out o ON o.g = a.g AND o.variant = 'interval axis',
     LATERAL (SELECT regexp_replace(a.mode, 'within (\d+)', 'within \1 seconds', 'g') AS mode) m,
     LATERAL (SELECT array_agg(timestamptz '2024-01-01' + a.times[n] * interval '1 second' ORDER BY n) AS tz
              FROM generate_subscripts(a.times, 1) n) t;

-- A parallel plan (Partial and Finalize Aggregate, states serialized
-- between processes): parallel workers cannot read temporary tables, so
-- the condition groups go to a table, stored in random order, each row four
-- times (which changes no chain, and makes groups large enough for the
-- planner to aggregate in the workers); the comparison is one top-level
-- query, so that its aggregation runs in the workers
CREATE TABLE wfi_par AS
SELECT r.g, r.rid, g.win, g.mode, r.ts, r.val, r.conds
FROM wfi_rows r JOIN wfi_groups g USING (g) CROSS JOIN generate_series(1, 4) copy
WHERE g.form = 'conditions'
ORDER BY random();
ANALYZE wfi_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- only the workers aggregate, so most groups are split between two of them
SET parallel_leader_participation = off;
SET enable_sort = off;
CREATE FUNCTION pg_temp.wfi_plan(query text) RETURNS text LANGUAGE plpgsql AS $$
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
CREATE TEMP VIEW wfi_par_check AS
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.level IS DISTINCT FROM f.level) AS level_mismatches,
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM wfi_rule b WHERE b.g = p.g AND b.chain = p.times)) AS times_mismatches,
       count(*) FILTER (WHERE NOT pg_temp.wfi_valid_values(a.times, a.masks, a.vals, p.times, p.vals)) AS values_invalid
FROM (SELECT g, window_funnel(win, mode, ts, VARIADIC conds) AS level,
             window_funnel_times(win, mode, ts, VARIADIC conds) AS times,
             window_funnel_values(win, mode, ts, val, VARIADIC conds) AS vals
      FROM wfi_par GROUP BY g) p
JOIN wfi_ref f USING (g) JOIN wfi_arrays a USING (g);
SELECT pg_temp.wfi_plan('SELECT * FROM wfi_par_check') AS plan;
SELECT * FROM wfi_par_check;
DROP VIEW wfi_par_check;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_sort;
DROP TABLE wfi_par;

-- Invalid modes: each must fail with 22023 (invalid_parameter_value), the
-- message aside
CREATE FUNCTION pg_temp.wfi_sqlstate(mode text, nconds int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM window_funnel(5, mode, t, VARIADIC array_fill(true, ARRAY[nconds])) FROM generate_series(1, 3) t;
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT mode, nconds, pg_temp.wfi_sqlstate(mode, nconds) AS sqlstate
FROM (VALUES ('exclude 2', 3),                     -- an exclusion among the steps
             ('exclude 4', 3),                     -- a condition the call lacks
             ('exclude 2', 2),                     -- one step left
             ('exclude 4 between 2 and 2', 4),     -- I = J
             ('exclude 4 between 3 and 2', 4),     -- I > J
             ('exclude 4 between 1 and 4', 4),     -- J beyond the steps
             ('exclude 4, exclude 4', 5),          -- the same exclusion twice
             ('optional 1', 3),                    -- the first step
             ('optional 3', 3),                    -- the last step
             ('optional 2, optional 2', 4),        -- twice
             ('step 1 within 3', 3),               -- step 1 has no previous step
             ('step 4 within 3', 3),               -- beyond the steps
             ('step 2 within -1', 3),              -- negative
             ('step 2 within 1 second', 3),        -- an interval on the bigint axis
             ('any_order, strict_increase', 3),    -- any_order alone
             ('any_order, optional 2', 3),
             ('exclude 3, strict_order', 3),       -- the ClickHouse modes
             ('optional 2, strict_once', 3),
             ('exclude', 3),                       -- malformed items
             ('optional two', 3),
             ('step 2 within', 3)) v(mode, nconds);
