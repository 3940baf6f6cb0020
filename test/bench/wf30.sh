# Case wf30 of the benchmark (issues 16 and 29) and its scale series:
# window_funnel, 3 steps, a 30-day window, the number of deals per level,
# with the steps as conditions (wf30.sql) and as event names
# (wf30_names.sql), over three layouts of the same events: in arrival order
# (bench_events_arrival), clustered on (deal_id, ts) with a covering index
# (bench_events_timeline), and hash-partitioned by deal (bench_events_part,
# partition.sql); serially and with the workers of --workers.  Its
# references are not the same computation, so it is not a row of CASES:
# PostgreSQL's floors (the same grouping with no aggregate), two built-in
# aggregates on the same plan (wf30_builtins.sql), ClickHouse's windowFunnel
# (clickhouse.sh) and DuckDB running the plain SQL (duckdb.sh).  Sourced by
# test/bench/run, which provides sql, say, median, peak_memory, work, reps,
# workers, partitions, scale, cases, seed, events_per_deal and existing.

want_wf30() { [ "$cases" = all ] || [[ ",$cases," == *",wf30,"* ]]; }
want_scale() { [ -n "$scale" ] && { [ "$cases" = all ] || [[ ",$cases," == *",scale,"* ]]; }; }
wf30_query() { sed "s/\bbench_events\b/$2/g" "$BENCH/queries/$1.sql"; } # FILE TABLE
# The clustered tables are read at random_page_cost 1.1, as the _idx cases;
# the partitioned ones (clustered too) are grouped partition by partition.
wf30_settings() {
	case $1 in
		*_timeline) echo 'SET random_page_cost = 1.1;' ;;
		*_part) echo 'SET enable_partitionwise_aggregate = on; SET random_page_cost = 1.1;' ;;
	esac
}
WF30_TABLES='bench_events_arrival bench_events_timeline bench_events_part'

# plan_of FILE: the plan of the last rep in FILE (after a line "@ REP"), in
# short: the innermost aggregation (the one grouping the events by deal),
# whether an Append runs one per partition, and whether it spilled.
plan_of() {
	awk -v reps="$reps" '
		/^@ / { take = ($2 == reps); next }
		!take { next }
		/Aggregate/ && !/^ *Aggregate/ || /->  Group( |$)/ { p = $0 }
		/Parallel Append/ { pa = 1 }
		/Append/ { ap = 1 }
		/Disk Usage:/ { disk = 1 }
		END {
			sub(/^[ ->]*/, "", p); sub(/ +\(.*/, "", p)
			print p (pa ? " per partition, Parallel Append" : ap ? " per partition" : "") (disk ? " (spilled)" : "")
		}' "$1"
}

# --- check mode ----------------------------------------------------------------

# wf30_check: every layout, form and parallel setting gives the levels of
# the conditions over the arrival table, serially, and the plans over the
# partitioned table group per partition, under a Parallel Append with
# workers (so that this checks what it says); the plain SQL of DuckDB's comparison gives the same levels above
# 0.  Prints a line per check; returns the number of failures.
wf30_check() {
	local table w f out ref= settings plan want bad=0
	for table in $WF30_TABLES; do
		for w in $workers; do
			# force parallel plans even at tiny sizes, so combine is exercised
			settings="SET max_parallel_workers_per_gather = $w; SET parallel_setup_cost = 0;
				SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
				SET min_parallel_index_scan_size = 0; $(wf30_settings $table)"
			for f in wf30 wf30_names; do
				out=$work/$f.$table.$w
				{ echo "$settings"; wf30_query $f $table; echo ';'; } | sql -q >"$out"
				{ echo '\echo @ 0'; echo "$settings"; echo 'EXPLAIN (COSTS OFF)'; wf30_query $f $table; echo ';'; } |
					sql -q >"$out.plan"
				plan=$(reps=0 plan_of "$out.plan")
				want=
				[ "$table" = bench_events_part ] && want="per partition"
				[ "$table" = bench_events_part ] && [ "$w" -gt 0 ] && want="Parallel Append"
				[ -n "$ref" ] || ref=$out
				if [ ! -s "$out" ] || ! cmp -s "$out" "$ref"; then
					echo "$f over $table (workers $w, $plan): DIFFERENT levels"
					diff "$ref" "$out" | head -n 5
					bad=$((bad + 1))
				elif [[ $plan != *"$want"* ]]; then
					echo "$f over $table (workers $w): the same levels, but the plan is $plan, not $want"
					bad=$((bad + 1))
				else
					echo "$f over $table (workers $w, $plan): the same levels ($(wc -l <"$out") rows)"
				fi
			done
		done
	done
	for w in $workers; do
		out=$work/wf30.base.$w
		{ echo "SET max_parallel_workers_per_gather = $w;"; wf30_query wf30.base bench_events_arrival; echo ';'; } |
			sql -q >"$out"
		if [ -s "$out" ] && awk -F'|' '$1 > 0' "$ref" | cmp -s - "$out"; then
			echo "wf30.base.sql (DuckDB's query) in PostgreSQL (workers $w): the same levels above 0"
		else
			echo "wf30.base.sql (DuckDB's query) in PostgreSQL (workers $w): DIFFERENT levels"
			bad=$((bad + 1))
		fi
	done
	return $bad
}

# --- timing ----------------------------------------------------------------------

# wf30_configs: what is timed, one a line: label|query file|table|workers|
# settings.  The floors and the built-in aggregates run serially; the
# clustered ones as GroupAggregate over the index (enable_hashagg off),
# which is the plan the planner picks for ours there at full size.
wf30_configs() {
	local w table
	echo 'floor|floor_events|bench_events_arrival|0|'
	echo 'floor|floor_events|bench_events_timeline|0|SET enable_hashagg = off;'
	echo 'floor|floor_events|bench_events_part|0|'
	echo 'builtins|wf30_builtins|bench_events_arrival|0|'
	echo 'builtins|wf30_builtins|bench_events_timeline|0|SET enable_hashagg = off;'
	for w in $workers; do
		for table in $WF30_TABLES; do
			echo "conditions|wf30|$table|$w|"
			echo "names|wf30_names|$table|$w|"
		done
	done
}

# wf30_time RESULTS: times every configuration of wf30_configs in one
# session, the configurations taking turns within each rep (so that a slow
# minute of a shared machine falls on all of them alike); rep 0 is the
# warm-up, and for window_funnel it returns the levels, compared with those
# of the conditions over the arrival table, serially.  One line per
# configuration: label|table|workers|median ms|plan (plan_of)|workers
# launched|levels (same, DIFFERENT, or - for a reference).
wf30_time() {
	local results=$1 r label file table w set key levels ref
	{
		for r in $(seq 0 "$reps"); do
			while IFS='|' read -r label file table w set; do
				echo "\\echo @ $r $label $table $w"
				echo "RESET ALL; SET max_parallel_workers_per_gather = $w; $(wf30_settings "$table") $set"
				if [ "$r" -eq 0 ] && [[ $label == conditions || $label == names ]]; then
					echo "\\o $work/wf30.$label.$table.$w.levels"
					wf30_query "$file" "$table"
					echo ';'
					echo '\o'
				else
					echo 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)'
					wf30_query "$file" "$table"
					echo ';'
				fi
			done < <(wf30_configs)
		done
	} >"$work/wf30.sql"
	sql -f "$work/wf30.sql" >"$work/wf30.out"
	# one file per configuration, its sections headed "@ REP"
	awk -v dir="$work" '
		/^@ / { close(f); f = dir "/wf30." $3 "." $4 "." $5 ".out"; print "@ " $2 >> f; next }
		f != "" { print >> f }' "$work/wf30.out"
	ref=$work/wf30.conditions.bench_events_arrival.0.levels
	while IFS='|' read -r label file table w set; do
		key=$work/wf30.$label.$table.$w
		levels=-
		if [ -e "$key.levels" ]; then
			levels=DIFFERENT
			[ -s "$key.levels" ] && cmp -s "$key.levels" "$ref" && levels=same
		fi
		printf '%s|%s|%s|%s|%s|%s|%s\n' "$label" "$table" "$w" \
			"$(awk '/^@ / { take = ($2 > 0); next } take && /Execution Time:/ { print $3 }' "$key.out" | median)" \
			"$(plan_of "$key.out")" \
			"$(awk '/Workers Launched:/ { if ($NF > m) m = $NF } END { print m + 0 }' "$key.out")" \
			"$levels" >>"$results"
	done < <(wf30_configs)
}

# --- the scale series ------------------------------------------------------------

# scale_time DEALS TABLE RESULTS: wf30 with event names over TABLE, serial,
# median of --reps after a warm-up, then once more for its peak memory (in
# our own cluster); one line deals|table|median ms|plan|peak kB
scale_time() {
	local out=$work/scale.$1.$2.out r
	{
		echo 'SET max_parallel_workers_per_gather = 0;'
		wf30_settings "$2"
		for r in $(seq 0 "$reps"); do
			echo "\\echo @ $r"
			echo 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)'
			wf30_query wf30_names "$2"
			echo ';'
		done
	} | sql >"$out"
	{ echo 'SET max_parallel_workers_per_gather = 0;'; wf30_settings "$2"; wf30_query wf30_names "$2"; echo ';'; } >"$work/scale.sql"
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" \
		"$(awk '/^@ / { take = ($2 > 0); next } take && /Execution Time:/ { print $3 }' "$out" | median)" \
		"$(plan_of "$out")" "$([ "$existing" -eq 0 ] && peak_memory "$work/scale.sql" || echo -)" >>"$3"
}

# scale_ready TABLE: vacuumed, analyzed and (in our own cluster) in shared
# buffers with its indexes and partitions
scale_ready() {
	sql -q -c "VACUUM (FREEZE, ANALYZE) $1"
	[ "$existing" -eq 1 ] && return 0
	sql -c "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c
		WHERE c.relkind IN ('r', 'i') AND c.oid IN (SELECT '$1'::regclass UNION ALL
			SELECT indexrelid FROM pg_index WHERE indrelid = '$1'::regclass UNION ALL
			SELECT inhrelid FROM pg_inherits WHERE inhparent = '$1'::regclass)" >/dev/null
}

# scale_series RESULTS: for each size of --scale (deals), the events made as
# data.sql makes them (events.sql after setseed), clustered (the order they
# are made in, with the index), then in arrival order, then partitioned,
# one layout at a time, so that at most two copies of the largest size
# share the memory with the rest of the data.
scale_series() {
	local n
	for n in ${scale//,/ }; do
		say "bench: scale series, $n deals x $events_per_deal events"
		sql -q -v deals="$n" -v events_per_deal="$events_per_deal" -v events=bench_scale_timeline \
			-c 'SET client_min_messages = warning' -c 'SET max_parallel_workers_per_gather = 0' \
			-c 'DROP TABLE IF EXISTS bench_scale_timeline, bench_scale_arrival, bench_scale_part' \
			-c "SELECT setseed($seed)" -f "$BENCH/events.sql" \
			-c 'CREATE INDEX ON bench_scale_timeline (deal_id, ts) INCLUDE (event)' \
			-c 'ALTER TABLE bench_scale_timeline SET (parallel_workers = 2)' >/dev/null || return 1
		scale_ready bench_scale_timeline
		scale_time "$n" bench_scale_timeline "$1"
		sql -q -c 'CREATE TABLE bench_scale_arrival WITH (parallel_workers = 2) AS
				SELECT * FROM bench_scale_timeline ORDER BY ts' \
			-c 'DROP TABLE bench_scale_timeline' >/dev/null || return 1
		scale_ready bench_scale_arrival
		scale_time "$n" bench_scale_arrival "$1"
		sql -q -v part=bench_scale_part -v source=bench_scale_arrival -v partitions="$partitions" \
			-f "$BENCH/partition.sql" -c 'DROP TABLE bench_scale_arrival' >/dev/null || return 1
		scale_ready bench_scale_part
		scale_time "$n" bench_scale_part "$1"
		sql -q -c 'DROP TABLE bench_scale_part' || return 1
	done
}

# --- report ----------------------------------------------------------------------

# The awk functions of both reports: a layout's name, from its table's
# suffix, and the figures of the peers, from clickhouse.sh (wf30 lines:
# wf30|ms|same levels|threads) and duckdb.sh (threads|ms|same levels):
# ch[threads] and duck[threads] in ms, chsame and ducksame "yes" when
# every run gave our levels.
WF30_AWK='
	function peers(chfile, duckfile,   line, c) {
		while ((getline line < chfile) > 0) {
			split(line, c, "|")
			if (c[1] != "wf30") continue
			ch[c[4] + 0] = c[2]
			chsame = chsame == "" || chsame == "yes" ? c[3] : chsame
		}
		while ((getline line < duckfile) > 0) {
			split(line, c, "|")
			duck[c[1] + 0] = c[2]
			ducksame = ducksame == "" || ducksame == "yes" ? c[3] : ducksame
		}
	}
	function layout(t) {
		if (t ~ /_arrival$/) return "arrival order"
		if (t ~ /_timeline$/) return "clustered"
		return "partitioned (" parts ")"
	}'

# wf30_report: the targets of issues 16 and 29, row by row, in markdown
wf30_report() {
	awk -F'|' -v chfile="$ch_results" -v duckfile="$duck_results" -v workers="$workers" -v parts="$partitions" \
		-v chversion="$(cat "$work/clickhouse/version" 2>/dev/null)" \
		-v duckversion="$(cat "$work/duckdb/version" 2>/dev/null)" "$WF30_AWK"'
		BEGIN {
			peers(chfile, duckfile)
			nw = split(workers, wl, " ")
			A = "bench_events_arrival"; C = "bench_events_timeline"; P = "bench_events_part"
			nt = split(A " " C " " P, tl, " ")
			form["conditions"] = "conditions"; form["names"] = "event names"; fl[1] = "conditions"; fl[2] = "names"
		}
		{ ms[$1, $2, $3] = $4; plan[$1, $2, $3] = $5; launched[$1, $2, $3] = $6; levels[$1, $2, $3] = $7 }
		# a row of ours (label, table, workers) against a reference of REF ms:
		# KIND "<=", ours/REF at most TARGET; ">=", REF/ours at least TARGET
		# (a speedup); TARGET "" for none; PAR: a parallel run against the
		# serial one, where no worker launched means the serial plan again;
		# REFPLAN: the plan of a reference that should be ours
		function row(l, t, w, ref, refname, kind, target, par, refplan,   x, q, met) {
			x = ms[l, t, w]; q = "-"; met = "-"
			if (ref > 0 && x > 0) {
				q = kind == ">=" ? ref / x : x / ref
				met = target == "" ? "" : ((kind == ">=" ? q >= target : q <= target) ? "yes" : "**no**")
				q = sprintf(kind == ">=" ? "%.2fx" : "%.2f", q)
			}
			if (par && launched[l, t, w] == 0) met = "yes (the serial plan)"
			if (refplan != "" && refplan != plan[l, t, w]) met = met " (not the same plan: " refplan ")"
			printf "| %s | %s | %s | %.1f | %s | %s | %s | %s | %s |\n", form[l], layout(t), w, x,
				plan[l, t, w] (w > 0 ? ", launched " launched[l, t, w] : ""),
				refname (ref > 0 ? sprintf(" (%.1f ms)", ref) : ""), q, target == "" ? "" : kind " " target, met
		}
		END {
			print ""
			print "window_funnel (issues 16 and 29): 3 steps, a 30-day window, the deals per level, with the steps as" \
				" conditions (test/bench/queries/wf30.sql) and as event names (wf30_names.sql), over three layouts of" \
				" the same events: in arrival order (hash aggregation), clustered on (deal_id, ts) with a covering" \
				" index (read at random_page_cost 1.1), and hash-partitioned by deal into " parts " partitions, each" \
				" clustered on (deal_id, ts) with a covering index (enable_partitionwise_aggregate on, random_page_cost 1.1). The references: the same grouping with no" \
				" aggregate (floor_events.sql) and with two built-in aggregates, max(ts) and count(event)" \
				" (wf30_builtins.sql), serially, on the clustered table as GroupAggregate over the index" \
				" (enable_hashagg off); " (chversion != "" ? "ClickHouse " chversion " windowFunnel (table ORDER BY" \
				" (deal_id, ts); whole seconds, as its DateTime has no fractions)" : "ClickHouse: not installed") \
				"; " (duckversion != "" ? "DuckDB " duckversion " running the plain SQL of wf30.base.sql (window" \
				" functions, table in (deal_id, ts) order; time measured in node)" : "DuckDB: not run") \
				". Every configuration" \
				" runs in turn within each rep. With 2 workers, PostgreSQL runs the leader and 2 workers."
			print ""
			print "| query | layout | workers | ms | plan | against | ratio | target | met |"
			print "|---|---|---|---|---|---|---|---|---|"
			row("conditions", A, 0, ms["floor", A, 0], "arrival floor", "<=", 1.3)
			row("names", A, 0, ms["floor", A, 0], "arrival floor", "<=", 1.3)
			row("conditions", C, 0, ch[1], "ClickHouse, 1 thread", "<=", 1.5)
			row("names", C, 0, ch[1], "ClickHouse, 1 thread", "<=", 1.4)
			for (i = 1; i <= 2; i++) {
				row(fl[i], A, 0, ms["builtins", A, 0], "two built-in aggregates", "<=", 1.2, 0, plan["builtins", A, 0])
				row(fl[i], C, 0, ms["builtins", C, 0], "two built-in aggregates", "<=", 1.1, 0, plan["builtins", C, 0])
			}
			for (i = 1; i <= 2; i++)
				row(fl[i], P, 0, ms[fl[i], A, 0], "the same, arrival order", ">=", "")
			for (j = 1; j <= nw; j++) {
				w = wl[j]; th = w == 0 ? 1 : w
				for (i = 1; i <= 2; i++) {
					row(fl[i], C, w, duck[th], "DuckDB, " th (th == 1 ? " thread" : " threads"), "<=", 1)
					row(fl[i], P, w, duck[th], "DuckDB, " th (th == 1 ? " thread" : " threads"), "<=", 1)
				}
			}
			for (j = 1; j <= nw; j++) {
				w = wl[j]; if (w == 0) continue
				for (k = 1; k <= nt; k++)
					for (i = 1; i <= 2; i++)
						if (tl[k] == P) row(fl[i], P, w, ms[fl[i], P, 0], "serial", ">=", 1.7)
						else row(fl[i], tl[k], w, ms[fl[i], tl[k], 0], "serial", "<=", 1, 1)
			}
			slower = ""; differ = ""
			for (j = 1; j <= nw; j++)
				for (k = 1; k <= nt; k++)
					for (i = 1; i <= 2; i++) {
						w = wl[j]; t = tl[k]; l = fl[i]
						if (levels[l, t, w] != "same") differ = differ ", " form[l] " over " layout(t) " with " w " workers"
						if (w > 0 && launched[l, t, w] > 0 && ms[l, t, w] > ms[l, t, 0])
							slower = slower sprintf(", %s over %s (%.1f ms against %.1f)", form[l], layout(t), ms[l, t, w], ms[l, t, 0])
					}
			print ""
			print "The planner never picked a parallel plan slower than the serial one: " \
				(slower == "" ? "yes." : "**no**: " substr(slower, 3) ".")
			print "The levels of every layout, form and plan are those of the conditions over the arrival order," \
				" serially: " (differ == "" ? "yes" : "**no**: " substr(differ, 3)) \
				"; ClickHouse'"'"'s: " (chsame == "" ? "not run" : chsame) \
				"; DuckDB'"'"'s (above 0): " (ducksame == "" ? "not run" : ducksame) "."
			print "References, serial: the floors " sprintf("%.1f ms (arrival order), %.1f (clustered), %.1f (partitioned)",
				ms["floor", A, 0], ms["floor", C, 0], ms["floor", P, 0]) \
				sprintf("; two built-in aggregates %.1f ms (arrival order), %.1f (clustered)",
				ms["builtins", A, 0], ms["builtins", C, 0]) "."
		}' "$wf30_results"
}

# readme_report: the same figures as the README's performance section
# shows them (one core, two cores, the peers, the scale series), to paste
readme_report() {
	awk -F'|' -v chfile="$ch_results" -v duckfile="$duck_results" -v parts="$partitions" \
		-v deals="$deals" -v per="$events_per_deal" -v reps="$reps" -v workers="$workers" \
		-v chversion="$(cat "$work/clickhouse/version" 2>/dev/null)" \
		-v duckversion="$(cat "$work/duckdb/version" 2>/dev/null)" \
		-v scalefile="$scale_results" -v day="$(date -u '+%-d %B %Y')" "$WF30_AWK"'
		BEGIN {
			peers(chfile, duckfile)
			nw = split(workers, wl, " "); w2 = wl[nw]
			A = "bench_events_arrival"; C = "bench_events_timeline"; P = "bench_events_part"
			nt = split(A " " C " " P, tl, " ")
		}
		{ ms[$1, $2, $3] = $4; launched[$1, $2, $3] = $6 }
		function cell(x) { return x > 0 ? sprintf("%.0f", x) : "" }
		function line(what, t, one, two, serial) {
			printf "| %s | %s | %s | %s | %s |\n", what, t, cell(one),
				cell(two) (two > 0 && serial ? " (serial plan)" : ""), (one > 0 && two > 0 ? sprintf("%.2fx", one / two) : "")
		}
		END {
			print ""
			print "For README.md'"'"'s performance section (this run'"'"'s figures):"
			print ""
			printf "`window_funnel` over %s deals x %s events (3 steps, a 30-day window, the deals per level;" \
				" `test/bench/run --cases wf30`, %s; median of %s runs). Two cores: PostgreSQL with" \
				" `max_parallel_workers_per_gather` %s, ClickHouse `max_threads` 2, DuckDB `threads` 2.\n", deals, per, day, reps, w2
			print ""
			print "| query | layout | one core (ms) | two cores (ms) | one core / two cores |"
			print "|---|---|---|---|---|"
			name[A] = "arrival order (hash aggregation)"; name[C] = "clustered on `(deal_id, ts)`, with an index"
			name[P] = "hash-partitioned by deal, " parts " partitions"
			for (k = 1; k <= nt; k++) line("grouping by deal, no aggregate (the floor)", name[tl[k]], ms["floor", tl[k], 0])
			for (k = 1; k <= 2; k++)
				line("`max(ts), count(event)` (two built-in aggregates)", name[tl[k]], ms["builtins", tl[k], 0])
			for (k = 1; k <= nt; k++)
				line("`window_funnel`, event names", name[tl[k]], ms["names", tl[k], 0], ms["names", tl[k], w2],
					launched["names", tl[k], w2] == 0)
			for (k = 1; k <= nt; k++)
				line("`window_funnel`, conditions", name[tl[k]], ms["conditions", tl[k], 0], ms["conditions", tl[k], w2],
					launched["conditions", tl[k], w2] == 0)
			if (1 in ch) line("ClickHouse " chversion " `windowFunnel`", "`ORDER BY (deal_id, ts)`", ch[1], ch[2])
			if (1 in duck)
				line("DuckDB " duckversion ", the plain SQL (window functions)", "in `(deal_id, ts)` order", duck[1], duck[2])
			n = 0
			while ((getline s < scalefile) > 0) sc[++n] = s
			if (n == 0) exit
			print ""
			print "How the cost grows: `window_funnel` with event names, serial, " per " events per deal" \
				" (`--cases scale`); peak memory: the backend'"'"'s private memory (RssAnon)."
			print ""
			print "| events | layout | plan | ms | ns per event | peak memory |"
			print "|---|---|---|---|---|---|"
			for (i = 1; i <= n; i++) {
				split(sc[i], f, "|"); ev = f[1] * per
				printf "| %s | %s | %s | %.0f | %.0f | %s |\n", ev, layout(f[2]), f[4], f[3], f[3] * 1e6 / ev,
					f[5] == "-" ? "-" : sprintf("%.0f MB", f[5] / 1024)
			}
		}' "$wf30_results"
}
