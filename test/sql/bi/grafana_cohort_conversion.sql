-- Grafana panel "Conversion over time by week of entry": Format Time series,
-- one series per stage: the share of the week's new deals that reached it.
-- $funnel is a dashboard variable (query: SELECT funnel_id AS __value, name
-- AS __text FROM crm.funnels).
SELECT c.cohort AS "time", stage_name(st.stage) AS metric,
       coalesce(r.reached, 0)::float8 / c.deals AS value
FROM (SELECT d.funnel_id, date_trunc('week', d.created_at, 'UTC') AS cohort, count(*) AS deals,
             funnel_conversion(m.reached) AS f
      FROM crm.deals d
      CROSS JOIN LATERAL (SELECT max(h.stage) AS reached
                          FROM crm.stage_history h WHERE h.deal_id = d.deal_id) m
      WHERE d.funnel_id = $funnel AND $__timeFilter(d.created_at)
      GROUP BY 1, 2) c
JOIN crm.funnel_stages st USING (funnel_id)
LEFT JOIN LATERAL (SELECT max(s.reached) AS reached
                   FROM funnel_steps(c.f) s
                   WHERE s.position >= stage_position(st.stage)) r ON true
WHERE stage_position(st.stage) > 1
ORDER BY 1, stage_position(st.stage);
