-- wf30.sql in the event-name form: the steps as one text[] of event names.
SELECT level, count(*) AS deals
FROM (SELECT window_funnel(interval '30 days', ts, event,
                           ARRAY['created', 'qualified', 'meeting_held']) AS level
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY level
ORDER BY level
