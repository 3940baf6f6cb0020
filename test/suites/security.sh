#!/usr/bin/env bash
# Security of funnel:
# 1. no SECURITY DEFINER function; PUBLIC may execute every function and use
#    every type; an install script has no CREATE OR REPLACE, an upgrade
#    script only of its previous version's functions (a trusted extension's
#    script runs as superuser and must not adopt objects a user created
#    first);
# 2. every function works for an ordinary role (test/sql/security_calls.sql,
#    which must name every function but the support functions of types,
#    operators, casts and aggregates);
# 3. SQL-language functions are safe against a hostile search_path: each is
#    called (test/sql/security_sql_calls.sql) with search_path = hostile,
#    pg_catalog, <funnel's schema>, where schema hostile shadows every
#    function, operator and type their bodies name (test/sql/security_traps.sql);
#    the results must equal those under the normal search_path;
# 4. funnel.control's trusted setting holds: when trusted, a database owner
#    without superuser creates the extension and uses it; when not, such an
#    owner is refused.
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
# The ordinary role and the database owner never log in: the suite connects
# as the superuser of PG* and becomes them with SET SESSION AUTHORIZATION,
# which works under any authentication (a stock Debian server lets only the
# operating-system user of the same name in over its socket).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster security
export PGOPTIONS="-c client_min_messages=warning"

plain=funnel_sec_plain
owner=funnel_sec_owner
not_theirs db funnel_sec funnel_sec_owned && not_theirs role $plain $owner || exit 1
cleanup() {
	q -At -d postgres -c 'DROP DATABASE IF EXISTS funnel_sec' -c 'DROP DATABASE IF EXISTS funnel_sec_owned' \
		-c "DROP ROLE IF EXISTS $plain" -c "DROP ROLE IF EXISTS $owner"
}
cleanup || exit 1
trap 'cleanup; stop_own_cluster' EXIT
q -At -d postgres -c "CREATE ROLE $plain NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
	-c "CREATE ROLE $owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
	-c 'CREATE DATABASE funnel_sec' -c "CREATE DATABASE funnel_sec_owned OWNER $owner" || exit 1
# as ROLE psql-arguments...: psql connected as the superuser, then as ROLE
as() {
	local role=$1
	shift
	psql -X -q -c "SET SESSION AUTHORIZATION $role" "$@"
}
q -At -d funnel_sec -c 'CREATE EXTENSION funnel' || exit 1
extschema=$(q -At -d funnel_sec -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'funnel'")

# 1. privileges and the install script
bad=$(q -At -d funnel_sec <<SQL
WITH ext AS (
  SELECT d.classid, d.objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
  WHERE e.extname = 'funnel' AND d.deptype = 'e'
)
SELECT 'security definer: ' || p.oid::regprocedure FROM pg_proc p JOIN ext ON ext.objid = p.oid
  WHERE ext.classid = 'pg_proc'::regclass AND p.prosecdef
UNION ALL
SELECT 'not executable by an ordinary role: ' || p.oid::regprocedure FROM pg_proc p JOIN ext ON ext.objid = p.oid
  WHERE ext.classid = 'pg_proc'::regclass AND NOT has_function_privilege('$plain', p.oid, 'EXECUTE')
UNION ALL
SELECT 'type not usable by an ordinary role: ' || t.oid::regtype FROM pg_type t JOIN ext ON ext.objid = t.oid
  WHERE ext.classid = 'pg_type'::regclass AND NOT has_type_privilege('$plain', t.oid, 'USAGE');
SQL
) || exit 1
[ -z "$bad" ] || fail "$bad"
# The scripts: no SECURITY DEFINER anywhere; no CREATE OR REPLACE in an
# install script; in an upgrade script only of a function an earlier script
# created (PostgreSQL refuses to replace an object the extension does not
# own, so a user's look-alike is never adopted)
extdir="$("$PG_CONFIG" --sharedir)/extension"
grep -niE 'security[[:space:]]+definer' "$extdir"/funnel--*.sql &&
	fail "a script defines SECURITY DEFINER functions"
for script in "$extdir"/funnel--*.sql; do
	case ${script##*/} in
	funnel--*--*.sql)
		from=${script##*/funnel--}
		from=${from%%--*}
		for name in $(grep -ioE 'create[[:space:]]+or[[:space:]]+replace[[:space:]]+function[[:space:]]+[a-z_0-9]+' "$script" | awk '{print $NF}'); do
			grep -qiE "^create[[:space:]]+function[[:space:]]+$name\(" "$extdir/funnel--$from.sql" ||
				fail "${script##*/} replaces $name, which funnel $from does not have"
		done
		grep -inE 'create[[:space:]]+or[[:space:]]+replace' "$script" | grep -viE 'replace[[:space:]]+function' &&
			fail "${script##*/} replaces an object that is not a function"
		;;
	*)
		grep -niE 'create[[:space:]]+or[[:space:]]+replace' "$script" &&
			fail "the install script ${script##*/} replaces objects"
		;;
	esac
done

# 2. every function works for an ordinary role
missing=""
for f in $(q -At -d funnel_sec <<'SQL'
WITH ext AS (
  SELECT d.objid AS oid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
  WHERE e.extname = 'funnel' AND d.deptype = 'e' AND d.classid = 'pg_proc'::regclass
), support AS (
  SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze]::oid[]) FROM pg_type
  UNION SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                            aggmtransfn, aggminvtransfn, aggmfinalfn]::oid[]) FROM pg_aggregate
  UNION SELECT unnest(ARRAY[oprcode, oprrest, oprjoin]::oid[]) FROM pg_operator
  UNION SELECT amproc FROM pg_amproc
  UNION SELECT castfunc FROM pg_cast
  UNION SELECT prosupport FROM pg_proc
)
SELECT DISTINCT proname FROM pg_proc WHERE oid IN (SELECT oid FROM ext) AND oid NOT IN (SELECT * FROM support)
SQL
); do
	grep -qw -- "$f" test/sql/security_calls.sql || missing="$missing $f"
done
[ -z "$missing" ] || fail "test/sql/security_calls.sql does not call:$missing"
as $plain -d funnel_sec -f test/sql/security_calls.sql 2>&1 >/dev/null ||
	fail "a function failed for an ordinary role"

# 3. hostile search_path
q -At -d funnel_sec -f test/sql/security_traps.sql >/dev/null || exit 1
sqlfuncs=$(q -At -d funnel_sec <<'SQL'
SELECT DISTINCT p.proname FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
JOIN pg_language l ON l.oid = p.prolang
WHERE l.lanname NOT IN ('c', 'internal')
SQL
)
for f in $sqlfuncs; do
	grep -q -- "$extschema\.$f(" test/sql/security_sql_calls.sql ||
		fail "test/sql/security_sql_calls.sql has no call of $extschema.$f"
done
ncalls=0
while IFS= read -r call; do
	case $call in '' | --*) continue ;; esac
	ncalls=$((ncalls + 1))
	want=$(as $plain -v ON_ERROR_STOP=1 -At -d funnel_sec -c "$call" 2>&1) || fail "$call: $want"
	got=$(PGOPTIONS="$PGOPTIONS -c search_path=hostile,pg_catalog,$extschema" as $plain -v ON_ERROR_STOP=1 -At -d funnel_sec -c "$call" 2>&1)
	[ "$got" = "$want" ] || fail "under a hostile search_path: $call
  normal:  $want
  hostile: $got"
done <test/sql/security_sql_calls.sql
echo "security: $(echo $sqlfuncs | wc -w) SQL-language functions, $ncalls calls under a hostile search_path"

# 4. trusted or not, as funnel.control says
control="$("$PG_CONFIG" --sharedir)/extension/funnel.control"
if grep -qE '^[[:space:]]*trusted[[:space:]]*=[[:space:]]*(true|on|yes|1)' "$control"; then
	as $owner -v ON_ERROR_STOP=1 -At -d funnel_sec_owned -c 'CREATE EXTENSION funnel' ||
		fail "trusted, but a database owner cannot create the extension"
	as $owner -d funnel_sec_owned -f test/sql/security_calls.sql >/dev/null ||
		fail "a function failed for the owner of a database with the trusted extension"
	as $plain -d funnel_sec_owned -f test/sql/security_calls.sql >/dev/null ||
		fail "a function failed for an ordinary role in a database with the trusted extension"
	as $owner -v ON_ERROR_STOP=1 -At -d funnel_sec_owned -c 'DROP EXTENSION funnel' ||
		fail "the database owner cannot drop the trusted extension"
	echo "security: trusted; created, used and dropped by a database owner without superuser"
else
	out=$(as $owner -v ON_ERROR_STOP=1 -d funnel_sec_owned -v VERBOSITY=verbose -c 'CREATE EXTENSION funnel' 2>&1) &&
		fail "not trusted, yet a database owner created the extension"
	grep -q 42501 <<<"$out" || fail "not trusted: expected 42501 for a database owner, got: $out"
	echo "security: not trusted; a database owner without superuser is refused (42501)"
fi

exit $failed
