-- seq_match_time.sql in plain SQL, for --check only: a created event whose
-- next qualified event comes at most 2 days after it (the next one is the
-- one to test: times only grow).  The events of a deal have distinct times
-- in this data.
SELECT matched, count(*) AS deals
FROM (SELECT (count(*) FILTER (WHERE event = 'created'
                               AND next_q <= ts + interval '172800 seconds') > 0)::int AS matched
      FROM (SELECT deal_id, ts, event, min(ts) FILTER (WHERE event = 'qualified') OVER w AS next_q
            FROM bench_events
            WINDOW w AS (PARTITION BY deal_id ORDER BY ts ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)) e
      GROUP BY deal_id) per_deal
GROUP BY matched
ORDER BY matched
