-- seq_match.sql in plain SQL, for --check only: each deal's events (the
-- rows of the 3 conditions) as a string in time order, 1 created,
-- 2 qualified, 3 meeting_held, matched by the regular expression of the
-- pattern.  The events of a deal have distinct times in this data.
SELECT (coalesce(steps, '') ~ '1.*2.*3')::int AS matched, count(*) AS deals
FROM (SELECT string_agg(CASE event WHEN 'created' THEN '1' WHEN 'qualified' THEN '2' ELSE '3' END, ''
                        ORDER BY ts)
                 FILTER (WHERE event IN ('created', 'qualified', 'meeting_held')) AS steps
      FROM bench_events
      GROUP BY deal_id) per_deal
GROUP BY 1
ORDER BY 1
