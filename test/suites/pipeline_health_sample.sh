#!/usr/bin/env bash
# Pipeline health on the sample CRM dataset (test/sample/crm.sql): the
# recipes of docs/guides/pipeline-health.md (its sql blocks that create the
# views and the function, run as the guide shows them) against independent
# plain-SQL computations of the same definitions: coverage per seller and
# quarter, slippage per deal and period, cohorts per funnel and month.  Run
# by test/run-tests with PGHOST, PGPORT and PGUSER set to its throwaway
# cluster.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
db=funnel_health_sample
guide=$root/docs/guides/pipeline-health.md

not_theirs db "$db" || exit 1
trap 'q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
fresh_db "$db" || exit 1
q -d "$db" -c 'CREATE EXTENSION funnel' || exit 1
q -d "$db" -f "$root/test/sample/crm.sql" || { echo "FAIL: loading the sample data"; exit 1; }

# the guide's recipes: every sql block that starts with CREATE
recipes=$(awk '/^```sql[ \t]*$/ { inb = 1; first = 1; next }
               inb && /^```/ { inb = 0; keep = 0; next }
               inb { if (first) keep = ($0 ~ /^CREATE /); first = 0; if (keep) print }' "$guide")
n=$(grep -c '^CREATE ' <<<"$recipes")
[ "$n" -eq 3 ] || fail "expected 3 recipes (coverage, slippage, cohorts) in $guide, found $n"

# each check: name | violations (0 = good) | cases checked
checks=$(q -d "$db" -At -F '|' <<SQL
SET timezone = 'UTC';
SET jit = off;
$recipes

-- coverage: the expected close now is the new date of the deal's latest
-- change; won in the period by closed_at's UTC date; the required
-- coverage is closed over won deals (won is the funnel's last position)
CREATE TEMP TABLE plain_coverage AS
SELECT t.seller_id, t.period_start,
       (SELECT coalesce(sum(amount), 0) FROM crm.deals d WHERE d.seller_id = t.seller_id AND d.status = 'won'
          AND d.closed_at >= t.period_start AND d.closed_at < t.period_end + 1) AS won_amount,
       (SELECT count(*) FROM crm.deals d WHERE d.seller_id = t.seller_id AND d.status = 'open'
          AND (SELECT c.new_close_date FROM crm.close_date_changes c WHERE c.deal_id = d.deal_id
               ORDER BY c.changed_at DESC LIMIT 1) BETWEEN t.period_start AND t.period_end) AS open_deals,
       (SELECT coalesce(sum(amount), 0) FROM crm.deals d WHERE d.seller_id = t.seller_id AND d.status = 'open'
          AND (SELECT c.new_close_date FROM crm.close_date_changes c WHERE c.deal_id = d.deal_id
               ORDER BY c.changed_at DESC LIMIT 1) BETWEEN t.period_start AND t.period_end) AS open_amount,
       (SELECT count(*) FILTER (WHERE status <> 'open')::float8 / nullif(count(*) FILTER (WHERE status = 'won'), 0)
        FROM crm.deals d WHERE d.seller_id = t.seller_id) AS required,
       t.target
FROM crm.sales_targets t;

SELECT 'coverage per seller and quarter equals plain SQL',
       count(*) FILTER (WHERE c.seller_id IS NULL OR p.seller_id IS NULL
                          OR (c.won_amount, c.remaining, c.open_deals, c.open_amount)
                             IS DISTINCT FROM (p.won_amount, greatest(p.target - p.won_amount, 0), p.open_deals, p.open_amount)
                          OR c.coverage IS DISTINCT FROM p.open_amount / nullif(greatest(p.target - p.won_amount, 0), 0)
                          OR (c.required_coverage IS NULL) <> (p.required IS NULL)
                          OR abs(c.required_coverage - p.required) > 1e-12 * p.required),
       count(*)
FROM coverage c FULL JOIN plain_coverage p USING (seller_id, period_start)
UNION ALL
SELECT 'coverage has targets met (coverage NULL), covered and short quarters',
       (count(*) FILTER (WHERE remaining = 0 AND coverage IS NULL) = 0 OR count(*) FILTER (WHERE coverage >= 1) = 0
        OR count(*) FILTER (WHERE coverage < required_coverage) = 0)::int,
       count(*)
FROM coverage
UNION ALL
-- slippage: the definition with periods as ranges [start, start + 1 unit)
SELECT 'slippage per deal and period equals plain SQL (' || u.unit || coalesce(', from ' || u.since, '') || ')',
       count(*) FILTER (WHERE x.differs), count(*)
FROM (VALUES ('quarter', NULL::timestamptz, NULL::timestamptz), ('month', '2026-01-01', '2026-04-01'),
             ('week', '2026-05-01', NULL)) u(unit, since, until)
CROSS JOIN LATERAL (
    WITH m AS (
        SELECT * FROM crm.close_date_changes
        WHERE old_close_date IS NOT NULL AND old_close_date <> new_close_date
          AND (u.since IS NULL OR changed_at >= u.since) AND (u.until IS NULL OR changed_at < u.until)),
    p AS (
        SELECT DISTINCT deal_id, start, start + CASE u.unit WHEN 'quarter' THEN interval '3 months'
                                                         ELSE ('1 ' || u.unit)::interval END AS stop
        FROM (SELECT deal_id, date_trunc(u.unit, old_close_date) AS start FROM m
              UNION SELECT deal_id, date_trunc(u.unit, new_close_date) FROM m) x),
    rel AS (
        SELECT p.deal_id, p.start, p.stop, m.changed_at, m.old_close_date AS old, m.new_close_date AS new
        FROM p JOIN m USING (deal_id)
        WHERE (m.old_close_date >= p.start AND m.old_close_date < p.stop)
           OR (m.new_close_date >= p.start AND m.new_close_date < p.stop)),
    plain AS (
        SELECT deal_id, start::date AS period_start, count(*) AS moves, sum(abs(new - old)) AS days_moved,
               (array_agg(new ORDER BY changed_at DESC))[1] AS last_new, (array_agg(old ORDER BY changed_at))[1] AS first_old,
               min(start) AS start, min(stop) AS stop
        FROM rel GROUP BY 1, 2)
    SELECT s.deal_id IS NULL OR p.deal_id IS NULL
           OR (s.moves, s.days_moved, s.net_days, s.moved_out, s.pulled_in)
              IS DISTINCT FROM (p.moves, p.days_moved, p.last_new - p.first_old,
                                p.first_old >= p.start AND p.first_old < p.stop AND NOT (p.last_new >= p.start AND p.last_new < p.stop),
                                NOT (p.first_old >= p.start AND p.first_old < p.stop) AND p.last_new >= p.start AND p.last_new < p.stop)
           AS differs
    FROM pg_temp.slippage(u.unit, u.since, u.until) s FULL JOIN plain p USING (deal_id, period_start)) x
GROUP BY u.unit, u.since
UNION ALL
SELECT 'slippage has moves out, pulls in, several moves and deals within one period',
       (count(*) FILTER (WHERE moved_out) = 0 OR count(*) FILTER (WHERE pulled_in) = 0
        OR count(*) FILTER (WHERE moves > 1) = 0 OR count(*) FILTER (WHERE NOT moved_out AND NOT pulled_in) = 0)::int,
       count(*)
FROM pg_temp.slippage()
UNION ALL
-- cohorts: exact counts and shares, the median within 0.4% of
-- percentile_disc, the funnel's clients and won
SELECT 'cohorts per funnel and month equal plain SQL',
       count(*) FILTER (WHERE c.month IS NULL OR p.month IS NULL
                          OR (c.deals, c.won, c.lost, c.open, c.win_rate, c.won_within_30, c.won_within_60, c.won_within_90)
                             IS DISTINCT FROM (p.deals, p.won, p.lost, p.open, p.win_rate, p.w30, p.w60, p.w90)
                          OR (c.median_days_to_win IS NULL) <> (p.median IS NULL)
                          OR abs(c.median_days_to_win - p.median) > 0.004 * p.median
                          OR (SELECT sum(stopped) FROM funnel_steps(c.conversion)) <> p.deals
                          OR (SELECT stopped FROM funnel_steps(c.conversion) WHERE position = 6) IS DISTINCT FROM nullif(p.won, 0)),
       count(*)
FROM cohorts c
FULL JOIN (
    SELECT funnel_id, date_trunc('month', created_at)::date AS month, count(*) AS deals,
           count(*) FILTER (WHERE status = 'won') AS won, count(*) FILTER (WHERE status = 'lost') AS lost,
           count(*) FILTER (WHERE status = 'open') AS open,
           count(*) FILTER (WHERE status = 'won')::float8 / count(*) AS win_rate,
           count(*) FILTER (WHERE status = 'won' AND closed_at - created_at <= interval '30 days')::float8 / count(*) AS w30,
           count(*) FILTER (WHERE status = 'won' AND closed_at - created_at <= interval '60 days')::float8 / count(*) AS w60,
           count(*) FILTER (WHERE status = 'won' AND closed_at - created_at <= interval '90 days')::float8 / count(*) AS w90,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at) / 86400)
             FILTER (WHERE status = 'won') AS median
    FROM crm.deals GROUP BY 1, 2) p USING (funnel_id, month);
SQL
) || fail "the check queries failed"
report_checks 7 <<<"$checks"

[ "$failed" -eq 0 ] && echo "pipeline health on the sample data: all checks passed"
exit "$failed"
