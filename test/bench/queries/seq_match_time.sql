-- Case seq (issue 30): sequence_match with a time condition, a qualified
-- event at most 2 days (172800 s) after a created one, any events between;
-- the call has wf30's 3 conditions, so meeting_held rows are events too.
-- The time stays alone at the end of its line (clickhouse.sh).
SELECT matched::int AS matched, count(*) AS deals
FROM (SELECT sequence_match('(?1)(?t<=172800)(?2)', ts,
                            event = 'created', event = 'qualified', event = 'meeting_held') AS matched
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY matched
ORDER BY matched
