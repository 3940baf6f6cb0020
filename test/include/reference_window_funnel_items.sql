-- Slow reference of window_funnel's funnel items (exclude, optional,
-- step K within W, any_order; issue 17), written from the definition by
-- chains rather than from the C code.  It enumerates every chain by brute
-- force, so it is exponential: for small groups only (<= 8 rows, <= 5
-- conditions).
--
-- One group is given as parallel arrays, as in reference_window_funnel.sql:
-- times[i] is row i's time (NULL: the row matches nothing), bit k-1 of
-- masks[i] set means row i satisfies condition k (a NULL condition is a
-- clear bit).  On the interval axis every time, window and W is in
-- microseconds (pg_temp.wfi_usec).
--
-- The definition, with the main engineer's decisions where it is silent:
--  * a chain is a list of (step, time) for steps 1 = s1 < s2 < ... < sm, the
--    steps between two chain steps all optional; each time is the time of a
--    row satisfying that step; times are non-decreasing (strictly increasing
--    under strict_increase); all are <= the time of step 1 + window; a
--    `step K within W` holds when K is in the chain: t(K) - t(previous chain
--    step) <= W.  Only times matter, so one row may serve several steps and
--    rows of one time may be used in any order (not under strict_increase,
--    where times differ);
--  * its level is sm, unless `exclude E between I and J` cuts it: with step
--    I in the chain, x = the earliest time of a row satisfying E with
--    x > t(I) and, when J is in the chain (not skipped, not beyond sm),
--    x < t(J); the cut level is the largest chain step whose time is < x.
--    Several exclusions: the smallest cut level;
--  * the result is the largest level over all chains, 0 when there is none;
--  * any_order: over rows r satisfying a step, the number of distinct steps
--    satisfied by rows with t(r) <= t <= t(r) + window; the largest;
--  * window_funnel_times reports, of the uncut chains of the result level,
--    one completed first (the least time of its last step) and, of those,
--    one that started latest; window_funnel_values at position k the value
--    of the first row to reach the aggregate that satisfies step k at the
--    reported time k.
--
-- All are PARALLEL RESTRICTED, so that a check can sit above a parallel
-- aggregation.
--
-- Functions:
--  wfi_mode(mode, nconds)            the parsed mode (22023 when not valid)
--  wfi_chains(...)                   every chain: its times by step (NULL at
--                                    skipped steps), its length sm
--  wfi_counted(chain, excl, ...)     a chain's level after the exclusions
--  wfi_any_order_times(...)          any_order's winning window, by step
--  wfi_reference(...)                the level, from the parsed pieces
--  wfi_level(win, mode, nconds, times, masks [, interval_axis])
--  wfi_best_chains(...)              the uncut chains of the result level
--  wfi_rule_chains(...)              those window_funnel_times may report:
--                                    completed first, then started latest
--                                    (any_order: the window of the definition)
--  wfi_valid_times(..., reported)    whether window_funnel_times' answer is
--                                    one of wfi_rule_chains
--  wfi_first_values(..., feed, ...)  the values window_funnel_values reports
--                                    for given times: the first row in feed
--                                    order satisfying step k at time k
--  wfi_valid_values(...)             whether window_funnel_values' answer
--                                    holds values of rows that satisfy step k
--                                    at the reported time k (when the feed
--                                    order is not known)
--  wfi_event_mask(event, steps)      the mask of a row of the event form
--  wfi_usec(timestamptz / interval / timestamptz[])  microseconds

-- The recursive queries are costed high enough to be JIT-compiled at every
-- call (0.1 s each): not worth it for groups this small.
SET jit = off;

-- microseconds since the epoch (intervals: of seconds, minutes, hours)
CREATE OR REPLACE FUNCTION pg_temp.wfi_usec(t timestamptz) RETURNS bigint
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;
CREATE OR REPLACE FUNCTION pg_temp.wfi_usec(i interval) RETURNS bigint
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$ SELECT (extract(epoch FROM i) * 1000000)::bigint $$;
CREATE OR REPLACE FUNCTION pg_temp.wfi_usec(t timestamptz[]) RETURNS bigint[]
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$
  SELECT coalesce(array_agg(pg_temp.wfi_usec(t[i]) ORDER BY i), '{}')
  FROM generate_subscripts(t, 1) i $$;

-- the condition mask of one row of the event form: condition k is
-- event = steps[k] (names may repeat; a NULL event or name matches nothing)
CREATE OR REPLACE FUNCTION pg_temp.wfi_event_mask(event text, steps text[]) RETURNS int
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$
  SELECT coalesce(sum(1 << (k - 1)), 0)::int
  FROM generate_subscripts(steps, 1) k WHERE steps[k] = event $$;

-- The mode, item by item.  excl holds one row (E, I, J) per exclusion, with
-- the default I = 1, J = S filled in; within_w is W's text as written.
-- Raises 22023 for what the definition makes invalid, so that generated
-- modes are known valid.
CREATE OR REPLACE FUNCTION pg_temp.wfi_mode(
    mode text, nconds int,
    OUT strict_increase boolean, OUT any_order boolean, OUT nsteps int,
    OUT excl int[], OUT optional int[], OUT within_k int[], OUT within_w text[])
LANGUAGE plpgsql PARALLEL RESTRICTED AS $$
DECLARE
  item text;
  m1 text[];
  m3 text[];
  mo text[];
  mw text[];
  e_raw int[] := '{}';
  i int;
BEGIN
  strict_increase := false;
  any_order := false;
  optional := '{}';
  within_k := '{}';
  within_w := '{}';
  excl := '{}';
  FOR item IN SELECT btrim(x) FROM unnest(string_to_array(coalesce(mode, ''), ',')) x LOOP
    IF item = '' AND btrim(mode) = '' THEN CONTINUE; END IF;
    m1 := regexp_match(item, '^exclude\s+(\d+)$', 'i');
    m3 := regexp_match(item, '^exclude\s+(\d+)\s+between\s+(\d+)\s+and\s+(\d+)$', 'i');
    mo := regexp_match(item, '^optional\s+(\d+)$', 'i');
    mw := regexp_match(item, '^step\s+(\d+)\s+within\s+(.+)$', 'i');
    IF lower(item) = 'strict_increase' THEN
      strict_increase := true;
    ELSIF lower(item) = 'any_order' THEN
      any_order := true;
    ELSIF m1 IS NOT NULL THEN
      e_raw := e_raw || ARRAY[m1[1]::int, 0, 0];
    ELSIF m3 IS NOT NULL THEN
      e_raw := e_raw || ARRAY[m3[1]::int, m3[2]::int, m3[3]::int];
    ELSIF mo IS NOT NULL THEN
      IF mo[1]::int = ANY (optional) THEN
        RAISE EXCEPTION 'wfi_mode: optional % twice', mo[1] USING ERRCODE = '22023';
      END IF;
      optional := optional || mo[1]::int;
    ELSIF mw IS NOT NULL THEN
      IF mw[1]::int = ANY (within_k) THEN
        RAISE EXCEPTION 'wfi_mode: step % within twice', mw[1] USING ERRCODE = '22023';
      END IF;
      within_k := within_k || mw[1]::int;
      within_w := within_w || mw[2];
    ELSE
      RAISE EXCEPTION 'wfi_mode: not an item: "%"', item USING ERRCODE = '22023';
    END IF;
  END LOOP;
  nsteps := nconds - cardinality(e_raw) / 3;
  IF any_order AND (strict_increase OR cardinality(e_raw) > 0 OR cardinality(optional) > 0
                    OR cardinality(within_k) > 0) THEN
    RAISE EXCEPTION 'wfi_mode: any_order alone' USING ERRCODE = '22023';
  END IF;
  FOR i IN 1 .. cardinality(e_raw) / 3 LOOP
    IF e_raw[3 * i - 2] <= nsteps OR e_raw[3 * i - 2] > nconds THEN
      RAISE EXCEPTION 'wfi_mode: exclusion condition % is not after the % steps', e_raw[3 * i - 2], nsteps
        USING ERRCODE = '22023';
    END IF;
    IF e_raw[3 * i - 1] = 0 THEN
      e_raw[3 * i - 1] := 1;
      e_raw[3 * i] := nsteps;
    END IF;
    IF NOT (1 <= e_raw[3 * i - 1] AND e_raw[3 * i - 1] < e_raw[3 * i] AND e_raw[3 * i] <= nsteps) THEN
      RAISE EXCEPTION 'wfi_mode: exclusion steps % and % of % steps', e_raw[3 * i - 1], e_raw[3 * i], nsteps
        USING ERRCODE = '22023';
    END IF;
    excl := excl || ARRAY[ARRAY[e_raw[3 * i - 2], e_raw[3 * i - 1], e_raw[3 * i]]];
  END LOOP;
  IF EXISTS (SELECT FROM unnest(excl[:][1:1]) e GROUP BY e HAVING count(*) > 1) THEN
    RAISE EXCEPTION 'wfi_mode: a condition excluded twice' USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT FROM unnest(optional) k WHERE k <= 1 OR k >= nsteps) THEN
    RAISE EXCEPTION 'wfi_mode: optional needs 1 < K < %', nsteps USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT FROM unnest(within_k) k WHERE k <= 1 OR k > nsteps) THEN
    RAISE EXCEPTION 'wfi_mode: step K within needs 1 < K <= %', nsteps USING ERRCODE = '22023';
  END IF;
END
$$;

-- Every chain, as its times by step 1..sm (NULL at the skipped optional
-- steps), built one step at a time by a recursive query over the (step,
-- time) pairs the rows offer.
CREATE OR REPLACE FUNCTION pg_temp.wfi_chains(
    win bigint, nsteps int, strict_increase boolean, optional int[],
    within_k int[], within_w bigint[], times bigint[], masks int[])
RETURNS SETOF bigint[] LANGUAGE sql PARALLEL RESTRICTED AS $$
  WITH RECURSIVE
  pairs AS (
    SELECT DISTINCT s AS step, times[i] AS t
    FROM generate_subscripts(times, 1) i, generate_series(1, nsteps) s
    WHERE times[i] IS NOT NULL AND (coalesce(masks[i], 0) >> (s - 1)) & 1 = 1),
  chain AS (
    SELECT ARRAY[p.t] AS ts, 1 AS last_step, p.t AS last_t, p.t AS start
    FROM pairs p WHERE p.step = 1
    UNION ALL
    SELECT c.ts || array_fill(NULL::bigint, ARRAY[p.step - c.last_step - 1]) || p.t,
           p.step, p.t, c.start
    FROM chain c JOIN pairs p ON p.step > c.last_step
    -- only optional steps are skipped
    WHERE NOT EXISTS (SELECT FROM generate_series(c.last_step + 1, p.step - 1) k
                      WHERE k <> ALL (coalesce(optional, '{}')))
      -- times non-decreasing, or increasing
      AND (p.t > c.last_t OR (p.t = c.last_t AND NOT strict_increase))
      -- the window from step 1
      AND p.t <= c.start + win
      -- step K within W, from the chain's previous step
      AND NOT EXISTS (SELECT FROM generate_subscripts(coalesce(within_k, '{}'), 1) w
                      WHERE within_k[w] = p.step AND p.t - c.last_t > within_w[w]))
  SELECT ts FROM chain $$;

-- A chain's level once the exclusions (rows (E, I, J) of excl) are applied.
CREATE OR REPLACE FUNCTION pg_temp.wfi_counted(
    chain bigint[], excl int[], times bigint[], masks int[])
RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$
DECLARE
  level int := cardinality(chain);
  e int;
  ce int;
  ci int;
  cj int;
  x bigint;
  cut int;
BEGIN
  FOR e IN 1 .. coalesce(array_length(excl, 1), 0) LOOP
    ce := excl[e][1];
    ci := excl[e][2];
    cj := excl[e][3];
    -- step I not in the chain (beyond it, or skipped): no cut
    IF ci > cardinality(chain) OR chain[ci] IS NULL THEN
      CONTINUE;
    END IF;
    SELECT min(times[r]) INTO x FROM generate_subscripts(times, 1) r
    WHERE (coalesce(masks[r], 0) >> (ce - 1)) & 1 = 1
      AND times[r] > chain[ci]
      -- bounded by J only when J's row is in the chain
      AND (cj > cardinality(chain) OR chain[cj] IS NULL OR times[r] < chain[cj]);
    IF x IS NOT NULL THEN
      SELECT max(k) INTO cut FROM generate_subscripts(chain, 1) k WHERE chain[k] < x;
      level := least(level, cut);
    END IF;
  END LOOP;
  RETURN level;
END
$$;

-- any_order: the times by step of the winning window [t(r), t(r) + window]
-- (the earliest r with the most distinct steps), each the earliest time of a
-- row satisfying that step in it, NULL for the steps it lacks, trimmed after
-- the last step it has; '{}' when no row satisfies a step.  The level is the
-- number of non-NULL times.
CREATE OR REPLACE FUNCTION pg_temp.wfi_any_order_times(
    win bigint, nsteps int, times bigint[], masks int[])
RETURNS bigint[] LANGUAGE sql PARALLEL RESTRICTED AS $$
  WITH pairs AS (
    SELECT DISTINCT s AS step, times[i] AS t
    FROM generate_subscripts(times, 1) i, generate_series(1, nsteps) s
    WHERE times[i] IS NOT NULL AND (coalesce(masks[i], 0) >> (s - 1)) & 1 = 1),
  starts AS (
    SELECT DISTINCT p.t AS start,
           (SELECT count(DISTINCT q.step) FROM pairs q WHERE q.t BETWEEN p.t AND p.t + win) AS n
    FROM pairs p),
  best AS (
    SELECT start FROM starts ORDER BY n DESC, start LIMIT 1)
  SELECT coalesce((
    SELECT array_agg((SELECT min(q.t) FROM pairs q
                      WHERE q.step = k AND q.t BETWEEN b.start AND b.start + win) ORDER BY k)
    FROM generate_series(1, (SELECT max(q.step) FROM pairs q
                             WHERE q.t BETWEEN b.start AND b.start + win)) k), '{}')
  FROM best b
  UNION ALL SELECT '{}' WHERE NOT EXISTS (SELECT FROM pairs)
$$;

-- The level, from the parsed pieces (excl: rows (E, I, J), I and J given).
CREATE OR REPLACE FUNCTION pg_temp.wfi_reference(
    win bigint, nconds int, strict_increase boolean, any_order boolean,
    excl int[], optional int[], within_k int[], within_w bigint[],
    times bigint[], masks int[])
RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT CASE WHEN any_order THEN
    (SELECT count(t)::int FROM unnest(pg_temp.wfi_any_order_times(win, nconds, times, masks)) t)
  ELSE
    (SELECT coalesce(max(pg_temp.wfi_counted(c, excl, times, masks)), 0)
     FROM pg_temp.wfi_chains(win, nconds - coalesce(array_length(excl, 1), 0), strict_increase,
                             optional, within_k, within_w, times, masks) c)
  END $$;

-- W as a number of the axis: bigint text, or interval text in microseconds
CREATE OR REPLACE FUNCTION pg_temp.wfi_within(w text[], interval_axis boolean) RETURNS bigint[]
LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT coalesce(array_agg(CASE WHEN interval_axis THEN pg_temp.wfi_usec(w[i]::interval)
                                 ELSE w[i]::bigint END ORDER BY i), '{}')
  FROM generate_subscripts(w, 1) i $$;

-- The level, from the mode text.  On the interval axis (interval_axis) win
-- and times are microseconds, as pg_temp.wfi_usec gives.
CREATE OR REPLACE FUNCTION pg_temp.wfi_level(
    win bigint, mode text, nconds int, times bigint[], masks int[],
    interval_axis boolean DEFAULT false)
RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT pg_temp.wfi_reference(win, nconds, m.strict_increase, m.any_order, m.excl, m.optional,
                               m.within_k, pg_temp.wfi_within(m.within_w, interval_axis), times, masks)
  FROM pg_temp.wfi_mode(mode, nconds) m $$;

-- The chains window_funnel_times may report: those of the result level that
-- no exclusion cuts (for any_order: the one window of the definition).
CREATE OR REPLACE FUNCTION pg_temp.wfi_best_chains(
    win bigint, mode text, nconds int, times bigint[], masks int[],
    interval_axis boolean DEFAULT false)
RETURNS SETOF bigint[] LANGUAGE plpgsql PARALLEL RESTRICTED AS $$
DECLARE
  m record;
BEGIN
  m := pg_temp.wfi_mode(mode, nconds);
  IF m.any_order THEN
    RETURN NEXT pg_temp.wfi_any_order_times(win, nconds, times, masks);
    RETURN;
  END IF;
  -- the level as wfi_reference has it, from the same one enumeration
  RETURN QUERY
  WITH counted AS (
    SELECT c, pg_temp.wfi_counted(c, m.excl, times, masks) AS level
    FROM pg_temp.wfi_chains(win, m.nsteps, m.strict_increase, m.optional, m.within_k,
                            pg_temp.wfi_within(m.within_w, interval_axis), times, masks) c),
  result AS (
    SELECT coalesce(max(level), 0) AS level FROM counted)
  SELECT DISTINCT x.c FROM counted x, result r
  WHERE r.level > 0 AND cardinality(x.c) = r.level AND x.level = r.level
  UNION ALL
  SELECT '{}'::bigint[] FROM result r WHERE r.level = 0;
END
$$;

-- The chains window_funnel_times reports, by the documented rule: of
-- wfi_best_chains, the ones completed first (the least time of the last
-- step), and of those the ones that started latest (the greatest time of
-- step 1).  The rule orders chains tied on both no further, so when several
-- remain, any one may be reported.  any_order: its one window.
CREATE OR REPLACE FUNCTION pg_temp.wfi_rule_chains(
    win bigint, mode text, nconds int, times bigint[], masks int[],
    interval_axis boolean DEFAULT false)
RETURNS SETOF bigint[] LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT c FROM (
    SELECT c, rank() OVER (ORDER BY c[cardinality(c)], c[1] DESC) AS r
    FROM pg_temp.wfi_best_chains(win, mode, nconds, times, masks, interval_axis) c) x
  WHERE r = 1 $$;

-- Whether window_funnel_times' answer (reported) is one of wfi_rule_chains.
CREATE OR REPLACE FUNCTION pg_temp.wfi_valid_times(
    win bigint, mode text, nconds int, times bigint[], masks int[], reported bigint[],
    interval_axis boolean DEFAULT false)
RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT coalesce(bool_or(c = reported), false)
  FROM pg_temp.wfi_rule_chains(win, mode, nconds, times, masks, interval_axis) c $$;

-- The answer window_funnel_values owes beside the reported times of
-- window_funnel_times, the rows reaching the aggregate in the order feed
-- (row numbers): at position k the value of the first row in that order
-- that satisfies step k at time reported_times[k], NULL at skipped steps.
-- NULL when a reported time has no such row (the answer is then wrong
-- whatever it is).  Values are compared as text.
CREATE OR REPLACE FUNCTION pg_temp.wfi_first_values(
    times bigint[], masks int[], vals text[], feed int[], reported_times bigint[])
RETURNS text[] LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT CASE WHEN reported_times IS NOT NULL AND coalesce(bool_and(t IS NULL OR r IS NOT NULL), true)
              THEN coalesce(array_agg(vals[r] ORDER BY k), '{}') END
  FROM (SELECT k, reported_times[k] AS t,
               (SELECT feed[f] FROM generate_subscripts(feed, 1) f
                WHERE times[feed[f]] = reported_times[k]
                  AND (coalesce(masks[feed[f]], 0) >> (k - 1)) & 1 = 1
                ORDER BY f LIMIT 1) AS r
        FROM generate_subscripts(reported_times, 1) k) x $$;

-- Whether window_funnel_values' answer (reported_vals, beside the reported
-- times of window_funnel_times) is one value per reported time, each the
-- value of a row that satisfies step k at time reported_times[k] (NULL at
-- skipped steps).  Values are compared as text.
CREATE OR REPLACE FUNCTION pg_temp.wfi_valid_values(
    times bigint[], masks int[], vals text[], reported_times bigint[], reported_vals text[])
RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS $$
  SELECT reported_times IS NOT NULL AND reported_vals IS NOT NULL
     AND cardinality(reported_vals) = cardinality(reported_times)
     AND NOT EXISTS (
       SELECT FROM generate_subscripts(reported_times, 1) k
       WHERE CASE WHEN reported_times[k] IS NULL THEN reported_vals[k] IS NOT NULL
                  ELSE NOT EXISTS (SELECT FROM generate_subscripts(times, 1) r
                                   WHERE times[r] = reported_times[k]
                                     AND (coalesce(masks[r], 0) >> (k - 1)) & 1 = 1
                                     AND vals[r] IS NOT DISTINCT FROM reported_vals[k]) END) $$;
