# Optional section of the benchmark: DuckDB running wf30's plain SQL
# (queries/wf30.base.sql, window functions) over the same events, at 1
# thread and at each number of workers of --workers, its levels checked
# against ours.  DuckDB comes from npm (@duckdb/node-api, which ships its
# own library), installed once into ~/.cache/funnel-bench/duckdb (or
# $FUNNEL_BENCH_CACHE/duckdb); without node and npm the section is skipped.
# Sourced by test/bench/run, which provides sql, say, work, reps and
# workers.

duckdb_package=@duckdb/node-api@1.5.6-r.1
duckdb_cache=${FUNNEL_BENCH_CACHE:-$HOME/.cache/funnel-bench}/duckdb

# duckdb_install LOG: the package of duckdb_package in duckdb_cache
duckdb_install() {
	local want=${duckdb_package##*@} have
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		say "bench: no node or npm (apt-get install nodejs npm): DuckDB skipped"
		return 1
	fi
	have=$(node -p "require('$duckdb_cache/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null)
	[ "$have" = "$want" ] && return 0
	say "bench: installing $duckdb_package into $duckdb_cache"
	mkdir -p "$duckdb_cache"
	npm install --prefix "$duckdb_cache" --no-audit --no-fund --loglevel=error "$duckdb_package" >"$1" 2>&1 ||
		{ cat "$1" >&2; say "bench: npm install $duckdb_package failed: DuckDB skipped"; return 1; }
}

# duckdb_bench DIR RESULTS LEVELS: one line per number of threads,
# threads|median ms|the same levels above 0 as LEVELS (ours; yes/no).  The
# events are those of bench_events_timeline, in its (deal_id, ts) order,
# the order of ClickHouse's table.
duckdb_bench() {
	local dir=$1 out=$2 ours=$3 threads=1 w n ms
	for w in $workers; do
		[ "$w" -gt 1 ] && threads="$threads $w"
	done
	mkdir -p "$dir"
	duckdb_install "$dir/npm.log" || return 1
	sql -c "\\copy (SELECT deal_id, ts AT TIME ZONE 'UTC', event FROM bench_events_timeline ORDER BY deal_id, ts)
		TO '$dir/events.csv' WITH (FORMAT csv)" >/dev/null || return 1
	# shellcheck disable=SC2086 # one argument per number of threads
	node "$BENCH/duckdb.cjs" "$duckdb_cache" "$dir/events.csv" "$BENCH/queries/wf30.base.sql" "$reps" "$dir" $threads \
		>"$dir/times" || return 1
	rm -f "$dir/events.csv"
	awk -F'|' '$1 > 0' "$ours" >"$dir/ours"
	while IFS='|' read -r n ms; do
		printf '%s|%s|%s\n' "$n" "$ms" "$(cmp -s "$dir/levels.$n" "$dir/ours" && echo yes || echo no)" >>"$out"
	done <"$dir/times"
}
