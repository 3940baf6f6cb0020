#!/usr/bin/env bash
# The upgrade paths, and the released versions frozen.  A database made
# with a released version (its install and upgrade scripts, today's
# library), holding values of every type of that version (the fuzz seeds of
# stage, contact_chain, funnel, velocity, attainment and, from 0.2, flow, in
# plain and array columns, with an index; from 0.2 also stored aggregate
# states of every value-type state, test/sql/state_seeds.sql), saved with
# text and binary COPY, is updated with ALTER EXTENSION funnel UPDATE, from
# 0.1 and from 0.2.  Then
#  - the extension's objects and their properties equal a fresh install of
#    the default version (test/sql/extension_catalog.sql);
#  - every stored value reads back identically (text form and send bytes);
#  - the text and binary COPY files load into a fresh install identically;
#  - binary COPY after the update writes the same bytes as before.
# From 0.1 also:
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
work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-upgrade.XXXXXX")
chmod 777 "$work"
default=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" funnel.control)
[ -n "$default" ] || { echo "no default_version in funnel.control"; exit 1; }
echo "default version: $default"

# the released versions' scripts are never edited (their SHA-256 as they shipped)
frozen() {
	[ "$(sha256sum <"sql/$1" | cut -d' ' -f1)" = "$2" ] ||
		fail "sql/$1 was edited: its version is released; put changes into the upgrade script of the version under development"
}
frozen funnel--0.1.sql f33376f9d37ff8882301ab8cda67688ffe07c23a5539a4f1dc425a14240f5366
frozen funnel--0.1--0.2.sql f84bc6c4df7d38efcc15259307c8cf1f389dc751492cd6f97f00ca1dbf097f8f

dbs="funnel_upgrade_views funnel_upgrade_plans"
for from in 0.1 0.2; do
	dbs="$dbs funnel_upgrade_${from/./_} funnel_fresh_${from/./_} funnel_fresh_${from/./_}_text funnel_fresh_${from/./_}_binary"
done
for db in $dbs; do
	fresh_db "$db" || exit 1
done

# upgrade_from FROM: the checks above the "From 0.1 also" of the header, for
# a database made with version FROM
upgrade_from() {
	local from=$1 db=funnel_upgrade_${1/./_} fresh=funnel_fresh_${1/./_} seeds=() tables ntables before after version
	[ "$from" = 0.1 ] || seeds=(-f test/sql/state_seeds.sql)
	q -d "$db" -c "CREATE EXTENSION funnel VERSION '$from'" -f test/sql/fuzz_lib.sql -f test/sql/fuzz_seeds.sql \
		-f test/sql/rollup_tables.sql "${seeds[@]}" -f test/sql/fingerprint.sql >/dev/null || return 1
	version=$(q -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'funnel'")
	[ "$version" = "$from" ] || { fail "CREATE EXTENSION funnel VERSION '$from' installed $version"; return 1; }
	tables=$(q -At -d "$db" -c "SELECT relname || ' ' || format_type(a.atttypid, NULL) FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'v' WHERE relname LIKE 'rollup\_%' AND relkind = 'r' ORDER BY 1")
	ntables=$(echo "$tables" | wc -l)
	# 0.1: 5 types; 0.2: 6, and 6 value-type states
	[ "$ntables" -eq "$([ "$from" = 0.1 ] && echo 5 || echo 12)" ] ||
		fail "$from: a table for each type expected, got: $tables"

	# saved before the update, in both COPY formats (the server writes the files)
	copy_out() {
		local suffix=$1 table
		while read -r table _; do
			q -d "$db" -c "COPY $table TO '$work/$from.$table.text'" &&
				q -d "$db" -c "COPY $table TO '$work/$from.$table.$suffix' WITH (FORMAT binary)" || return 1
		done <<<"$tables"
	}
	copy_out binary || return 1
	before=$(q -At -d "$db" -c 'SELECT * FROM public.fingerprint()')
	echo "$before" | sed "s/^/$from before: /"

	q -d "$db" -c 'ALTER EXTENSION funnel UPDATE' || return 1
	version=$(q -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'funnel'")
	[ "$version" = "$default" ] || fail "$from: ALTER EXTENSION funnel UPDATE reached $version, not $default"

	# the upgraded catalog is the fresh one
	q -d "$fresh" -c 'CREATE EXTENSION funnel' || return 1
	q -At -d "$db" -f test/sql/extension_catalog.sql >"$work/$from.upgraded.catalog" || return 1
	q -At -d "$fresh" -f test/sql/extension_catalog.sql >"$work/$from.fresh.catalog" || return 1
	objects=$(wc -l <"$work/$from.fresh.catalog")
	[ "$objects" -gt 100 ] || fail "a fresh install lists only $objects objects"
	if cmp -s "$work/$from.upgraded.catalog" "$work/$from.fresh.catalog"; then
		echo "catalog: upgraded from $from = fresh install of $default ($objects objects)"
	else
		fail "catalog: upgraded from $from and fresh installs differ"
		diff "$work/$from.fresh.catalog" "$work/$from.upgraded.catalog" | head -40
	fi

	# stored values read back identically
	after=$(q -At -d "$db" -c 'SELECT * FROM public.fingerprint()')
	if [ "$after" = "$before" ] && [ -n "$before" ]; then
		echo "stored values of $from: identical after the update"
	else
		fail "stored values of $from differ after the update"
		diff <(echo "$before") <(echo "$after")
	fi

	# binary COPY after the update writes the same bytes
	copy_out binary_after || return 1
	while read -r table _; do
		cmp -s "$work/$from.$table.binary" "$work/$from.$table.binary_after" ||
			fail "$from: $table: binary COPY differs after the update"
	done <<<"$tables"

	# the saved files load into a fresh install of the default version identically
	local format got
	for format in text binary; do
		if ! load_copies "${fresh}_$format" "$format" "$from" "$tables"; then
			fail "$from: $format COPY files do not load"
			continue
		fi
		got=$(q -At -d "${fresh}_$format" -c 'SELECT * FROM public.fingerprint()')
		if [ "$got" = "$before" ]; then
			echo "$format COPY of $from's values: identical in a fresh install of $default"
		else
			fail "$format COPY of $from's values differs in a fresh install"
			diff <(echo "$before") <(echo "$got")
		fi
	done
}

# load_copies DB FORMAT FROM TABLES: the COPY files of FROM's tables into a fresh install
load_copies() {
	local db=$1 format=$2 from=$3 table type options=
	[ "$format" = binary ] && options=' WITH (FORMAT binary)'
	q -d "$db" -c 'CREATE EXTENSION funnel' -f test/sql/fingerprint.sql >/dev/null || return 1
	while read -r table type; do
		q -d "$db" -c "CREATE TABLE $table (id int PRIMARY KEY, v $type, arr $type[])" \
			-c "COPY $table FROM '$work/$from.$table.$format'$options" || return 1
	done <<<"$4"
}

for from in 0.1 0.2; do
	upgrade_from "$from" || fail "the upgrade from $from did not run to its end"
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
