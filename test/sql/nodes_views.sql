-- Views of the sample data that the node suite (test/suites/nodes.sh)
-- aggregates: created on the coordinator, which holds all rows and gives the
-- single-node result, and on each data node, which holds its share.  Deals
-- are split between the data nodes by deal, so every view row of a deal is on
-- the node that holds the deal.

-- one row per deal: the deepest stage it reached (funnel_conversion's input)
CREATE VIEW crm.deal_reached AS
SELECT d.deal_id, d.funnel_id, s.team_id, d.seller_id, max(h.stage) AS reached
FROM crm.deals d
JOIN crm.sellers s USING (seller_id)
JOIN crm.stage_history h USING (deal_id)
GROUP BY d.deal_id, d.funnel_id, s.team_id, d.seller_id;

-- one row per stage visit (stage_velocity's input)
CREATE VIEW crm.visits AS
SELECT h.deal_id, d.funnel_id, s.team_id, h.stage, h.entered_at, h.left_at
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
JOIN crm.sellers s USING (seller_id);

-- one row per seller, indicator and day (plan_attainment's input)
CREATE VIEW crm.plan_rows AS
SELECT p.seller_id, s.team_id, p.indicator, p.day, p.plan, p.actual
FROM crm.daily_plans p
JOIN crm.sellers s USING (seller_id);
