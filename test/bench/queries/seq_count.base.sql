-- seq_count.sql in plain SQL, for --check only: the string of
-- seq_match.base.sql; ClickHouse's count takes the first match from where
-- the previous one ended, the first 1 that has a 2 and then a 3 after it
-- with the first such 2 and 3 (lazy stars), which is the non-overlapping
-- matches of 1[^2]*2[^3]*3 that regexp_count counts.
SELECT regexp_count(coalesce(steps, ''), '1[^2]*2[^3]*3') AS matches, count(*) AS deals
FROM (SELECT string_agg(CASE event WHEN 'created' THEN '1' WHEN 'qualified' THEN '2' ELSE '3' END, ''
                        ORDER BY ts)
                 FILTER (WHERE event IN ('created', 'qualified', 'meeting_held')) AS steps
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
