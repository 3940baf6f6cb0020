-- Slow reference of window_funnel, written from ClickHouse windowFunnel's
-- rules (AggregateFunctionWindowFunnel.cpp, newest release) rather than from
-- the C code:
--
--  * every row adds one event per step it satisfies; under strict_order a
--    row satisfying none adds a "null" event (step 0); rows without a time
--    add nothing;
--  * events are read in (time, step) order; events of one time and step
--    from several rows are read in a fixed order of the rows (by the list of
--    steps each row satisfies), so the result does not depend on row order;
--  * without strict_once one chain per step is kept: the latest one to
--    reach it (start time, time of the step); with strict_once every chain is
--    kept, together with the rows it used.
--
-- pg_temp.wf_reference(window, mode, times, masks, nsteps) takes one group
-- as parallel arrays (bit k-1 of masks[i] set: row i satisfies step k) and
-- returns the times of the reported chain; its length is the level.
CREATE OR REPLACE FUNCTION pg_temp.wf_reference(
    win bigint, mode text, times bigint[], masks int[], nsteps int)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
  dedup boolean := mode ~ 'strict_deduplication';
  strict_order boolean := mode ~ 'strict_order';
  increase boolean := mode ~ 'strict_increase';
  once boolean := mode ~ 'strict_once';
  reentry boolean := mode ~ 'allow_reentry';
  ev record;
  first_event boolean := false;
  level int := 0;
  reached boolean[] := array_fill(false, ARRAY[nsteps + 1]);
  -- without strict_once: the one chain kept per step
  s_first bigint[] := array_fill(NULL::bigint, ARRAY[nsteps + 1]);
  s_last bigint[] := array_fill(NULL::bigint, ARRAY[nsteps + 1]);
  s_path text[] := array_fill(NULL::text, ARRAY[nsteps + 1]);
  reach_path text;
  -- with strict_once: every chain
  c_level int[] := '{}';
  c_first bigint[] := '{}';
  c_last bigint[] := '{}';
  c_rows text[] := '{}';
  c_path text[] := '{}';
  c_born int[] := '{}';
  nchains int := 0;
  born_of_level int[] := array_fill(NULL::int, ARRAY[nsteps + 1]);
  ok boolean;
  j int;
  cnt int;
  best bigint[];
  best_key bigint[];
  p bigint[];
  k bigint[];
BEGIN
  FOR ev IN
    WITH r AS (
      SELECT i, times[i] AS t, masks[i] AS m FROM generate_subscripts(times, 1) i
      WHERE times[i] IS NOT NULL),
    e AS (
      SELECT r.i, r.t, s AS step FROM r, generate_series(1, nsteps) s
      WHERE (r.m >> (s - 1)) & 1 = 1
      UNION ALL
      SELECT r.i, r.t, 0 FROM r
      WHERE strict_order AND (r.m & ((1 << nsteps) - 1)) = 0),
    keyed AS (
      SELECT e.*, (SELECT string_agg(lpad(e2.step::text, 4, '0'), ',' ORDER BY e2.step)
                   FROM e e2 WHERE e2.i = e.i) AS row_key
      FROM e)
    SELECT row_number() OVER (ORDER BY t, step, row_key COLLATE "C", i) AS n, i, t, step
    FROM keyed ORDER BY n
  LOOP
    IF ev.step = 0 THEN
      IF first_event THEN EXIT; END IF;
      CONTINUE;
    END IF;
    IF ev.step = 1 THEN
      first_event := true;
      reached[1] := true;
      IF once THEN
        nchains := nchains + 1;
        c_level[nchains] := 1; c_first[nchains] := ev.t; c_last[nchains] := ev.t;
        c_rows[nchains] := ',' || ev.i || ','; c_path[nchains] := ev.t::text;
        c_born[nchains] := ev.n;
      ELSE
        s_first[1] := ev.t; s_last[1] := ev.t; s_path[1] := ev.t::text;
      END IF;
      IF level < 1 THEN
        level := 1;
        reach_path := ev.t::text;
        born_of_level[1] := ev.n;
      END IF;
      CONTINUE;
    END IF;
    IF dedup AND reached[ev.step] THEN EXIT; END IF;
    IF strict_order AND first_event AND NOT reached[ev.step - 1] THEN
      IF reentry THEN CONTINUE; END IF;
      EXIT;
    END IF;
    IF NOT reached[ev.step - 1] THEN CONTINUE; END IF;
    ok := false;
    IF once THEN
      cnt := nchains;
      FOR j IN 1 .. cnt LOOP
        IF c_level[j] = ev.step - 1
           AND ev.t::numeric - c_first[j] <= win
           AND position(',' || ev.i || ',' IN c_rows[j]) = 0
           AND (NOT increase OR c_last[j] < ev.t) THEN
          nchains := nchains + 1;
          c_level[nchains] := ev.step; c_first[nchains] := c_first[j]; c_last[nchains] := ev.t;
          c_rows[nchains] := c_rows[j] || ev.i || ',';
          c_path[nchains] := c_path[j] || ',' || ev.t;
          c_born[nchains] := ev.n;
          ok := true;
        END IF;
      END LOOP;
    ELSIF ev.t::numeric - s_first[ev.step - 1] <= win
          AND (NOT increase OR s_last[ev.step - 1] < ev.t) THEN
      s_first[ev.step] := s_first[ev.step - 1];
      s_last[ev.step] := ev.t;
      s_path[ev.step] := s_path[ev.step - 1] || ',' || ev.t;
      ok := true;
    END IF;
    IF ok THEN
      reached[ev.step] := true;
      IF level < ev.step THEN
        level := ev.step;
        reach_path := s_path[ev.step];
        born_of_level[ev.step] := ev.n;
      END IF;
      IF ev.step = nsteps THEN EXIT; END IF;
    END IF;
  END LOOP;

  IF level = 0 THEN
    RETURN '{}';
  END IF;
  IF NOT once THEN
    RETURN string_to_array(reach_path, ',')::bigint[];
  END IF;
  -- among the chains completed by the first event that reached the level:
  -- the latest start, then the latest previous steps, last to first
  FOR j IN 1 .. nchains LOOP
    IF c_level[j] = level AND c_born[j] = born_of_level[level] THEN
      p := string_to_array(c_path[j], ',')::bigint[];
      k := ARRAY[p[1]];
      FOR cnt IN REVERSE level - 1 .. 2 LOOP
        k := k || p[cnt];
      END LOOP;
      IF best_key IS NULL OR k > best_key THEN
        best_key := k;
        best := p;
      END IF;
    END IF;
  END LOOP;
  RETURN best;
END
$$;
