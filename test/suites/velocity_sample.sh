#!/usr/bin/env bash
# velocity on the sample CRM dataset (test/sample/crm.sql): stage_velocity
# against exact SQL (counts, means, maxima, percentile_disc), the README
# recipes (rollups, stuck deals, pipeline velocity) against plain-SQL
# formulations, the entered-only form against the window formulation, and
# the demo fragment.  Run by test/run-tests with PGHOST, PGPORT and PGUSER
# set to its throwaway cluster.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
db=funnel_velocity_sample

not_theirs db "$db" || exit 1
trap 'q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
fresh_db "$db" || exit 1
q -d "$db" -c 'CREATE EXTENSION funnel' || exit 1
q -d "$db" -f "$root/test/sample/crm.sql" || { echo "FAIL: loading the sample data"; exit 1; }

# each check: name | violations (0 = good) | cases checked
checks=$(q -d "$db" -At -F '|' <<'SQL'
SET timezone = 'UTC';
SET jit = off;
CREATE TEMP TABLE team_visit AS
SELECT s.team_id, d.funnel_id, h.*, h.left_at - h.entered_at AS dur
FROM crm.stage_history h JOIN crm.deals d USING (deal_id) JOIN crm.sellers s USING (seller_id);
CREATE TEMP TABLE team_velocity AS
SELECT team_id, stage_velocity(stage, entered_at, left_at) AS v FROM team_visit GROUP BY team_id;
CREATE TEMP TABLE team_exact AS
SELECT team_id, stage_position(stage) AS pos, count(*) AS visits, count(left_at) AS exits,
       avg(extract(epoch FROM dur)) / 86400 AS avg_days, max(extract(epoch FROM dur)) / 86400 AS max_days,
       percentile_disc(ARRAY[0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) WITHIN GROUP (ORDER BY dur) AS q
FROM team_visit GROUP BY 1, 2;

SELECT 'velocity counts, means and maxima per team and stage equal plain SQL',
       count(*) FILTER (WHERE x.visits IS DISTINCT FROM e.visits OR x.exits IS DISTINCT FROM e.exits
                          OR abs(x.avg_days - e.avg_days) > 1e-9 * e.avg_days
                          OR abs(x.max_days - e.max_days) > 1e-12 * e.max_days),
       count(*)
FROM team_exact e
FULL JOIN (SELECT team_id, x.* FROM team_velocity, velocity_steps(v) x) x
  ON x.team_id = e.team_id AND x.position = e.pos
UNION ALL
SELECT 'time_in_stage within 1% of percentile_disc per team and stage',
       count(*) FILTER (WHERE abs(extract(epoch FROM time_in_stage(v, stage(e.pos), u.q) - u.exact))
                              > 0.01 * extract(epoch FROM u.exact)),
       count(*)
FROM team_exact e JOIN team_velocity USING (team_id),
     unnest(ARRAY[0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1], e.q) AS u(q, exact)
WHERE e.exits > 0
UNION ALL
SELECT 'monthly seller rollups merged per team equal the velocity from the rows',
       count(*) FILTER (WHERE m.v::text IS DISTINCT FROM t.v::text), count(*)
FROM team_velocity t
FULL JOIN (SELECT s.team_id, stage_velocity(r.v) AS v
           FROM (SELECT d.seller_id, date_trunc('month', h.entered_at) AS month,
                        stage_velocity(h.stage, h.entered_at, h.left_at) AS v
                 FROM crm.stage_history h JOIN crm.deals d USING (deal_id) GROUP BY 1, 2) r
           JOIN crm.sellers s USING (seller_id) GROUP BY s.team_id) m USING (team_id)
UNION ALL
SELECT 'the entered-only form equals the window formulation, per team',
       count(*) FILTER (WHERE a.v::text IS DISTINCT FROM b.v::text), count(*)
FROM (SELECT team_id, stage_velocity(deal_id, stage, entered_at) AS v FROM team_visit GROUP BY team_id) a
FULL JOIN (SELECT team_id, stage_velocity(stage, entered_at, next_at) AS v
           FROM (SELECT team_id, stage, entered_at,
                        lead(entered_at) OVER (PARTITION BY deal_id ORDER BY entered_at, stage) AS next_at
                 FROM team_visit) w
           GROUP BY team_id) b USING (team_id)
UNION ALL
-- the stuck-deals recipe flags the same open visits as the exact p90, but
-- for visits within the sketch's 0.4% of the boundary
SELECT 'stuck deals agree with the exact 90th percentile',
       count(*) FILTER (WHERE (o.in_stage > time_in_stage(n.v, o.stage, 0.9)) <> (o.in_stage > e.p90)
                          AND abs(extract(epoch FROM o.in_stage - e.p90)) > 0.004 * extract(epoch FROM e.p90))
       + (count(*) FILTER (WHERE o.in_stage > time_in_stage(n.v, o.stage, 0.9)) = 0)::int,
       count(*)
FROM (SELECT d.deal_id, d.funnel_id, h.stage, crm.as_of() - h.entered_at AS in_stage
      FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
      WHERE d.status = 'open' AND h.left_at IS NULL) o
JOIN (SELECT d.funnel_id, stage_velocity(h.stage, h.entered_at, h.left_at) AS v
      FROM crm.stage_history h JOIN crm.deals d USING (deal_id) GROUP BY d.funnel_id) n USING (funnel_id)
LEFT JOIN (SELECT d.funnel_id, stage_position(h.stage) AS pos,
                  percentile_disc(0.9) WITHIN GROUP (ORDER BY h.left_at - h.entered_at) AS p90
           FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
           WHERE h.left_at IS NOT NULL GROUP BY 1, 2) e
  ON e.funnel_id = o.funnel_id AND e.pos = stage_position(o.stage)
UNION ALL
-- the pipeline-velocity recipe against the same figures from separate queries
SELECT 'pipeline velocity per team equals the formula on separately computed figures',
       count(*) FILTER (WHERE r.per_day IS NULL
                          OR abs(r.per_day - x.open_deals * x.won / x.closed * x.avg_won / x.cycle_days)
                             > 1e-9 * r.per_day),
       count(*)
FROM (SELECT team_id,
             pipeline_velocity(open_deals, win_rate, avg_deal_size, avg_cycle_days) AS per_day
      FROM (SELECT t.team_id,
                   count(*) FILTER (WHERE d.status = 'open') AS open_deals,
                   count(*) FILTER (WHERE d.status = 'won')::float8
                     / nullif(count(*) FILTER (WHERE d.status IN ('won', 'lost')), 0) AS win_rate,
                   avg(d.amount) FILTER (WHERE d.status = 'won') AS avg_deal_size,
                   avg(extract(epoch FROM d.closed_at - d.created_at) / 86400)
                     FILTER (WHERE d.status = 'won')::float8 AS avg_cycle_days
            FROM crm.deals d JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id)
            GROUP BY t.team_id) k) r
FULL JOIN (SELECT t.team_id,
                  (SELECT count(*) FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                   WHERE s.team_id = t.team_id AND d.status = 'open') AS open_deals,
                  (SELECT count(*) FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                   WHERE s.team_id = t.team_id AND d.status = 'won')::numeric AS won,
                  (SELECT count(*) FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                   WHERE s.team_id = t.team_id AND d.status <> 'open')::numeric AS closed,
                  (SELECT sum(amount) / count(*) FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                   WHERE s.team_id = t.team_id AND d.status = 'won') AS avg_won,
                  (SELECT sum(extract(epoch FROM closed_at - created_at)) / count(*) / 86400
                   FROM crm.deals d JOIN crm.sellers s USING (seller_id)
                   WHERE s.team_id = t.team_id AND d.status = 'won') AS cycle_days
           FROM crm.teams t) x USING (team_id);
SQL
) || fail "the check queries failed"
report_checks 6 <<<"$checks"

# the demo fragment runs and prints its reports
if out=$(q -d "$db" -f "$root/test/demo/50_velocity.sql" 2>&1); then
	grep -q 'rollup equals rows' <<<"$out" && grep -A2 'rollup equals rows' <<<"$out" | grep -q ' t$' ||
		fail "the demo's rollup check is not true"
	echo "ok: the demo fragment runs ($(wc -l <<<"$out") lines)"
else
	fail "the demo fragment failed: $out"
fi

[ "$failed" -eq 0 ] && echo "velocity on the sample data: all checks passed"
exit "$failed"
