# Optional section of the benchmark: ClickHouse's windowFunnel, and
# sequenceMatch and sequenceCount (case seq, seq.sh), on the same events, on a
# throwaway ClickHouse server of its own (Debian's clickhouse-server package;
# only when it is installed).  Sourced by test/bench/run, which provides sql,
# query, work, port and reps.

ch_port=$((port + 1000))
ch() { clickhouse-client --port "$ch_port" "$@"; }

# clickhouse_bench DIR RESULTS: one line per case and number of threads,
# name|median ms|same figures as ours (yes/no)|threads, timed with
# max_threads = 1 like our serial run, and wf30 also with 2 threads.
clickhouse_bench() {
	local dir=$1 out=$2 name window conds r i t threads
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files"
	cat >"$dir/config.xml" <<EOF
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/error.log</errorlog></logger>
  <tcp_port>$ch_port</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>1073741824</mark_cache_size>
</yandex>
EOF
	cat >"$dir/users.xml" <<EOF
<yandex>
  <profiles><default><max_threads>1</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
EOF
	clickhouse-server --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1 &
	ch_pid=$!
	for i in $(seq 1 60); do
		ch -q 'SELECT 1' >/dev/null 2>&1 && break
		sleep 0.5
	done
	ch -q 'SELECT 1' >/dev/null || { kill "$ch_pid"; cat "$dir/error.log" >&2; return 1; }
	ch -q 'SELECT version()' >"$dir/version"

	# seconds resolution: ClickHouse 18's DateTime has no fractions
	ch -q 'CREATE TABLE events (deal_id UInt64, ts DateTime, event String) ENGINE = MergeTree ORDER BY (deal_id, ts)'
	sql -c "\\copy (SELECT deal_id, extract(epoch FROM date_trunc('second', ts))::bigint, event FROM bench_events) TO STDOUT" |
		ch -q 'INSERT INTO events FORMAT TabSeparated'

	ch -q 'OPTIMIZE TABLE events FINAL'
	local names=
	have wfunnel3 && names="wfunnel3 wfunnel6"
	{ want_wf30 || [ -s "$seq_results" ]; } && names="$names wf30"
	[ -s "$seq_results" ] && names="$names $SEQ_CASES"
	for name in $names; do
		local three="event = 'created', event = 'qualified', event = 'meeting_held'" keep='WHERE level > 0'
		case $name in
			wfunnel3) window=$((5 * 86400)) conds=$three ;;
			wfunnel6) window=$((12 * 86400))
				conds="$three, event = 'proposal_sent', event = 'contract_signed', event = 'paid'" ;;
			wf30) window=$((30 * 86400)) conds=$three keep= ;;
		esac
		q="SELECT level, count() AS deals FROM (SELECT deal_id, windowFunnel($window)(ts, $conds) AS level
		   FROM events GROUP BY deal_id) $keep GROUP BY level ORDER BY level"
		[[ $name == seq_* ]] && q=$(seq_clickhouse_query "$name")
		# our figures on the same whole-second times, to check the levels agree
		{ echo "SET max_parallel_workers_per_gather = 0;"
		  case $name in
			wf30 | seq_*) wf30_query "$name" bench_events_timeline ;;
			*) query "$name.ours" ;;
		  esac | sed 's/ts,$/date_trunc('"'second'"', ts),/'
		  echo ';'; } | sql -q >"$dir/$name.pg"
		for threads in 1 $([ "$name" = wf30 ] && echo 2); do
			ch --max_threads "$threads" -q "$q" --format TabSeparated | tr '\t' '|' >"$dir/$name.$threads.ch"
			for r in $(seq 0 "$reps"); do
				# --time prints the elapsed seconds on stderr; rep 0 is the warm-up
				t=$( { ch --max_threads "$threads" --time -q "$q" --format Null; } 2>&1 >/dev/null | tail -n 1)
				[ "$r" -gt 0 ] && echo "$t"
			done | awk '{ print $1 * 1000 }' | median >"$dir/$name.$threads.ms"
			printf '%s|%s|%s|%s\n' "$name" "$(cat "$dir/$name.$threads.ms")" \
				"$(cmp -s "$dir/$name.$threads.ch" "$dir/$name.pg" && echo yes || echo no)" "$threads" >>"$out"
		done
	done
	kill "$ch_pid"
	wait "$ch_pid" 2>/dev/null || true
}
