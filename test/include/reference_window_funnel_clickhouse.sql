-- A second reference of window_funnel: a line-by-line transcription of
-- ClickHouse's windowFunnel (src/AggregateFunctions/AggregateFunctionWindowFunnel.cpp,
-- current master), written independently of src/window_funnel_eval.c and of
-- test/include/reference_window_funnel.sql.  It is deliberately naive: the event
-- list is built as add() builds it, sorted as ClickHouse sorts it, and
-- searched by getEventLevelNonStrictOnce / getEventLevelStrictOnce, which
-- with strict_once keeps every sequence with the unique ids of its rows
-- (exponential; only for small groups).
--
-- pg_temp.wf_clickhouse(window, mode, times, masks, nsteps) -> level
--   times[i], masks[i]: row i in arrival order (its unique_id is i); bit k-1
--   of masks[i] set means the row satisfies condition k.  Rows whose time is
--   NULL are skipped, as the aggregate skips them.
--
-- Only differences from the C++: the time axis is signed bigint (ClickHouse
-- timestamps are unsigned), so "timestamp <= first_timestamp + window" is
-- computed in numeric, which is the same comparison without overflow; and
-- there is no 32-condition limit.
CREATE OR REPLACE FUNCTION pg_temp.wf_clickhouse(
    win bigint, mode text, times bigint[], masks int[], nsteps int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  -- constructor: the option list
  strict_deduplication boolean := false;
  strict_order boolean := false;
  strict_increase boolean := false;
  allow_reentry boolean := false;
  strict_once boolean := false;
  opt text;
  -- the data: events_list of (timestamp, event_type, unique_id)
  ev_ts bigint[] := '{}';
  ev_type int[] := '{}';
  ev_id bigint[] := '{}';
  next_unique_id bigint := 1;
  has_event boolean;
  r int;
  i int;
  j int;
  e record;
  s_ts bigint[];
  s_type int[];
  s_id bigint[];
  ts bigint;
  event_idx int;
  unique_id bigint;
  -- getEventLevelNonStrictOnce: events_timestamp[0 .. events_size - 1],
  -- stored 1-based (events_timestamp[k] is at index k + 1)
  et_has boolean[];
  et_first bigint[];
  et_second bigint[];
  first_event boolean := false;
  -- getEventLevelStrictOnce: event_sequences[0 .. events_size - 1], a list
  -- per level; all sequences in one flat store in creation order, erased
  -- ones marked dead, so a level's list is its live sequences in order
  sq_level int[] := '{}';
  sq_first bigint[] := '{}';
  sq_last bigint[] := '{}';
  sq_alive boolean[] := '{}';
  sq_path bigint[] := '{}';		-- event_path of sequence q at (q-1)*nsteps + 1 ..
  nseq int := 0;
  level_size int[];
  prev_path bigint[];
  first_ts bigint;
  time_matched boolean;
  q int;
  nq int;
BEGIN
  FOREACH opt IN ARRAY string_to_array(mode, ',') LOOP
    opt := lower(btrim(opt));
    IF opt = 'strict_deduplication' THEN strict_deduplication := true;
    ELSIF opt = 'strict_order' THEN strict_order := true;
    ELSIF opt = 'strict_increase' THEN strict_increase := true;
    ELSIF opt = 'allow_reentry' THEN allow_reentry := true;
    ELSIF opt = 'strict_once' THEN strict_once := true;
    ELSIF opt <> '' THEN RAISE EXCEPTION 'unknown option %', opt;
    END IF;
  END LOOP;
  IF allow_reentry AND NOT strict_order THEN
    RAISE EXCEPTION 'allow_reentry requires strict_order';
  END IF;

  -- add(): one event per satisfied condition, in reverse condition order;
  -- under strict_order a row satisfying none adds event 0
  FOR r IN 1 .. coalesce(cardinality(times), 0) LOOP
    CONTINUE WHEN times[r] IS NULL;
    has_event := false;
    FOR i IN REVERSE nsteps .. 1 LOOP
      IF (masks[r] >> (i - 1)) & 1 = 1 THEN
        ev_ts := ev_ts || times[r];
        ev_type := ev_type || i;
        ev_id := ev_id || next_unique_id;
        has_event := true;
      END IF;
    END LOOP;
    IF strict_order AND NOT has_event THEN
      ev_ts := ev_ts || times[r];
      ev_type := ev_type || 0;
      ev_id := ev_id || next_unique_id;
    END IF;
    -- advanceId(): once per row
    next_unique_id := next_unique_id + 1;
  END LOOP;

  -- getEventLevel()
  IF cardinality(ev_ts) = 0 THEN
    RETURN 0;
  END IF;
  IF NOT strict_order AND nsteps = 1 THEN
    RETURN 1;
  END IF;

  -- data.sort(): stable sort of (timestamp, event) pairs, or of
  -- (timestamp, event_type, unique_id) under strict_once; without
  -- strict_once equal pairs are identical, so the id tie-break is harmless
  SELECT array_agg(t ORDER BY t, y, u), array_agg(y ORDER BY t, y, u), array_agg(u ORDER BY t, y, u)
    INTO s_ts, s_type, s_id
    FROM unnest(ev_ts, ev_type, ev_id) AS x(t, y, u);

  IF NOT strict_once THEN
    -- getEventLevelNonStrictOnce
    et_has := array_fill(false, ARRAY[nsteps]);
    et_first := array_fill(NULL::bigint, ARRAY[nsteps]);
    et_second := array_fill(NULL::bigint, ARRAY[nsteps]);
    FOR i IN 1 .. cardinality(s_ts) LOOP
      ts := s_ts[i];
      event_idx := s_type[i] - 1;
      IF strict_order AND event_idx = -1 THEN
        IF first_event THEN
          EXIT;
        END IF;
        CONTINUE;
      END IF;
      IF event_idx = 0 THEN
        et_has[1] := true; et_first[1] := ts; et_second[1] := ts;
        first_event := true;
      ELSIF strict_deduplication AND et_has[event_idx + 1] THEN
        FOR j IN REVERSE nsteps .. 1 LOOP
          IF et_has[j] THEN
            RETURN j;
          END IF;
        END LOOP;
        RETURN 0;
      ELSIF strict_order AND first_event AND NOT et_has[event_idx] THEN
        IF allow_reentry THEN
          CONTINUE;
        END IF;
        FOR j IN 0 .. nsteps - 1 LOOP
          IF NOT et_has[j + 1] THEN
            RETURN j;
          END IF;
        END LOOP;
      ELSIF et_has[event_idx] THEN
        first_ts := et_first[event_idx];
        time_matched := ts::numeric <= first_ts::numeric + win;
        IF strict_increase THEN
          time_matched := time_matched AND et_second[event_idx] < ts;
        END IF;
        IF time_matched THEN
          et_has[event_idx + 1] := true;
          et_first[event_idx + 1] := first_ts;
          et_second[event_idx + 1] := ts;
          IF event_idx + 1 = nsteps THEN
            RETURN nsteps;
          END IF;
        END IF;
      END IF;
    END LOOP;
    FOR j IN REVERSE nsteps .. 1 LOOP
      IF et_has[j] THEN
        RETURN j;
      END IF;
    END LOOP;
    RETURN 0;
  END IF;

  -- getEventLevelStrictOnce; level_size[k + 1] = size of event_sequences[k]
  level_size := array_fill(0, ARRAY[nsteps]);
  FOR i IN 1 .. cardinality(s_ts) LOOP
    ts := s_ts[i];
    event_idx := s_type[i] - 1;
    unique_id := s_id[i];
    IF strict_order AND event_idx = -1 THEN
      IF first_event THEN
        EXIT;
      ELSE
        CONTINUE;
      END IF;
    ELSIF event_idx = 0 THEN
      nseq := nseq + 1;
      sq_level[nseq] := 0; sq_first[nseq] := ts; sq_last[nseq] := ts; sq_alive[nseq] := true;
      prev_path := array_fill(0::bigint, ARRAY[nsteps]);
      prev_path[1] := unique_id;
      sq_path := sq_path || prev_path;
      level_size[1] := level_size[1] + 1;
      first_event := true;
    ELSIF strict_deduplication AND level_size[event_idx + 1] > 0 THEN
      FOR j IN REVERSE nsteps .. 1 LOOP
        IF level_size[j] > 0 THEN
          RETURN j;
        END IF;
      END LOOP;
      RETURN 0;
    ELSIF strict_order AND first_event AND level_size[event_idx] = 0 THEN
      IF allow_reentry THEN
        CONTINUE;
      END IF;
      FOR j IN 0 .. nsteps - 1 LOOP
        IF level_size[j + 1] = 0 THEN
          RETURN j;
        END IF;
      END LOOP;
    ELSIF level_size[event_idx] > 0 THEN
      -- walk prev_level = event_sequences[event_idx - 1] in list order;
      -- sequences appended now go to another level, so nq bounds the walk
      nq := nseq;
      FOR q IN 1 .. nq LOOP
        CONTINUE WHEN NOT sq_alive[q] OR sq_level[q] <> event_idx - 1;
        first_ts := sq_first[q];
        time_matched := ts::numeric <= first_ts::numeric + win;
        IF NOT time_matched AND level_size[event_idx] > 1 THEN
          -- remove old sequences out of the window, but keep at least one
          sq_alive[q] := false;
          level_size[event_idx] := level_size[event_idx] - 1;
          CONTINUE;
        END IF;
        prev_path := sq_path[(q - 1) * nsteps + 1 : q * nsteps];
        -- the row must not be in the path already
        FOR j IN 0 .. event_idx - 1 LOOP
          IF NOT time_matched THEN
            EXIT;
          END IF;
          time_matched := prev_path[j + 1] <> unique_id;
        END LOOP;
        IF time_matched AND strict_increase THEN
          time_matched := sq_last[q] < ts;
        END IF;
        IF time_matched THEN
          prev_path[event_idx + 1] := unique_id;
          nseq := nseq + 1;
          sq_level[nseq] := event_idx; sq_first[nseq] := first_ts; sq_last[nseq] := ts;
          sq_alive[nseq] := true;
          sq_path := sq_path || prev_path;
          level_size[event_idx + 1] := level_size[event_idx + 1] + 1;
          IF event_idx + 1 = nsteps THEN
            RETURN nsteps;
          END IF;
        END IF;
      END LOOP;
    END IF;
  END LOOP;
  FOR j IN REVERSE nsteps .. 1 LOOP
    IF level_size[j] > 0 THEN
      RETURN j;
    END IF;
  END LOOP;
  RETURN 0;
END;
$$;
