#!/usr/bin/env bash
# sequence_match, sequence_count and retention against ClickHouse itself
# (Debian 12's clickhouse-server, ClickHouse 18.16): the same random rows in
# a PostgreSQL table and in a ClickHouse MergeTree table, and per group
# ClickHouse's sequenceMatch / sequenceCount of each pattern of the list
# below against funnel's sequence_match / sequence_count on the timestamptz
# axis (to_timestamp of ClickHouse's DateTime seconds) and on the bigint axis
# (the seconds), with boolean conditions and in the event-name form (on the
# column e); then retention with mutually exclusive conditions.  Prints one
# line per pattern with the number of differing groups (and up to three of
# them with their events and both answers), and fails if any group differs.
#
# The data: SEQCH_GROUPS groups (default 2000) of 1 to 30 rows, random with
# the seed SEQCH_SEED (default 1): distinct whole-second times within a
# group (ClickHouse orders equal times arbitrarily), gaps of 1 to 8 s and
# some of 10 to 300 s, four independent boolean conditions (a row satisfies
# none, one or several) and an event name (a, b, c, d or x).  Every group has
# rows (18.16 hangs on an empty input), at most 30 events, and no pattern
# has more than two explicit .*: far below 18.16's 1,000,000 backtracking
# steps; every V is below 2^32 (18.16 keeps it in 32 bits).  Left out, as
# 18.16 differs there from the ClickHouse funnel follows: (?t==V), NULL
# conditions (ClickHouse drops the row), equal times, and retention with a
# row satisfying several conditions (18.16 counts only the first).  18.16's
# read past the end of a pattern is worked around (see "ClickHouse: every
# pattern" below).
#
# Needs clickhouse-server and clickhouse-client; when missing, installed
# with apt (as root).  The suite needs PostgreSQL, so it is not a "# once:"
# suite; instead it runs where apt has ClickHouse: Debian 12, CI's host step.
# Where apt has no such package (Debian 13 and testing dropped ClickHouse:
# CI's roots) it says skipped; where the package exists but cannot be
# installed it says skipped too, except under CI=true, where that fails, as
# does a Debian 12 whose apt lacks it.  The ClickHouse server is a private
# one (its own directory under /tmp, a free TCP port on 127.0.0.1,
# max_threads = 1), stopped on exit.  Uses the cluster in PG* (as
# test/run-tests sets it) or starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"
t0=$(date +%s)

have_clickhouse() { command -v clickhouse-server >/dev/null && command -v clickhouse-client >/dev/null; }
ch_candidate() {
	local c
	c=$(apt-cache policy clickhouse-server 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ "$c" = '(none)' ] || printf '%s' "$c"
}
# Debian 12, where the package is known to exist: CI must run the suite there
bookworm=0
grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null && bookworm=1
if ! have_clickhouse; then
	root=0
	[ "$(id -u)" -eq 0 ] && root=1
	candidate=$(ch_candidate)
	# apt's lists may be missing or old on a fresh machine
	if [ -z "$candidate" ] && [ $root -eq 1 ]; then
		apt_quiet apt-get update -q && candidate=$(ch_candidate)
	fi
	if [ -z "$candidate" ]; then
		if [ "${CI:-}" = true ] && [ $bookworm -eq 1 ]; then
			echo "FAILED: apt has no clickhouse-server on this Debian 12"
			exit 1
		fi
		echo "skipped: no clickhouse-server package in apt here (ClickHouse 18.16 is packaged in Debian 12, not later)"
		exit 0
	fi
	if [ $root -eq 1 ]; then
		say "funnel: installing clickhouse-server clickhouse-client ($candidate)"
		apt_quiet apt-get install -y -q clickhouse-server clickhouse-client ||
			{ apt_quiet apt-get update -q && apt_quiet apt-get install -y -q clickhouse-server clickhouse-client; }
	fi
	if ! have_clickhouse; then
		if [ "${CI:-}" = true ]; then
			echo "FAILED: clickhouse-server $candidate is in apt but could not be installed (as root: apt-get install -y clickhouse-server clickhouse-client)"
			exit 1
		fi
		echo "skipped: clickhouse-server is not installed; as root: apt-get install -y clickhouse-server clickhouse-client"
		exit 0
	fi
fi

use_or_start_cluster seqch
db=funnel_seqch
export PGOPTIONS='-c client_min_messages=warning -c timezone=UTC -c max_parallel_workers_per_gather=0' PGDATABASE=$db
groups=${SEQCH_GROUPS:-2000}
seed=${SEQCH_SEED:-1}

not_theirs db "$db" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-seqch.XXXXXX")
chmod 755 "$work"
ch_pid=
cleanup() {
	local i
	if [ -n "$ch_pid" ]; then
		kill "$ch_pid" 2>/dev/null
		for i in $(seq 1 40); do
			kill -0 "$ch_pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -9 "$ch_pid" 2>/dev/null
		wait "$ch_pid" 2>/dev/null
	fi
	rm -rf "$work"
	q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	stop_own_cluster
}
trap cleanup EXIT

# a free TCP port on 127.0.0.1 for ClickHouse's native protocol
ch_port=
start=$((19000 + RANDOM % 900))
for p in $(seq "$start" $((start + 99))); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		ch_port=$p
		break
	fi
done
[ -n "$ch_port" ] || { echo "FAILED: no free TCP port for ClickHouse in $start..$((start + 99))"; exit 1; }

# ch [clickhouse-client args...]: a query on the private server; 18.16 can
# spin for ever on some inputs, so each call has a time limit
ch() { timeout 120 clickhouse-client --host 127.0.0.1 --port "$ch_port" "$@"; }

mkdir -p "$work/ch/data" "$work/ch/tmp" "$work/ch/user_files"
cat >"$work/ch/config.xml" <<EOF
<yandex>
  <logger><level>warning</level><log>$work/ch/server.log</log><errorlog>$work/ch/error.log</errorlog></logger>
  <tcp_port>$ch_port</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$work/ch/data/</path>
  <tmp_path>$work/ch/tmp/</tmp_path>
  <user_files_path>$work/ch/user_files/</user_files_path>
  <users_config>$work/ch/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
EOF
cat >"$work/ch/users.xml" <<EOF
<yandex>
  <profiles><default><max_threads>1</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
EOF
# the server must not inherit descriptors such as a caller's flock(1) lock
(close_inherited_fds; exec clickhouse-server --config-file="$work/ch/config.xml") >"$work/ch/stdout.log" 2>&1 &
ch_pid=$!
for i in $(seq 1 120); do
	ch -q 'SELECT 1' >/dev/null 2>&1 && break
	kill -0 "$ch_pid" 2>/dev/null || break
	sleep 0.25
done
if ! ch -q 'SELECT 1' >/dev/null 2>&1; then
	echo "FAILED: the ClickHouse server did not start"
	tail -n 20 "$work/ch/error.log" "$work/ch/stdout.log" 2>/dev/null
	exit 1
fi
ch_version=$(ch -q 'SELECT version()')
echo "ClickHouse $ch_version on port $ch_port ($(($(date +%s) - t0)) s)"

# the rows, in PostgreSQL: per group 1 to 30 rows, gaps of 1 to 8 s with now
# and then 10 to 300 s, inserted in random order
fresh_db "$db" || exit 1
q -c 'CREATE EXTENSION funnel' || exit 1
q -o /dev/null <<SQL || exit 1
SELECT setseed(1.0 / (1 + $seed));
CREATE TABLE grp AS
SELECT g, 1 + floor(random() * 30)::int AS n, 1500000000 + floor(random() * 500000000)::bigint AS t0
FROM generate_series(1, $groups) g;
CREATE TABLE step AS
SELECT g, i, t0,
       CASE WHEN random() < 0.15 THEN 10 + floor(random() * 291) ELSE 1 + floor(random() * 8) END::bigint AS gap,
       random() < 0.35 AS c1, random() < 0.35 AS c2, random() < 0.3 AS c3, random() < 0.25 AS c4,
       (ARRAY['a', 'b', 'c', 'd', 'x'])[1 + floor(random() * 5)::int] AS e
FROM grp, generate_series(1, n) i;
CREATE TABLE ev AS
SELECT g, t, to_timestamp(t) AS ts, c1, c2, c3, c4, e
FROM (SELECT g, (t0 + sum(gap) OVER (PARTITION BY g ORDER BY i))::bigint AS t, c1, c2, c3, c4, e FROM step) s
ORDER BY random();
DROP TABLE step;
CREATE INDEX ON ev (g);
ANALYZE ev;
SQL
rows=$(q -At -c 'SELECT count(*) FROM ev') || exit 1
q -At -c "SELECT 'rows: ' || count(*) || ' in ' || count(DISTINCT g) || ' groups; rows satisfying none of c1..c4: ' ||
                 count(*) FILTER (WHERE NOT (c1 OR c2 OR c3 OR c4)) || ', several: ' ||
                 count(*) FILTER (WHERE c1::int + c2::int + c3::int + c4::int > 1) FROM ev"

# the same rows in ClickHouse (DateTime from the seconds)
ch -q 'CREATE TABLE ev (g UInt32, t DateTime, c1 UInt8, c2 UInt8, c3 UInt8, c4 UInt8, e String) ENGINE = MergeTree ORDER BY (g, t)' ||
	{ echo "FAILED: creating the ClickHouse table"; exit 1; }
q -c '\copy (SELECT g, t, c1::int, c2::int, c3::int, c4::int, e FROM ev) TO STDOUT' |
	ch -q 'INSERT INTO ev FORMAT TabSeparated' || { echo "FAILED: loading the rows into ClickHouse"; exit 1; }
# the same rows on both sides: count, times, conditions and names summed
pg_sum=$(q -At -F ' ' -c "SELECT count(*), sum(t), sum(g * (c1::int + 2 * c2::int + 4 * c3::int + 8 * c4::int)), sum(g * ascii(e)) FROM ev") ||
	exit 1
ch_sum=$(ch -q "SELECT count(), sum(toUInt32(t)), sum(g * (c1 + 2 * c2 + 4 * c3 + 8 * c4)), sum(g * reinterpretAsUInt8(e)) FROM ev" | tr '\t' ' ')
[ "$ch_sum" = "$pg_sum" ] || { echo "FAILED: the rows differ: ClickHouse $ch_sum, PostgreSQL $pg_sum (count, sum of times, of conditions, of names)"; exit 1; }
echo "data loaded into both ($(($(date +%s) - t0)) s)"

# The patterns, "N|PATTERN": N conditions passed (c1..cN; in the event-name
# form e = 'a', 'b', ... in that order), often more than the pattern names
# (a row satisfying only an unnamed one is still an event).  Every construct
# of 18.16: (?N), ., .*, (?t<V), (?t<=V), (?t>V), (?t>=V) with V near the
# gaps, leading and trailing time conditions, .* and . before a time
# condition, the empty pattern, and patterns of only stars and time
# conditions (most of which ClickHouse matches on every group).
patterns=(
	# (?N) and adjacency
	'2|(?1)(?2)'
	'4|(?1)(?2)'
	'3|(?2)(?1)(?3)'
	'4|(?3)(?3)'
	'2|(?1)(?1)(?1)'
	# . and .*
	'3|(?1).(?2)'
	'4|.(?4).'
	'2|.'
	'4|..'
	'3|.*'
	'4|(?1).*(?2)'
	'3|(?1).*(?2).*(?3)'
	'2|(?1).*'
	'4|.*(?4)'
	'4|(?2).*(?1).(?3)'
	# the empty pattern
	'2|'
	'4|'
	# a time condition between events, V around the gaps (1 to 8 s, some 10 to 300 s)
	'4|(?1)(?t<5)(?2)'
	'3|(?1)(?t<=5)(?2)'
	'4|(?1)(?t>5)(?2)'
	'2|(?1)(?t>=5)(?2)'
	'2|(?1)(?t<=1)(?2)'
	'4|(?1)(?t<=2)(?1)'
	'3|(?1)(?t>20)(?1)'
	'3|(?1)(?t<=3)(?2)(?t<=10)(?3)'
	'4|(?1)(?t>=3)(?2)(?t>=3)(?3)'
	'4|(?1)(?2)(?t<=30)(?3)(?4)'
	'4|(?4)(?t>=100)(?1)(?t<4)(?2)'
	'3|(?1)(?t>1000)(?2)'
	# leading and trailing time conditions
	'3|(?t<=2)(?1)'
	'4|(?t>10)(?2)'
	'2|(?t>=3)(?1)(?2)'
	'2|(?1)(?t<=3)'
	'4|(?1)(?t>20)'
	'3|(?1)(?t>=0)'
	'3|(?1)(?t<1)'
	'4|(?2)(?t>=4)'
	'3|(?1)(?2)(?t<6)'
	# .* then a time condition, and a time condition then .*
	'4|(?1).*(?t<=2)(?2)'
	'3|(?1).*(?t>5)(?2)'
	'2|(?1).*(?t>=10)(?2)'
	'4|.*(?t<3)(?3)'
	'3|(?1)(?t<=60).*(?2)'
	'4|(?2)(?t>3).*(?t<=5)(?1)'
	'2|.*(?t>5)'
	# . then a time condition
	'4|(?1).(?t<=4)(?3)'
	'3|(?1).(?t>3)(?2)'
	'4|.(?t>=8).'
	# only stars and time conditions
	'2|(?t<0)'
	'3|.*(?t<=5)'
	'2|(?t>=0)'
	'4|(?t>2)'
)
# retention's conditions: mutually exclusive (18.16 counts only the first
# true condition of a row), event names
retentions=("'a', 'b'" "'a', 'b', 'c', 'd'" "'x', 'c', 'a'")
# patterns both must refuse (with 3 conditions): two time conditions in a
# row, whitespace, a condition out of range, a missing number or
# parenthesis, a stray character, a fraction, a sign, an operator 18.16 and
# funnel lack
refused=('(?1)(?t<8)(?t<9)' '(?1) (?2)' '(?4)' '(?1)(?t<=)(?2)' '(?1' 'a' '(?1)*' '(?1)(?t<=1.5)(?2)' '(?-1)'
	'(?1)(?t!=5)(?2)')

# args N: the arrays cs (c1 ... cN), es (e = 'a' ... for the Nth name) and
# steps ('a' ...)
letters=(a b c d)
args() {
	local k
	cs=() es=() steps=()
	for ((k = 0; k < $1; k++)); do
		cs+=("c$((k + 1))")
		es+=("e = '${letters[k]}'")
		steps+=("'${letters[k]}'")
	done
}
# eqs LIST: retention's conditions from a list of names
eqs() { sed "s/'\([a-z]\)'/e = '\1'/g" <<<"$1"; }

q -c 'CREATE TABLE ch_res (pid int, g int, m int, c bigint, me int, ce bigint, calls_differ int)' \
	-c 'CREATE TABLE pg_res (pid int, g int, m_tz int, c_tz bigint, m_bi int, c_bi bigint,
	                         me_tz int, ce_tz bigint, me_bi int, ce_bi bigint)' \
	-c 'CREATE TABLE ret_ch (rid int, g int, r text)' -c 'CREATE TABLE ret_pg (rid int, g int, r text)' \
	-c 'CREATE TABLE pat (pid int, n int, p text)' -c 'CREATE TABLE ret (rid int, conds text)' || exit 1
for rid in "${!retentions[@]}"; do
	printf '%s\t%s\n' "$rid" "$(eqs "${retentions[$rid]}")"
done | q -c '\copy ret FROM STDIN' || exit 1
for pid in "${!patterns[@]}"; do
	printf '%s\t%s\t%s\n' "$pid" "${patterns[$pid]%%|*}" "${patterns[$pid]#*|}"
done | q -c '\copy pat FROM STDIN' || exit 1

# spell K ARG...: the arguments as ClickHouse instance K of a call gets them
# (K > 0: each as "(ARG) + K > K", the same value under another name)
spell() {
	local k=$1 a out=
	shift
	for a in "$@"; do
		if [ "$k" -eq 0 ]; then out+=", $a"; else out+=", ($a) + $k > $k"; fi
	done
	echo "${out#, }"
}

# ClickHouse: every pattern, one query each.  18.16's search, when the
# events run out (or every start failed) with only .*, (?t<V), (?t<=V) or
# (?t>=0) left to the pattern's end, skips those and reads the action after
# the last one: memory past its array, so that the answer, which should be a
# match, is a match or not depending on what lies there (the same for the
# whole query, different between two calls of the same pattern; e.g. '' on
# a group without events: 1 in one call, 0 in another).  Such a failure only
# ever turns a match into none (and ends sequenceCount's loop early), so for
# the patterns that end in one of those ClickHouse computes each result in
# four calls spelled differently and the highest answer is compared; groups
# where its calls disagree are counted and shown.
: >"$work/ch.tsv"
for pid in "${!patterns[@]}"; do
	n=${patterns[$pid]%%|*}
	p=${patterns[$pid]#*|}
	args "$n"
	calls=1
	[[ $p =~ (^|\.\*|\(\?t<=?[0-9]+\)|\(\?t>=0+\))$ ]] && calls=4
	m= c= me= ce=
	for ((k = 0; k < calls; k++)); do
		m+=", sequenceMatch('$p')(t, $(spell $k "${cs[@]}"))"
		c+=", sequenceCount('$p')(t, $(spell $k "${cs[@]}"))"
		me+=", sequenceMatch('$p')(t, $(spell $k "${es[@]}"))"
		ce+=", sequenceCount('$p')(t, $(spell $k "${es[@]}"))"
	done
	if ! ch -q "SELECT $pid, g, arrayReduce('max', m), arrayReduce('max', c), arrayReduce('max', me), arrayReduce('max', ce),
	                   arrayReduce('min', m) != arrayReduce('max', m) OR arrayReduce('min', c) != arrayReduce('max', c) OR
	                   arrayReduce('min', me) != arrayReduce('max', me) OR arrayReduce('min', ce) != arrayReduce('max', ce)
	            FROM (SELECT g, [${m#, }] AS m, [${c#, }] AS c, [${me#, }] AS me, [${ce#, }] AS ce FROM ev GROUP BY g)
	            FORMAT TabSeparated" >>"$work/ch.tsv" 2>"$work/ch.err"; then
		fail "ClickHouse refused '$p' ($n conditions): $(head -c 300 "$work/ch.err")"
	fi
done
for rid in "${!retentions[@]}"; do
	ch -q "SELECT $rid, g, toString(retention($(eqs "${retentions[$rid]}"))) FROM ev GROUP BY g FORMAT TabSeparated" \
		>>"$work/ret.tsv" 2>"$work/ch.err" || fail "ClickHouse's retention(${retentions[$rid]}) failed: $(head -c 300 "$work/ch.err")"
done
echo "ClickHouse's results: ${#patterns[@]} patterns, ${#retentions[@]} retentions ($(($(date +%s) - t0)) s)"
q -c "\\copy ch_res FROM '$work/ch.tsv'" -c "\\copy ret_ch FROM '$work/ret.tsv'" ||
	exit 1

# funnel: the same, on both axes and in the event-name form
for pid in "${!patterns[@]}"; do
	n=${patterns[$pid]%%|*}
	p=${patterns[$pid]#*|}
	args "$n"
	c=$(spell 0 "${cs[@]}")
	s="ARRAY[$(spell 0 "${steps[@]}")]"
	if ! q -c "INSERT INTO pg_res
	           SELECT $pid, g, sequence_match('$p', ts, $c)::int, sequence_count('$p', ts, $c),
	                  sequence_match('$p', t, $c)::int, sequence_count('$p', t, $c),
	                  sequence_match('$p', ts, e, $s)::int, sequence_count('$p', ts, e, $s),
	                  sequence_match('$p', t, e, $s)::int, sequence_count('$p', t, e, $s)
	           FROM ev GROUP BY g" 2>"$work/pg.err"; then
		fail "funnel refused '$p' ($n conditions): $(grep -m1 ERROR "$work/pg.err" | head -c 300)"
	fi
done
for rid in "${!retentions[@]}"; do
	q -c "INSERT INTO ret_pg SELECT $rid, g, retention($(eqs "${retentions[$rid]}"))::text FROM ev GROUP BY g" 2>"$work/pg.err" ||
		fail "funnel's retention(${retentions[$rid]}) failed: $(grep -m1 ERROR "$work/pg.err" | head -c 300)"
done
echo "funnel's results ($(($(date +%s) - t0)) s)"

# the refused patterns: a group's worth of rows each (18.16 hangs on none)
for p in "${refused[@]}"; do
	ch_out=$(ch -q "SELECT sequenceMatch('$p')(t, c1, c2, c3) FROM ev WHERE g = 1" 2>&1)
	ch_rc=$?
	pg_out=$(q -At -c "SELECT sequence_match('$p', ts, c1, c2, c3) FROM ev WHERE g = 1" 2>&1)
	pg_rc=$?
	if [ $ch_rc -ne 0 ] && [ $pg_rc -ne 0 ]; then
		echo "ok: both refuse '$p': ClickHouse: $(sed -n 's/.*DB::Exception: \(.*[^. ]\)[. ]*$/\1/p' <<<"$ch_out" | head -n 1); funnel: $(head -n 1 <<<"${pg_out#ERROR:  }")"
	else
		echo "FAILED: '$p': ClickHouse $([ $ch_rc -eq 0 ] && echo "accepts it ($ch_out)" || echo refuses it), funnel $([ $pg_rc -eq 0 ] && echo "accepts it ($pg_out)" || echo "refuses it ($(head -n 1 <<<"${pg_out#ERROR:  }"))")"
	fi
done >"$work/refused"

# The comparison: per pattern the groups where funnel's result differs from
# ClickHouse's on either axis or in the event-name form (a group missing on
# one side differs), and the share of groups ClickHouse matched (so that a
# pattern which never or always matches shows); up to three differing groups
# with their events (seconds since the group's first row : the conditions
# passed that hold / the name) and both results
q -At >"$work/report" <<'SQL' || { echo "FAILED: the comparison query"; exit 1; }
CREATE TEMP TABLE d AS
SELECT pid, g, ch.m, ch.c, ch.me, ch.ce, ch.calls_differ, pg.m_tz, pg.c_tz, pg.m_bi, pg.c_bi, pg.me_tz, pg.ce_tz, pg.me_bi, pg.ce_bi,
       (ch.m, ch.c) IS DISTINCT FROM (pg.m_tz, pg.c_tz) AS d_tz,
       (ch.m, ch.c) IS DISTINCT FROM (pg.m_bi, pg.c_bi) AS d_bi,
       (ch.me, ch.ce) IS DISTINCT FROM (pg.me_tz, pg.ce_tz) AS d_etz,
       (ch.me, ch.ce) IS DISTINCT FROM (pg.me_bi, pg.ce_bi) AS d_ebi
FROM ch_res ch FULL JOIN pg_res pg USING (pid, g);
CREATE TEMP TABLE s AS
SELECT pid, count(*) AS groups,
       count(*) FILTER (WHERE d_tz OR d_bi OR d_etz OR d_ebi) AS differ,
       count(*) FILTER (WHERE d_tz) AS tz, count(*) FILTER (WHERE d_bi) AS bi,
       count(*) FILTER (WHERE d_etz) AS etz, count(*) FILTER (WHERE d_ebi) AS ebi,
       count(*) FILTER (WHERE calls_differ = 1) AS calls_differ, count(*) FILTER (WHERE m = 1) AS matched, count(*) FILTER (WHERE me = 1) AS ematched, max(c) AS maxc
FROM d GROUP BY pid;
SELECT line FROM (
    SELECT pid, 0 AS rows, 0 AS g,
           CASE WHEN s.differ = 0 THEN 'ok: ' ELSE 'FAILED: ' END ||
           format('%-32s %s conditions: %s of %s groups differ', quote_literal(pat.p), pat.n,
                  coalesce(s.differ, 0), coalesce(s.groups, 0)) ||
           CASE WHEN s.calls_differ > 0
                THEN format(' (ClickHouse''s calls disagreed in %s groups: 18.16 read past the pattern)', s.calls_differ)
                ELSE '' END ||
           CASE WHEN s.differ = 0
                THEN format(' (ClickHouse matched %s, with names %s; counts up to %s)', s.matched, s.ematched, s.maxc)
                WHEN s.differ > 0
                THEN format(' (timestamptz %s, bigint %s, event names %s and %s)', s.tz, s.bi, s.etz, s.ebi)
                ELSE ' (no results from either)' END AS line
    FROM pat LEFT JOIN s USING (pid)
    UNION ALL
    SELECT pat.pid, d.rows, d.g,
           format('  group %s: %s', d.g, ev.list) || E'\n' ||
           format('    ClickHouse %s %s, funnel %s %s (timestamptz) %s %s (bigint); names: ClickHouse %s %s, funnel %s %s, %s %s',
                  VARIADIC (SELECT array_agg(coalesce(x::text, 'none')) FROM unnest(ARRAY[d.m, d.c, d.m_tz, d.c_tz,
                      d.m_bi, d.c_bi, d.me, d.ce, d.me_tz, d.ce_tz, d.me_bi, d.ce_bi]) x))
    FROM pat
    CROSS JOIN LATERAL (
        SELECT d.*, grp.n AS rows FROM d JOIN grp USING (g)
        WHERE d.pid = pat.pid AND (d_tz OR d_bi OR d_etz OR d_ebi)
        ORDER BY rows, g LIMIT 3) d
    CROSS JOIN LATERAL (
        SELECT string_agg(format('%s:%s/%s', t - t0, coalesce(nullif(concat(
                   CASE WHEN c1 THEN '1' END, CASE WHEN c2 AND pat.n >= 2 THEN '2' END,
                   CASE WHEN c3 AND pat.n >= 3 THEN '3' END, CASE WHEN c4 AND pat.n >= 4 THEN '4' END), ''), '-'), e),
               ' ' ORDER BY t) AS list
        FROM ev, (SELECT min(t) AS t0 FROM ev WHERE g = d.g) f
        WHERE ev.g = d.g) ev
) r
ORDER BY pid, rows, g;
SELECT CASE WHEN n = 0 THEN 'ok: ' ELSE 'FAILED: ' END ||
       format('retention(%s): %s of %s groups differ (ClickHouse''s results: %s)', conds, n, groups, results) ||
       coalesce(': ' || array_to_string(examples[1:3], '; '), '')
FROM ret
LEFT JOIN (
    SELECT rid, count(*) AS groups, count(*) FILTER (WHERE c.r IS DISTINCT FROM p.r) AS n,
           array_agg(format('group %s ClickHouse %s funnel %s', g, coalesce(c.r, 'none'), coalesce(p.r, 'none')) ORDER BY g)
               FILTER (WHERE c.r IS DISTINCT FROM p.r) AS examples
    FROM (SELECT rid, g, translate(r, '[]', '{}') AS r FROM ret_ch) c FULL JOIN ret_pg p USING (rid, g)
    GROUP BY rid) x USING (rid)
CROSS JOIN LATERAL (
    SELECT array_to_string((array_agg(format('%s %s times', r, k) ORDER BY k DESC, r))[1:4], ', ') ||
           CASE WHEN count(*) > 4 THEN ', ...' ELSE '' END AS results
    FROM (SELECT r, count(*) AS k FROM ret_ch WHERE ret_ch.rid = ret.rid GROUP BY r) y) z
ORDER BY rid;
SQL
cat "$work/report" "$work/refused"
cat "$work/refused" >>"$work/report"
grep -q '^FAILED: ' "$work/report" && failed=1
echo "sequence clickhouse: ${#patterns[@]} patterns, ${#retentions[@]} retentions and ${#refused[@]} refused patterns over $groups groups ($rows rows) against ClickHouse $ch_version: $(grep -c '^ok: ' "$work/report") ok, $(grep -c '^FAILED: ' "$work/report") failed, in $(($(date +%s) - t0)) s"
exit "$failed"
