#!/usr/bin/env bash
# The ready-made BI queries of the README (test/sql/bi/*.sql: Grafana panels
# and Metabase questions) on the sample data: with the tool's macros and
# variables filled in the way Grafana and Metabase do, each query runs,
# returns rows, returns only plain column types (psql \gdesc), and its numbers
# agree with the same figures computed in plain SQL.  Run by test/run-tests
# with PGHOST, PGPORT and PGUSER set to its throwaway cluster.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
db=funnel_bi
export PGOPTIONS='-c client_min_messages=warning -c timezone=UTC' PGDATABASE=$db

admin() { q -d postgres "$@"; }
not_theirs db "$db" || exit 1
trap 'admin -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
fresh_db "$db" || exit 1
q -c 'CREATE EXTENSION funnel' || exit 1
q -f "$root/test/sample/crm.sql" || { echo "FAIL: loading the sample data"; exit 1; }

# the SQL a tool sends: Grafana's macros for the range 2025-07-01 .. 2026-07-01
# and its dashboard variables; Metabase's variables with the optional clauses
# kept (all) or dropped (none); comments and the final semicolon removed
render() {
	local file=$1 mode=$2
	case $mode in
	grafana)
		sed -e "s/\\\$__timeFilter(\\([^)]*\\))/\\1 BETWEEN '2025-07-01T00:00:00Z' AND '2026-07-01T00:00:00Z'/g" \
			-e "s/\\\$__timeFrom()/'2025-07-01T00:00:00Z'/g" -e "s/\\\$__timeTo()/'2026-07-01T00:00:00Z'/g" \
			-e 's/\$funnel/1/g' -e 's/\$indicator/revenue/g' "$file" ;;
	metabase-all)
		sed -e 's/\[\[//g' -e 's/\]\]//g' "$file" | metabase_vars ;;
	metabase-none)
		sed -e 's/\[\[[^]]*\]\]//g' "$file" | metabase_vars ;;
	esac | sed -e '/^--/d' -e 's/;[[:space:]]*$//'
}
metabase_vars() {
	sed -e "s/{{from}}/DATE '2026-01-01'/g" -e "s/{{to}}/DATE '2026-06-30'/g" -e 's/{{funnel}}/1/g' \
		-e "s/{{indicator}}/'revenue'/g" -e "s/{{team}}/'Enterprise'/g"
}

plain='integer|bigint|double precision|numeric|text|timestamp with time zone|date|boolean'

# check NAME MODE [SQL counting mismatches against the rendered query as q]
check() {
	local name=$1 mode=$2 cross=${3:-} sqltext desc rows bad before=$failed
	failed=0
	sqltext=$(render "$root/test/sql/bi/$name.sql" "$mode")
	grep -qE '\$__|\$[a-z]|\{\{|\[\[' <<<"$sqltext" && { fail "$name ($mode): a macro or variable is left"; return; }
	desc=$(printf '%s\n\\gdesc\n' "$sqltext" | q -At -F '|') || { fail "$name ($mode): \\gdesc failed"; return; }
	bad=$(awk -F '|' -v ok="^($plain)\$" '$2 !~ ok { print $1 " " $2 }' <<<"$desc")
	[ -z "$bad" ] || fail "$name ($mode): columns that are not plain: $bad"
	rows=$(q -At -c "SELECT count(*) FROM ($sqltext) q") || { fail "$name ($mode): the query failed"; return; }
	[ "$rows" -gt 0 ] || fail "$name ($mode): no rows"
	if [ -n "$cross" ]; then
		bad=$(q -At -c "WITH q AS ($sqltext) $cross") || { fail "$name ($mode): the cross-check failed"; return; }
		[ "$bad" = 0 ] || fail "$name ($mode): $bad values differ from plain SQL"
	fi
	[ "$failed" -eq 0 ] && echo "ok: $name ($mode): $rows rows, columns $(cut -d'|' -f2 <<<"$desc" | sort -u | paste -sd, -)"
	[ "$before" -eq 0 ] || failed=1
}

# deepest position per deal, for the plain-SQL figures
q <<'SQL' || exit 1
CREATE TABLE deal_max AS
SELECT d.deal_id, d.funnel_id, d.created_at, d.status, t.name AS team, max(stage_position(h.stage)) AS mp
FROM crm.deals d JOIN crm.sellers s USING (seller_id) JOIN crm.teams t USING (team_id)
JOIN crm.stage_history h USING (deal_id)
GROUP BY 1, 2, 3, 4, 5;
SQL

funnel_cross() { # $1 $2: the creation range
	echo "SELECT count(*) FROM q WHERE q.reached <> (SELECT count(*) FROM deal_max m WHERE m.team = q.team
	      AND m.mp >= q.position AND m.created_at >= $1 AND m.created_at < $2)"
}
check grafana_funnel_per_team grafana "$(funnel_cross "'2025-07-01T00:00:00Z'" "'2026-07-01T00:00:00Z'")"
check metabase_funnel_per_team metabase-all "$(funnel_cross "DATE '2026-01-01'" "DATE '2026-06-30'")"
check metabase_funnel_per_team metabase-none "$(funnel_cross "'-infinity'" "'infinity'")"

check grafana_cohort_conversion grafana "
	SELECT count(*) FROM q
	JOIN crm.funnel_stages st ON st.funnel_id = 1 AND stage_name(st.stage) = q.metric
	WHERE abs(q.value - (SELECT count(*) FILTER (WHERE m.mp >= stage_position(st.stage))::float8 / count(*)
	                     FROM deal_max m WHERE m.funnel_id = 1
	                       AND date_trunc('week', m.created_at, 'UTC') = q.time)) > 1e-12
	   OR q.metric IS NULL"
for mode in metabase-all metabase-none; do
	check metabase_cohort_conversion "$mode" "
		SELECT count(*) FROM q
		JOIN (SELECT date_trunc('week', created_at, 'UTC')::date AS week, count(*) AS deals,
		             count(*) FILTER (WHERE status = 'open') AS still_open,
		             count(*) FILTER (WHERE status = 'won')::float8 / count(*) AS win_rate,
		             count(*) FILTER (WHERE mp >= 2)::float8 / count(*) AS qualified_rate
		      FROM deal_max WHERE funnel_id = 1 GROUP BY 1) p USING (week)
		WHERE q.deals <> p.deals OR q.still_open <> p.still_open
		   OR abs(q.win_rate - p.win_rate) > 1e-12 OR abs(q.qualified_rate - p.qualified_rate) > 1e-12"
done

velocity_cross() { # $1 the first entry time, $2 the column holding the exits
	echo "SELECT count(*) FROM q
	      WHERE q.$2 <> (SELECT count(*) FROM crm.stage_history h JOIN crm.deals d USING (deal_id)
	                     WHERE d.funnel_id = 1 AND h.left_at IS NOT NULL AND h.entered_at >= $1
	                       AND h.entered_at < '2026-07-01T00:00:00Z' AND stage_name(h.stage) = q.stage)"
}
check grafana_time_in_stage grafana "$(velocity_cross "'2025-07-01T00:00:00Z'" '"visits ended"')"
check metabase_time_in_stage metabase-all "$(velocity_cross "DATE '2026-01-01'" visits_ended)"
check metabase_time_in_stage metabase-none "$(velocity_cross "'-infinity'" visits_ended)"

attain_cross() { # $1 $2: the day range, $3: a team filter
	echo "SELECT count(*) + (SELECT count(*) FROM crm.sellers s JOIN crm.teams t USING (team_id)
	                         WHERE $3 AND s.name NOT IN (SELECT seller FROM q))
	      FROM q
	      JOIN (SELECT s.name AS seller, sum(p.actual) AS actual, sum(p.plan) AS plan,
	                   count(*) FILTER (WHERE p.actual >= p.plan) AS met, count(*) FILTER (WHERE p.actual < p.plan) AS missed
	            FROM crm.daily_plans p JOIN crm.sellers s USING (seller_id)
	            WHERE p.indicator = 'revenue' AND p.day >= $1 AND p.day <= $2
	            GROUP BY 1) p USING (seller)
	      WHERE q.actual <> p.actual OR q.plan <> p.plan OR q.days_met <> p.met OR q.days_missed <> p.missed
	         OR abs(q.ratio - (p.actual / nullif(p.plan, 0))::float8) > 1e-12"
}
check grafana_attainment_leaderboard grafana "$(attain_cross "DATE '2025-07-01'" "DATE '2026-07-01'" true)"
check metabase_attainment_leaderboard metabase-all "$(attain_cross "DATE '2026-01-01'" "DATE '2026-06-30'" "t.name = 'Enterprise'")"
check metabase_attainment_leaderboard metabase-none "$(attain_cross "'-infinity'" "'infinity'" true)"

[ "$failed" -eq 0 ] && echo "bi queries: all checks passed"
exit "$failed"
