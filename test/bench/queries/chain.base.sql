-- The contacts of each deal in time order (ties by kind), as an array:
-- the sort every chain needs, without building a contact_chain.
SELECT cardinality(chain) AS contacts, count(*) AS deals
FROM (SELECT array_agg(event ORDER BY ts, event) AS chain FROM bench_events GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
