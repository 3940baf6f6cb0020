#!/usr/bin/env bash
# The upgrade path, and 0.1 frozen.  A database made with the released 0.1 (its install
# script, today's library), holding values of every type (stage,
# contact_chain, funnel, velocity, attainment: the fuzz seeds, in plain and
# array columns, with an index), saved with text and binary COPY, is updated
# with ALTER EXTENSION funnel UPDATE.  Then
#  - the extension's objects and their properties equal a fresh install of
#    the default version (test/sql/extension_catalog.sql);
#  - every stored value reads back identically (text form and send bytes);
#  - the text and binary COPY files load into a fresh install identically;
#  - binary COPY after the update writes the same bytes as before;
#  - views, a materialized view, an SQL function and a prepared statement
#    made under 0.1 that call the aggregates whose state moved from internal
#    to a value type give the same results after the update, and the moved
#    aggregates are catalogued as CREATE AGGREGATE makes them
#    (test/sql/upgrade_views.sql);
#  - a plan another session cached under 0.1 is made again after the update
#    (it would run the moved aggregates with their old state type: a crash).
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster upgrade
export PGOPTIONS="-c client_min_messages=warning"
work=$(mktemp -d /tmp/funnel-upgrade.XXXXXX)
chmod 777 "$work"
default=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" funnel.control)
[ -n "$default" ] || { echo "no default_version in funnel.control"; exit 1; }
echo "default version: $default"

# 0.1 is released: its script is never edited (its SHA-256 as it shipped)
released_01=f33376f9d37ff8882301ab8cda67688ffe07c23a5539a4f1dc425a14240f5366
[ "$(sha256sum <sql/funnel--0.1.sql | cut -d' ' -f1)" = "$released_01" ] ||
	fail "sql/funnel--0.1.sql was edited: 0.1 is released; put changes into an upgrade script"

dbs="funnel_upgrade funnel_fresh funnel_fresh_text funnel_fresh_binary funnel_upgrade_views funnel_upgrade_plans"
for db in $dbs; do
	q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || exit 1
done

# 0.1 as released, with values of every type
q -d funnel_upgrade -c "CREATE EXTENSION funnel VERSION '0.1'" -f test/sql/fuzz_lib.sql -f test/sql/fuzz_seeds.sql \
	-f test/sql/rollup_tables.sql -f test/sql/fingerprint.sql >/dev/null || exit 1
[ "$(q -At -d funnel_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'funnel'")" = 0.1 ] ||
	{ echo "CREATE EXTENSION funnel VERSION '0.1' did not install 0.1"; exit 1; }
tables=$(q -At -d funnel_upgrade -c "SELECT relname || ' ' || format_type(a.atttypid, NULL) FROM pg_class c
	JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'v' WHERE relname LIKE 'rollup\_%' AND relkind = 'r' ORDER BY 1")
[ "$(echo "$tables" | wc -l)" -eq 5 ] || { echo "expected a table for each of the 5 types, got: $tables"; failed=1; }

# saved before the update, in both COPY formats (the server writes the files)
copy_out() {
	local suffix=$1 table
	while read -r table _; do
		q -d funnel_upgrade -c "COPY $table TO '$work/$table.text'" &&
			q -d funnel_upgrade -c "COPY $table TO '$work/$table.$suffix' WITH (FORMAT binary)" || return 1
	done <<<"$tables"
}
copy_out binary || exit 1
before=$(q -At -d funnel_upgrade -c 'SELECT * FROM public.fingerprint()')
echo "$before" | sed 's/^/before: /'

q -d funnel_upgrade -c 'ALTER EXTENSION funnel UPDATE' || exit 1
version=$(q -At -d funnel_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'funnel'")
[ "$version" = "$default" ] || fail "ALTER EXTENSION funnel UPDATE reached $version, not $default"

# the upgraded catalog is the fresh one
q -d funnel_fresh -c 'CREATE EXTENSION funnel' || exit 1
q -At -d funnel_upgrade -f test/sql/extension_catalog.sql >"$work/upgraded.catalog" || exit 1
q -At -d funnel_fresh -f test/sql/extension_catalog.sql >"$work/fresh.catalog" || exit 1
objects=$(wc -l <"$work/fresh.catalog")
[ "$objects" -gt 100 ] || fail "a fresh install lists only $objects objects"
if cmp -s "$work/upgraded.catalog" "$work/fresh.catalog"; then
	echo "catalog: upgraded = fresh install of $default ($objects objects)"
else
	fail "catalog: upgraded and fresh installs differ"
	diff "$work/fresh.catalog" "$work/upgraded.catalog" | head -40
fi

# stored values read back identically
after=$(q -At -d funnel_upgrade -c 'SELECT * FROM public.fingerprint()')
if [ "$after" = "$before" ] && [ -n "$before" ]; then
	echo "stored values: identical after the update"
else
	fail "stored values differ after the update"
	diff <(echo "$before") <(echo "$after")
fi

# binary COPY after the update writes the same bytes
copy_out binary_after || exit 1
while read -r table _; do
	cmp -s "$work/$table.binary" "$work/$table.binary_after" || fail "$table: binary COPY differs after the update"
done <<<"$tables"

# the saved files load into a fresh install of the default version identically
load_copies() {
	local db=$1 format=$2 table type options=
	[ "$format" = binary ] && options=' WITH (FORMAT binary)'
	q -d "$db" -c 'CREATE EXTENSION funnel' -f test/sql/fingerprint.sql >/dev/null || return 1
	while read -r table type; do
		q -d "$db" -c "CREATE TABLE $table (id int PRIMARY KEY, v $type, arr $type[])" \
			-c "COPY $table FROM '$work/$table.$format'$options" || return 1
	done <<<"$tables"
}
for format in text binary; do
	load_copies "funnel_fresh_$format" $format || { fail "$format COPY files do not load"; continue; }
	got=$(q -At -d "funnel_fresh_$format" -c 'SELECT * FROM public.fingerprint()')
	if [ "$got" = "$before" ]; then
		echo "$format COPY of 0.1's values: identical in a fresh install of $default"
	else
		fail "$format COPY of 0.1's values differs in a fresh install"
		diff <(echo "$before") <(echo "$got")
	fi
done

# what calls the aggregates whose state moved keeps working
views=$(q -At -d funnel_upgrade_views -c "CREATE EXTENSION funnel VERSION '0.1'" -f test/sql/upgrade_views.sql 2>&1)
echo "$views"
checks=$(grep -c '^ok: ' <<<"$views")
if grep -q '^FAILED' <<<"$views" || [ "$checks" -ne 8 ]; then
	fail "objects made under 0.1 that call the moved aggregates: $checks of 8 checks ok"
fi

# a generic plan cached by another session under 0.1, executed after the update;
# session_until MARK: the other session's lines up to MARK (60 s at most)
session_until() {
	local line
	while IFS= read -r -t 60 line <&"${other[0]}"; do
		[ "$line" = "$1" ] && return 0
		echo "$line"
	done
	echo "(no $1 from the other session)"
}
q -d funnel_upgrade_plans -c "CREATE EXTENSION funnel VERSION '0.1'" \
	-c "CREATE TABLE e AS SELECT g % 100 AS d, timestamptz '2026-01-01' + g * interval '1 minute' AS ts,
	    g % 3 = 0 AS a, g % 3 = 1 AS b, (ARRAY['call', 'mail'])[1 + g % 2] AS k FROM generate_series(1, 20000) g" || exit 1
coproc other { psql -X -q -At -d funnel_upgrade_plans 2>&1; }
other_pid=$other_PID
echo "PREPARE p AS SELECT string_agg(concat_ws(':', l, c, v), ',' ORDER BY d) FROM (
	SELECT d, window_funnel(interval '1 day', ts, a, b) AS l, contact_chain_agg(k, ts) AS c,
	       stage_velocity(d, (1 + d % 3)::stage, ts) AS v FROM e GROUP BY d) x;
	EXECUTE p; SELECT 'before';" >&"${other[1]}"
cached=$(session_until before)
q -d funnel_upgrade_plans -c 'ALTER EXTENSION funnel UPDATE' || exit 1
echo "EXECUTE p; SELECT 'after';" >&"${other[1]}"
replanned=$(session_until after)
echo '\q' >&"${other[1]}"
if [ -n "$cached" ] && [ "$cached" = "$replanned" ]; then
	echo "a plan another session cached under 0.1: made again after the update, the same result"
else
	fail "a plan another session cached under 0.1 gives after the update: ${replanned:0:300}"
fi
wait "$other_pid" 2>/dev/null

if [ "$failed" -eq 0 ]; then
	for db in $dbs; do
		q -d postgres -c "DROP DATABASE $db"
	done
	rm -rf "$work"
fi
exit "$failed"
