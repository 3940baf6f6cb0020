-- Where a distributed query aggregates: the classifier of the Citus suite
-- (test/suites/citus.sh), made on the coordinator only (DDL propagation off:
-- the workers need none of it).
--
-- chk.plan(query) runs EXPLAIN (VERBOSE, COSTS OFF) of the query and returns
-- a verdict line first, then the plan.  The verdict reads the plan as a tree
-- (by indentation) and, for each Citus scan (Custom Scan (Citus ...)), the
-- SQL that Citus sends to the shards: the "Query:" line of its task.  A
-- shard query is reduced to its top level: string literals and quoted
-- identifiers emptied, then every parenthesised part, innermost first,
-- collapsed to "[]" (a subquery or a call's arguments disappear, a call
-- reads "name[]").  It aggregates at its top level when that has GROUP BY,
-- worker_partial_agg or a call of any aggregate (pg_proc.prokind = 'a').
-- A scan gathers rows when its shard query does not aggregate at its top
-- level and either the coordinator aggregates its rows (an Aggregate node
-- between it and the next Citus node above it) or it is a distributed
-- subplan (its rows become an intermediate result for the rest of the
-- query).  A shard query that reads no shard, only read_intermediate_result
-- (a subplan's output), scans no rows and is skipped.
-- Verdicts:
--   gather: <the shard query>   the rows of a scan go to the coordinator
--   pushed: partial             worker_partial_agg on the workers,
--                               coord_combine_agg on the coordinator
--   pushed: workers             the shard queries aggregate (Citus's own
--                               partial aggregates, or the whole query)
--   rows: no aggregation        the query aggregates nowhere (a listing)
--   local: no distributed scan
SET citus.enable_ddl_propagation = off;
CREATE SCHEMA chk;

-- an SQL text with its string literals and quoted identifiers emptied
CREATE FUNCTION chk.no_literals(q text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT regexp_replace(regexp_replace(q, '''([^'']|'''')*''', '''''', 'g'), '"([^"]|"")*"', '""', 'g') $$;

-- the top level of an SQL text, as described above
CREATE FUNCTION chk.top_level(q text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  s text := chk.no_literals(q);
  t text;
BEGIN
  LOOP
    t := regexp_replace(s, '\([^()]*\)', '[]', 'g');
    EXIT WHEN t = s;
    s := t;
  END LOOP;
  RETURN s;
END $$;

-- whether an SQL text (reduced or not) aggregates: GROUP BY, or a call of an
-- aggregate ("name(", or reduced "name[]")
CREATE FUNCTION chk.aggregates(s text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  aggs text;
BEGIN
  SELECT string_agg(DISTINCT proname, '|') INTO aggs
  FROM pg_proc WHERE prokind = 'a' AND proname ~ '^[a-z_][a-z0-9_]*$';
  RETURN s ~* '\mGROUP BY\M' OR s ~ ('\m(worker_partial_agg|' || aggs || ')(\(|\[\])');
END $$;

CREATE FUNCTION chk.verdict(plan text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  node text;
  ind int;
  q text;
  depth int := 0;
  st_ind int[] := '{}';      -- the stack of the nodes above the current line
  st_text text[] := '{}';
  st_scan int[] := '{}';     -- per stack entry: the number of a Citus scan, else NULL
  scan_gatherish boolean[] := '{}';
  scan_query text[] := '{}';
  i int;
  k int;
  nscans int := 0;
  reading int := 0;
  anyagg boolean := false;
BEGIN
  FOREACH line IN ARRAY plan LOOP
    IF depth = 0 OR line ~ '^\s*->  ' THEN
      -- a node: its indentation, then off the stack whatever it is not under
      ind := CASE WHEN depth = 0 THEN -1 ELSE length(substring(line FROM '^(\s*)->')) END;
      node := regexp_replace(line, '^\s*->  ', '');
      WHILE depth > 0 AND st_ind[depth] >= ind LOOP
        depth := depth - 1;
      END LOOP;
      depth := depth + 1;
      st_ind[depth] := ind;
      st_text[depth] := node;
      st_scan[depth] := NULL;
      IF node ~ '^Custom Scan \(Citus ' THEN
        nscans := nscans + 1;
        st_scan[depth] := nscans;
        scan_query[nscans] := NULL;
        scan_gatherish[nscans] := false;
        -- the nodes above it, up to the next Citus node
        FOR i IN REVERSE depth - 1 .. 1 LOOP
          EXIT WHEN st_text[i] ~ '^(Custom Scan \(Citus |Task$)';
          IF st_text[i] ~ '^Distributed Subplan ' THEN
            scan_gatherish[nscans] := true;
            EXIT;
          END IF;
          IF st_text[i] ~ '^(Finalize |Partial )?(Hash|Group|Mixed)?Aggregate' THEN
            scan_gatherish[nscans] := true;
          END IF;
        END LOOP;
      END IF;
    ELSIF line ~ '^\s*Query: ' THEN
      -- a task's shard query: for the innermost Citus scan it is under
      FOR i IN REVERSE depth .. 1 LOOP
        IF st_scan[i] IS NOT NULL THEN
          scan_query[st_scan[i]] := coalesce(scan_query[st_scan[i]], regexp_replace(line, '^\s*Query: ', ''));
          EXIT;
        END IF;
      END LOOP;
    END IF;
  END LOOP;
  FOR k IN 1 .. nscans LOOP
    q := scan_query[k];
    CONTINUE WHEN q IS NULL
      OR (chk.no_literals(q) !~ '\m[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*_[0-9]+\M' AND q ~ 'read_intermediate_result');
    reading := reading + 1;
    IF chk.aggregates(chk.no_literals(q)) THEN
      anyagg := true;
    END IF;
    IF scan_gatherish[k] AND NOT chk.aggregates(chk.top_level(q)) THEN
      RETURN 'gather: ' || q;
    END IF;
  END LOOP;
  IF reading = 0 THEN
    RETURN 'local: no distributed scan';
  ELSIF array_to_string(plan, E'\n') ~ '\m(worker_partial_agg|coord_combine_agg)\(' THEN
    RETURN 'pushed: partial';
  ELSIF anyagg THEN
    RETURN 'pushed: workers';
  END IF;
  RETURN 'rows: no aggregation';
END $$;

CREATE FUNCTION chk.plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  plan text[] := '{}';
  line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query LOOP
    plan := plan || line;
  END LOOP;
  RETURN NEXT 'verdict: ' || chk.verdict(plan);
  RETURN QUERY SELECT unnest(plan);
END $$;

RESET citus.enable_ddl_propagation;
