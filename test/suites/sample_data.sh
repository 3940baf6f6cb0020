#!/usr/bin/env bash
# The sample CRM dataset (test/sample/crm.sql): loads it into two fresh
# databases, one with the extension in schema analytics (CREATE EXTENSION
# funnel SCHEMA analytics), checks both loads are identical table by table,
# then checks the invariants the demos and the README rely on.  Run by test/run-tests with
# PGHOST, PGPORT and PGUSER set to its throwaway cluster.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
dbs=(funnel_sample_a funnel_sample_b)

cleanup() {
	for db in "${dbs[@]}"; do
		q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	done
}
not_theirs db "${dbs[@]}" || exit 1
trap cleanup EXIT

for db in "${dbs[@]}"; do
	fresh_db "$db" || exit 1
	if [ "$db" = funnel_sample_b ]; then
		q -d "$db" -c 'CREATE SCHEMA analytics' -c 'CREATE EXTENSION funnel SCHEMA analytics' || exit 1
	else
		q -d "$db" -c 'CREATE EXTENSION funnel' || exit 1
	fi
	start=$(date +%s%N)
	q -d "$db" -f "$root/test/sample/crm.sql" || { echo "FAIL: loading into $db"; exit 1; }
	echo "loaded $db in $((($(date +%s%N) - start) / 1000000)) ms"
done

# 1. deterministic: the same rows in every table, and the same tables
digest() {
	q -d "$1" -At <<'SQL'
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), %L)) FROM crm.%I t',
              c.relname, '', c.relname)
FROM pg_class c
WHERE c.relnamespace = 'crm'::regnamespace AND c.relkind = 'r'
ORDER BY c.relname
\gexec
SQL
}
a=$(digest "${dbs[0]}")
b=$(digest "${dbs[1]}")
echo "$a"
if [ -z "$a" ]; then
	fail "no table in schema crm"
elif [ "$a" != "$b" ]; then
	fail "two loads differ:"
	diff <(echo "$a") <(echo "$b")
fi

# 2. invariants: each query returns the number of violations (0 = good) or,
# for "exists" checks, 0 when the wanted rows are there
db=${dbs[0]}
checks=$(q -d "$db" -At -F '|' <<'SQL'
SET timezone = 'UTC';
CREATE TEMP VIEW visit AS
SELECT h.*, d.funnel_id, d.seller_id, d.status, d.created_at, d.closed_at, stage_position(h.stage) AS pos,
       row_number() OVER w AS n, count(*) OVER (PARTITION BY h.deal_id) AS visits,
       lag(h.left_at) OVER w AS prev_left, lag(h.stage) OVER w AS prev_stage
FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
WINDOW w AS (PARTITION BY h.deal_id ORDER BY h.entered_at);

SELECT 'deal counts near 6000', (count(*) NOT BETWEEN 5000 AND 7000)::int FROM crm.deals
UNION ALL
SELECT 'contact counts near 60000', (count(*) NOT BETWEEN 45000 AND 75000)::int FROM crm.contacts
UNION ALL
SELECT 'four teams, about 24 sellers, Cyrillic names',
       ((SELECT count(*) FROM crm.teams) <> 4 OR count(*) NOT BETWEEN 20 AND 30
        OR count(*) FILTER (WHERE name ~ '[А-Яа-я]') = 0)::int
FROM crm.sellers
UNION ALL
SELECT 'both funnels with 6 stages each, one named in Russian',
       ((SELECT count(*) FROM crm.funnels) <> 2
        OR (SELECT count(DISTINCT funnel_id) FROM crm.deals) <> 2
        OR count(*) <> 12 OR count(DISTINCT stage_position(stage)) <> 6
        OR count(*) FILTER (WHERE stage_name(stage) ~ '[А-Яа-я]') <> 6)::int
FROM crm.funnel_stages
UNION ALL
SELECT 'every deal has a history starting at position 1 when it was created',
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM visit v WHERE v.deal_id = d.deal_id AND v.n = 1
                                            AND v.pos = 1 AND v.entered_at = d.created_at))
FROM crm.deals d
UNION ALL
SELECT 'visits are in time order and do not overlap',
       count(*) FILTER (WHERE n > 1 AND (prev_left IS NULL OR prev_left > entered_at))
FROM visit
UNION ALL
SELECT 'visit stages belong to the deal''s funnel',
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM crm.funnel_stages f
                                          WHERE f.funnel_id = v.funnel_id AND f.stage = v.stage))
FROM visit v
UNION ALL
SELECT 'open deals have exactly one open visit, their last',
       count(*) FILTER (WHERE left_at IS NULL AND (status <> 'open' OR n <> visits))
       + count(*) FILTER (WHERE status = 'open' AND n = visits AND left_at IS NOT NULL)
FROM visit
UNION ALL
SELECT 'won deals end at position 6, entered (and left) when closed',
       count(*) FILTER (WHERE pos = 6 AND (status <> 'won' OR n <> visits
                                           OR entered_at <> closed_at OR left_at <> closed_at))
       + count(*) FILTER (WHERE status = 'won' AND n = visits AND pos <> 6)
FROM visit
UNION ALL
SELECT 'lost deals close when their last visit ends',
       count(*) FILTER (WHERE status = 'lost' AND n = visits AND left_at IS DISTINCT FROM closed_at)
FROM visit
UNION ALL
SELECT 'lost deals stop at every position 1..5',
       5 - count(DISTINCT pos) FROM visit WHERE status = 'lost' AND n = visits
UNION ALL
SELECT 'open deals wait at every position 1..5',
       5 - count(DISTINCT pos) FROM visit WHERE status = 'open' AND n = visits
UNION ALL
SELECT 'some deals skip a stage', (count(*) FILTER (WHERE pos > stage_position(prev_stage) + 1) < 50)::int
FROM visit
UNION ALL
SELECT 'some deals return to an earlier stage', (count(*) FILTER (WHERE pos < stage_position(prev_stage)) < 50)::int
FROM visit
UNION ALL
SELECT 'durations range from minutes to months',
       (count(*) FILTER (WHERE left_at - entered_at < interval '1 hour') < 50
        OR count(*) FILTER (WHERE left_at - entered_at > interval '60 days') < 50)::int
FROM visit WHERE pos < 6
UNION ALL
SELECT 'nothing happens after crm.as_of() or before 2025-07-01',
       (SELECT count(*) FROM crm.deals WHERE created_at NOT BETWEEN '2025-07-01' AND crm.as_of()
                                          OR closed_at > crm.as_of())
       + (SELECT count(*) FROM crm.stage_history WHERE left_at > crm.as_of())
       + (SELECT count(*) FROM crm.contacts WHERE at NOT BETWEEN '2025-07-01' AND crm.as_of())
       + (SELECT count(*) FROM crm.events WHERE at NOT BETWEEN '2025-07-01' AND crm.as_of())
UNION ALL
SELECT 'contacts fall inside a visit of their deal',
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM crm.stage_history h WHERE h.deal_id = c.deal_id
                                          AND c.at >= h.entered_at AND c.at <= coalesce(h.left_at, crm.as_of())))
FROM crm.contacts c
UNION ALL
SELECT 'contacts are made by the deal''s seller or a teammate',
       count(*) FILTER (WHERE c.seller_id <> d.seller_id AND s1.team_id <> s2.team_id)
       + (count(*) FILTER (WHERE c.seller_id <> d.seller_id) = 0)::int
FROM crm.contacts c JOIN crm.deals d USING (deal_id)
JOIN crm.sellers s1 ON s1.seller_id = c.seller_id JOIN crm.sellers s2 ON s2.seller_id = d.seller_id
UNION ALL
SELECT 'contact kinds are the funnel''s six, one containing ''>''',
       count(*) FILTER (WHERE c.kind <> ALL (CASE d.funnel_id
                              WHEN 1 THEN '{call,email,meeting,demo,proposal,follow-up}'::text[]
                              ELSE '{звонок,письмо,встреча,презентация,КП,"звонок > повтор"}' END))
       + 12 - count(DISTINCT c.kind)
FROM crm.contacts c JOIN crm.deals d USING (deal_id)
UNION ALL
SELECT 'prescribed chains use the funnel''s kinds, one quoted kind with ''>''',
       (count(*) FILTER (WHERE prescribed_chain = '"звонок > повтор" > встреча') <> 1
        OR count(*) FILTER (WHERE prescribed_chain = '') <> 2)::int
FROM crm.funnel_stages
UNION ALL
SELECT 'sellers who win make fewer contacts per stage visit than those who rarely win',
       (max(per_visit) FILTER (WHERE won_share > 0.3) >= min(per_visit) FILTER (WHERE won_share < 0.05))::int
FROM (SELECT d.seller_id,
             (SELECT count(*) FROM crm.contacts c JOIN crm.deals x USING (deal_id) WHERE x.seller_id = d.seller_id)::float8
                 / (SELECT count(*) FROM visit v WHERE v.seller_id = d.seller_id AND v.pos < 6) AS per_visit,
             count(*) FILTER (WHERE d.status = 'won')::float8 / count(*) FILTER (WHERE d.status <> 'open') AS won_share
      FROM crm.deals d GROUP BY 1) s
UNION ALL
SELECT 'indicators: 3 leading, 2 resulting',
       (count(*) FILTER (WHERE kind = 'leading') <> 3 OR count(*) FILTER (WHERE kind = 'resulting') <> 2)::int
FROM crm.indicators
UNION ALL
SELECT 'plans and actuals are non-negative', count(*) FILTER (WHERE plan < 0 OR actual < 0)
FROM crm.daily_plans
UNION ALL
SELECT 'a plan row for every seller, indicator and working day of 2026 since hiring',
       (SELECT count(*) FROM crm.sellers s CROSS JOIN crm.indicators i
        CROSS JOIN generate_series(date '2026-01-01', date '2026-06-30', interval '1 day') g
        WHERE extract(isodow FROM g) < 6 AND g >= s.hired_on
          AND NOT EXISTS (SELECT FROM crm.daily_plans p
                          WHERE p.seller_id = s.seller_id AND p.indicator = i.indicator AND p.day = g))
       + (SELECT count(*) FROM crm.daily_plans p JOIN crm.sellers s USING (seller_id)
          WHERE extract(isodow FROM p.day) > 5 OR p.day < greatest(s.hired_on, date '2026-01-01')
             OR p.day > crm.today())
UNION ALL
SELECT 'some days have plan 0, some actual 0',
       (count(*) FILTER (WHERE plan = 0) = 0 OR count(*) FILTER (WHERE actual = 0) = 0)::int
FROM crm.daily_plans
UNION ALL
SELECT 'leading actuals equal the contacts logged that day',
       count(*) FILTER (WHERE p.actual <> coalesce(c.n, 0))
FROM crm.daily_plans p
LEFT JOIN (SELECT seller_id, at::date AS day,
                  CASE WHEN kind IN ('call', 'звонок', 'звонок > повтор') THEN 'calls'
                       WHEN kind IN ('meeting', 'встреча') THEN 'meetings'
                       WHEN kind IN ('proposal', 'КП') THEN 'proposals_sent' END AS indicator,
                  count(*) AS n
           FROM crm.contacts GROUP BY 1, 2, 3) c USING (seller_id, day, indicator)
WHERE p.indicator IN ('calls', 'meetings', 'proposals_sent')
UNION ALL
SELECT 'resulting actuals equal the deals won that day',
       count(*) FILTER (WHERE p.actual <> CASE p.indicator WHEN 'deals_won' THEN coalesce(w.n, 0)
                                                          ELSE coalesce(w.revenue, 0) END)
FROM crm.daily_plans p
LEFT JOIN (SELECT seller_id, closed_at::date AS day, count(*) AS n, sum(amount) AS revenue
           FROM crm.deals WHERE status = 'won' GROUP BY 1, 2) w USING (seller_id, day)
WHERE p.indicator IN ('deals_won', 'revenue')
UNION ALL
SELECT 'sales targets: each seller, each quarter of 2026 from hiring to Q3; Q1 and Q2 sum the revenue plans',
       (SELECT count(*) FROM crm.sellers s
        CROSS JOIN generate_series(date '2026-01-01', date '2026-07-01', interval '3 months') q
        WHERE q + interval '3 months' > s.hired_on
          AND NOT EXISTS (SELECT FROM crm.sales_targets t WHERE t.seller_id = s.seller_id AND t.period_start = q
                            AND t.period_end = (q + interval '3 months - 1 day')::date))
       + (SELECT count(*) FROM crm.sales_targets WHERE period_start NOT IN ('2026-01-01', '2026-04-01', '2026-07-01'))
       + (SELECT count(*) FROM crm.sales_targets t
          WHERE t.period_start < '2026-07-01'
            AND t.target <> (SELECT sum(plan) FROM crm.daily_plans p WHERE p.seller_id = t.seller_id
                               AND p.indicator = 'revenue' AND p.day BETWEEN t.period_start AND t.period_end))
UNION ALL
SELECT 'every deal''s close-date history starts when it was created, without an old date, and chains',
       count(*) FILTER (WHERE n = 1 AND (old_close_date IS NOT NULL OR changed_at <> created_at))
       + count(*) FILTER (WHERE n > 1 AND (old_close_date IS DISTINCT FROM prev_new OR old_close_date = new_close_date))
       + (SELECT count(*) FROM crm.deals d WHERE NOT EXISTS (SELECT FROM crm.close_date_changes c WHERE c.deal_id = d.deal_id))
FROM (SELECT c.*, d.created_at, row_number() OVER w AS n, lag(c.new_close_date) OVER w AS prev_new
      FROM crm.close_date_changes c JOIN crm.deals d USING (deal_id)
      WINDOW w AS (PARTITION BY c.deal_id ORDER BY c.changed_at)) x
UNION ALL
SELECT 'close dates change only while the deal is open',
       count(*) FILTER (WHERE c.changed_at < d.created_at OR c.changed_at >= d.closed_at OR c.changed_at > crm.as_of())
FROM crm.close_date_changes c JOIN crm.deals d USING (deal_id)
UNION ALL
SELECT 'close dates move later more often than earlier, both happen',
       (count(*) FILTER (WHERE new_close_date > old_close_date) <= count(*) FILTER (WHERE new_close_date < old_close_date)
        OR count(*) FILTER (WHERE new_close_date < old_close_date) < 50)::int
FROM crm.close_date_changes
UNION ALL
SELECT 'a won deal''s last expected close is within two days of its close',
       count(*) FILTER (WHERE abs(l.new_close_date - d.closed_at::date) > 2)
FROM crm.deals d
CROSS JOIN LATERAL (SELECT new_close_date FROM crm.close_date_changes c WHERE c.deal_id = d.deal_id
                    ORDER BY changed_at DESC LIMIT 1) l
WHERE d.status = 'won'
UNION ALL
SELECT 'every deal has one created event when it was created',
       count(*) FILTER (WHERE (SELECT count(*) FROM crm.events e
                               WHERE e.deal_id = d.deal_id AND e.event = 'created' AND e.at = d.created_at) <> 1)
FROM crm.deals d
UNION ALL
SELECT 'events: the six steps and two noise kinds',
       (count(DISTINCT event) <> 8
        OR count(*) FILTER (WHERE event NOT IN ('created', 'qualified', 'meeting_held', 'proposal_sent',
                                                'contract_signed', 'paid', 'email_opened', 'site_visit')) > 0)::int
FROM crm.events
UNION ALL
SELECT 'some events share a deal and a timestamp',
       (count(*) < 50)::int
FROM (SELECT deal_id, at FROM crm.events GROUP BY 1, 2 HAVING count(*) > 1) s
UNION ALL
SELECT 'some events arrive out of time order',
       (count(*) FILTER (WHERE at < prev_at) < 50)::int
FROM (SELECT at, lag(at) OVER (ORDER BY event_id) AS prev_at FROM crm.events) e
UNION ALL
SELECT 'some step events are logged before the previous step (returns, clock skew)',
       (count(*) < 50)::int
FROM (SELECT e.*, array_position('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}', e.event) AS k
      FROM crm.events e) a
JOIN (SELECT e.*, array_position('{created,qualified,meeting_held,proposal_sent,contract_signed,paid}', e.event) AS k
      FROM crm.events e) b ON b.deal_id = a.deal_id AND b.k = a.k + 1 AND b.at < a.at;
SQL
) || fail "the invariant queries failed"
while IFS='|' read -r name bad; do
	[ -n "$name" ] || continue
	if [ "$bad" != 0 ]; then
		fail "$name ($bad)"
	else
		echo "ok: $name"
	fi
done <<<"$checks"

[ "$failed" -eq 0 ] && echo "sample data: all checks passed"
exit "$failed"
