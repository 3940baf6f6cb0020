#!/usr/bin/env bash
# Long aggregates and functions answer cancel promptly: every query of
# test/sql/cancel_queries.txt is stopped by statement_timeout (after each of
# CANCEL_TIMEOUTS ms, default 400) and by pg_cancel_backend (after
# CANCEL_AFTER seconds, default 0.4: the statement_timeout runs show every
# query takes longer, while the densest ones take under 1 s); each must end with SQLSTATE 57014
# within CANCEL_SLACK ms (default 1500) of the request.
#
# CANCEL_SWEEP=MS sweeps instead: statement_timeout after MS, 2 MS, 3 MS ...
# until a query completes (or CANCEL_SWEEP_MAX ms, default 30000), so a
# timeout lands in every phase, including the final function of one huge
# group.  Slow; run by hand on the queries named in CANCEL_ONLY (an
# extended regular expression), e.g.
#   CANCEL_SWEEP=500 CANCEL_ONLY='entered_only|window' bash test/suites/cancel.sh
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

timeouts=${CANCEL_TIMEOUTS:-"400"}
slack=${CANCEL_SLACK:-1500}

use_or_start_cluster cancel
export PGOPTIONS="-c client_min_messages=warning -c max_parallel_workers_per_gather=0"
export PGDATABASE=funnel_cancel
fresh_db funnel_cancel || exit 1
psql -X -q -c 'CREATE EXTENSION funnel' || exit 1
[ -f test/sql/cancel_setup.sql ] && { psql -X -q -v ON_ERROR_STOP=1 -f test/sql/cancel_setup.sql >/dev/null || exit 1; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
status=0
checked=0

# run NAME SQL TIMEOUT_MS: statement_timeout must stop it in time
by_timeout() {
	local name=$1 sql=$2 t=$3 start end out took
	start=$(now_ms)
	out=$(PGOPTIONS="$PGOPTIONS -c statement_timeout=$t" psql -X -q -At -v VERBOSITY=verbose -c "$sql" 2>&1)
	end=$(now_ms)
	took=$((end - start - t))
	checked=$((checked + 1))
	if [ -n "${CANCEL_SWEEP:-}" ] && ! grep -q 'ERROR' <<<"$out"; then
		echo "ok   $name: completed in $((end - start)) ms, before statement_timeout $t ms"
		return 1
	fi
	if ! grep -q 57014 <<<"$out"; then
		echo "FAIL $name: statement_timeout $t ms did not cancel it: $(echo "$out" | head -c 300)"
		status=1
		return 1
	elif [ $took -gt "$slack" ]; then
		echo "FAIL $name: cancelled $took ms after statement_timeout $t ms"
		status=1
	else
		echo "ok   $name: statement_timeout $t ms, stopped $took ms later"
	fi
}

# cancel NAME SQL: pg_cancel_backend after CANCEL_AFTER seconds (default 0.4)
by_cancel() {
	local name=$1 sql=$2 pid start end out took log
	log=$(mktemp)
	PGAPPNAME=funnel_cancel_$$ psql -X -q -At -v VERBOSITY=verbose -c "$sql" >"$log" 2>&1 &
	pid=$!
	sleep "${CANCEL_AFTER:-0.4}"
	start=$(now_ms)
	psql -X -q -At -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'funnel_cancel_$$'" >/dev/null
	wait $pid
	end=$(now_ms)
	out=$(cat "$log")
	rm -f "$log"
	took=$((end - start))
	checked=$((checked + 1))
	if ! grep -q 57014 <<<"$out"; then
		echo "FAIL $name: pg_cancel_backend did not cancel it: $(echo "$out" | head -c 300)"
		status=1
	elif [ $took -gt "$slack" ]; then
		echo "FAIL $name: cancelled $took ms after pg_cancel_backend"
		status=1
	else
		echo "ok   $name: pg_cancel_backend, stopped $took ms later"
	fi
}

while IFS='|' read -r name type sql; do
	case $name in '' | '#'*) continue ;; esac
	[ -n "${CANCEL_ONLY:-}" ] && ! grep -qE "$CANCEL_ONLY" <<<"$name" && continue
	[ "$(psql -X -At -c "SELECT to_regtype('$type') IS NOT NULL OR EXISTS (SELECT FROM pg_proc WHERE proname = '$type')")" = t ] || continue
	if [ -n "${CANCEL_SWEEP:-}" ]; then
		t=$CANCEL_SWEEP
		while [ "$t" -le "${CANCEL_SWEEP_MAX:-30000}" ] && by_timeout "$name" "$sql" "$t"; do
			t=$((t + CANCEL_SWEEP))
		done
		continue
	fi
	for t in $timeouts; do
		by_timeout "$name" "$sql" "$t"
	done
	by_cancel "$name" "$sql"
done <test/sql/cancel_queries.txt

echo "cancel: $checked cancellations checked"
[ $status -eq 0 ] && psql -X -q -d postgres -c 'DROP DATABASE funnel_cancel'
exit $status
