#!/usr/bin/env bash
# Huge groups and absurd sizes fail cleanly with a documented limit: every
# query of test/sql/limits_queries.txt must fail with its SQLSTATE within
# LIMITS_SECONDS (default 20) while the backend's peak memory (VmHWM) stays
# under LIMITS_MAX_MB (default 1024).  Uses the cluster in PG* (as
# test/run-tests sets it) or starts its own; needs to read /proc of the
# server's processes (same machine, root or the cluster owner).
# LIMITS_HEAVY=1 also runs test/sql/limits_heavy.txt (limits that take many
# seconds and hundreds of megabytes to reach), with LIMITS_SECONDS=120.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

max_seconds=${LIMITS_SECONDS:-20}
files=(test/sql/limits_queries.txt)
if [ -n "${LIMITS_HEAVY:-}" ]; then
	files+=(test/sql/limits_heavy.txt)
	max_seconds=${LIMITS_SECONDS:-120}
fi
max_mb=${LIMITS_MAX_MB:-1024}

use_or_start_cluster limits
export PGOPTIONS="-c client_min_messages=warning -c max_parallel_workers_per_gather=0 -c statement_timeout=${max_seconds}s"
export PGDATABASE=funnel_limits
fresh_db funnel_limits || exit 1
psql -X -q -c 'CREATE EXTENSION funnel' || exit 1

status=0
checked=0
while IFS='|' read -r name type want sql; do
	case $name in '' | '#'*) continue ;; esac
	[ "$(psql -X -At -c "SELECT to_regtype('$type') IS NOT NULL OR EXISTS (SELECT FROM pg_proc WHERE proname = '$type')")" = t ] || continue
	checked=$((checked + 1))
	# one session: the query, then the peak resident memory of its backend
	out=$(psql -X -q -At -v VERBOSITY=verbose 2>&1 <<SQL
SELECT pg_backend_pid() AS pid \\gset
$sql;
\\setenv FUNNEL_BACKEND :pid
\\! grep VmHWM /proc/\$FUNNEL_BACKEND/status
SQL
)
	peak=$(echo "$out" | sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p')
	state=$(echo "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -n 1)
	msg=$(echo "$out" | grep -m 1 '^ERROR:' | sed 's/: ".*/: "..."/' | cut -c 1-200)
	if [ "$state" != "$want" ]; then
		echo "FAIL $name: expected SQLSTATE $want, got ${state:-none}: $(echo "$out" | head -c 300)"
		status=1
		continue
	fi
	if [ -z "$peak" ] || [ $((peak / 1024)) -gt "$max_mb" ]; then
		echo "FAIL $name: backend peak memory ${peak:-unknown} kB (limit $max_mb MB)"
		status=1
		continue
	fi
	echo "ok   $name: peak $((peak / 1024)) MB, $msg"
done < <(cat "${files[@]}")
echo "limits: $checked limits checked"
[ $status -eq 0 ] && psql -X -q -d postgres -c 'DROP DATABASE funnel_limits'
exit $status
