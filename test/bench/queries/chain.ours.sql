SELECT chain_length(chain) AS contacts, count(*) AS deals
FROM (SELECT contact_chain_agg(event, ts) AS chain FROM bench_events GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
