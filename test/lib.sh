# Shared set-up for the test and demo commands: packages, build, install and a
# throwaway PostgreSQL cluster.  Sourced, not run.

FUNNEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }

# Which PostgreSQL: the one whose pg_config PG_CONFIG names, else the
# pg_config on PATH (on Debian postgresql-common's wrapper, which runs the
# newest /usr/lib/postgresql/NN/bin/pg_config; that one comes with the
# client package, so the server and its headers may still be missing).
pg_config_candidate() {
	if [ -n "${PG_CONFIG:-}" ]; then
		printf '%s\n' "$PG_CONFIG"
	else
		command -v pg_config
	fi
}

# pg_major PG_CONFIG: the major version it reports, "17" of "PostgreSQL 17.6
# (Debian 17.6-0+deb13u1)" or of "PostgreSQL 18beta2"
pg_major() {
	"$1" --version 2>/dev/null | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p'
}

# The major version of the distribution's default PostgreSQL: what the
# metapackage postgresql depends on (postgresql-17 on Debian 13).
default_pg_major() {
	apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1
}

# The packages the PostgreSQL in use lacks, one a line: its server (initdb,
# pg_ctl, postgres) and its server headers (PGXS).  Only for a Debian-layout
# installation (/usr/lib/postgresql/NN/bin) or the pg_config found on PATH:
# a PG_CONFIG naming a build of one's own cannot be completed with apt.
pg_missing_packages() {
	local cand=$1 nn bindir debian=0 b
	nn=$(pg_major "$cand")
	if [ -z "$nn" ]; then
		say "funnel: $cand --version does not name a PostgreSQL version"
		return 1
	fi
	bindir=$("$cand" --bindir)
	{ [ "$bindir" = "/usr/lib/postgresql/$nn/bin" ] || [ -z "${PG_CONFIG:-}" ]; } && debian=1
	for b in initdb pg_ctl postgres psql; do
		[ -x "$bindir/$b" ] && continue
		[ $debian -eq 1 ] || { say "funnel: PG_CONFIG=$cand: no $b in $bindir"; return 1; }
		echo "postgresql-$nn"
		break
	done
	# postgresql-client-NN ships pgxs.mk too; the server headers are the
	# sign of postgresql-server-dev-NN
	if [ ! -f "$("$cand" --pgxs 2>/dev/null)" ] || [ ! -f "$("$cand" --includedir-server)/postgres.h" ]; then
		[ $debian -eq 1 ] || { say "funnel: PG_CONFIG=$cand: no PGXS or server headers ($("$cand" --pgxs), $("$cand" --includedir-server))"; return 1; }
		echo "postgresql-server-dev-$nn"
	fi
	return 0
}

# apt_quiet COMMAND...: an apt-get step whose output shows only when it
# fails; then the caller stops: a later step would fail for a reason that
# hides this one.  Its warnings and errors show always: apt-get update exits
# 0 when it could not fetch a list, and the install after it then fails with
# a message ("no installation candidate") that does not say why.
apt_quiet() {
	local log rc
	log=$(mktemp)
	DEBIAN_FRONTEND=noninteractive "$@" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		cat "$log" >&2
		say "funnel: '$*' failed (exit $rc; apt's output above)"
	else
		grep -E '^(W|E|Err):' "$log" >&2
	fi
	rm -f "$log"
	return $rc
}

# The distribution's default server and headers, one a line: by their
# versioned names when apt-cache knows them (postgresql-17 and
# postgresql-server-dev-17 on Debian 13), else the metapackages.
default_pg_packages() {
	local nn
	nn=$(default_pg_major)
	if [ -n "$nn" ]; then
		printf '%s\n' "postgresql-$nn" "postgresql-server-dev-$nn"
	else
		printf '%s\n' postgresql postgresql-server-dev-all
	fi
}

# Install what building and testing need (make, gcc, the packages given, and
# whatever the PostgreSQL in use lacks; on a machine with none, the
# distribution's default PostgreSQL); as a non-root user, print the command
# instead.
ensure_packages() {
	local wanted=(make gcc "$@") missing=() pg=() p cand out root=0 updated=0
	[ "$(id -u)" -eq 0 ] && root=1
	if [ -n "${PG_CONFIG:-}" ] && [ ! -x "$PG_CONFIG" ]; then
		say "funnel: PG_CONFIG=$PG_CONFIG is not an executable pg_config"
		exit 1
	fi
	cand=$(pg_config_candidate)
	if [ -n "$cand" ]; then
		out=$(pg_missing_packages "$cand") || exit 1
	else
		# no PostgreSQL at all; a fresh machine's lists may be empty or old,
		# and they name the default
		[ $root -eq 1 ] && { apt_quiet apt-get update -q || exit 1; updated=1; }
		out=$(default_pg_packages)
	fi
	[ -n "$out" ] && mapfile -t pg <<<"$out"
	for p in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	missing+=("${pg[@]}")
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ $root -eq 0 ]; then
		say "funnel: missing packages; run as root:"
		say "  apt-get update && apt-get install -y ${missing[*]}"
		exit 1
	fi
	[ $updated -eq 1 ] || apt_quiet apt-get update -q || exit 1
	say "funnel: installing ${missing[*]}"
	apt_quiet apt-get install -y -q "${missing[@]}" || exit 1
}

# The server-independent sources (the Makefile's PURE_SRCS), as paths.
pure_srcs() {
	sed -n 's/^PURE_SRCS = //p' "$FUNNEL_ROOT/Makefile" | tr ' ' '\n' | sed "s|^|$FUNNEL_ROOT/|"
}

# run_property_test NAME ITERATIONS: build test/fuzz/NAME.c, a randomized
# property test of a plain-C part of src/, with ASan and UBSan, and run it
# with seeds 1, 2 and 3; non-zero if the build or any run fails.
run_property_test() {
	local name=$1 iterations=$2 work seed rc=0 pure
	mapfile -t pure < <(pure_srcs)
	work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-$name.XXXXXX")
	gcc -std=gnu99 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
		-I"$FUNNEL_ROOT/src" -o "$work/$name" \
		"$FUNNEL_ROOT/test/fuzz/$name.c" "${pure[@]}" "$FUNNEL_ROOT/test/fuzz/fuzz_alloc.c" -lm || rc=1
	for seed in 1 2 3; do
		[ $rc -eq 0 ] || break
		"$work/$name" "$iterations" "$seed" || rc=1
	done
	rm -rf "$work"
	return $rc
}

# PG_CONFIG (as given, else the pg_config on PATH, pinned to the versioned
# one it runs so that every suite uses the same PostgreSQL even if another
# is installed meanwhile) and PG_BIN, its bindir, first on PATH.
find_pg_config() {
	local cand
	cand=$(pg_config_candidate)
	if [ -z "$cand" ] || [ ! -x "$cand" ]; then
		say "funnel: no pg_config${PG_CONFIG:+ at PG_CONFIG=$PG_CONFIG} (install postgresql-server-dev-NN, or set PG_CONFIG)"
		exit 1
	fi
	PG_BIN=$("$cand" --bindir) || exit 1
	if [ -z "${PG_CONFIG:-}" ] && [ -x "$PG_BIN/pg_config" ]; then
		cand=$PG_BIN/pg_config
	fi
	export PG_CONFIG=$cand
	export PATH="$PG_BIN:$PATH"
}

# The project's own CI builds with warnings as errors and with assertions
# enabled in funnel's code (the server's own stay as Debian built them).
ci_make_flags() {
	[ "${CI:-}" = true ] && printf '%s\n' WERROR=-Werror COPT=-DUSE_ASSERT_CHECKING
	return 0
}

build_and_install() {
	local flags
	find_pg_config
	mapfile -t flags < <(ci_make_flags)
	# a tree built without the CI flags must not be reused by a CI build
	[ ${#flags[@]} -gt 0 ] && make -C "$FUNNEL_ROOT" -s clean >/dev/null
	make -C "$FUNNEL_ROOT" -s PG_CONFIG="$PG_CONFIG" "${flags[@]}" >/dev/null
	if [ -w "$("$PG_CONFIG" --pkglibdir)" ]; then
		make -C "$FUNNEL_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
	elif build_is_installed; then
		say "funnel: this build is installed in $("$PG_CONFIG" --pkglibdir) already; using it"
	else
		say "funnel: this build is not installed, and $("$PG_CONFIG" --pkglibdir) is not writable; as root, run:"
		say "  make -C $FUNNEL_ROOT install PG_CONFIG=$PG_CONFIG"
		return 1
	fi
}

# build_id LIBRARY: the build identifier the Makefile puts in the library's
# GNU build-id note (a hash of the sources, the Makefile, the version and the
# code-changing flags), read without loading the library; empty if none.
build_id() {
	readelf -n "$1" 2>/dev/null | sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p' | head -n 1
}

# Whether what is installed is this build: the control file and the scripts
# byte for byte, and the library byte for byte or, when its bytes differ (a
# different compiler or linker), by its build identifier.  A build does not
# depend on its clone's path, so any clone of an installed commit counts.
build_is_installed() {
	local ext lib f id
	ext="$("$PG_CONFIG" --sharedir)/extension"
	lib="$("$PG_CONFIG" --pkglibdir)/funnel.so"
	[ -f "$lib" ] && cmp -s "$FUNNEL_ROOT/funnel.control" "$ext/funnel.control" || return 1
	for f in "$FUNNEL_ROOT"/sql/funnel--*.sql; do
		cmp -s "$f" "$ext/${f##*/}" || return 1
	done
	cmp -s "$FUNNEL_ROOT/integrations/odoo.sql" "$ext/funnel_odoo.sql" &&
		cmp -s "$FUNNEL_ROOT/integrations/twenty.sql" "$ext/funnel_twenty.sql" || return 1
	cmp -s "$FUNNEL_ROOT/funnel.so" "$lib" && return 0
	id=$(build_id "$FUNNEL_ROOT/funnel.so")
	[ -n "$id" ] && [ "$id" = "$(build_id "$lib")" ]
}

# install_from DIR LOG: a clean build of the tree in DIR installed into
# PG_CONFIG's PostgreSQL, its output in LOG and shown if it fails (the
# before-and-after benchmarks, test/bench/compare and test/bench/callgrind)
install_from() {
	make -s -C "$1" PG_CONFIG="$PG_CONFIG" clean >/dev/null 2>&1
	make -s -C "$1" PG_CONFIG="$PG_CONFIG" >"$2" 2>&1 &&
		make -s -C "$1" PG_CONFIG="$PG_CONFIG" install >>"$2" 2>&1 ||
		{ cat "$2"; return 1; }
}

# Run a command as the cluster owner: postgres refuses to run as root.  As
# root, from / so that initdb and pg_ctl need not enter a working directory
# postgres cannot read (a clone under /root); every path passed is absolute.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

close_inherited_fds() {
	local fd
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
	done
	return 0
}

# init_data_dir DIR: a fresh data directory DIR/data owned by the cluster
# owner, the one initdb of every script.
init_data_dir() {
	local dir=$1
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; return 1; }
}

# start_cluster DIR [postgres options...]: a throwaway cluster on a private
# Unix socket in DIR; sets PGHOST, PGPORT, PGUSER, PGDATABASE.
start_cluster() {
	local dir=$1
	shift
	init_data_dir "$dir" || return 1
	# the server must not inherit descriptors such as a caller's flock(1) lock
	(close_inherited_fds; as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-k $dir -p ${PGPORT:-5432} -c listen_addresses='' -c fsync=off $*" start >/dev/null) ||
		{ cat "$dir/server.log" >&2; return 1; }
	export PGHOST=$dir PGPORT=${PGPORT:-5432} PGUSER=postgres PGDATABASE=postgres
}

stop_cluster() {
	local dir=$1
	[ -d "$dir/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$dir"
}

# use_or_start_cluster NAME: the cluster in PG* (as test/run-tests sets it),
# or, run alone, build, install and start a throwaway one removed on exit.
use_or_start_cluster() {
	[ -n "${PGHOST:-}" ] && return 0
	ensure_packages
	build_and_install || exit 1
	OWN_CLUSTER=$(mktemp -d "${TMPDIR:-/tmp}/funnel-$1.XXXXXX")
	chmod 755 "$OWN_CLUSTER"
	trap stop_own_cluster EXIT
	start_cluster "$OWN_CLUSTER/pg" || exit 1
}

# The cluster use_or_start_cluster started, stopped and removed (a suite
# with an exit trap of its own calls it there).
stop_own_cluster() {
	[ -n "${OWN_CLUSTER:-}" ] || return 0
	stop_cluster "$OWN_CLUSTER/pg"
	rm -rf "$OWN_CLUSTER"
}

# preexisting KIND NAME: whether the database (KIND db) or role (KIND role)
# NAME was on the server before this test run began: test/run-tests lists
# them in FUNNEL_PREEXISTING_DBS and FUNNEL_PREEXISTING_ROLES, one a line,
# when it tests on a server of the PG* variables.
preexisting() {
	local list
	if [ "$1" = db ]; then list=${FUNNEL_PREEXISTING_DBS:-}; else list=${FUNNEL_PREEXISTING_ROLES:-}; fi
	grep -qFx -- "$2" <<<"$list"
}

# not_theirs KIND NAME...: fails, saying so, if a test would drop or replace
# a database or role that the run did not create.
not_theirs() {
	local kind=$1 name
	shift
	for name in "$@"; do
		preexisting "$kind" "$name" || continue
		say "funnel: the $kind $name was on the server before this test run, which would drop it: not touching it (drop it yourself if an earlier run left it)"
		return 1
	done
}

# fresh_db NAME [CREATE DATABASE options...]: the test database NAME,
# created afresh on the server in PG*, never one the run found there.
fresh_db() {
	local db=$1
	shift
	not_theirs db "$db" || return 1
	q -At -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db $*"
}

# check_connection WHERE [psql connection arguments...]: whether psql can
# connect; if not, the reason in one line and what to do about it.
check_connection() {
	local where=$1 out reason
	shift
	out=$(psql -X -At -c 'SELECT 1' "$@" 2>&1) && return 0
	reason=$(printf '%s\n' "$out" | grep -m1 -E 'FATAL|error' | sed 's/^psql: error: //')
	say "funnel: cannot connect to $where: ${reason:-$out}"
	case $out in
	*"role \""*"\" does not exist"*)
		say "  create a superuser role for yourself first (or set PGUSER to an existing one); as root:"
		say "    runuser -u postgres -- createuser -s ${PGUSER:-$(id -un)}"
		say "  or with sudo: sudo -u postgres createuser -s ${PGUSER:-$(id -un)}" ;;
	*"Peer authentication failed"*)
		say "  the server lets only the operating-system user of the same name in: run as that user (e.g. runuser -u postgres --), or connect over TCP with a password" ;;
	*"password authentication failed"* | *"no password supplied"*)
		say "  give the password in PGPASSWORD or ~/.pgpass" ;;
	*"No such file or directory"* | *"Connection refused"*)
		say "  is the server running, and is PGHOST/PGPORT its socket directory and port?" ;;
	*"database \""*"\" does not exist"*)
		say "  name an existing database in the connection string or PGDATABASE" ;;
	esac
	return 1
}

# psql for scripts: no psqlrc, quiet, stopping at the first error; notices
# off unless the caller set PGOPTIONS.
q() { PGOPTIONS=${PGOPTIONS:--c client_min_messages=warning} psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# A suite's failures: fail says what, failed is then 1.
failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

# report_checks N: reads "name|violations|cases" lines (a check query's
# output) on standard input; each passes with no violation over at least
# one case (a check over no cases proves nothing); fails unless N ran.
report_checks() {
	local want=$1 name bad cases ran=0
	while IFS='|' read -r name bad cases; do
		[ -n "$name" ] || continue
		ran=$((ran + 1))
		if [ "$bad" != 0 ] || [ "$cases" = 0 ]; then
			fail "$name ($bad of $cases)"
		else
			echo "ok: $name ($cases checked)"
		fi
	done
	[ "$ran" -eq "$want" ] || fail "$ran of the $want checks ran"
}
