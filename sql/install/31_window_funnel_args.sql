-- window_funnel and window_funnel_times with 1 to 8 separate step arguments.
-- They are the VARIADIC aggregates of 30_window_funnel.sql under another
-- signature: a call with up to 8 steps resolves to them (PostgreSQL prefers
-- an exact non-variadic match), so no boolean[] is built for every row,
-- which costs more than the transition itself.  Explicit VARIADIC calls and
-- longer funnels use the array forms.
DO $$
DECLARE
    n int;
    steps text;
    f record;
BEGIN
    FOR n IN 1..8 LOOP
        steps := rtrim(repeat('boolean, ', n), ', ');
        FOR f IN
            SELECT * FROM (VALUES
                ('interval, timestamptz', 'window_funnel_trans_interval_args',
                 'window_funnel_times_final', 'time axis timestamptz'),
                ('interval, text, timestamptz', 'window_funnel_trans_interval_mode_args',
                 'window_funnel_times_final', 'time axis timestamptz, with a mode list'),
                ('bigint, bigint', 'window_funnel_trans_bigint_args',
                 'window_funnel_times_bigint_final', 'bigint time axis'),
                ('bigint, text, bigint', 'window_funnel_trans_bigint_mode_args',
                 'window_funnel_times_bigint_final', 'bigint time axis, with a mode list')
            ) v(args, trans, times_final, what)
        LOOP
            EXECUTE format('CREATE FUNCTION @extschema@.window_funnel_trans(internal, %s, %s) '
                           'RETURNS internal AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
                           f.args, steps, 'MODULE_PATHNAME', f.trans);
            EXECUTE format('CREATE AGGREGATE @extschema@.window_funnel(%s, %s) ('
                           'SFUNC = @extschema@.window_funnel_trans, STYPE = internal, SSPACE = 256, '
                           'FINALFUNC = @extschema@.window_funnel_final, '
                           'COMBINEFUNC = @extschema@.window_funnel_combine, '
                           'SERIALFUNC = @extschema@.window_funnel_serialize, '
                           'DESERIALFUNC = @extschema@.window_funnel_deserialize, PARALLEL = SAFE)',
                           f.args, steps);
            EXECUTE format('COMMENT ON AGGREGATE @extschema@.window_funnel(%s, %s) IS %L',
                           f.args, steps,
                           format('deepest funnel step reached within the window, %s steps, %s', n, f.what));
            EXECUTE format('CREATE AGGREGATE @extschema@.window_funnel_times(%s, %s) ('
                           'SFUNC = @extschema@.window_funnel_trans, STYPE = internal, SSPACE = 256, '
                           'FINALFUNC = @extschema@.%s, '
                           'COMBINEFUNC = @extschema@.window_funnel_combine, '
                           'SERIALFUNC = @extschema@.window_funnel_serialize, '
                           'DESERIALFUNC = @extschema@.window_funnel_deserialize, PARALLEL = SAFE)',
                           f.args, steps, f.times_final);
            EXECUTE format('COMMENT ON AGGREGATE @extschema@.window_funnel_times(%s, %s) IS %L',
                           f.args, steps,
                           format('when each step of the chain window_funnel reports happened, %s steps, %s', n, f.what));
        END LOOP;
    END LOOP;
END
$$;
