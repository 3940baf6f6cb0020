-- The daily control report (DOMAIN rule 6) for crm.today(): every seller's
-- attainment of today's and this month's plans on leading indicators (the
-- mean of the indicators' ratios), ranked; the month's days missed, their
-- longest run and the current streak (+ met, - missed); the month's resulting
-- indicators beside them (results %); the sellers who missed the most days
-- flagged.  A day counts as met when every leading plan of that day is met.
WITH month AS (
    SELECT p.seller_id, i.kind, p.indicator,
           plan_attainment(p.actual, p.plan, p.day) AS month,
           plan_attainment(p.actual, p.plan, p.day) FILTER (WHERE p.day = crm.today()) AS today
    FROM crm.daily_plans p
    JOIN crm.indicators i USING (indicator)
    WHERE p.day BETWEEN date_trunc('month', crm.today())::date AND crm.today()
    GROUP BY 1, 2, 3),
-- days fully met as an attainment of its own: 1 of 1 on a met day
leading_days AS (
    SELECT seller_id, plan_attainment(met::int, 1, day) AS a
    FROM (SELECT m.seller_id, d.day, bool_and(d.met) AS met
          FROM month m, attainment_days(m.month) d
          WHERE m.kind = 'leading'
          GROUP BY 1, 2) x
    GROUP BY seller_id),
board AS (
    SELECT seller_id,
           avg(attainment_ratio(today)) FILTER (WHERE kind = 'leading') AS leading_today,
           avg(attainment_ratio(month)) FILTER (WHERE kind = 'leading') AS leading_month,
           avg(attainment_ratio(month)) FILTER (WHERE kind = 'resulting') AS resulting_month
    FROM month
    GROUP BY seller_id)
SELECT rank() OVER (ORDER BY b.leading_month DESC NULLS LAST) AS rank,
       s.name AS seller,
       round((100 * b.leading_today)::numeric) AS "leading today %",
       round((100 * b.leading_month)::numeric) AS "leading month %",
       r.days_missed || ' of ' || r.days AS missed,
       r.longest_miss_streak AS "longest run",
       r.current_streak AS streak,
       round((100 * b.resulting_month)::numeric) AS "results %",
       CASE WHEN percent_rank() OVER (ORDER BY r.days_missed DESC) < 0.2
            THEN 'missed most' ELSE '' END AS flag
FROM board b
JOIN leading_days l USING (seller_id)
CROSS JOIN LATERAL attainment_report(l.a) r
JOIN crm.sellers s USING (seller_id)
ORDER BY rank, seller;
