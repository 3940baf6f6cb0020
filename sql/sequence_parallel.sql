-- sequence_match, sequence_count, sequence_match_times and retention in parallel plans give the results of serial plans.
SET timezone = 'UTC';
SELECT setseed(0.53);
-- parallel workers cannot read temporary tables.  12 rows per group at
-- distinct times (the order rows arrive in decides nothing), of 5 kinds and
-- some rows of none; odd groups are stored in random order, even groups in
-- time order (states that arrive sorted are merged without a sort)
CREATE TABLE seq_par AS
SELECT g, ts, timestamptz '2024-01-01' + ts * interval '1 second' AS tz, kind
FROM (SELECT g, ((r * 5 + g) % 13) * 600 + g % 7 AS ts,
             (ARRAY['visit', 'call', 'demo', 'offer', 'won', NULL])[1 + floor(random() * 6)::int] AS kind,
             random() AS shuffle
      FROM generate_series(1, 3000) g, generate_series(1, 12) r) x
ORDER BY CASE WHEN g % 2 = 1 THEN -1 ELSE ts END, shuffle;
ANALYZE seq_par;
-- every group's times are distinct
SELECT count(*) AS groups, count(*) FILTER (WHERE times = rows) AS distinct_times
FROM (SELECT g, count(DISTINCT ts) AS times, count(*) AS rows FROM seq_par GROUP BY g) x;

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

CREATE TEMP TABLE seq_par_patterns (pattern text);
INSERT INTO seq_par_patterns VALUES ('(?1)(?2)'), ('(?1).*(?2)(?t<=1800)(?3)'), ('(?1)(?t>1200)(?2)'),
  ('.*(?3)..(?1)'), ('(?2)(?t==600).*(?4)'), ('(?4).(?t>=0)'), ('(?1)(?2)(?3)(?4)'), ('.*'), ('(?t<0)');

-- serial
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.seq_plan('SELECT g, sequence_count(''(?1)(?2)'', ts, kind = ''visit'', kind = ''call'') FROM seq_par GROUP BY g') AS plan;
CREATE TEMP TABLE seq_serial AS
SELECT p.pattern, x.*
FROM seq_par_patterns p CROSS JOIN LATERAL (
    SELECT g,
           sequence_match(p.pattern, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS m,
           sequence_count(p.pattern, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS c,
           sequence_match_times(p.pattern, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS t,
           sequence_match(p.pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS m_big,
           sequence_count(p.pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS c_big,
           sequence_match_times(p.pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS t_big,
           sequence_count(p.pattern, tz, kind, '{visit,call,demo,offer}') AS c_ev,
           sequence_match_times(p.pattern, ts, kind, '{visit,call,demo,offer,won}') AS t_big_ev
    FROM seq_par GROUP BY g) x;
CREATE TEMP TABLE ret_serial AS
SELECT g, retention(kind = 'visit', kind = 'call', kind = 'demo', kind = 'won') AS r FROM seq_par GROUP BY g;

-- parallel, forced by the cost settings
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- only the workers aggregate, so most groups are split between two of them
SET parallel_leader_participation = off;
-- hash aggregation keeps the order rows arrive in: even groups reach the
-- combine function as sorted states
SET enable_sort = off;
SELECT pg_temp.seq_plan('SELECT g, sequence_count(''(?1)(?2)'', ts, kind = ''visit'', kind = ''call'') FROM seq_par GROUP BY g') AS plan;
SELECT pg_temp.seq_plan('SELECT g, sequence_match_times(''(?1)(?2)'', tz, kind, ''{visit,call}'') FROM seq_par GROUP BY g') AS plan;
SELECT pg_temp.seq_plan('SELECT g, retention(kind = ''visit'', kind = ''call'') FROM seq_par GROUP BY g') AS plan;
-- one comparison per pattern, each a top-level query whose aggregation runs
-- in the workers (queries that write data, or run in a function, stay
-- serial); for each: its plan, then groups compared, mismatches and the
-- groups that match
\set ECHO none
SELECT format('SELECT %L AS pattern, pg_temp.seq_plan(%L) AS plan', pattern, q), q
FROM (SELECT pattern, format($q$
SELECT %1$L AS pattern, count(*) AS groups,
       count(*) FILTER (WHERE s.g IS NULL OR p.g IS NULL
                              OR (s.m, s.c, s.t, s.m_big, s.c_big, s.t_big, s.c_ev, s.t_big_ev)
                                 IS DISTINCT FROM (p.m, p.c, p.t, p.m_big, p.c_big, p.t_big, p.c_ev, p.t_big_ev)) AS mismatches,
       count(*) FILTER (WHERE p.m) AS matched, sum(p.c) AS matches
FROM (SELECT * FROM seq_serial WHERE pattern = %1$L) s
FULL JOIN (SELECT g,
                  sequence_match(%1$L, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS m,
                  sequence_count(%1$L, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS c,
                  sequence_match_times(%1$L, tz, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer', kind = 'won') AS t,
                  sequence_match(%1$L, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS m_big,
                  sequence_count(%1$L, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS c_big,
                  sequence_match_times(%1$L, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'offer') AS t_big,
                  sequence_count(%1$L, tz, kind, '{visit,call,demo,offer}') AS c_ev,
                  sequence_match_times(%1$L, ts, kind, '{visit,call,demo,offer,won}') AS t_big_ev
           FROM seq_par GROUP BY g) p USING (g)$q$, pattern) AS q
      FROM seq_par_patterns) x
ORDER BY pattern \gexec
\set ECHO all
-- retention
SELECT count(*) AS groups, count(*) FILTER (WHERE s.g IS NULL OR p.g IS NULL OR s.r IS DISTINCT FROM p.r) AS mismatches,
       count(*) FILTER (WHERE p.r = '{1,1,1,1}') AS all_four
FROM ret_serial s
FULL JOIN (SELECT g, retention(kind = 'visit', kind = 'call', kind = 'demo', kind = 'won') AS r FROM seq_par GROUP BY g) p USING (g);
-- ungrouped: one state per worker, combined by the leader
SELECT pg_temp.seq_plan('SELECT sequence_count(''(?1)(?2)'', ts * 3000 + g, kind = ''visit'', kind = ''call'') FROM seq_par') AS plan;
SELECT sequence_count('(?1)(?2)', ts * 3000 + g, kind = 'visit', kind = 'call') AS c,
       sequence_match_times('(?1)(?t>=5000)(?2)', tz + g * interval '1 microsecond', kind = 'visit', kind = 'call') AS t,
       retention(kind = 'visit', kind = 'call', kind = 'demo', kind = 'won') AS r
FROM seq_par \gset parallel_
SET max_parallel_workers_per_gather = 0;
SELECT sequence_count('(?1)(?2)', ts * 3000 + g, kind = 'visit', kind = 'call') = :parallel_c AS same_count,
       sequence_match_times('(?1)(?t>=5000)(?2)', tz + g * interval '1 microsecond', kind = 'visit', kind = 'call') = :'parallel_t' AS same_times,
       retention(kind = 'visit', kind = 'call', kind = 'demo', kind = 'won') = :'parallel_r' AS same_retention,
       :parallel_c > 0 AS some_matches
FROM seq_par;

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_sort;
DROP TABLE seq_par;
