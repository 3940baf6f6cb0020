#!/usr/bin/env bash
# On Citus: a coordinator and two workers (throwaway clusters on private Unix
# sockets, no TCP, shared_preload_libraries = 'citus'), funnel installed on
# the coordinator and propagated to the workers.  The coordinator holds the
# same deterministic rows twice (test/sql/citus_data.sql): in tables
# distributed by deal over 8 shards (plans by seller, the stages as a
# reference table) and in plain tables.  Each check of
# test/sql/citus_queries.sql (every aggregate of the extension ungrouped,
# grouped by the distribution column, by another column, by month and in two
# levels; every report function; distributed rollup tables kept with INSERT
# ... ON CONFLICT DO UPDATE and the merges) runs on both and must give the
# same text, and the EXPLAIN (VERBOSE) of the distributed run must show the
# aggregation in the queries Citus sends to the shards, not a gather of rows
# (the classifier is test/sql/citus_classify.sql; its controls must read as
# a gather and as pushed down).  test/sql/citus_coverage.sql checks that the
# checks call every aggregate (all five shapes) and every report function.
# Then the faults: a third worker is added and the shards rebalanced onto it
# (results again equal); a worker is stopped (a query fails with a clean
# ERROR, the coordinator stays up) and started again (results again equal).
# Prints "ok: ..." or "FAILED: ..." (with a diff or the plan) per check and
# the counts; exits non-zero on any failure.
#
# Needs Citus for the PostgreSQL under test (../shared/citus/build installs
# it from the sources beside the project): without the sources the suite is
# skipped; with them but Citus not installed it is skipped too, except under
# CI=true, where it fails.  Run by test/run-tests (which has installed this
# build of funnel); uses its own clusters, not the test command's.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
find_pg_config
sql=$FUNNEL_ROOT/test/sql
major=$(pg_major "$PG_CONFIG")
citus_src=$(cd "$FUNNEL_ROOT/.." && pwd)/shared/citus

if [ ! -f "$("$PG_CONFIG" --sharedir)/extension/citus.control" ] || [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
	if [ ! -d "$citus_src" ]; then
		echo "skipped: no Citus sources"
		exit 0
	fi
	if [ "${CI:-}" = true ]; then
		echo "FAILED: Citus is not installed for PostgreSQL $major, and its sources are in $citus_src:"
		echo "  CI must build it first: as root, PG_CONFIG=$PG_CONFIG $citus_src/build --deps"
		exit 1
	fi
	echo "skipped: Citus is not installed for PostgreSQL $major; to install it from $citus_src, as root:"
	echo "  PG_CONFIG=$PG_CONFIG $citus_src/build --deps"
	exit 0
fi

t0=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-citus.XXXXXX")
chmod 755 "$work"
nodes=(coord w1 w2 w3)
cleanup() {
	local n
	for n in "${nodes[@]}"; do
		[ -d "$work/$n/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$work/$n/data" -m immediate stop >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT

checks_ok=0
checks_failed=0
failures=()
ok() {
	echo "ok: $*"
	checks_ok=$((checks_ok + 1))
}
bad() {
	local m="$*"
	echo "FAILED: $m"
	checks_failed=$((checks_failed + 1))
	failures+=("${m:0:200}")
}
phase() { echo "--- $* ($(($(date +%s) - t0)) s)"; }

# each node: its own socket directory (also its citus.local_hostname: Citus
# connects to itself there, not to localhost over TCP) and port
declare -A host port
p=5451
for n in "${nodes[@]}"; do
	host[$n]=$work/$n
	port[$n]=$p
	p=$((p + 1))
done

node_init() {
	local n=$1
	init_data_dir "${host[$n]}" || return 1
	cat >>"${host[$n]}/data/postgresql.conf" <<-EOF
		port = ${port[$n]}
		listen_addresses = ''
		unix_socket_directories = '${host[$n]}'
		shared_preload_libraries = 'citus'
		citus.local_hostname = '${host[$n]}'
		citus.enable_statistics_collection = off
		shared_buffers = 16MB
		max_connections = 60
		fsync = off
		jit = off
		timezone = 'UTC'
	EOF
}
# the server must not inherit descriptors such as a caller's flock(1) lock
node_start() {
	local n=$1
	(close_inherited_fds; as_owner "$PG_BIN/pg_ctl" -D "${host[$n]}/data" -l "${host[$n]}/server.log" -w start >/dev/null) ||
		{ tail -n 20 "${host[$n]}/server.log"; return 1; }
}
node_stop() {
	as_owner "$PG_BIN/pg_ctl" -D "${host[$1]}/data" -m fast -w stop >/dev/null
}

# cq NODE [psql args...]: psql on a node's database postgres
cq() {
	local n=$1
	shift
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "${host[$n]}" -p "${port[$n]}" -U postgres -d postgres "$@"
}

phase "starting a coordinator and three workers (the third joins later)"
# side by side: initdb is most of the start-up time
pids=()
for n in "${nodes[@]}"; do
	(node_init "$n" && node_start "$n") &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid" || { echo "FAILED: a node did not start"; exit 1; }
done
for n in "${nodes[@]}"; do
	cq "$n" -c 'CREATE EXTENSION citus' || { echo "FAILED: CREATE EXTENSION citus on $n"; exit 1; }
done
cq coord -At -c "SELECT citus_version()"
cq coord -o /dev/null -c "SELECT citus_set_coordinator_host('${host[coord]}', ${port[coord]})" \
	-c "SELECT citus_add_node('${host[w1]}', ${port[w1]})" -c "SELECT citus_add_node('${host[w2]}', ${port[w2]})" ||
	{ echo "FAILED: adding the workers"; exit 1; }
cq coord -c 'CREATE EXTENSION funnel' || { echo "FAILED: CREATE EXTENSION funnel"; exit 1; }
for n in w1 w2; do
	v=$(cq "$n" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'funnel'")
	if [ -n "$v" ]; then ok "CREATE EXTENSION funnel propagated to $n (version $v)"; else bad "funnel is not installed on $n"; fi
done

phase "loading the data, the classifier and the rollups"
cq coord -o /dev/null -f "$sql/citus_data.sql" || { echo "FAILED: loading test/sql/citus_data.sql"; exit 1; }
cq coord -o /dev/null -f "$sql/citus_classify.sql" || { echo "FAILED: loading test/sql/citus_classify.sql"; exit 1; }
PGOPTIONS='-c client_min_messages=warning -c search_path=dist,public' \
	psql -X -q -v ON_ERROR_STOP=1 -h "${host[coord]}" -p "${port[coord]}" -U postgres -d postgres -o /dev/null \
	-v distribute=on -f "$sql/citus_rollup.sql" || { echo "FAILED: the distributed rollups"; exit 1; }
PGOPTIONS='-c client_min_messages=warning -c search_path=single,public' \
	psql -X -q -v ON_ERROR_STOP=1 -h "${host[coord]}" -p "${port[coord]}" -U postgres -d postgres -o /dev/null \
	-v distribute=off -f "$sql/citus_rollup.sql" || { echo "FAILED: the local rollups"; exit 1; }
cq coord -At -F ' ' -c "SELECT table_name, citus_table_type, distribution_column, shard_count FROM citus_tables ORDER BY 1" |
	sed 's/^/table: /'

# the checks, one file each: $work/q/NAME.sql, their names in order in $work/names;
# "-- overloads: PREFIX" written out as a query of the window funnel's eleven
# overload calls (see the file's header)
mkdir -p "$work/q"
awk -v dir="$work/q" '
	BEGIN { split("visit signup demo trial quote order pay renew churn call", kinds, " ") }
	/^-- @ / {
		name = $3
		if (name !~ /^[a-z0-9_]+$/ || name in seen) { print "bad or repeated check name: " name > "/dev/stderr"; exit 1 }
		seen[name] = 1
		file = dir "/" name ".sql"
		print name > (dir "/../names")
		next
	}
	name != "" && /^-- overloads: / {
		prefix = substr($0, 15)
		conds = ""
		print "SELECT" > file
		for (k = 1; k <= 10; k++) {
			conds = conds (k > 1 ? ", " : " ") "kind = \047" kinds[k] "\047"
			print "       " prefix conds ") AS steps_" k "," > file
		}
		print "       " prefix " VARIADIC ARRAY[s1, s2, s3, s4]) AS steps_array" > file
		print "FROM events;" > file
		next
	}
	name != "" && !/^--/ { print > file }
' "$sql/citus_queries.sql" || exit 1
mapfile -t names <"$work/names"
echo "${#names[@]} checks in test/sql/citus_queries.sql"

# script SIDE OUTDIR: every check's query on the tables of schema SIDE, each
# output (or its error) into OUTDIR/NAME
script() {
	local side=$1 out=$2 name
	mkdir -p "$out"
	printf '%s\n' '\pset format unaligned' '\pset tuples_only on' "\\pset null '(null)'" "SET search_path = $side, public;"
	for name in "${names[@]}"; do
		printf '\\o %s\n' "$out/$name"
		cat "$work/q/$name.sql"
		printf '%s\n' '\if :ERROR' '\qecho ERROR: :LAST_ERROR_MESSAGE' '\endif'
	done
	printf '\\o\n'
}
# run_script FILE: on the coordinator, going on after errors (each is in its output)
run_script() {
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -h "${host[coord]}" -p "${port[coord]}" -U postgres -d postgres \
		-f "$1" >"$1.log" 2>&1
}

# compare LABEL DISTDIR: each check's distributed output against the local one
compare() {
	local label=$1 dist=$2 name rows
	for name in "${names[@]}"; do
		if grep -q '^ERROR: ' "$dist/$name" "$work/single/$name" 2>/dev/null || [ ! -s "$dist/$name" ] || [ ! -s "$work/single/$name" ]; then
			bad "$name$label: the query failed or returned nothing"
			grep -h '^ERROR: ' "$work/single/$name" "$dist/$name" 2>/dev/null | sed 's/^/  /' | head -n 3
		elif cmp -s "$dist/$name" "$work/single/$name"; then
			rows=$(wc -l <"$dist/$name")
			ok "$name$label: distributed = local ($rows rows)"
		else
			bad "$name$label: distributed and local results differ (diff local distributed):"
			diff "$work/single/$name" "$dist/$name" | cut -c 1-300 | head -n 12
		fi
	done
}

phase "the checks on the local tables and on the distributed tables"
script single "$work/single" >"$work/single.sql"
script dist "$work/dist1" >"$work/dist1.sql"
run_script "$work/single.sql"
run_script "$work/dist1.sql"
compare "" "$work/dist1"

phase "where the distributed queries aggregate (EXPLAIN VERBOSE)"
{
	printf '%s\n' '\pset format unaligned' '\pset tuples_only on' 'SET search_path = dist, public;'
	for name in "${names[@]}"; do
		printf '\\o %s\n' "$work/plan/$name"
		printf 'SELECT chk.plan($chk$\n%s\n$chk$);\n' "$(sed 's/;[[:space:]]*$//' "$work/q/$name.sql")"
		printf '%s\n' '\if :ERROR' '\qecho verdict: ERROR: :LAST_ERROR_MESSAGE' '\endif'
	done
	printf '\\o\n'
} >"$work/plans.sql"
mkdir -p "$work/plan"
run_script "$work/plans.sql"
for name in "${names[@]}"; do
	verdict=$(sed -n '1s/^verdict: //p' "$work/plan/$name" 2>/dev/null)
	case $name in
	ctl_gather*) want=gather ;;
	# Citus refuses a polymorphic aggregate's partial aggregation (its type
	# check wants the declared argument types): window_funnel_values is called
	# with ORDER BY there, and gathered
	wfv*_all | wfv*_other | wfv*_month) want=gather ;;
	rollup_*_rows) want=rows ;;
	*) want=pushed ;;
	esac
	if [ "${verdict%%:*}" = "$want" ]; then
		ok "$name: plan: ${verdict:0:160}"
	else
		bad "$name: plan: ${verdict:-(no plan)}; wanted $want. The plan:"
		sed 1d "$work/plan/$name" 2>/dev/null | cut -c 1-300 | head -n 30
	fi
done

# Informational, never asserted (PRODUCT.md: timings belong to the benchmark):
# how long a few checks take on the distributed and on the local tables (the
# median of 5 runs, psql's \timing; Citus cannot EXPLAIN ANALYZE a partial
# aggregate, whose worker results are cstring), for docs/guides/scale-out.md.
# On one machine the workers share its cores.
phase "an ordinary role, and why EXECUTE on the support functions stays PUBLIC"
# Citus checks the calling role's EXECUTE on each support function of an
# aggregate it splits into partial aggregates (worker_partial_agg,
# coord_combine_agg), where PostgreSQL checks the aggregate owner's: an
# ordinary role runs window_funnel grouped by a column other than the
# distribution column, and fails once EXECUTE on its combine function is
# revoked from PUBLIC (docs/reference/support.md)
cq coord -o /dev/null -c "CREATE ROLE funnel_analyst LOGIN" -c "GRANT USAGE ON SCHEMA dist TO funnel_analyst" \
	-c "GRANT SELECT ON ALL TABLES IN SCHEMA dist TO funnel_analyst" || bad "could not create the ordinary role"
as_analyst() {
	PGOPTIONS='-c client_min_messages=warning -c search_path=dist,public' psql -X -q -At -v ON_ERROR_STOP=1 \
		-h "${host[coord]}" -p "${port[coord]}" -U funnel_analyst -d postgres "$@" 2>&1
}
out=$(as_analyst -f "$work/q/wf_i_other.sql")
if [ "$out" = "$(cat "$work/single/wf_i_other")" ]; then
	ok "an ordinary role runs wf_i_other's partial aggregates: the local result"
else
	bad "an ordinary role's wf_i_other differs from the local result: $(head -c 300 <<<"$out")"
fi
out=$(cq coord -At -c "BEGIN" \
	-c "REVOKE EXECUTE ON FUNCTION window_funnel_combine(window_funnel_state, window_funnel_state) FROM PUBLIC" \
	-c "SET LOCAL ROLE funnel_analyst" -c "SET LOCAL search_path = dist, public" -f "$work/q/wf_i_other.sql" 2>&1)
if grep -q 'permission denied for function window_funnel_combine' <<<"$out"; then
	ok "with EXECUTE on window_funnel_combine revoked from PUBLIC, Citus refuses the ordinary role: $(grep -m1 'ERROR' <<<"$out" | cut -c 1-120)"
else
	bad "with EXECUTE on window_funnel_combine revoked from PUBLIC the ordinary role was not refused as documented: $(head -c 300 <<<"$out")"
fi

phase "timings (information only)"
for name in wf_i_other wf_i_two chain_other history_other velocity_other funnel_other; do
	[ -f "$work/q/$name.sql" ] || continue
	for schema in dist single; do
		ms=$(for i in 1 2 3 4 5; do
			cq coord -At -c "SET search_path = $schema, public" -c '\timing on' -f "$work/q/$name.sql" 2>/dev/null |
				sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
		done | sort -g | sed -n 3p)
		printf 'timing: %s on %s: %s ms\n' "$name" "$schema" "${ms:-?}"
	done
done

phase "coverage: every aggregate in every shape, every report function"
{
	# a view of the query as a subquery (its columns need no unique names);
	# Citus warns that it keeps temporary views on the coordinator
	printf '%s\n' 'SET client_min_messages = error;' 'SET search_path = single, public;'
	for name in "${names[@]}"; do
		printf 'CREATE TEMP VIEW chk_%s AS SELECT FROM (\n%s\n) q;\n' "$name" "$(sed 's/;[[:space:]]*$//' "$work/q/$name.sql")"
	done
	printf '\\i %s\n' "$sql/citus_coverage.sql"
} >"$work/coverage.sql"
if cq coord -At -f "$work/coverage.sql" >"$work/coverage.out" 2>&1; then
	grep '^covered: ' "$work/coverage.out"
	if grep -q '^missing: ' "$work/coverage.out"; then
		while read -r line; do bad "coverage: $line"; done < <(grep '^missing: ' "$work/coverage.out")
	else
		ok "coverage: the checks call every aggregate of the extension in all five shapes, and every report function"
	fi
else
	bad "coverage: test/sql/citus_coverage.sql failed"
	tail -n 5 "$work/coverage.out"
fi

phase "fault: a third worker and a rebalance"
# block_writes: shards moved by COPY (logical replication would need
# wal_level = logical and a replica identity on every table); a job that
# keeps failing would be retried for ever, so the wait has a timeout
if cq coord -o /dev/null -c "SELECT citus_add_node('${host[w3]}', ${port[w3]})" \
	-c "SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes')" \
	-c "SET statement_timeout = '120s'" -c 'SELECT citus_rebalance_wait()'; then
	moved=$(cq coord -At -c "SELECT count(*) FROM citus_shards
		WHERE nodename = '${host[w3]}' AND nodeport = ${port[w3]} AND citus_table_type = 'distributed'")
	spread=$(cq coord -At -c "SELECT string_agg(regexp_replace(nodename, '^.*/', '') || ' ' || n, ', ' ORDER BY nodename)
		FROM (SELECT nodename, count(*) AS n FROM citus_shards WHERE citus_table_type = 'distributed' GROUP BY 1) s")
	if [ "${moved:-0}" -gt 0 ]; then
		ok "rebalance: $moved distributed shards moved to the third worker (shards per node: $spread)"
	else
		bad "rebalance: no shard moved to the third worker (shards per node: $spread)"
	fi
else
	bad "rebalance: adding the third worker or rebalancing failed"
fi
script dist "$work/dist2" >"$work/dist2.sql"
run_script "$work/dist2.sql"
compare " (after the rebalance)" "$work/dist2"

phase "fault: a worker stopped"
node_stop w1 || bad "could not stop worker w1"
fault_q='SELECT team, funnel_conversion(stage) FROM dist.visits GROUP BY team ORDER BY 1'
out=$(cq coord -c "$fault_q" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q '^ERROR: ' <<<"$out"; then
	ok "with worker w1 stopped the query fails cleanly (psql exit $rc): $(grep -m1 '^ERROR: ' <<<"$out" | cut -c 1-160)"
else
	bad "with worker w1 stopped the query did not fail with an ERROR (psql exit $rc): $(head -c 300 <<<"$out")"
fi
if [ "$(cq coord -At -c 'SELECT 1' 2>&1)" = 1 ]; then
	ok "the coordinator still answers (SELECT 1) with worker w1 stopped"
else
	bad "the coordinator does not answer after the failed query"
	tail -n 20 "${host[coord]}/server.log"
fi
node_start w1 || bad "could not start worker w1 again"
script dist "$work/dist3" >"$work/dist3.sql"
run_script "$work/dist3.sql"
compare " (worker w1 restarted)" "$work/dist3"

phase "done"
# the failures again at the end, one line each: test/run-tests shows a
# failed suite's last lines
[ ${#failures[@]} -eq 0 ] || printf 'FAILED: %s\n' "${failures[@]}"
echo "citus suite: $((checks_ok + checks_failed)) checks, $checks_ok ok, $checks_failed failed, in $(($(date +%s) - t0)) s"
[ "$checks_failed" -eq 0 ]
