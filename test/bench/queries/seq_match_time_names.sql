-- seq_match_time.sql in the event-name form: condition N is event = steps[N].
SELECT matched::int AS matched, count(*) AS deals
FROM (SELECT sequence_match('(?1)(?t<=172800)(?2)', ts,
                            event, ARRAY['created', 'qualified', 'meeting_held']) AS matched
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY matched
ORDER BY matched
