-- Aggregates that stop at a value-type state, as Citus's worker_partial_agg
-- does, and others that combine states and finish, as its coord_combine_agg
-- does (sql/aggregate_states.sql, sql/aggregate_states_large.sql); dropped
-- by test/include/fixture_split_aggregates_drop.sql.
CREATE AGGREGATE wf_partial(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE wf_partial(interval, text, timestamptz, boolean, boolean, boolean) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE wf_partial(interval, text, timestamptz, boolean, boolean, boolean, boolean) (
    SFUNC = window_funnel_trans, STYPE = window_funnel_state);
CREATE AGGREGATE wf_combined(window_funnel_state) (
    SFUNC = window_funnel_combine, STYPE = window_funnel_state, FINALFUNC = window_funnel_final);
CREATE AGGREGATE wf_times_combined(window_funnel_state) (
    SFUNC = window_funnel_combine, STYPE = window_funnel_state, FINALFUNC = window_funnel_times_final);
CREATE AGGREGATE chain_partial(text, timestamptz) (
    SFUNC = contact_chain_agg_transfn, STYPE = contact_chain_agg_state);
CREATE AGGREGATE chain_combined(contact_chain_agg_state) (
    SFUNC = contact_chain_agg_combinefn, STYPE = contact_chain_agg_state,
    FINALFUNC = contact_chain_agg_finalfn);
CREATE AGGREGATE history_partial(bigint, stage, timestamptz) (
    SFUNC = velocity_history_trans, STYPE = stage_velocity_history);
CREATE AGGREGATE history_combined(stage_velocity_history) (
    SFUNC = velocity_history_combine, STYPE = stage_velocity_history,
    FINALFUNC = velocity_history_final);
