-- The checks of the Citus suite (test/suites/citus.sh): one query each, run
-- on the coordinator with search_path = dist, public (distributed tables) and
-- with search_path = single, public (the same rows in plain tables); the two
-- outputs must be equal as text, and the EXPLAIN (VERBOSE) of the
-- distributed run must show the aggregation on the workers.  "-- @ NAME"
-- starts a check; the name ends in its shape:
--   _all    ungrouped
--   _dist   grouped by the distribution column (deal; seller for plans;
--           team for team_rollup)
--   _other  grouped by another column (team; seller for team_rollup)
--   _month  grouped by a month
--   _two    two levels: per deal (or seller) in a subquery, then combined
--           across deals with a funnel aggregate or a merge aggregate (and
--           sums, counts, max)
--   _over   the window funnel's overloads (1 to 10 steps, VARIADIC array);
--           such a check is one line "-- overloads: PREFIX", which the suite
--           writes out as SELECT PREFIX kind = 'visit') AS steps_1, PREFIX
--           kind = 'visit', kind = 'signup') AS steps_2, ... (10 steps),
--           PREFIX VARIADIC ARRAY[s1, s2, s3, s4]) AS steps_array FROM events
--   rep_    report functions over distributed aggregate results
--   ctl_    the classifier's controls (see the suite)
-- Every output is ordered by all its columns.  The suite checks that every
-- aggregate of the extension is called by checks of all five shapes, and
-- every report function by some check (test/sql/citus_coverage.sql).


-- window_funnel and window_funnel_times: interval and bigint forms, with and
-- without a mode

-- @ wf_i_all
SELECT window_funnel(interval '2 days', at, s1, s2, s3, s4) FROM events;

-- @ wf_i_dist
SELECT deal, window_funnel(interval '2 days', at, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wf_i_other
SELECT team, window_funnel(interval '2 days', at, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wf_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(interval '2 days', at, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wf_i_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(interval '2 days', at, s1, s2, s3, s4) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wf_im_all
SELECT window_funnel(interval '2 days', 'strict_order', at, s1, s2, s3, s4) FROM events;

-- @ wf_im_dist
SELECT deal, window_funnel(interval '2 days', 'strict_order', at, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wf_im_other
SELECT team, window_funnel(interval '2 days', 'strict_order', at, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wf_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(interval '2 days', 'strict_order', at, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wf_im_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(interval '2 days', 'strict_order', at, s1, s2, s3, s4) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wf_b_all
SELECT window_funnel(172800::bigint, t, s1, s2, s3, s4) FROM events;

-- @ wf_b_dist
SELECT deal, window_funnel(172800::bigint, t, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wf_b_other
SELECT team, window_funnel(172800::bigint, t, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wf_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(172800::bigint, t, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wf_b_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(172800::bigint, t, s1, s2, s3, s4) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wf_bm_all
SELECT window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, s1, s2, s3, s4) FROM events;

-- @ wf_bm_dist
SELECT deal, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wf_bm_other
SELECT team, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wf_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wf_bm_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, s1, s2, s3, s4) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wft_i_all
SELECT window_funnel_times(interval '3 days', at, s1, s2, s3, s4) FROM events;

-- @ wft_i_dist
SELECT deal, window_funnel_times(interval '3 days', at, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wft_i_other
SELECT team, window_funnel_times(interval '3 days', at, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wft_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(interval '3 days', at, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wft_i_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(interval '3 days', at, s1, s2, s3, s4) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wft_im_all
SELECT window_funnel_times(interval '3 days', 'strict_once', at, s1, s2, s3, s4) FROM events;

-- @ wft_im_dist
SELECT deal, window_funnel_times(interval '3 days', 'strict_once', at, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wft_im_other
SELECT team, window_funnel_times(interval '3 days', 'strict_once', at, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wft_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(interval '3 days', 'strict_once', at, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wft_im_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(interval '3 days', 'strict_once', at, s1, s2, s3, s4) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wft_b_all
SELECT window_funnel_times(259200::bigint, t, s1, s2, s3, s4) FROM events;

-- @ wft_b_dist
SELECT deal, window_funnel_times(259200::bigint, t, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wft_b_other
SELECT team, window_funnel_times(259200::bigint, t, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wft_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(259200::bigint, t, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wft_b_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(259200::bigint, t, s1, s2, s3, s4) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wft_bm_all
SELECT window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, s1, s2, s3, s4) FROM events;

-- @ wft_bm_dist
SELECT deal, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wft_bm_other
SELECT team, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wft_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wft_bm_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, s1, s2, s3, s4) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- the event-name form: the steps as names of kind

-- @ wfe_i_all
SELECT window_funnel(interval '2 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfe_i_dist
SELECT deal, window_funnel(interval '2 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfe_i_other
SELECT team, window_funnel(interval '2 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfe_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(interval '2 days', at, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfe_i_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(interval '2 days', at, kind, ARRAY['signup', 'trial', 'pay']) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wfe_im_all
SELECT window_funnel(interval '2 days', 'strict_order', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfe_im_dist
SELECT deal, window_funnel(interval '2 days', 'strict_order', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfe_im_other
SELECT team, window_funnel(interval '2 days', 'strict_order', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfe_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(interval '2 days', 'strict_order', at, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfe_im_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(interval '2 days', 'strict_order', at, kind, ARRAY['signup', 'trial', 'pay']) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wfe_b_all
SELECT window_funnel(172800::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfe_b_dist
SELECT deal, window_funnel(172800::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfe_b_other
SELECT team, window_funnel(172800::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfe_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(172800::bigint, t, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfe_b_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(172800::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wfe_bm_all
SELECT window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfe_bm_dist
SELECT deal, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfe_bm_other
SELECT team, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfe_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfe_bm_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t, kind, ARRAY['signup', 'trial', 'pay']) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wfte_i_all
SELECT window_funnel_times(interval '3 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfte_i_dist
SELECT deal, window_funnel_times(interval '3 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfte_i_other
SELECT team, window_funnel_times(interval '3 days', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfte_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(interval '3 days', at, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfte_i_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(interval '3 days', at, kind, ARRAY['signup', 'trial', 'pay']) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wfte_im_all
SELECT window_funnel_times(interval '3 days', 'strict_once', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfte_im_dist
SELECT deal, window_funnel_times(interval '3 days', 'strict_once', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfte_im_other
SELECT team, window_funnel_times(interval '3 days', 'strict_once', at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfte_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(interval '3 days', 'strict_once', at, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfte_im_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(interval '3 days', 'strict_once', at, kind, ARRAY['signup', 'trial', 'pay']) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wfte_b_all
SELECT window_funnel_times(259200::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfte_b_dist
SELECT deal, window_funnel_times(259200::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfte_b_other
SELECT team, window_funnel_times(259200::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfte_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(259200::bigint, t, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfte_b_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(259200::bigint, t, kind, ARRAY['signup', 'trial', 'pay']) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ wfte_bm_all
SELECT window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events;

-- @ wfte_bm_dist
SELECT deal, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfte_bm_other
SELECT team, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfte_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, kind, ARRAY['signup', 'trial', 'pay'])
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfte_bm_two
SELECT team, funnel_conversion(stage(cardinality(times) + 1)) AS levels,
       max(times[1]) AS last_start, count(times[2]) AS reached_2
FROM (SELECT deal, team, window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t, kind, ARRAY['signup', 'trial', 'pay']) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;


-- sequence_match, sequence_count and sequence_match_times (each check calls
-- the three of one form) and retention; times seq_at and seq_t, distinct
-- where the order of rows would tell (test/sql/citus_data.sql)

-- timestamptz times, boolean conditions

-- @ seq_i_all
SELECT sequence_match('(?1)(?t<=172800)(?2).*(?3)', seq_at, s1, s2, s3, s4) AS m,
       sequence_count('(?1).*(?2)', seq_at, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?2)(?t<=259200).*(?4)', seq_at, s1, s2, s3, s4) AS t
FROM events;

-- @ seq_i_dist
SELECT deal, sequence_match('(?1)(?t<=172800)(?2).*(?3)', seq_at, s1, s2, s3, s4) AS m,
       sequence_count('(?1).*(?2)', seq_at, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?2)(?t<=259200).*(?4)', seq_at, s1, s2, s3, s4) AS t
FROM events GROUP BY deal ORDER BY 1, 2, 3, 4;

-- @ seq_i_other
SELECT team, sequence_match('(?1)(?t<=172800)(?2).*(?3)', seq_at, s1, s2, s3, s4) AS m,
       sequence_count('(?1).*(?2)', seq_at, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?2)(?t<=259200).*(?4)', seq_at, s1, s2, s3, s4) AS t
FROM events GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ seq_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, sequence_match('(?1)(?t<=172800)(?2).*(?3)', seq_at, s1, s2, s3, s4) AS m,
       sequence_count('(?1).*(?2)', seq_at, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?2)(?t<=259200).*(?4)', seq_at, s1, s2, s3, s4) AS t
FROM events GROUP BY 1 ORDER BY 1, 2, 3, 4;

-- @ seq_i_two
SELECT team, count(*) FILTER (WHERE m) AS matched, funnel_conversion(stage(least(c, 30)::int + 1)) AS counts,
       max(t[1]) AS last_first, count(t[2]) AS with_second
FROM (SELECT deal, team, sequence_match('(?1)(?t<=172800)(?2).*(?3)', seq_at, s1, s2, s3, s4) AS m,
             sequence_count('(?1).*(?2)', seq_at, s1, s2, s3, s4) AS c,
             sequence_match_times('(?1).*(?2)(?t<=259200).*(?4)', seq_at, s1, s2, s3, s4) AS t
      FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- bigint times (microseconds), boolean conditions

-- @ seq_b_all
SELECT sequence_match('(?2)(?t>86400000000)(?3)', seq_t, s1, s2, s3, s4) AS m,
       sequence_count('(?1)(?2)', seq_t, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?3)(?t<=259200000000).*(?4)', seq_t, s1, s2, s3, s4) AS t
FROM events;

-- @ seq_b_dist
SELECT deal, sequence_match('(?2)(?t>86400000000)(?3)', seq_t, s1, s2, s3, s4) AS m,
       sequence_count('(?1)(?2)', seq_t, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?3)(?t<=259200000000).*(?4)', seq_t, s1, s2, s3, s4) AS t
FROM events GROUP BY deal ORDER BY 1, 2, 3, 4;

-- @ seq_b_other
SELECT team, sequence_match('(?2)(?t>86400000000)(?3)', seq_t, s1, s2, s3, s4) AS m,
       sequence_count('(?1)(?2)', seq_t, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?3)(?t<=259200000000).*(?4)', seq_t, s1, s2, s3, s4) AS t
FROM events GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ seq_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, sequence_match('(?2)(?t>86400000000)(?3)', seq_t, s1, s2, s3, s4) AS m,
       sequence_count('(?1)(?2)', seq_t, s1, s2, s3, s4) AS c,
       sequence_match_times('(?1).*(?3)(?t<=259200000000).*(?4)', seq_t, s1, s2, s3, s4) AS t
FROM events GROUP BY 1 ORDER BY 1, 2, 3, 4;

-- @ seq_b_two
SELECT team, count(*) FILTER (WHERE m) AS matched, funnel_conversion(stage(least(c, 30)::int + 1)) AS counts,
       max(t[1]) AS last_first, count(t[2]) AS with_second
FROM (SELECT deal, team, sequence_match('(?2)(?t>86400000000)(?3)', seq_t, s1, s2, s3, s4) AS m,
             sequence_count('(?1)(?2)', seq_t, s1, s2, s3, s4) AS c,
             sequence_match_times('(?1).*(?3)(?t<=259200000000).*(?4)', seq_t, s1, s2, s3, s4) AS t
      FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;


-- every overload: 1 to 8 conditions as arguments, and the boolean[] form

-- @ seq_i_arity_all
SELECT ARRAY[sequence_match('(?1)', seq_at, s1),
             sequence_match('(?1).*(?2)', seq_at, s1, s2),
             sequence_match('(?1).*(?3)', seq_at, s1, s2, s3),
             sequence_match('(?1).*(?4)', seq_at, s1, s2, s3, s4),
             sequence_match('(?1).*(?5)', seq_at, s1, s2, s3, s4, s1),
             sequence_match('(?1).*(?6)', seq_at, s1, s2, s3, s4, s1, s2),
             sequence_match('(?1).*(?7)', seq_at, s1, s2, s3, s4, s1, s2, s3),
             sequence_match('(?1).*(?8)', seq_at, s1, s2, s3, s4, s1, s2, s3, s4),
             sequence_match('(?1).*(?4)', seq_at, VARIADIC ARRAY[s1, s2, s3, s4])] AS matched,
       ARRAY[sequence_count('(?1)', seq_at, s1),
             sequence_count('(?1).*(?2)', seq_at, s1, s2),
             sequence_count('(?1).*(?3)', seq_at, s1, s2, s3),
             sequence_count('(?1).*(?4)', seq_at, s1, s2, s3, s4),
             sequence_count('(?1).*(?5)', seq_at, s1, s2, s3, s4, s1),
             sequence_count('(?1).*(?6)', seq_at, s1, s2, s3, s4, s1, s2),
             sequence_count('(?1).*(?7)', seq_at, s1, s2, s3, s4, s1, s2, s3),
             sequence_count('(?1).*(?8)', seq_at, s1, s2, s3, s4, s1, s2, s3, s4),
             sequence_count('(?1).*(?4)', seq_at, VARIADIC ARRAY[s1, s2, s3, s4])] AS counts,
       ARRAY[cardinality(sequence_match_times('(?1)', seq_at, s1)),
             cardinality(sequence_match_times('(?1).*(?2)', seq_at, s1, s2)),
             cardinality(sequence_match_times('(?1).*(?3)', seq_at, s1, s2, s3)),
             cardinality(sequence_match_times('(?1).*(?4)', seq_at, s1, s2, s3, s4)),
             cardinality(sequence_match_times('(?1).*(?5)', seq_at, s1, s2, s3, s4, s1)),
             cardinality(sequence_match_times('(?1).*(?6)', seq_at, s1, s2, s3, s4, s1, s2)),
             cardinality(sequence_match_times('(?1).*(?7)', seq_at, s1, s2, s3, s4, s1, s2, s3)),
             cardinality(sequence_match_times('(?1).*(?8)', seq_at, s1, s2, s3, s4, s1, s2, s3, s4)),
             cardinality(sequence_match_times('(?1).*(?4)', seq_at, VARIADIC ARRAY[s1, s2, s3, s4]))] AS times
FROM events;

-- @ seq_b_arity_all
SELECT ARRAY[sequence_match('(?1)', seq_t, s1),
             sequence_match('(?1).*(?2)', seq_t, s1, s2),
             sequence_match('(?1).*(?3)', seq_t, s1, s2, s3),
             sequence_match('(?1).*(?4)', seq_t, s1, s2, s3, s4),
             sequence_match('(?1).*(?5)', seq_t, s1, s2, s3, s4, s1),
             sequence_match('(?1).*(?6)', seq_t, s1, s2, s3, s4, s1, s2),
             sequence_match('(?1).*(?7)', seq_t, s1, s2, s3, s4, s1, s2, s3),
             sequence_match('(?1).*(?8)', seq_t, s1, s2, s3, s4, s1, s2, s3, s4),
             sequence_match('(?1).*(?4)', seq_t, VARIADIC ARRAY[s1, s2, s3, s4])] AS matched,
       ARRAY[sequence_count('(?1)', seq_t, s1),
             sequence_count('(?1).*(?2)', seq_t, s1, s2),
             sequence_count('(?1).*(?3)', seq_t, s1, s2, s3),
             sequence_count('(?1).*(?4)', seq_t, s1, s2, s3, s4),
             sequence_count('(?1).*(?5)', seq_t, s1, s2, s3, s4, s1),
             sequence_count('(?1).*(?6)', seq_t, s1, s2, s3, s4, s1, s2),
             sequence_count('(?1).*(?7)', seq_t, s1, s2, s3, s4, s1, s2, s3),
             sequence_count('(?1).*(?8)', seq_t, s1, s2, s3, s4, s1, s2, s3, s4),
             sequence_count('(?1).*(?4)', seq_t, VARIADIC ARRAY[s1, s2, s3, s4])] AS counts,
       ARRAY[cardinality(sequence_match_times('(?1)', seq_t, s1)),
             cardinality(sequence_match_times('(?1).*(?2)', seq_t, s1, s2)),
             cardinality(sequence_match_times('(?1).*(?3)', seq_t, s1, s2, s3)),
             cardinality(sequence_match_times('(?1).*(?4)', seq_t, s1, s2, s3, s4)),
             cardinality(sequence_match_times('(?1).*(?5)', seq_t, s1, s2, s3, s4, s1)),
             cardinality(sequence_match_times('(?1).*(?6)', seq_t, s1, s2, s3, s4, s1, s2)),
             cardinality(sequence_match_times('(?1).*(?7)', seq_t, s1, s2, s3, s4, s1, s2, s3)),
             cardinality(sequence_match_times('(?1).*(?8)', seq_t, s1, s2, s3, s4, s1, s2, s3, s4)),
             cardinality(sequence_match_times('(?1).*(?4)', seq_t, VARIADIC ARRAY[s1, s2, s3, s4]))] AS times
FROM events;

-- timestamptz times, event names

-- @ seqe_i_all
SELECT sequence_match('(?1).*(?2)(?t<=172800)(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('(?1).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?1)(?t>=3600).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events;

-- @ seqe_i_dist
SELECT deal, sequence_match('(?1).*(?2)(?t<=172800)(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('(?1).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?1)(?t>=3600).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY deal ORDER BY 1, 2, 3, 4;

-- @ seqe_i_other
SELECT team, sequence_match('(?1).*(?2)(?t<=172800)(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('(?1).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?1)(?t>=3600).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ seqe_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, sequence_match('(?1).*(?2)(?t<=172800)(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('(?1).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?1)(?t>=3600).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY 1 ORDER BY 1, 2, 3, 4;

-- @ seqe_i_two
SELECT team, count(*) FILTER (WHERE m) AS matched, funnel_conversion(stage(least(c, 30)::int + 1)) AS counts,
       max(t[1]) AS last_first, count(t[2]) AS with_second
FROM (SELECT deal, team, sequence_match('(?1).*(?2)(?t<=172800)(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS m,
             sequence_count('(?1).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS c,
             sequence_match_times('(?1)(?t>=3600).*(?3)', seq_at, kind, ARRAY['signup', 'trial', 'pay']) AS t
      FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- bigint times (microseconds), event names

-- @ seqe_b_all
SELECT sequence_match('(?1)..*(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('.(?2)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?2)(?t<=604800000000)(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events;

-- @ seqe_b_dist
SELECT deal, sequence_match('(?1)..*(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('.(?2)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?2)(?t<=604800000000)(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY deal ORDER BY 1, 2, 3, 4;

-- @ seqe_b_other
SELECT team, sequence_match('(?1)..*(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('.(?2)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?2)(?t<=604800000000)(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY team ORDER BY 1, 2, 3, 4;

-- @ seqe_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, sequence_match('(?1)..*(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS m,
       sequence_count('.(?2)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS c,
       sequence_match_times('(?2)(?t<=604800000000)(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS t
FROM events GROUP BY 1 ORDER BY 1, 2, 3, 4;

-- @ seqe_b_two
SELECT team, count(*) FILTER (WHERE m) AS matched, funnel_conversion(stage(least(c, 30)::int + 1)) AS counts,
       max(t[1]) AS last_first, count(t[2]) AS with_second
FROM (SELECT deal, team, sequence_match('(?1)..*(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS m,
             sequence_count('.(?2)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS c,
             sequence_match_times('(?2)(?t<=604800000000)(?3)', seq_t, kind, ARRAY['signup', 'trial', 'pay']) AS t
      FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- retention: the step flags (some NULL), and the kinds
-- @ ret_all
SELECT retention(s1, s2, s3, s4) AS flags, retention(kind = 'visit', kind = 'signup', kind = 'trial', kind = 'pay') AS kinds
FROM events;
-- @ ret_dist
SELECT deal, retention(s1, s2, s3, s4) AS flags, retention(kind = 'visit', kind = 'signup', kind = 'trial', kind = 'pay') AS kinds
FROM events GROUP BY deal ORDER BY 1, 2, 3;
-- @ ret_other
SELECT team, retention(s1, s2, s3, s4) AS flags, retention(kind = 'visit', kind = 'signup', kind = 'trial', kind = 'pay') AS kinds
FROM events GROUP BY team ORDER BY 1, 2, 3;
-- @ ret_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, retention(s1, s2, s3, s4) AS flags,
       retention(kind = 'visit', kind = 'signup', kind = 'trial', kind = 'pay') AS kinds
FROM events GROUP BY 1 ORDER BY 1, 2, 3;
-- @ ret_two
SELECT team, sum(r[1]) AS first, sum(r[2]) AS second, sum(r[3]) AS third, sum(r[4]) AS fourth,
       funnel_conversion(stage(1 + r[2] + r[3] + r[4])) AS retained
FROM (SELECT deal, team, retention(s1, s2, s3, s4) AS r FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5, 6;


-- every overload of the window funnel: 1 to 10 steps as separate arguments,
-- and the VARIADIC array; ungrouped (partial aggregation on the workers)

-- @ wf_i_over
-- overloads: window_funnel(interval '2 days', at,

-- @ wf_im_over
-- overloads: window_funnel(interval '2 days', 'strict_order', at,

-- @ wf_b_over
-- overloads: window_funnel(172800::bigint, t,

-- @ wf_bm_over
-- overloads: window_funnel(172800::bigint, 'strict_deduplication, strict_increase', t,

-- @ wft_i_over
-- overloads: window_funnel_times(interval '3 days', at,

-- @ wft_im_over
-- overloads: window_funnel_times(interval '3 days', 'strict_once', at,

-- @ wft_b_over
-- overloads: window_funnel_times(259200::bigint, t,

-- @ wft_bm_over
-- overloads: window_funnel_times(259200::bigint, 'strict_order, allow_reentry', t,


-- contact_chain_agg (ungrouped on a tenth of the deals: a chain holds at most
-- 10,000 contacts)

-- @ chain_all
SELECT contact_chain_agg(kind, at) FROM contacts WHERE deal % 10 = 0;

-- @ chain_dist
SELECT deal, contact_chain_agg(kind, at) FROM contacts GROUP BY deal ORDER BY 1, 2;

-- @ chain_other
SELECT team, contact_chain_agg(kind, at) FROM contacts GROUP BY team ORDER BY 1, 2;

-- @ chain_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, contact_chain_agg(kind, at)
FROM contacts GROUP BY 1 ORDER BY 1, 2;

-- @ chain_two
SELECT team, funnel_conversion(stage(least(chain_length(chain), 255))) AS lengths,
       count(*) FILTER (WHERE chain @> contact_chain(ARRAY['call', 'meeting', 'proposal'])) AS conform
FROM (SELECT deal, team, contact_chain_agg(kind, at) AS chain FROM contacts GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3;


-- window_funnel_values: the value (here the team or the time) of the row at
-- each step; funnel items in the mode.  Citus refuses to split a polymorphic
-- aggregate into partial aggregates (worker_partial_agg_sfunc compares the
-- declared argument types), so grouped by other than the distribution column
-- the call has ORDER BY, which makes Citus gather the rows instead

-- @ wfv_i_all
SELECT window_funnel_values(interval '2 days', at, team, s1, s2, s3, s4 ORDER BY at, team) FROM events;

-- @ wfv_i_dist
SELECT deal, window_funnel_values(interval '2 days', at, team, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfv_i_other
SELECT team, window_funnel_values(interval '2 days', at, team, s1, s2, s3, s4 ORDER BY at, team) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfv_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(interval '2 days', at, team, s1, s2, s3, s4 ORDER BY at, team)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfv_i_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(interval '2 days', at, team, s1, s2, s3, s4) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfv_im_all
SELECT window_funnel_values(interval '2 days', 'exclude 4 between 1 and 3, optional 2', at, team, s1, s2, s3, s4 ORDER BY at, team) FROM events;

-- @ wfv_im_dist
SELECT deal, window_funnel_values(interval '2 days', 'exclude 4 between 1 and 3, optional 2', at, team, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfv_im_other
SELECT team, window_funnel_values(interval '2 days', 'exclude 4 between 1 and 3, optional 2', at, team, s1, s2, s3, s4 ORDER BY at, team) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfv_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(interval '2 days', 'exclude 4 between 1 and 3, optional 2', at, team, s1, s2, s3, s4 ORDER BY at, team)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfv_im_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(interval '2 days', 'exclude 4 between 1 and 3, optional 2', at, team, s1, s2, s3, s4) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfv_b_all
SELECT window_funnel_values(172800::bigint, t, at, s1, s2, s3 ORDER BY t) FROM events;

-- @ wfv_b_dist
SELECT deal, window_funnel_values(172800::bigint, t, at, s1, s2, s3) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfv_b_other
SELECT team, window_funnel_values(172800::bigint, t, at, s1, s2, s3 ORDER BY t) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfv_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(172800::bigint, t, at, s1, s2, s3 ORDER BY t)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfv_b_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(172800::bigint, t, at, s1, s2, s3) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfv_bm_all
SELECT window_funnel_values(172800::bigint, 'step 3 within 86400, strict_increase', t, at, s1, s2, s3 ORDER BY t) FROM events;

-- @ wfv_bm_dist
SELECT deal, window_funnel_values(172800::bigint, 'step 3 within 86400, strict_increase', t, at, s1, s2, s3) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfv_bm_other
SELECT team, window_funnel_values(172800::bigint, 'step 3 within 86400, strict_increase', t, at, s1, s2, s3 ORDER BY t) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfv_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(172800::bigint, 'step 3 within 86400, strict_increase', t, at, s1, s2, s3 ORDER BY t)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfv_bm_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(172800::bigint, 'step 3 within 86400, strict_increase', t, at, s1, s2, s3) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfve_i_all
SELECT window_funnel_values(interval '2 days', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team) FROM events;

-- @ wfve_i_dist
SELECT deal, window_funnel_values(interval '2 days', at, team, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfve_i_other
SELECT team, window_funnel_values(interval '2 days', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfve_i_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(interval '2 days', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfve_i_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(interval '2 days', at, team, kind, ARRAY['signup', 'trial', 'pay']) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfve_im_all
SELECT window_funnel_values(interval '2 days', 'optional 2', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team) FROM events;

-- @ wfve_im_dist
SELECT deal, window_funnel_values(interval '2 days', 'optional 2', at, team, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfve_im_other
SELECT team, window_funnel_values(interval '2 days', 'optional 2', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfve_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(interval '2 days', 'optional 2', at, team, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY at, team)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfve_im_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(interval '2 days', 'optional 2', at, team, kind, ARRAY['signup', 'trial', 'pay']) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfve_b_all
SELECT window_funnel_values(172800::bigint, t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t) FROM events;

-- @ wfve_b_dist
SELECT deal, window_funnel_values(172800::bigint, t, at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfve_b_other
SELECT team, window_funnel_values(172800::bigint, t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfve_b_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(172800::bigint, t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfve_b_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(172800::bigint, t, at, kind, ARRAY['signup', 'trial', 'pay']) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfve_bm_all
SELECT window_funnel_values(172800::bigint, 'any_order', t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t) FROM events;

-- @ wfve_bm_dist
SELECT deal, window_funnel_values(172800::bigint, 'any_order', t, at, kind, ARRAY['signup', 'trial', 'pay']) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfve_bm_other
SELECT team, window_funnel_values(172800::bigint, 'any_order', t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfve_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_values(172800::bigint, 'any_order', t, at, kind, ARRAY['signup', 'trial', 'pay'] ORDER BY t)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfve_bm_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_values(172800::bigint, 'any_order', t, at, kind, ARRAY['signup', 'trial', 'pay']) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- @ wfi_im_all
SELECT window_funnel(interval '2 days', 'exclude 4 between 2 and 3, step 3 within 1 day', at, s1, s2, s3, s4) FROM events;

-- @ wfi_im_dist
SELECT deal, window_funnel(interval '2 days', 'exclude 4 between 2 and 3, step 3 within 1 day', at, s1, s2, s3, s4) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfi_im_other
SELECT team, window_funnel(interval '2 days', 'exclude 4 between 2 and 3, step 3 within 1 day', at, s1, s2, s3, s4) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfi_im_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel(interval '2 days', 'exclude 4 between 2 and 3, step 3 within 1 day', at, s1, s2, s3, s4)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfi_im_two
SELECT team, funnel_conversion(stage(level + 1, 'level ' || level)) AS levels
FROM (SELECT deal, team, window_funnel(interval '2 days', 'exclude 4 between 2 and 3, step 3 within 1 day', at, s1, s2, s3, s4) AS level FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ wfti_bm_all
SELECT window_funnel_times(172800::bigint, 'optional 2, strict_increase', t, s1, s2, s3) FROM events;

-- @ wfti_bm_dist
SELECT deal, window_funnel_times(172800::bigint, 'optional 2, strict_increase', t, s1, s2, s3) FROM events GROUP BY deal ORDER BY 1, 2;

-- @ wfti_bm_other
SELECT team, window_funnel_times(172800::bigint, 'optional 2, strict_increase', t, s1, s2, s3) FROM events GROUP BY team ORDER BY 1, 2;

-- @ wfti_bm_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, window_funnel_times(172800::bigint, 'optional 2, strict_increase', t, s1, s2, s3)
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ wfti_bm_two
SELECT team, count(*) AS deals, count(v[1]) AS first_touch, max(v[cardinality(v)]) AS last_touch, sum(cardinality(v)) AS steps
FROM (SELECT deal, team, window_funnel_times(172800::bigint, 'optional 2, strict_increase', t, s1, s2, s3) AS v FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4, 5;

-- time_to_convert: time from each reached step to the next, over times arrays

-- @ ttc_all
SELECT time_to_convert(ARRAY[at, CASE WHEN deal % 3 = 0 THEN NULL ELSE at + (deal % 5) * interval '1 hour' END, at + (deal % 5) * interval '1 hour' + (deal % 7) * interval '1 day'])::text FROM events;

-- @ ttc_dist
SELECT deal, time_to_convert(ARRAY[at, CASE WHEN deal % 3 = 0 THEN NULL ELSE at + (deal % 5) * interval '1 hour' END, at + (deal % 5) * interval '1 hour' + (deal % 7) * interval '1 day'])::text FROM events GROUP BY deal ORDER BY 1, 2;

-- @ ttc_other
SELECT team, time_to_convert(ARRAY[at, CASE WHEN deal % 3 = 0 THEN NULL ELSE at + (deal % 5) * interval '1 hour' END, at + (deal % 5) * interval '1 hour' + (deal % 7) * interval '1 day'])::text FROM events GROUP BY team ORDER BY 1, 2;

-- @ ttc_month
SELECT date_trunc('month', at AT TIME ZONE 'UTC') AS month, time_to_convert(ARRAY[at, CASE WHEN deal % 3 = 0 THEN NULL ELSE at + (deal % 5) * interval '1 hour' END, at + (deal % 5) * interval '1 hour' + (deal % 7) * interval '1 day'])::text
FROM events GROUP BY 1 ORDER BY 1, 2;

-- @ ttc_two
SELECT team, time_to_convert(times)::text
FROM (SELECT deal, team, window_funnel_times(interval '3 days', 'optional 2', at, s1, s2, s3, s4) AS times FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- stage_velocity over stage visits (stage, entered_at, left_at)

-- @ velocity_all
SELECT stage_velocity(stage, entered_at, left_at) FROM visits;

-- @ velocity_dist
SELECT deal, stage_velocity(stage, entered_at, left_at)::text FROM visits GROUP BY deal ORDER BY 1, 2;

-- @ velocity_other
SELECT team, stage_velocity(stage, entered_at, left_at)::text FROM visits GROUP BY team ORDER BY 1, 2;

-- @ velocity_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month, stage_velocity(stage, entered_at, left_at)::text
FROM visits GROUP BY 1 ORDER BY 1, 2;

-- @ velocity_two
SELECT team, stage_velocity(v)::text
FROM (SELECT deal, team, stage_velocity(stage, entered_at, left_at) AS v FROM visits GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;


-- stage_velocity over an entered-only history (deal, stage, entered_at)

-- @ history_all
SELECT stage_velocity(deal, stage, entered_at) FROM history;

-- @ history_dist
SELECT deal, stage_velocity(deal, stage, entered_at)::text FROM history GROUP BY deal ORDER BY 1, 2;

-- @ history_other
SELECT team, stage_velocity(deal, stage, entered_at)::text FROM history GROUP BY team ORDER BY 1, 2;

-- @ history_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month, stage_velocity(deal, stage, entered_at)::text
FROM history GROUP BY 1 ORDER BY 1, 2;

-- @ history_two
SELECT team, stage_velocity(v)::text
FROM (SELECT deal, team, stage_velocity(deal, stage, entered_at) AS v FROM history GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;


-- stage_at: the stage each deal was in on a date, from the entered-only history

-- @ stage_at_all
SELECT stage_at(stage, entered_at, timestamptz '2026-07-01 00:00+00') FROM history;

-- @ stage_at_dist
SELECT deal, stage_at(stage, entered_at, timestamptz '2026-07-01 00:00+00') FROM history GROUP BY deal ORDER BY 1, 2;

-- @ stage_at_other
SELECT team, stage_at(stage, entered_at, timestamptz '2026-07-01 00:00+00') FROM history GROUP BY team ORDER BY 1, 2;

-- @ stage_at_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month, stage_at(stage, entered_at, timestamptz '2026-07-01 00:00+00')
FROM history GROUP BY 1 ORDER BY 1, 2;

-- @ stage_at_two
SELECT team, funnel_conversion(s)::text AS snapshot
FROM (SELECT deal, team, stage_at(stage, entered_at, timestamptz '2026-07-01 00:00+00') AS s FROM history GROUP BY deal, team) per_deal
WHERE s IS NOT NULL GROUP BY team ORDER BY 1, 2;


-- pipeline_flow: what moved through each stage in a period, over stage
-- visits, over the entered-only history, and merging flows

-- @ flow_all
SELECT pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text FROM visits;

-- @ flow_dist
SELECT deal, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text
FROM visits GROUP BY deal ORDER BY 1, 2;

-- @ flow_other
SELECT team, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text
FROM visits GROUP BY team ORDER BY 1, 2;

-- @ flow_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month,
       pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text
FROM visits GROUP BY 1 ORDER BY 1, 2;

-- @ flow_two
SELECT team, pipeline_flow(f)::text
FROM (SELECT deal, team, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
      FROM visits GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ flow_history_all
SELECT pipeline_flow(deal, stage, entered_at, tstzrange('2026-04-01 00:00+00', NULL))::text FROM history;

-- @ flow_history_dist
SELECT deal, pipeline_flow(deal, stage, entered_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text
FROM history GROUP BY deal ORDER BY 1, 2;

-- @ flow_history_other
SELECT team, pipeline_flow(deal, stage, entered_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00'))::text
FROM history GROUP BY team ORDER BY 1, 2;

-- @ flow_history_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month,
       pipeline_flow(deal, stage, entered_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00', '[]'))::text
FROM history GROUP BY 1 ORDER BY 1, 2;

-- @ flow_history_two
SELECT team, pipeline_flow(f)::text
FROM (SELECT deal, team, pipeline_flow(deal, stage, entered_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
      FROM history GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ flow_merge_all
SELECT pipeline_flow(f)::text
FROM (SELECT team, pipeline_flow(stage, entered_at, left_at, tstzrange(NULL, '2026-07-01 00:00+00')) AS f FROM visits GROUP BY team) t;

-- @ flow_merge_dist
SELECT deal, pipeline_flow(f)::text
FROM (SELECT deal, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
      FROM visits GROUP BY deal) d GROUP BY deal ORDER BY 1, 2;

-- @ flow_merge_other
SELECT deal % 3 AS part, pipeline_flow(f)::text
FROM (SELECT deal, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
      FROM visits GROUP BY deal) d GROUP BY 1 ORDER BY 1, 2;

-- @ flow_merge_month
SELECT month, pipeline_flow(f)::text
FROM (SELECT deal, date_trunc('month', min(entered_at) AT TIME ZONE 'UTC') AS month,
             pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
      FROM visits GROUP BY deal) d GROUP BY 1 ORDER BY 1, 2;

-- @ flow_merge_two
SELECT pipeline_flow(f)::text
FROM (SELECT team, pipeline_flow(f) AS f
      FROM (SELECT deal, team, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
            FROM visits GROUP BY deal, team) per_deal GROUP BY team) per_team;

-- funnel_conversion over stages (each visit counted as a client where not
-- per deal; two levels: the deepest stage per deal, as the README does it)

-- @ funnel_all
SELECT funnel_conversion(stage) FROM visits;

-- @ funnel_dist
SELECT deal, funnel_conversion(stage) FROM visits GROUP BY deal ORDER BY 1, 2;

-- @ funnel_other
SELECT team, funnel_conversion(stage) FROM visits GROUP BY team ORDER BY 1, 2;

-- @ funnel_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month, funnel_conversion(stage)
FROM visits GROUP BY 1 ORDER BY 1, 2;

-- @ funnel_two
SELECT team, funnel_conversion(reached)
FROM (SELECT deal, team, max(stage) AS reached FROM visits GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;


-- min(stage) and max(stage)

-- @ minmax_all
SELECT min(stage), max(stage) FROM history;

-- @ minmax_dist
SELECT deal, min(stage), max(stage) FROM history GROUP BY deal ORDER BY 1, 2, 3;

-- @ minmax_other
SELECT team, min(stage), max(stage) FROM history GROUP BY team ORDER BY 1, 2, 3;

-- @ minmax_month
SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC') AS month, min(stage), max(stage)
FROM history GROUP BY 1 ORDER BY 1, 2, 3;

-- @ minmax_two
SELECT team, min(reached), max(reached), max(first)
FROM (SELECT deal, team, max(stage) AS reached, min(stage) AS first FROM history GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2, 3, 4;


-- plan_attainment over daily plans (distributed by seller)

-- @ attainment_all
SELECT plan_attainment(actual, plan, day) FROM plans;

-- @ attainment_dist
SELECT seller, plan_attainment(actual, plan, day)::text FROM plans GROUP BY seller ORDER BY 1, 2;

-- @ attainment_other
SELECT team, plan_attainment(actual, plan, day)::text FROM plans GROUP BY team ORDER BY 1, 2;

-- @ attainment_month
SELECT date_trunc('month', day)::date AS month, plan_attainment(actual, plan, day)::text
FROM plans GROUP BY 1 ORDER BY 1, 2;

-- @ attainment_two
SELECT team, plan_attainment(a)::text
FROM (SELECT seller, team, date_trunc('month', day) AS month, plan_attainment(actual, plan, day) AS a
      FROM plans GROUP BY seller, team, month) per_seller_month
GROUP BY team ORDER BY 1, 2;


-- the merge aggregates over the distributed rollup tables
-- (test/sql/citus_rollup.sql: deal_rollup by deal, team_rollup by team), and
-- over per-deal (per-seller) values in a subquery

-- @ merge_funnel_all
SELECT funnel_conversion(f) FROM deal_rollup;

-- @ merge_funnel_dist
SELECT deal, funnel_conversion(f) FROM deal_rollup GROUP BY deal ORDER BY 1, 2;

-- @ merge_funnel_other
SELECT team, funnel_conversion(f) FROM deal_rollup GROUP BY team ORDER BY 1, 2;

-- @ merge_funnel_month
SELECT month, funnel_conversion(f) FROM deal_rollup GROUP BY month ORDER BY 1, 2;

-- @ merge_funnel_two
SELECT team, funnel_conversion(f)
FROM (SELECT deal, team, funnel_conversion(stage) AS f FROM visits GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ merge_velocity_all
SELECT stage_velocity(v) FROM deal_rollup;

-- @ merge_velocity_dist
SELECT deal, stage_velocity(v)::text FROM deal_rollup GROUP BY deal ORDER BY 1, 2;

-- @ merge_velocity_other
SELECT team, stage_velocity(v)::text FROM deal_rollup GROUP BY team ORDER BY 1, 2;

-- @ merge_velocity_month
SELECT month, stage_velocity(v)::text FROM deal_rollup GROUP BY month ORDER BY 1, 2;

-- @ merge_velocity_two
SELECT stage_velocity(v)
FROM (SELECT deal, stage_velocity(stage, entered_at, left_at) AS v FROM visits GROUP BY deal) per_dist;

-- @ merge_attainment_all
SELECT plan_attainment(a) FROM team_rollup;

-- @ merge_attainment_dist
SELECT team, plan_attainment(a)::text FROM team_rollup GROUP BY team ORDER BY 1, 2;

-- @ merge_attainment_other
SELECT seller, plan_attainment(a)::text FROM team_rollup GROUP BY seller ORDER BY 1, 2;

-- @ merge_attainment_month
SELECT month, plan_attainment(a)::text FROM team_rollup GROUP BY month ORDER BY 1, 2;

-- @ merge_attainment_two
SELECT plan_attainment(a)
FROM (SELECT seller, plan_attainment(actual, plan, day) AS a FROM plans GROUP BY seller) per_seller;

-- @ rollup_deal_rows
SELECT deal, team, month, f, v::text FROM deal_rollup ORDER BY 1, 2, 3, 4, 5;

-- @ rollup_team_rows
SELECT team, seller, month, a::text FROM team_rollup ORDER BY 1, 2, 3, 4;

-- report functions over distributed aggregate results (the aggregate in a
-- subquery or CTE, the report on its result)

-- @ rep_funnel_steps
WITH t AS (SELECT team, funnel_conversion(reached) AS f
      FROM (SELECT deal, team, max(stage) AS reached FROM visits GROUP BY deal, team) per_deal
      GROUP BY team)
SELECT t.team, s.* FROM t CROSS JOIN LATERAL funnel_steps(t.f) s ORDER BY 1, 2;

-- @ rep_funnel_norm
WITH t AS (SELECT team, funnel_conversion(reached) AS f
      FROM (SELECT deal, team, max(stage) AS reached FROM visits GROUP BY deal, team) per_deal
      GROUP BY team)
SELECT t.team, s.position, s.stage, s.step_conversion, s.below_norm, t.f::jsonb
FROM t CROSS JOIN LATERAL funnel_steps(t.f, 0.85) s ORDER BY 1, 2;

-- @ rep_funnel_chart
WITH t AS (SELECT team, funnel_conversion(reached) AS f
      FROM (SELECT deal, team, max(stage) AS reached FROM visits GROUP BY deal, team) per_deal
      GROUP BY team)
SELECT t.team, c.*, bar(c.reached, 0, 1000, 20) AS on_common_scale
FROM t CROSS JOIN LATERAL funnel_chart(t.f, 20) c ORDER BY 1, 2;

-- @ rep_funnel_compare
WITH per_deal AS (SELECT deal, team, max(stage) AS reached FROM visits GROUP BY deal, team),
     t AS (SELECT team, funnel_conversion(reached) AS f FROM per_deal GROUP BY team),
     whole AS (SELECT funnel_conversion(reached) AS f FROM per_deal)
SELECT t.team, c.* FROM t CROSS JOIN whole CROSS JOIN LATERAL funnel_compare(t.f, whole.f, 0.1) c ORDER BY 1, 2;

-- @ rep_required_pipeline
WITH per_deal AS (SELECT deal, team, max(stage) AS reached, bool_or(left_at IS NULL) AS open
                  FROM visits GROUP BY deal, team),
     t AS (SELECT team, funnel_conversion(reached) FILTER (WHERE NOT open) AS closed,
                  funnel_conversion(reached) FILTER (WHERE open) AS current
           FROM per_deal GROUP BY team)
SELECT t.team, 'history' AS form, r.* FROM t CROSS JOIN LATERAL required_pipeline(t.closed, 40) r
UNION ALL
SELECT t.team, 'current', r.* FROM t CROSS JOIN LATERAL required_pipeline(t.closed, 40, t.current) r
ORDER BY 1, 2, 3;

-- @ rep_flow_steps
WITH t AS (SELECT team, pipeline_flow(stage, entered_at, left_at, tstzrange('2026-04-01 00:00+00', '2026-07-01 00:00+00')) AS f
           FROM visits GROUP BY team)
SELECT t.team, s.*, t.f::jsonb = (t.f + NULL)::jsonb AS plus_null FROM t CROSS JOIN LATERAL flow_steps(t.f) s ORDER BY 1, 2;

-- @ rep_velocity_steps
WITH t AS (SELECT team, stage_velocity(stage, entered_at, left_at) AS v FROM visits GROUP BY team)
SELECT t.team, s.* FROM t CROSS JOIN LATERAL velocity_steps(t.v) s ORDER BY 1, 2;

-- @ rep_velocity_quantiles
WITH t AS (SELECT team, stage_velocity(deal, stage, entered_at) AS v FROM history GROUP BY team)
SELECT team, time_in_stage(v, stage(2), 0.9) AS p90_qualified, time_in_stage(v, stage(3)) AS median_meeting,
       velocity_quantile(v, stage(4), 0.25) AS q25_proposal, v::jsonb
FROM t ORDER BY 1;

-- @ rep_pipeline_velocity
WITH per_deal AS (SELECT deal, team, max(stage) AS reached, bool_or(left_at IS NULL) AS open,
                         min(entered_at) AS started, max(left_at) AS ended
                  FROM visits GROUP BY deal, team),
     t AS (SELECT team, count(*) FILTER (WHERE open) AS open_deals,
                  count(*) FILTER (WHERE stage_position(reached) = 6) AS won,
                  count(*) FILTER (WHERE NOT open) AS closed,
                  avg(extract(epoch FROM ended - started)) FILTER (WHERE NOT open) AS cycle_seconds
           FROM per_deal GROUP BY team)
SELECT team, open_deals, won, closed,
       pipeline_velocity(open_deals, won::float8 / closed, 1500, (cycle_seconds / 86400)::float8) AS per_day
FROM t ORDER BY 1;

-- @ rep_attainment_report
WITH t AS (SELECT team, plan_attainment(actual, plan, day) AS a FROM plans GROUP BY team)
SELECT t.team, attainment_ratio(t.a), r.* FROM t CROSS JOIN LATERAL attainment_report(t.a) r ORDER BY 1;

-- @ rep_attainment_days
WITH t AS (SELECT team, plan_attainment(a) AS a FROM team_rollup GROUP BY team)
SELECT t.team, d.*, length(t.a::jsonb::text) AS json_length
FROM t CROSS JOIN LATERAL attainment_days(t.a) d ORDER BY 1, 2;

-- @ rep_chain
WITH per_deal AS (SELECT deal, team, contact_chain_agg(kind, at) AS c FROM contacts GROUP BY deal, team)
SELECT team, count(*) FILTER (WHERE c @> p) AS follows, count(*) FILTER (WHERE p <@ c) AS contained,
       round(avg(chain_conformance(c, p))::numeric, 9) AS conformance, sum(chain_extra(c, p)) AS extra,
       max(chain_length(c || c)) AS longest_twice, min((chain_kinds(c))[1]) AS first_kind,
       count(*) FILTER (WHERE c::text[] = chain_kinds(c)) AS casts
FROM per_deal, (SELECT contact_chain(ARRAY['call', 'email', 'meeting']) AS p) prescribed
GROUP BY team ORDER BY 1;

-- @ rep_chain_next
SELECT chain_next(c, ARRAY['call', 'email', 'meeting', 'proposal']::contact_chain) AS next, count(*)
FROM (SELECT deal, contact_chain_agg(kind, at) AS c FROM contacts GROUP BY deal) per_deal
GROUP BY 1 ORDER BY 1, 2;

-- @ rep_stage
SELECT stage_position(reached), stage_name(reached), stage(stage_position(reached), upper(stage_name(reached))),
       reached = stage_position(reached)::stage AS same_position, count(*)
FROM (SELECT deal, max(stage) AS reached FROM visits GROUP BY deal) per_deal
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- @ rep_stage_reference
SELECT s.position, s.name, count(*) AS deals
FROM (SELECT deal, max(stage) AS reached FROM visits GROUP BY deal) per_deal
JOIN stages s ON s.s = per_deal.reached
GROUP BY 1, 2 ORDER BY 1, 2;


-- the two-value merges (functions and operators) of per-team halves, and
-- whether they equal the aggregate of all the rows

-- @ rep_merge
WITH t AS (SELECT team,
                  funnel_conversion(stage) FILTER (WHERE stage_position(stage) % 2 = 1) AS f1,
                  funnel_conversion(stage) FILTER (WHERE stage_position(stage) % 2 = 0) AS f2,
                  funnel_conversion(stage) AS f,
                  stage_velocity(stage, entered_at, left_at) FILTER (WHERE stage_position(stage) % 2 = 1) AS v1,
                  stage_velocity(stage, entered_at, left_at) FILTER (WHERE stage_position(stage) % 2 = 0) AS v2,
                  stage_velocity(stage, entered_at, left_at) AS v
           FROM visits GROUP BY team),
     p AS (SELECT team,
                  plan_attainment(actual, plan, day) FILTER (WHERE extract(day FROM day)::int % 2 = 1) AS a1,
                  plan_attainment(actual, plan, day) FILTER (WHERE extract(day FROM day)::int % 2 = 0) AS a2,
                  plan_attainment(actual, plan, day) AS a
           FROM plans GROUP BY team)
SELECT t.team, funnel_merge(f1, f2), f1 + f2 = f AS funnel_exact, velocity_merge(v1, v2)::text, v1 + v2 = v AS velocity_exact,
       attainment_merge(a1, a2)::text, a1 + a2 = a AS attainment_exact
FROM t JOIN p USING (team) ORDER BY 1;


-- the classifier's controls: string_agg has no state Citus can ship (and no
-- combine function before PostgreSQL 16), so Citus gathers the rows, also
-- when the rows are per deal already; a materialized CTE of rows is a
-- distributed subplan whose rows go to the coordinator; count and max are
-- pushed down

-- @ ctl_gather
SELECT team, string_agg(kind, ',' ORDER BY at, kind) FROM events GROUP BY team ORDER BY 1, 2;

-- @ ctl_gather_two
SELECT team, string_agg(k, ',' ORDER BY k) FROM (SELECT deal, team, max(kind) AS k FROM events GROUP BY deal, team) per_deal
GROUP BY team ORDER BY 1, 2;

-- @ ctl_gather_subplan
WITH t AS MATERIALIZED (SELECT deal, team, at FROM events)
SELECT team, count(*) FROM t GROUP BY team ORDER BY 1, 2;

-- @ ctl_pushed
SELECT team, count(*), max(at) FROM events GROUP BY team ORDER BY 1, 2, 3;
