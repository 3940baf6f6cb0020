#!/usr/bin/env bash
# Across nodes: three throwaway clusters on private Unix sockets (a
# coordinator and two data nodes, no TCP).  The coordinator holds the whole
# sample dataset; each data node holds half of it, split by deal (plans split
# by seller and day, so a seller's days and the same day of several sellers
# sit on both nodes).  The coordinator computes partial funnel, velocity and
# attainment values on each data node through postgres_fdw (extensions
# 'funnel' on the foreign servers, so the aggregates run remotely: checked
# with EXPLAIN VERBOSE), merges them and checks the result equals the
# single-node result exactly (same text form).  Run by test/run-tests.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
find_pg_config
sql=$FUNNEL_ROOT/test/sql
db=funnel_nodes

work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-nodes.XXXXXX")
chmod 755 "$work"
nodes=(coord node1 node2)
cleanup() {
	local n
	for n in "${nodes[@]}"; do
		stop_cluster "$work/$n"
	done
	rm -rf "$work"
}
trap cleanup EXIT

# each node: its own socket directory and port; nothing listens on TCP
declare -A host port
p=5441
for n in "${nodes[@]}"; do
	host[$n]=$work/$n
	port[$n]=$p
	p=$((p + 1))
done
# started side by side: initdb is most of the start-up time
pids=()
for n in "${nodes[@]}"; do
	(PGPORT=${port[$n]} start_cluster "${host[$n]}") &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid" || exit 1
done
unset PGHOST PGPORT PGDATABASE
export PGUSER=postgres

# q NODE [psql args...]
q() {
	local n=$1
	shift
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "${host[$n]}" -p "${port[$n]}" "$@"
}

start=$(date +%s)
for n in "${nodes[@]}"; do
	q "$n" -d postgres -c "CREATE DATABASE $db" || exit 1
	q "$n" -d "$db" -c 'CREATE EXTENSION funnel' || exit 1
done
q coord -d "$db" -f "$FUNNEL_ROOT/test/sample/crm.sql" || { echo "FAIL: loading the sample data"; exit 1; }
echo "sample data loaded on the coordinator in $(($(date +%s) - start)) s"

# the data nodes get the same tables, then their share of the rows: the small
# lookup tables whole, the deal tables by deal, the plans by seller and day
schema=$(pg_dump -h "${host[coord]}" -p "${port[coord]}" -d "$db" --schema-only -n crm) || exit 1
declare -A share=(
	[funnels]=true [teams]=true [sellers]=true [funnel_stages]=true [indicators]=true
	[deals]='deal_id % 2 = @' [stage_history]='deal_id % 2 = @' [contacts]='deal_id % 2 = @'
	[events]='deal_id % 2 = @' [daily_plans]="(seller_id + (day - date '2026-01-01')) % 2 = @"
)
tables=(funnels teams sellers funnel_stages indicators deals stage_history contacts events daily_plans)
for i in 1 2; do
	n=node$i
	q "$n" -d "$db" <<<"$schema" >/dev/null || exit 1
	for t in "${tables[@]}"; do
		cond=${share[$t]//@/$((i - 1))}
		q coord -d "$db" -c "\\copy (SELECT * FROM crm.$t WHERE $cond) TO STDOUT" |
			q "$n" -d "$db" -c "\\copy crm.$t FROM STDIN" || exit 1
	done
done
for n in "${nodes[@]}"; do
	q "$n" -d "$db" -f "$sql/nodes_views.sql" -c 'ANALYZE' || exit 1
done

# the split is a partition: every row on exactly one data node
for t in deals stage_history contacts events daily_plans; do
	a=$(q coord -d "$db" -At -c "SELECT count(*) FROM crm.$t")
	b=$(q node1 -d "$db" -At -c "SELECT count(*) FROM crm.$t")
	c=$(q node2 -d "$db" -At -c "SELECT count(*) FROM crm.$t")
	echo "crm.$t: $a rows = $b on node1 + $c on node2"
	{ [ "$b" -gt 0 ] && [ "$c" -gt 0 ] && [ $((b + c)) -eq "$a" ]; } || fail "crm.$t is not split across the data nodes"
done

q coord -d "$db" -v n1_host="${host[node1]}" -v n1_port="${port[node1]}" \
	-v n2_host="${host[node2]}" -v n2_port="${port[node2]}" -v db="$db" \
	-f "$sql/nodes_merge.sql" || exit 1

views=(funnel_per_team funnel_per_funnel velocity_per_funnel velocity_per_team
	attainment_per_seller attainment_per_team attainment_per_indicator)

# 1. pushdown: each merged view runs its aggregate on both data nodes
for v in "${views[@]}"; do
	plan=$(q coord -d "$db" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM dist.$v") || { fail "EXPLAIN dist.$v"; continue; }
	remote=$(grep -cE 'Remote SQL: SELECT .*\.(funnel_conversion|stage_velocity|plan_attainment)\(.* GROUP BY ' <<<"$plan")
	if [ "$remote" -ne 2 ]; then
		fail "dist.$v: the aggregate is not in the Remote SQL of both data nodes"
		echo "$plan"
	else
		echo "ok: dist.$v computes its partials on node1 and node2"
	fi
done
grep -E 'Remote SQL' <<<"$plan" | head -n 1

# the control: without extensions 'funnel' postgres_fdw must fetch the rows
plan=$(q coord -d "$db" -c 'EXPLAIN (VERBOSE, COSTS OFF) SELECT funnel_conversion(reached) FROM node1_plain.deal_reached') || fail "EXPLAIN node1_plain"
if grep -qE 'Remote SQL: .*funnel_conversion' <<<"$plan" || ! grep -q 'Remote SQL' <<<"$plan"; then
	fail "without extensions 'funnel' the aggregate was pushed down (or no remote scan)"
	echo "$plan"
else
	echo "ok: without extensions 'funnel' the rows travel to the coordinator"
fi

# 2. merged = single-node, row for row, in text form
for v in "${views[@]}"; do
	res=$(q coord -d "$db" -At -F ' ' -c "
		SELECT (SELECT count(*) FROM ((SELECT t::text FROM single.$v t EXCEPT ALL SELECT t::text FROM dist.$v t)
		                              UNION ALL
		                              (SELECT t::text FROM dist.$v t EXCEPT ALL SELECT t::text FROM single.$v t)) x),
		       (SELECT count(*) FROM single.$v),
		       (SELECT count(*) FROM single.$v t WHERE NOT (t IS NOT NULL))") || { fail "comparing $v"; continue; }
	read -r bad rows nulls <<<"$res"
	if [ "$bad" != 0 ] || [ "$rows" -lt 2 ] || [ "$nulls" != 0 ]; then
		fail "$v: $bad rows differ between merged and single-node ($rows rows, $nulls with NULLs)"
		q coord -d "$db" -c "SELECT 'single' AS side, t::text FROM single.$v t UNION ALL SELECT 'merged', t::text FROM dist.$v t ORDER BY 2, 1" | head -n 20
	else
		echo "ok: $v: merged across nodes = single node ($rows rows)"
	fi
done

# what the merged funnel looks like (for the log)
q coord -d "$db" -c "SELECT team_id, s.* FROM dist.funnel_per_team, funnel_steps(f) s WHERE team_id = 1"

echo "nodes suite took $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ] && echo "nodes: all checks passed"
exit "$failed"
