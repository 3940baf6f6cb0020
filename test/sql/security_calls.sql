-- Every function, operator, aggregate and cast of funnel, called by an
-- ordinary role (test/suites/security.sh).  The suite checks that every
-- function of the extension is named here, except the support functions that
-- types, operators, casts and aggregates call for us.
\set ON_ERROR_STOP 1

-- stage
CREATE TEMP TABLE sec_stage (s stage);
INSERT INTO sec_stage SELECT stage(1 + i % 7, 'n' || i % 3) FROM generate_series(1, 50) i;
CREATE INDEX ON sec_stage (s);
SELECT stage(3, 'x'), stage(3), stage_position('3:x'), stage_name('3:x'), 5::stage, '5:x'::stage::integer;
SELECT '2:a'::stage < '3', '2:a'::stage <= '3', '2:a'::stage = '3', '2:a'::stage <> '3',
       '2:a'::stage >= '3', '2:a'::stage > '3', stage_cmp('1', '2'),
       stage_hash('3:x'), stage_hash_extended('3:x', 1), stage_smaller('1', '2'), stage_larger('1', '2');
SELECT min(s), max(s), count(DISTINCT s) FROM sec_stage;
SELECT s, count(*) FROM sec_stage GROUP BY s ORDER BY s LIMIT 2;
SELECT stage_send('3:x'), stage_out('3:x'), stage_in('3:x');

-- contact_chain
CREATE TEMP TABLE sec_contacts (deal int, kind text, at timestamptz);
INSERT INTO sec_contacts SELECT i % 5, (ARRAY['call', 'email', 'meeting'])[1 + i % 3],
  timestamptz '2026-01-01' + i * interval '1 hour' FROM generate_series(1, 40) i;
CREATE TEMP TABLE sec_chain AS SELECT deal, contact_chain_agg(kind, at) c FROM sec_contacts GROUP BY deal;
CREATE INDEX ON sec_chain (c);
SELECT deal, c, chain_length(c), chain_kinds(c), c::text[], c @> 'call > email', 'call' <@ c,
       chain_conformance(c, 'call > meeting'), chain_next(c, 'call > demo'), chain_extra(c, 'call'),
       c || 'demo', contact_chain(ARRAY['a', 'b']), ARRAY['a', 'b']::contact_chain
FROM sec_chain ORDER BY deal;
SELECT c = c, c <> c, c < c, c <= c, c > c, c >= c, contact_chain_cmp(c, c),
       contact_chain_hash(c), contact_chain_hash_extended(c, 1), contact_chain_send(c)
FROM sec_chain ORDER BY deal LIMIT 1;
SELECT c, count(*) FROM sec_chain GROUP BY c ORDER BY c LIMIT 2;

-- funnel
CREATE TEMP TABLE sec_reached AS SELECT i % 4 AS team, stage(1 + i % 6, 'stage ' || 1 + i % 6) AS s FROM generate_series(1, 200) i;
CREATE TEMP TABLE sec_funnel AS SELECT team, funnel_conversion(s) f FROM sec_reached GROUP BY team;
SELECT funnel_conversion(f), funnel_conversion(f)::jsonb FROM sec_funnel;
SELECT * FROM funnel_steps((SELECT funnel_conversion(f) FROM sec_funnel));
SELECT * FROM funnel_steps((SELECT funnel_conversion(f) FROM sec_funnel), 0.5);
SELECT * FROM required_pipeline((SELECT funnel_conversion(f) FROM sec_funnel), 10);
SELECT * FROM required_pipeline((SELECT funnel_conversion(f) FROM sec_funnel), 10, (SELECT f FROM sec_funnel WHERE team = 1));
SELECT funnel_merge(a.f, b.f), a.f + b.f, funnel_to_jsonb(a.f), funnel_send(a.f),
       funnel_stage_trans(a.f, '2'), funnel_merge_trans(a.f, b.f), funnel_final(a.f)
FROM sec_funnel a, sec_funnel b WHERE a.team = 0 AND b.team = 1;
SELECT * FROM funnel_chart((SELECT funnel_conversion(f) FROM sec_funnel));
SELECT * FROM funnel_chart((SELECT funnel_conversion(f) FROM sec_funnel), 10);
SELECT * FROM funnel_compare((SELECT f FROM sec_funnel WHERE team = 1), (SELECT f FROM sec_funnel WHERE team = 2));
SELECT * FROM funnel_compare((SELECT f FROM sec_funnel WHERE team = 1), (SELECT f FROM sec_funnel WHERE team = 2), 0.01);
SELECT bar(3, 0, 10), bar(3, 0, 10, 20);
SET funnel.min_conversion = 0.3;
SELECT count(*) FILTER (WHERE below_norm) FROM funnel_steps((SELECT funnel_conversion(f) FROM sec_funnel));
RESET funnel.min_conversion;

-- velocity
CREATE TEMP TABLE sec_visits AS
  SELECT i % 3 AS team, i AS deal, stage(1 + i % 5, 'stage ' || 1 + i % 5) AS s,
         timestamptz '2026-01-01' + i * interval '1 day' AS entered_at,
         CASE WHEN i % 7 = 0 THEN NULL ELSE timestamptz '2026-01-01' + i * interval '1 day' + i * interval '1 hour' END AS left_at
  FROM generate_series(1, 100) i;
CREATE TEMP TABLE sec_velocity AS SELECT team, stage_velocity(s, entered_at, left_at) v FROM sec_visits GROUP BY team;
SELECT stage_velocity(v), stage_velocity(v)::jsonb, velocity_to_jsonb(stage_velocity(v)) FROM sec_velocity;
SELECT stage_velocity(deal % 10, s, entered_at) FROM sec_visits;
SELECT * FROM velocity_steps((SELECT stage_velocity(v) FROM sec_velocity));
SELECT time_in_stage(v, '2'), time_in_stage(v, '2', 0.9), velocity_quantile(v, '2', 0.5),
       velocity_merge(v, v), v + v, velocity_send(v), velocity_trans(v, '3', '2026-01-01', '2026-01-02'),
       velocity_final(v)
FROM sec_velocity ORDER BY team;
SELECT pipeline_velocity(10, 0.25, 1000, 30);

-- attainment
CREATE TEMP TABLE sec_plans AS
  SELECT i % 3 AS seller, date '2026-01-01' + i / 3 AS day, (i * 7 % 13)::numeric AS actual, 8::numeric AS plan
  FROM generate_series(1, 90) i;
CREATE TEMP TABLE sec_attainment AS SELECT seller, plan_attainment(actual, plan, day) a FROM sec_plans GROUP BY seller;
SELECT plan_attainment(a), plan_attainment(a)::jsonb, attainment_jsonb(plan_attainment(a)) FROM sec_attainment;
SELECT * FROM attainment_report((SELECT plan_attainment(a) FROM sec_attainment));
SELECT * FROM attainment_days((SELECT a FROM sec_attainment WHERE seller = 1)) LIMIT 3;
SELECT seller, attainment_ratio(a), attainment_merge(a, a), a + a, attainment_send(a),
       -- (attainment_trans, _combine and _final refuse calls outside an aggregate)
       rank() OVER (ORDER BY attainment_ratio(a) DESC)
FROM sec_attainment ORDER BY seller;

-- window_funnel
CREATE TEMP TABLE sec_events AS
  SELECT i % 5 AS deal, timestamptz '2026-01-01' + i * interval '1 hour' AS at, i AS n,
         (ARRAY['created', 'qualified', 'meeting_held', 'paid'])[1 + i % 4] AS event
  FROM generate_series(1, 80) i;
SELECT deal,
       window_funnel(interval '3 days', at, event = 'created', event = 'qualified', event = 'meeting_held'),
       window_funnel(interval '3 days', 'strict_order, allow_reentry', at, event = 'created', event = 'qualified'),
       window_funnel(100::bigint, n::bigint, event = 'created', event = 'qualified'),
       window_funnel(100::bigint, 'strict_once', n::bigint, event = 'created', event = 'qualified'),
       window_funnel_times(interval '3 days', at, event = 'created', event = 'qualified'),
       window_funnel_times(interval '3 days', 'strict_increase', at, event = 'created', event = 'qualified'),
       window_funnel_times(100::bigint, n::bigint, event = 'created', event = 'qualified'),
       window_funnel_times(100::bigint, 'strict_deduplication', n::bigint, event = 'created', event = 'qualified')
FROM sec_events GROUP BY deal ORDER BY deal;
SELECT deal,
       window_funnel(interval '3 days', 'exclude 4, optional 2', at, event = 'created', event = 'qualified', event = 'meeting_held', event = 'paid'),
       window_funnel_values(interval '3 days', at, n, event = 'created', event = 'qualified'),
       window_funnel_values(interval '3 days', 'step 2 within 1 day', at, event, event = 'created', event = 'qualified'),
       window_funnel_values(100::bigint, n::bigint, at, event = 'created', event = 'qualified'),
       window_funnel_values(100::bigint, 'any_order', n::bigint, at, event = 'created', event = 'qualified'),
       window_funnel_values(interval '3 days', at, n, event, ARRAY['created', 'qualified']),
       window_funnel_values(interval '3 days', 'optional 2', at, n, event, ARRAY['created', 'qualified', 'paid']),
       window_funnel_values(100::bigint, n::bigint, n, event, ARRAY['created', 'qualified']),
       window_funnel_values(100::bigint, 'strict_increase', n::bigint, n, event, ARRAY['created', 'qualified'])
FROM sec_events GROUP BY deal ORDER BY deal;
SELECT deal, stage_at(stage(1 + n % 4), at, timestamptz '2026-01-03') FROM sec_events GROUP BY deal ORDER BY deal;
SELECT deal, pipeline_flow(deal::bigint, stage(1 + n % 4), at, tstzrange('2026-01-02', '2026-01-04'))::text,
       pipeline_flow(stage(1 + n % 4), at, at + interval '1 day', tstzrange('2026-01-02', '2026-01-04'))::text
FROM sec_events GROUP BY deal ORDER BY deal;
SELECT pipeline_flow(f)::text, (pipeline_flow(f) + pipeline_flow(f))::text, flow_add(NULL, NULL),
       (SELECT count(*) FROM flow_steps(pipeline_flow(f))), pipeline_flow(f)::jsonb
FROM (SELECT pipeline_flow(stage(1 + n % 4), at, NULL, tstzrange('2026-01-02', NULL)) AS f FROM sec_events GROUP BY deal) s;
SELECT flow_in('v1 [2026-01-01,2026-02-01) 1(0,1,0,1)'), flow_out('v1 [2026-01-01,2026-02-01) 1(0,1,0,1)'),
       flow_eq('v1 [2026-01-01,2026-02-01)', 'v1 [2026-01-01,2026-02-01)'), flow_ne('v1 (,)', 'v1 (,)'),
       flow_hash('v1 (,)'), flow_hash_extended('v1 (,)', 1),
       flow_send('v1 [2026-01-01,2026-02-01) 1(0,1,0,1)');
SELECT time_to_convert(t)::text
FROM (SELECT window_funnel_times(interval '3 days', at, event = 'created', event = 'qualified') AS t
      FROM sec_events GROUP BY deal) s;

-- sequences and retention
SELECT deal,
       sequence_match('(?1).*(?t<=''2 days'')(?2)', at, event = 'created', event = 'qualified'),
       sequence_count('(?1)(?2)', n::bigint, event = 'created', event = 'qualified'),
       sequence_match_times('(?1).(?2)', at, event, ARRAY['created', 'meeting_held']),
       sequence_match_times('(?1).*(?t>5)(?2)', n::bigint, event, ARRAY['created', 'paid']),
       retention(event = 'created', event = 'qualified', event = 'paid')
FROM sec_events GROUP BY deal ORDER BY deal;
