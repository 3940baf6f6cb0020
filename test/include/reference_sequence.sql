-- Slow reference of sequence_match, sequence_count and sequence_match_times
-- (issue 30): a line-by-line transliteration of ClickHouse's backtracker
-- (backtrackingMatch in ClickHouse's AggregateFunctionSequenceMatch, the
-- newest source, as issue 30's research reads it), not written from
-- funnel's C.  No iteration limit (ClickHouse stops at 1,000,000 with
-- TOO_SLOW): for small groups only.
--
-- One group is given as parallel arrays in the order the rows reach the
-- aggregate: times[i] is row i's time (NULL: the row is skipped), bit k-1 of
-- masks[i] set means row i satisfies condition k (a NULL condition is a clear
-- bit).  A row with mask 0 is no event.  The events are the rest, sorted by
-- (time, arrival).  On the timestamptz axis every time and V is in
-- microseconds (seq_parse(pattern, true), seq_usec).
--
-- The backtracker, as ClickHouse has it: actions = an implicit leading .*
-- then the pattern's atoms; a stack of (action, event, base) frames, pushed
-- by .* (before it stops at the current event) and by a satisfied time
-- condition; popping a frame resumes its action at the frame's event + 1
-- with the frame's base.  (?N) and . set base to the event they consume, .*
-- to the event it stops at, a satisfied time condition to the event it
-- tested (consuming nothing).  A time condition tests the current event e:
-- t(e) OP t(base) + V; < and <= failing backtrack, >, >= and == failing go
-- on to the next event with the same base (and backtrack when none is
-- left).  When the events or the stack run out, the remaining actions match
-- if they are all .*, <, <= or >= 0.  A search that consumed nothing still
-- moves the start on by one event.
--
-- All are PARALLEL RESTRICTED, so that a check can sit above a parallel
-- aggregation.
--
-- Functions:
--  seq_parse(pattern [, usec])      the actions: kind (star, any, event,
--                                   lt, le, gt, ge, eq) and extra (N - 1 for
--                                   an event, V for a time condition; in
--                                   microseconds when usec, which also allows
--                                   a quoted interval); 22023 when not valid
--  seq_events(times, masks)         the events: times and masks in (time,
--                                   arrival) order
--  seq_backtrack(kinds, extras, times, masks, start)
--                                   one backtrackingMatch from event start
--                                   (1-based, over events): matched, the
--                                   event after the search (next), the (?N)
--                                   times of the match
--  seq_result(kinds, extras, etimes, emasks)
--                                   matched, count, match_times of a group
--                                   with rows, from the parsed pattern and
--                                   the events
--  seq_reference(pattern, times, masks [, usec])
--                                   the same from the pattern and the rows
--                                   (NULL, NULL, NULL without rows)
--  seq_dfa(kinds, extras, times, masks)
--                                   ClickHouse's other matcher (dfaMatch),
--                                   which sequenceMatch uses for patterns
--                                   without time conditions: whether the
--                                   backtracker's answer is the same is
--                                   checked, not assumed
--  seq_event_mask(event, steps)     the mask of a row of the event-name form
--  seq_usec(timestamptz / timestamptz[])   microseconds since the epoch

-- microseconds since the epoch
CREATE OR REPLACE FUNCTION pg_temp.seq_usec(t timestamptz) RETURNS bigint
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;
CREATE OR REPLACE FUNCTION pg_temp.seq_usec(t timestamptz[]) RETURNS bigint[]
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$
  SELECT CASE WHEN t IS NOT NULL THEN coalesce(array_agg(pg_temp.seq_usec(t[i]) ORDER BY i), '{}') END
  FROM generate_subscripts(t, 1) i $$;

-- the condition mask of one row of the event-name form: condition k is
-- event = steps[k] (names may repeat; a NULL event or name matches nothing)
CREATE OR REPLACE FUNCTION pg_temp.seq_event_mask(event text, steps text[]) RETURNS int
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$
  SELECT coalesce(sum(1 << (k - 1)), 0)::int
  FROM generate_subscripts(steps, 1) k WHERE steps[k] = event $$;

-- ClickHouse's parsePattern: the implicit .* first, then item by item, no
-- whitespace; a time condition must follow (?N), . or .* (the implicit one
-- included).  ClickHouse's number syntax (a leading +, overflow) is not
-- reproduced: V and N are plain decimal numbers here.
CREATE OR REPLACE FUNCTION pg_temp.seq_parse(pattern text, usec boolean DEFAULT false,
                                             OUT kinds text[], OUT extras bigint[])
LANGUAGE plpgsql PARALLEL RESTRICTED IMMUTABLE AS $$
DECLARE
  rest text := pattern;
  m text[];
  v bigint;
BEGIN
  kinds := ARRAY['star'];
  extras := ARRAY[0::bigint];
  WHILE rest <> '' LOOP
    m := regexp_match(rest, '^(\(\?t(<=|<|>=|>|==)(\d+|''[^'']*'')\))');
    IF m IS NOT NULL THEN
      IF kinds[cardinality(kinds)] NOT IN ('star', 'any', 'event') THEN
        RAISE EXCEPTION 'seq_parse: two time conditions in a row in "%"', pattern USING ERRCODE = '22023';
      END IF;
      IF m[3] LIKE '''%' THEN
        IF NOT usec THEN
          RAISE EXCEPTION 'seq_parse: an interval on the bigint axis' USING ERRCODE = '22023';
        END IF;
        v := (extract(epoch FROM btrim(m[3], '''')::interval) * 1000000)::bigint;
      ELSE
        v := m[3]::bigint * CASE WHEN usec THEN 1000000 ELSE 1 END;
      END IF;
      kinds := kinds || CASE m[2] WHEN '<=' THEN 'le' WHEN '<' THEN 'lt' WHEN '>=' THEN 'ge'
                                  WHEN '>' THEN 'gt' ELSE 'eq' END;
      extras := extras || v;
      rest := substr(rest, length(m[1]) + 1);
      CONTINUE;
    END IF;
    m := regexp_match(rest, '^(\(\?(\d+)\)|\.\*|\.)');
    IF m IS NULL OR m[2]::bigint = 0 THEN
      RAISE EXCEPTION 'seq_parse: cannot parse "%" at "%"', pattern, rest USING ERRCODE = '22023';
    END IF;
    IF m[1] = '.*' THEN
      kinds := kinds || 'star'::text;
      extras := extras || 0::bigint;
    ELSIF m[1] = '.' THEN
      kinds := kinds || 'any'::text;
      extras := extras || 0::bigint;
    ELSE
      kinds := kinds || 'event'::text;
      extras := extras || (m[2]::bigint - 1);
    END IF;
    rest := substr(rest, length(m[1]) + 1);
  END LOOP;
END $$;

-- the events of a group: rows with a time and at least one condition, in
-- (time, arrival) order
CREATE OR REPLACE FUNCTION pg_temp.seq_events(times bigint[], masks int[], OUT etimes bigint[], OUT emasks int[])
LANGUAGE sql PARALLEL RESTRICTED IMMUTABLE AS $$
  SELECT coalesce(array_agg(times[i] ORDER BY times[i], i), '{}'),
         coalesce(array_agg(masks[i] ORDER BY times[i], i), '{}')
  FROM generate_subscripts(times, 1) i
  WHERE times[i] IS NOT NULL AND coalesce(masks[i], 0) <> 0 $$;

-- backtrackingMatch(events_it = start, events_end): ClickHouse's loop with
-- its variables (1-based: action k + 1 is action_end, event n + 1 is
-- events_end).  The (?N) times of the current path are kept beside it as
-- (action, time) pairs; a popped frame drops those of its action and later
-- (the frames on the stack are in increasing action order).
CREATE OR REPLACE FUNCTION pg_temp.seq_backtrack(kinds text[], extras bigint[], t bigint[], m int[], start int,
                                                 OUT matched boolean, OUT next int, OUT match_times bigint[])
LANGUAGE plpgsql PARALLEL RESTRICTED IMMUTABLE AS $$
DECLARE
  k int := cardinality(kinds);
  n int := cardinality(t);
  a int := 1;                   -- action_it
  e int := start;               -- events_it
  b int := start;               -- base_it
  events_begin int := start;
  st_a int[] := '{}';           -- back_stack
  st_e int[] := '{}';
  st_b int[] := '{}';
  top int := 0;
  path_a int[] := '{}';         -- the (?N) atoms matched on the current path
  path_t bigint[] := '{}';
  kind text;
  holds boolean;
  ok boolean;                   -- do_backtrack()'s result
BEGIN
  WHILE a <= k AND e <= n LOOP
    kind := kinds[a];
    ok := true;
    IF kind = 'event' THEN
      IF (m[e] >> extras[a]::int) & 1 = 1 THEN
        path_a := path_a || a;
        path_t := path_t || t[e];
        b := e;
        a := a + 1;
        e := e + 1;
      ELSE
        ok := NULL;             -- backtrack
      END IF;
    ELSIF kind = 'any' THEN
      b := e;
      a := a + 1;
      e := e + 1;
    ELSIF kind = 'star' THEN
      top := top + 1;
      st_a[top] := a; st_e[top] := e; st_b[top] := b;
      b := e;
      a := a + 1;
    ELSE
      holds := CASE kind WHEN 'le' THEN t[e] <= t[b] + extras[a]
                         WHEN 'lt' THEN t[e] < t[b] + extras[a]
                         WHEN 'ge' THEN t[e] >= t[b] + extras[a]
                         WHEN 'gt' THEN t[e] > t[b] + extras[a]
                         ELSE t[e] = t[b] + extras[a] END;
      IF holds THEN
        top := top + 1;
        st_a[top] := a; st_e[top] := e; st_b[top] := b;
        b := e;
        a := a + 1;
      ELSIF kind IN ('le', 'lt') THEN
        ok := NULL;
      ELSE
        e := e + 1;
        IF e = n + 1 THEN
          ok := NULL;
        END IF;
      END IF;
    END IF;
    IF ok IS NULL THEN
      -- do_backtrack: pop frames until one resumes before events_end
      ok := false;
      WHILE top > 0 LOOP
        a := st_a[top];
        e := st_e[top] + 1;
        b := st_b[top];
        top := top - 1;
        WHILE cardinality(path_a) > 0 AND path_a[cardinality(path_a)] >= a LOOP
          path_a := path_a[1:cardinality(path_a) - 1];
          path_t := path_t[1:cardinality(path_t) - 1];
        END LOOP;
        IF e <= n THEN
          ok := true;
          EXIT;
        END IF;
      END LOOP;
      IF NOT ok THEN
        EXIT;
      END IF;
    END IF;
  END LOOP;
  -- match empty actions at the end (ClickHouse reads one past the actions
  -- here when all remaining ones are empty: it stops at action_end in effect)
  IF a <= k THEN
    WHILE a <= k AND (kinds[a] IN ('star', 'le', 'lt') OR (kinds[a] = 'ge' AND extras[a] = 0)) LOOP
      a := a + 1;
    END LOOP;
  END IF;
  IF e = events_begin THEN
    e := e + 1;
  END IF;
  matched := a = k + 1;
  next := e;
  match_times := CASE WHEN matched THEN path_t END;
END $$;

-- One group's answers from its parsed pattern and its events (a group
-- with rows): sequence_match = the first search from event 1 (ClickHouse's
-- DFA, used without time conditions, gives the same answer: seq_dfa);
-- sequence_count = while (events_it != end && backtrackingMatch(events_it,
-- end)) ++count; sequence_match_times = the (?N) times of the first
-- search's match, NULL without one
CREATE OR REPLACE FUNCTION pg_temp.seq_result(kinds text[], extras bigint[], etimes bigint[], emasks int[],
                                              OUT matched boolean, OUT count bigint, OUT match_times bigint[])
LANGUAGE plpgsql PARALLEL RESTRICTED IMMUTABLE AS $$
DECLARE
  r record;
  pos int := 1;
BEGIN
  r := pg_temp.seq_backtrack(kinds, extras, etimes, emasks, 1);
  matched := r.matched;
  match_times := r.match_times;
  count := 0;
  WHILE pos <= cardinality(etimes) LOOP
    IF pos > 1 THEN
      r := pg_temp.seq_backtrack(kinds, extras, etimes, emasks, pos);
    END IF;
    EXIT WHEN NOT r.matched;
    count := count + 1;
    pos := r.next;
  END LOOP;
END $$;

-- One group from its rows: NULL, NULL, NULL without rows
CREATE OR REPLACE FUNCTION pg_temp.seq_reference(pattern text, times bigint[], masks int[], usec boolean DEFAULT false,
                                                 OUT matched boolean, OUT count bigint, OUT match_times bigint[])
LANGUAGE plpgsql PARALLEL RESTRICTED IMMUTABLE AS $$
DECLARE
  p record;
  ev record;
BEGIN
  IF coalesce(cardinality(times), 0) = 0 THEN
    RETURN;
  END IF;
  p := pg_temp.seq_parse(pattern, usec);
  ev := pg_temp.seq_events(times, masks);
  SELECT * INTO matched, count, match_times FROM pg_temp.seq_result(p.kinds, p.extras, ev.etimes, ev.emasks);
END $$;

-- dfaMatch over all the events (time conditions ignored, as ClickHouse
-- builds no state for them): state i+1 follows the i-th (?N) or . atom;
-- a state loops on any event when a .* stands before its outgoing atom (state
-- 0 always: the implicit .*); the search stops when the last state is active
-- or none is
CREATE OR REPLACE FUNCTION pg_temp.seq_dfa(kinds text[], extras bigint[], t bigint[], m int[]) RETURNS boolean
LANGUAGE plpgsql PARALLEL RESTRICTED IMMUTABLE AS $$
DECLARE
  trans text[] := ARRAY['none'];      -- the kind of transition out of each state
  ev int[] := ARRAY[0];               -- its condition (N - 1)
  kleene boolean[] := ARRAY[true];
  active boolean[];
  next_active boolean[];
  ns int;
  n_active int := 1;
  e int := 1;
  s int;
BEGIN
  FOR i IN 1 .. cardinality(kinds) LOOP
    ns := cardinality(trans);
    IF kinds[i] = 'event' OR kinds[i] = 'any' THEN
      trans[ns] := kinds[i];
      ev[ns] := extras[i];
      trans := trans || 'none'::text;
      ev := ev || 0;
      kleene := kleene || false;
    ELSIF kinds[i] = 'star' THEN
      kleene[ns] := true;
    END IF;
  END LOOP;
  ns := cardinality(trans);
  active := array_fill(false, ARRAY[ns]);
  active[1] := true;
  WHILE e <= cardinality(t) AND n_active > 0 AND NOT active[ns] LOOP
    n_active := 0;
    next_active := array_fill(false, ARRAY[ns]);
    FOR s IN 1 .. ns LOOP
      CONTINUE WHEN NOT active[s];
      IF trans[s] = 'any' OR (trans[s] = 'event' AND (m[e] >> ev[s]) & 1 = 1) THEN
        next_active[s + 1] := true;
        n_active := n_active + 1;
      END IF;
      IF kleene[s] THEN
        next_active[s] := true;
        n_active := n_active + 1;
      END IF;
    END LOOP;
    active := next_active;
    e := e + 1;
  END LOOP;
  RETURN active[ns];
END $$;
