-- seq_count_time.sql in plain SQL, for --check only.  ClickHouse's count
-- takes, from where the previous match ended, the first created event whose
-- next qualified event is at most 2 days after it, with that qualified
-- event, and goes on after it; created events that share their next
-- qualified event can give only one match, and each next qualified event of
-- a created one within 2 days gives one.  So the count is the number of
-- distinct such qualified events.  The events of a deal have distinct times
-- in this data.
SELECT matches, count(*) AS deals
FROM (SELECT count(DISTINCT next_q) FILTER (WHERE event = 'created'
                                            AND next_q <= ts + interval '172800 seconds') AS matches
      FROM (SELECT deal_id, ts, event, min(ts) FILTER (WHERE event = 'qualified') OVER w AS next_q
            FROM bench_events
            WINDOW w AS (PARTITION BY deal_id ORDER BY ts ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)) e
      GROUP BY deal_id) per_deal
GROUP BY matches
ORDER BY matches
