-- seq_count.sql in the event-name form: condition N is event = steps[N].
SELECT matches, count(*) AS deals
FROM (SELECT sequence_count('(?1).*(?2).*(?3)', ts,
                            event, ARRAY['created', 'qualified', 'meeting_held']) AS matches
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY matches
ORDER BY matches
