DROP AGGREGATE wf_partial(interval, text, timestamptz, VARIADIC boolean[]),
    wf_partial(interval, text, timestamptz, boolean, boolean, boolean),
    wf_partial(interval, text, timestamptz, boolean, boolean, boolean, boolean),
    wf_combined(window_funnel_state), wf_times_combined(window_funnel_state),
    chain_partial(text, timestamptz), chain_combined(contact_chain_agg_state),
    history_partial(bigint, stage, timestamptz), history_combined(stage_velocity_history);
