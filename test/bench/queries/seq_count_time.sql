-- Case seq (issue 30): sequence_count of seq_match_time.sql's pattern, the
-- number of deals per count.  The time stays alone at the end of its line
-- (clickhouse.sh).
SELECT matches, count(*) AS deals
FROM (SELECT sequence_count('(?1)(?t<=172800)(?2)', ts,
                            event = 'created', event = 'qualified', event = 'meeting_held') AS matches
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY matches
ORDER BY matches
