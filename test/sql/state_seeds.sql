-- Stored aggregate states of every value-type state, for the upgrade
-- suite (from 0.2 on): a table rollup_<state type> (id, v, arr) per type,
-- filled by aggregates that stop at the state, over generated rows (modes,
-- both time axes, values, NULLs), as test/sql/rollup_tables.sql fills the
-- other types' tables; compared with test/sql/fingerprint.sql.
CREATE TEMP TABLE state_rows AS
SELECT g, k, timestamptz '2026-01-01' + (k * 7919 % 1000) * interval '1 hour' AS ts, k * 7919 % 1000 AS n,
       k % 3 = 0 AS a, k % 3 = 1 AS b, k % 5 = 2 AS c,
       (ARRAY['call', 'mail', 'meeting', 'звонок'])[1 + k % 4] AS e,
       CASE WHEN k % 11 = 0 THEN NULL ELSE stage(1 + k % 6, (ARRAY['lead', 'qualified', 'proposal'])[1 + k % 3]) END AS s
FROM generate_series(1, 12) g, generate_series(1, 10 + g * 3) k;

CREATE AGGREGATE pg_temp.wf_state(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE pg_temp.wf_event_state(bigint, bigint, text, text[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE pg_temp.wf_values_state(interval, timestamptz, anyelement, VARIADIC boolean[]) (
    SFUNC = window_funnel_values_trans, STYPE = window_funnel_state);
CREATE AGGREGATE pg_temp.chain_state(text, timestamptz) (
    SFUNC = contact_chain_agg_transfn, STYPE = contact_chain_agg_state);
CREATE AGGREGATE pg_temp.history_state(bigint, stage, timestamptz) (
    SFUNC = velocity_history_trans, STYPE = stage_velocity_history);
CREATE AGGREGATE pg_temp.stage_at_state(stage, timestamptz, timestamptz) (
    SFUNC = stage_at_trans, STYPE = stage_at_state);
CREATE AGGREGATE pg_temp.flow_state(stage, timestamptz, timestamptz, tstzrange) (
    SFUNC = pipeline_flow_trans, STYPE = pipeline_flow_state);
CREATE AGGREGATE pg_temp.flow_history_state(bigint, stage, timestamptz, tstzrange) (
    SFUNC = pipeline_flow_history_trans, STYPE = pipeline_flow_history);

CREATE TEMP TABLE state_values (type regtype, v text);
INSERT INTO state_values
SELECT 'window_funnel_state', s::text FROM (
    SELECT pg_temp.wf_state(interval '2 days', (ARRAY['', 'strict_order', 'optional 2', 'exclude 3'])[1 + g % 4],
                            ts, a, b, c) s FROM state_rows GROUP BY g
    UNION ALL
    SELECT pg_temp.wf_event_state(50::bigint, n, e, ARRAY['call', 'meeting', 'mail']) FROM state_rows GROUP BY g
    UNION ALL
    SELECT pg_temp.wf_values_state(interval '3 days', ts, e, a, b) FROM state_rows GROUP BY g) q;
INSERT INTO state_values SELECT 'contact_chain_agg_state', pg_temp.chain_state(e, ts)::text FROM state_rows GROUP BY g;
INSERT INTO state_values SELECT 'stage_velocity_history', pg_temp.history_state(k % 4, s, ts)::text FROM state_rows GROUP BY g;
INSERT INTO state_values
SELECT 'stage_at_state', pg_temp.stage_at_state(s, ts, timestamptz '2026-01-20')::text FROM state_rows GROUP BY g;
INSERT INTO state_values
SELECT 'pipeline_flow_state',
       pg_temp.flow_state(s, ts, CASE WHEN k % 4 = 0 THEN NULL ELSE ts + k * interval '5 hours' END,
                          tstzrange('2026-01-10', '2026-01-30'))::text
FROM state_rows GROUP BY g;
INSERT INTO state_values
SELECT 'pipeline_flow_history', pg_temp.flow_history_state(k % 4, s, ts, tstzrange('2026-01-10', NULL))::text
FROM state_rows GROUP BY g;

DO $$
DECLARE
  t regtype;
BEGIN
  FOR t IN SELECT DISTINCT type FROM state_values LOOP
    EXECUTE format('CREATE TABLE public.%I (id int PRIMARY KEY, v %s, arr %s[])', 'rollup_' || t, t, t);
    EXECUTE format('INSERT INTO public.%I SELECT row_number() OVER (ORDER BY v), v::%s, ARRAY[v::%s, NULL]
                    FROM state_values WHERE type = %L::regtype AND v IS NOT NULL', 'rollup_' || t, t, t, t::text);
    EXECUTE format('INSERT INTO public.%I VALUES (0, NULL, NULL)', 'rollup_' || t);
  END LOOP;
END $$;
