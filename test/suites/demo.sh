#!/usr/bin/env bash
# The demo command against an existing server from the PG* variables (the
# test command's cluster): it runs to the end, prints its reports, every
# line fits a 120-column terminal, none is wrapped by psql, and the demo
# leaves its database for exploring.  The database is funnel_demo_test, not
# the demo's funnel_demo, which may be a user's on the server in PG*; the
# suite drops it when it ends.
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster demo
export FUNNEL_DEMO_DB=funnel_demo_test
not_theirs db "$FUNNEL_DEMO_DB" || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/funnel-demo-out.XXXXXX")
trap 'q -d postgres -c "DROP DATABASE IF EXISTS $FUNNEL_DEMO_DB" >/dev/null 2>&1; rm -f "$out"; stop_own_cluster' EXIT
if ! test/run-demo >"$out" 2>&1; then
	tail -n 40 "$out"
	fail "test/run-demo failed against the server in PG*"
fi
reports=$(grep -c '^(.* rows\?)$' "$out")
[ "$reports" -ge 20 ] || fail "the demo printed $reports tables, expected at least 20"
# characters, not bytes: names are Cyrillic too
export LC_ALL=C.UTF-8
wide=0
while IFS= read -r line; do
	[ ${#line} -le 120 ] || { wide=$((wide + 1)); [ $wide -le 3 ] && echo "wider than 120: $line"; }
done <"$out"
# none wrapped by psql either: test/run-demo prints in psql's wrapped format
# (ascii line style, 120 columns), which cuts a value too wide for its column
# with a "." in place of the padding space before the "|" and goes on, on the
# next line, after a "." in place of the space after it (a value with a line
# break puts "+" there); aligned output has a space on both sides of every
# "|".  The unicode line style marks the same with "…" and "↵".
wrapped=$(grep -E '[^ ]\||\|[^ ]|…|↵' "$out")
if [ -n "$wrapped" ]; then
	head -n 3 <<<"$wrapped" | sed 's/^/wrapped by psql: /'
	fail "$(wc -l <<<"$wrapped") demo lines are wrapped by psql"
fi
[ "$wide" -eq 0 ] || fail "$wide demo lines are wider than 120 columns"
[ "$(q -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$FUNNEL_DEMO_DB'")" = 1 ] ||
	fail "$FUNNEL_DEMO_DB does not stay on the server"
echo "demo: $reports tables, none wider than 120 columns"
exit "$failed"
