# Case seq of the benchmark (issue 30): sequence_match and sequence_count
# over wf30's events and steps (created, qualified, meeting_held: 3
# conditions), with a pattern without a time condition, (?1).*(?2).*(?3),
# and one with, (?1)(?t<=172800)(?2); each with the steps as conditions
# (queries/seq_*.sql) and as event names (seq_*_names.sql), the number of
# deals per result.  Timed serially over the clustered table
# (bench_events_timeline, at wf30's random_page_cost 1.1) as the planner
# chooses, and as GroupAggregate over the index (enable_hashagg off), with
# wf30's window_funnel on the same table as a reference, against
# ClickHouse's sequenceMatch and sequenceCount (clickhouse.sh, max_threads
# 1).  Target: window_funnel's on that table, at most 1.5 times
# ClickHouse's time.  Sourced by test/bench/run after wf30.sh (wf30_query,
# wf30_settings, plan_of); run provides sql, say, median, work, reps,
# workers and cases.

SEQ_CASES='seq_match seq_match_time seq_count seq_count_time'
SEQ_TABLE=bench_events_timeline
# selected, and installed (0.3)
seq_wanted=0
if [ "$cases" = all ] || [[ ",$cases," == *",seq,"* ]]; then
	if [ "$(sql -c "SELECT count(*) FROM pg_proc WHERE proname = 'sequence_count'")" = 0 ]; then
		say "bench: skipping seq: sequence_count is not installed in this build"
	else
		seq_wanted=1
	fi
fi
want_seq() { [ "$seq_wanted" -eq 1 ]; }

# seq_pattern CASE: the pattern of its query file
seq_pattern() { sed -n "s/.*sequence_[a-z]*('\([^']*\)'.*/\1/p" "$BENCH/queries/$1.sql"; }

# seq_clickhouse_query CASE: the same computation in ClickHouse (its table
# events of clickhouse.sh)
seq_clickhouse_query() {
	local fn=sequenceMatch col=matched
	[[ $1 == seq_count* ]] && fn=sequenceCount col=matches
	echo "SELECT $col, count() AS deals FROM (SELECT deal_id, $fn('$(seq_pattern "$1")')(ts,
		event = 'created', event = 'qualified', event = 'meeting_held') AS $col
		FROM events GROUP BY deal_id) GROUP BY $col ORDER BY $col"
}

# --- check mode ----------------------------------------------------------------

# seq_check: each case, in both forms, over the three layouts of wf30, serially
# and with forced parallel plans (so that the combine function runs), gives the
# figures of its plain SQL (queries/CASE.base.sql, over the arrival order,
# serially).  One line per case; returns the number of cases that differ.
seq_check() {
	local q table w f out ref settings runs bad=0 caseok
	for q in $SEQ_CASES; do
		ref=$work/$q.base
		{ echo 'SET max_parallel_workers_per_gather = 0;'; wf30_query "$q.base" bench_events_arrival; echo ';'; } |
			sql -q >"$ref"
		caseok=1
		runs=0
		for table in $WF30_TABLES; do
			for w in $workers; do
				settings="SET max_parallel_workers_per_gather = $w; SET parallel_setup_cost = 0;
					SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
					SET min_parallel_index_scan_size = 0; $(wf30_settings "$table")"
				for f in "$q" "${q}_names"; do
					out=$work/$f.$table.$w
					{ echo "$settings"; wf30_query "$f" "$table"; echo ';'; } | sql -q >"$out"
					runs=$((runs + 1))
					if [ ! -s "$ref" ] || ! cmp -s "$out" "$ref"; then
						echo "$f over $table (workers $w): DIFFERENT figures from $q.base.sql"
						diff "$ref" "$out" | head -n 5
						caseok=0
					fi
				done
			done
		done
		if [ "$caseok" -eq 1 ]; then
			echo "$q ('$(seq_pattern "$q")'): both forms over the $(wc -w <<<"$WF30_TABLES") layouts," \
				"workers $workers ($runs runs): the figures of $q.base.sql ($(wc -l <"$ref") rows)"
		else
			bad=$((bad + 1))
		fi
	done
	return $bad
}

# --- timing ----------------------------------------------------------------------

# seq_configs: what is timed, one a line: case|form|plan|query file|settings;
# all over SEQ_TABLE, serially.  plan "chosen" is the planner's, "group"
# GroupAggregate over the index.
seq_configs() {
	local q
	echo 'window_funnel|conditions|chosen|wf30|'
	echo 'window_funnel|names|chosen|wf30_names|'
	for q in $SEQ_CASES; do
		echo "$q|conditions|chosen|$q|"
		echo "$q|names|chosen|${q}_names|"
		echo "$q|conditions|group|$q|SET enable_hashagg = off;"
		echo "$q|names|group|${q}_names|SET enable_hashagg = off;"
	done
}

# seq_time RESULTS: every configuration of seq_configs in one session, taking
# turns within each rep (a slow minute of a shared machine falls on all of
# them alike); rep 0 is the warm-up and returns the figures, which must be
# those of the case's first configuration.  One line per configuration:
# case|form|plan|median ms|plan_of|figures (same or DIFFERENT).
seq_time() {
	local results=$1 r c form plan file set key figures
	{
		for r in $(seq 0 "$reps"); do
			while IFS='|' read -r c form plan file set; do
				echo "\\echo @ $r $c.$form.$plan"
				echo "RESET ALL; SET max_parallel_workers_per_gather = 0; $(wf30_settings $SEQ_TABLE) $set"
				if [ "$r" -eq 0 ]; then
					echo "\\o $work/seq.$c.$form.$plan.figures"
					wf30_query "$file" $SEQ_TABLE
					echo ';'
					echo '\o'
				else
					echo 'EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)'
					wf30_query "$file" $SEQ_TABLE
					echo ';'
				fi
			done < <(seq_configs)
		done
	} >"$work/seq.sql"
	sql -f "$work/seq.sql" >"$work/seq.out"
	awk -v dir="$work" '
		/^@ / { close(f); f = dir "/seq." $3 ".out"; print "@ " $2 >> f; next }
		f != "" { print >> f }' "$work/seq.out"
	while IFS='|' read -r c form plan file set; do
		key=$work/seq.$c.$form.$plan
		figures=DIFFERENT
		[ -s "$key.figures" ] && cmp -s "$key.figures" "$work/seq.$c.conditions.chosen.figures" && figures=same
		printf '%s|%s|%s|%s|%s|%s\n' "$c" "$form" "$plan" \
			"$(awk '/^@ / { take = ($2 > 0); next } take && /Execution Time:/ { print $3 }' "$key.out" | median)" \
			"$(plan_of "$key.out")" "$figures" >>"$results"
	done < <(seq_configs)
}

# --- report ----------------------------------------------------------------------

# seq_report: ours against ClickHouse (clickhouse.sh's lines name|ms|same
# figures|threads), in markdown
seq_report() {
	awk -F'|' -v chfile="$ch_results" -v chversion="$(cat "$work/clickhouse/version" 2>/dev/null)" \
		-v reps="$reps" -v deals="$deals" -v per="$events_per_deal" '
		BEGIN {
			while ((getline line < chfile) > 0) {
				split(line, c, "|")
				if (c[4] != 1) continue
				ch[c[1] == "wf30" ? "window_funnel" : c[1]] = c[2]
				chsame[c[1] == "wf30" ? "window_funnel" : c[1]] = c[3]
			}
			form["conditions"] = "conditions"; form["names"] = "event names"
			pl["chosen"] = "planner'"'"'s choice"; pl["group"] = "GroupAggregate forced"
			print ""
			printf "sequence_match and sequence_count (issue 30) over wf30'"'"'s %s deals x %s events, clustered on" \
				" (deal_id, ts) with a covering index (bench_events_timeline, random_page_cost 1.1), serially; 3" \
				" conditions (created, qualified, meeting_held), as booleans (queries/seq_*.sql) or event names" \
				" (seq_*_names.sql); the deals per result. Patterns: seq_match and seq_count (?1).*(?2).*(?3)," \
				" seq_match_time and seq_count_time (?1)(?t<=172800)(?2); window_funnel: wf30. Median of %s runs" \
				" after a warm-up, every configuration in turn. Against %s, max_threads 1, table ORDER BY" \
				" (deal_id, ts), the events of bench_events on whole seconds (its figures checked against ours on" \
				" the same whole seconds); target <= 1.5.\n", deals, per, reps,
				chversion != "" ? "ClickHouse " chversion " sequenceMatch, sequenceCount and windowFunnel" : "ClickHouse (not run)"
			print ""
			print "| case | form | plan | ours (ms) | ClickHouse, 1 thread (ms) | ours/ClickHouse | target met | same figures as ClickHouse | same figures, every form and plan |"
			print "|---|---|---|---|---|---|---|---|---|"
		}
		{
			x = $4; r = "-"; met = "-"
			if (($1 in ch) && ch[$1] > 0 && x > 0) {
				r = sprintf("%.2f", x / ch[$1]); met = x / ch[$1] <= 1.5 ? "yes" : "**no**"
			}
			if ($6 != "same") differ = differ ", " $1 " " $2 " " $3
			printf "| %s | %s | %s, %s | %.1f | %s | %s | %s | %s | %s |\n", $1, form[$2], pl[$3], $5, x,
				($1 in ch) ? sprintf("%.1f", ch[$1]) : "-", r, met, ($1 in chsame) ? chsame[$1] : "-", $6
		}
		END {
			print ""
			print "Every form and plan gave the figures of the conditions as the planner chooses: " \
				(differ == "" ? "yes." : "**no**: " substr(differ, 3) ".")
		}' "$seq_results"
}
