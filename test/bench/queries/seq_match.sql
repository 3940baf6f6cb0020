-- Case seq (issue 30, test/bench/seq.sh): sequence_match over wf30's events,
-- the 3 steps of wf30 as boolean conditions, in order with any events
-- between; the number of deals that match (0, 1: ClickHouse's UInt8).  The
-- time stays alone at the end of its line: clickhouse.sh checks the figures
-- on whole seconds by putting date_trunc('second', ts) there.
SELECT matched::int AS matched, count(*) AS deals
FROM (SELECT sequence_match('(?1).*(?2).*(?3)', ts,
                            event = 'created', event = 'qualified', event = 'meeting_held') AS matched
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY matched
ORDER BY matched
