SELECT "position" AS level, stopped AS deals
FROM funnel_steps((
    SELECT funnel_conversion(nullif(level, 0)::stage)
    FROM (SELECT window_funnel(interval '12 days', ts,
                               event = 'created', event = 'qualified', event = 'meeting_held',
                               event = 'proposal_sent', event = 'contract_signed', event = 'paid') AS level
          FROM bench_events
          GROUP BY deal_id) per_deal))
WHERE stopped > 0
ORDER BY 1
