-- velocity at the edges (tiny groups, extreme durations, q bounds) against plain SQL.
--
-- velocity at the edges, against plain SQL: tiny groups (1 to 4 exits),
-- durations from 0 us to about 290,000 years, q = 0 and 1, tiny q and q on
-- rank boundaries; time_in_stage's extremes exact to the microsecond;
-- equality and hashing (GROUP BY, DISTINCT, UNION, hash joins).  Every check
-- prints the number of mismatches (must be 0) and the number of cases.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT setseed(0.3131);
-- entered in 4000 BC so that durations up to 2^63 us still end before 294276 AD
CREATE TABLE ev AS
SELECT grp, stage(1 + grp % 3, 'st' || (1 + grp % 3)) AS s, entered_at,
       entered_at + dur * interval '1 microsecond' AS left_at
FROM (SELECT grp, timestamptz '4000-01-01 00:00:00+00 BC' AS entered_at,
             CASE WHEN r < 0.1 THEN 0
                  WHEN r < 0.2 THEN floor(random() * 300)::bigint
                  ELSE least(floor(exp(random() * ln(9.2e18)))::numeric, 9200000000000000000)::bigint
             END AS dur
      FROM generate_series(1, 600) grp,
           LATERAL (SELECT random() + grp * 0 AS r, k
                    FROM generate_series(1, 1 + (grp % 4)) k) g) x;
-- the exact duration of each row (interval arithmetic may round huge products)
ALTER TABLE ev ADD COLUMN dur_us numeric;
UPDATE ev SET dur_us = (extract(epoch FROM left_at) - extract(epoch FROM entered_at)) * 1000000;
SELECT count(*) AS visits, count(DISTINCT grp) AS groups, min(dur_us) = 0 AS has_zero,
       max(dur_us) > 1e18 AS has_over_30000_years
FROM ev;

CREATE TABLE ev_v AS SELECT grp, stage_velocity(s, entered_at, left_at) AS v FROM ev GROUP BY grp;
CREATE TABLE ev_exact AS
SELECT grp, s, count(*) AS exits, max(dur_us) AS max_us,
       percentile_disc(ARRAY[0, 1e-9, 0.1, 0.25, 1/3.0, 0.5, 2/3.0, 0.75, 0.9, 0.999999, 1]::float8[])
         WITHIN GROUP (ORDER BY dur_us) AS q_us,
       ARRAY[0, 1e-9, 0.1, 0.25, 1/3.0, 0.5, 2/3.0, 0.75, 0.9, 0.999999, 1]::float8[] AS qs
FROM ev GROUP BY grp, s;

-- every quantile within 1% of percentile_disc (0 exactly)
SELECT count(*) FILTER (WHERE abs(est_us - exact_us::float8) > 0.01 * exact_us::float8
                          OR (exact_us = 0 AND est_us <> 0)) AS over_1_percent,
       count(*) AS quantiles
FROM (SELECT u.exact_us, velocity_quantile(v.v, e.s, u.q) * 86400e6 AS est_us
      FROM ev_exact e JOIN ev_v v USING (grp), unnest(e.qs, e.q_us) AS u(q, exact_us)) c;

-- time_in_stage: the first and last rank are the exact shortest and longest
-- duration, to the microsecond, even for the longest durations
SELECT count(*) FILTER (WHERE extract(epoch FROM time_in_stage(v.v, e.s, 1)) * 1000000 <> e.max_us
                          OR extract(epoch FROM time_in_stage(v.v, e.s, 0)) * 1000000 <> e.q_us[1]
                          OR time_in_stage(v.v, e.s, 1) < time_in_stage(v.v, e.s, 0.5)) AS extreme_mismatches,
       count(*) AS stages
FROM ev_exact e JOIN ev_v v USING (grp);

-- equality and hashing agree with the text form
CREATE TABLE ev_pairs AS
SELECT a.grp AS ga, b.grp AS gb, a.v AS va, b.v AS vb
FROM ev_v a JOIN ev_v b ON a.grp % 50 = b.grp % 50;
SELECT count(*) FILTER (WHERE (va = vb) IS DISTINCT FROM (va::text = vb::text)
                          OR (va <> vb) IS DISTINCT FROM (va::text <> vb::text)
                          OR (va = vb AND velocity_hash(va) <> velocity_hash(vb))
                          OR (va = vb AND velocity_hash_extended(va, 7) <> velocity_hash_extended(vb, 7)))
         AS eq_mismatches,
       count(*) AS pairs, count(*) FILTER (WHERE va = vb AND ga <> gb) > 0 AS has_equal_pairs
FROM ev_pairs;
-- merging is commutative and round trips through text and binary keep values equal
\set ECHO none
\i test/include/helper_binary_recv.sql
\set ECHO all
SELECT count(*) FILTER (WHERE NOT (va + vb = vb + va AND va = va::text::velocity
                                   AND va = pg_temp.recv_as('velocity', velocity_send(va))::velocity))
         AS algebra_mismatches,
       count(*) AS pairs
FROM ev_pairs WHERE ga % 41 = 0;
-- an aggregate state (the working form) equals and hashes like its packed result
CREATE FUNCTION pg_temp.raw_velocity(bytea, bytea) RETURNS velocity
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.raw_bytes(velocity, bytea) RETURNS bytea
  AS 'byteacat' LANGUAGE internal IMMUTABLE STRICT;
CREATE AGGREGATE pg_temp.velocity_state(stage, timestamptz, timestamptz) (
  SFUNC = velocity_trans, STYPE = velocity);
SELECT count(*) FILTER (WHERE get_byte(pg_temp.raw_bytes(w, ''), 1) <> 2) AS not_working_form,
       count(*) FILTER (WHERE NOT (w = v AND v = w AND velocity_hash(w) = velocity_hash(v)
                                   AND velocity_hash_extended(w, 3) = velocity_hash_extended(v, 3)))
         AS working_mismatches,
       count(*) AS groups
FROM (SELECT grp, pg_temp.velocity_state(s, entered_at, left_at) AS w FROM ev GROUP BY grp) s
JOIN ev_v USING (grp);
-- GROUP BY, DISTINCT and UNION by hashing; a hash join
SELECT (SELECT count(*) FROM (SELECT v FROM ev_v GROUP BY v) g)
         = (SELECT count(DISTINCT v::text) FROM ev_v) AS group_by_distinct_values,
       (SELECT count(*) FROM (SELECT DISTINCT v FROM ev_v) d)
         = (SELECT count(DISTINCT v::text) FROM ev_v) AS distinct_values,
       (SELECT count(*) FROM (SELECT v FROM ev_v UNION SELECT v FROM ev_v) u)
         = (SELECT count(DISTINCT v::text) FROM ev_v) AS union_values;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM ev_v a JOIN ev_v b ON a.v = b.v;
SELECT (SELECT count(*) FROM ev_v a JOIN ev_v b ON a.v = b.v)
         = (SELECT count(*) FROM ev_v a JOIN ev_v b ON a.v::text = b.v::text) AS hash_join_equal;
RESET enable_mergejoin;
RESET enable_nestloop;
-- NULLs: strict
SELECT NULL::velocity = 'v1 1(0,1)' IS NULL AS null_eq, velocity_hash(NULL) IS NULL AS null_hash;
-- corrupt values are errors, not answers
\set VERBOSITY terse
SELECT 'v1 1(0,1)'::velocity = pg_temp.raw_velocity('\x0201', '');
SELECT velocity_hash(pg_temp.raw_velocity('\x0100ff', ''));
\set VERBOSITY default
DROP TABLE ev, ev_v, ev_exact, ev_pairs;
