-- A rollup table: one attainment per seller, indicator and month.  Weeks,
-- quarters, teams and the department merge from it exactly with
-- plan_attainment(a); a late row is folded in with a = a + plan_attainment(...).
CREATE TEMP TABLE attainment_monthly AS
SELECT p.seller_id, p.indicator, date_trunc('month', p.day)::date AS month,
       plan_attainment(p.actual, p.plan, p.day) AS a
FROM crm.daily_plans p
GROUP BY 1, 2, 3;
