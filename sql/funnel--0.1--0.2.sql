-- funnel 0.1 to 0.2: every change to an SQL object after the 0.1 release.
\echo Use "ALTER EXTENSION funnel UPDATE TO '0.2'" to load this file. \quit

-- pipeline_velocity: NULL, not NaN, Infinity or 0, unless every input is a
-- finite number and the cycle length is positive (0.1 let a NaN through,
-- since PostgreSQL orders NaN above every number, and gave 0 for an
-- infinite cycle).
CREATE OR REPLACE FUNCTION pipeline_velocity(open_deals bigint, win_rate float8, avg_deal_size numeric,
                                             avg_cycle_days float8) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN avg_cycle_days > 0 AND avg_cycle_days < 'Infinity'
                 AND win_rate > '-Infinity' AND win_rate < 'Infinity'
                 AND avg_deal_size > '-Infinity' AND avg_deal_size < 'Infinity'
                THEN open_deals::numeric * win_rate::numeric * avg_deal_size / avg_cycle_days::numeric
           END
$$;
COMMENT ON FUNCTION pipeline_velocity(bigint, float8, numeric, float8) IS 'open deals x win rate x average deal size / average cycle length (days): money per day; NULL unless every input is finite and the cycle length is positive';
