-- Coordinator side of the node suite (test/suites/nodes.sh): foreign servers
-- for the two data nodes through postgres_fdw, and views that compute partial
-- funnel, velocity and attainment values on each node and merge them here.
-- psql variables: n1_host, n1_port, n2_host, n2_port, db.
CREATE EXTENSION postgres_fdw;

-- extensions 'funnel' tells postgres_fdw that the data nodes have funnel too,
-- so its aggregates, types and operators may be sent in the remote SQL
CREATE SERVER node1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'n1_host', port :'n1_port', dbname :'db', extensions 'funnel');
CREATE SERVER node2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'n2_host', port :'n2_port', dbname :'db', extensions 'funnel');
-- the same node without the option: the control case, where the aggregate
-- cannot be pushed down and every row travels to the coordinator
CREATE SERVER node1_plain FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'n1_host', port :'n1_port', dbname :'db');
CREATE USER MAPPING FOR CURRENT_USER SERVER node1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER node2 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER node1_plain OPTIONS (user 'postgres');

CREATE SCHEMA node1;
CREATE SCHEMA node2;
CREATE SCHEMA node1_plain;
IMPORT FOREIGN SCHEMA crm LIMIT TO (deal_reached, visits, plan_rows) FROM SERVER node1 INTO node1;
IMPORT FOREIGN SCHEMA crm LIMIT TO (deal_reached, visits, plan_rows) FROM SERVER node2 INTO node2;
IMPORT FOREIGN SCHEMA crm LIMIT TO (deal_reached) FROM SERVER node1_plain INTO node1_plain;

CREATE SCHEMA dist;

-- funnel per team: partial funnels per node, merged by the aggregate form
CREATE VIEW dist.funnel_per_team AS
SELECT team_id, funnel_conversion(f) AS f
FROM (SELECT team_id, funnel_conversion(reached) AS f FROM node1.deal_reached GROUP BY team_id
      UNION ALL
      SELECT team_id, funnel_conversion(reached) FROM node2.deal_reached GROUP BY team_id) p
GROUP BY team_id;

-- whole funnel per funnel_id: two partials merged by the + operator
CREATE VIEW dist.funnel_per_funnel AS
SELECT funnel_id, a.f + b.f AS f
FROM (SELECT funnel_id, funnel_conversion(reached) AS f FROM node1.deal_reached GROUP BY funnel_id) a
FULL JOIN (SELECT funnel_id, funnel_conversion(reached) AS f FROM node2.deal_reached GROUP BY funnel_id) b
    USING (funnel_id);

-- velocity per funnel: the aggregate form
CREATE VIEW dist.velocity_per_funnel AS
SELECT funnel_id, stage_velocity(v) AS v
FROM (SELECT funnel_id, stage_velocity(stage, entered_at, left_at) AS v FROM node1.visits GROUP BY funnel_id
      UNION ALL
      SELECT funnel_id, stage_velocity(stage, entered_at, left_at) FROM node2.visits GROUP BY funnel_id) p
GROUP BY funnel_id;

-- velocity per team: the two-argument merge function
CREATE VIEW dist.velocity_per_team AS
SELECT team_id, velocity_merge(a.v, b.v) AS v
FROM (SELECT team_id, stage_velocity(stage, entered_at, left_at) AS v FROM node1.visits GROUP BY team_id) a
FULL JOIN (SELECT team_id, stage_velocity(stage, entered_at, left_at) AS v FROM node2.visits GROUP BY team_id) b
    USING (team_id);

-- attainment per seller and indicator: the aggregate form; a seller's days
-- are spread over both nodes
CREATE VIEW dist.attainment_per_seller AS
SELECT seller_id, indicator, plan_attainment(a) AS a
FROM (SELECT seller_id, indicator, plan_attainment(actual, plan, day) AS a
      FROM node1.plan_rows GROUP BY seller_id, indicator
      UNION ALL
      SELECT seller_id, indicator, plan_attainment(actual, plan, day)
      FROM node2.plan_rows GROUP BY seller_id, indicator) p
GROUP BY seller_id, indicator;

-- attainment per team and indicator: + operator; the same day has rows on
-- both nodes, which the merge adds up
CREATE VIEW dist.attainment_per_team AS
SELECT team_id, indicator, a.a + b.a AS a
FROM (SELECT team_id, indicator, plan_attainment(actual, plan, day) AS a
      FROM node1.plan_rows GROUP BY team_id, indicator) a
FULL JOIN (SELECT team_id, indicator, plan_attainment(actual, plan, day) AS a
           FROM node2.plan_rows GROUP BY team_id, indicator) b
    USING (team_id, indicator);

-- attainment per indicator over everyone: the two-argument merge function
CREATE VIEW dist.attainment_per_indicator AS
SELECT indicator, attainment_merge(a.a, b.a) AS a
FROM (SELECT indicator, plan_attainment(actual, plan, day) AS a FROM node1.plan_rows GROUP BY indicator) a
FULL JOIN (SELECT indicator, plan_attainment(actual, plan, day) AS a FROM node2.plan_rows GROUP BY indicator) b
    USING (indicator);

-- the same results computed on the coordinator alone, from all rows
CREATE SCHEMA single;
CREATE VIEW single.funnel_per_team AS
SELECT team_id, funnel_conversion(reached) AS f FROM crm.deal_reached GROUP BY team_id;
CREATE VIEW single.funnel_per_funnel AS
SELECT funnel_id, funnel_conversion(reached) AS f FROM crm.deal_reached GROUP BY funnel_id;
CREATE VIEW single.velocity_per_funnel AS
SELECT funnel_id, stage_velocity(stage, entered_at, left_at) AS v FROM crm.visits GROUP BY funnel_id;
CREATE VIEW single.velocity_per_team AS
SELECT team_id, stage_velocity(stage, entered_at, left_at) AS v FROM crm.visits GROUP BY team_id;
CREATE VIEW single.attainment_per_seller AS
SELECT seller_id, indicator, plan_attainment(actual, plan, day) AS a
FROM crm.plan_rows GROUP BY seller_id, indicator;
CREATE VIEW single.attainment_per_team AS
SELECT team_id, indicator, plan_attainment(actual, plan, day) AS a
FROM crm.plan_rows GROUP BY team_id, indicator;
CREATE VIEW single.attainment_per_indicator AS
SELECT indicator, plan_attainment(actual, plan, day) AS a
FROM crm.plan_rows GROUP BY indicator;
