# Shared set-up for the test and demo commands: packages, build, install and a
# throwaway PostgreSQL cluster.  Sourced, not run.

FUNNEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}

say() { printf '%s\n' "$*" >&2; }

# Install what building and testing need; as a non-root user, print the
# command instead.
ensure_packages() {
	local wanted=(make gcc "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-client-$PG_MAJOR" "$@")
	local missing=() p
	for p in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		say "funnel: missing packages; run as root:"
		say "  apt-get update && apt-get install -y ${missing[*]}"
		exit 1
	fi
	say "funnel: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The server-independent sources (the Makefile's PURE_SRCS), as paths.
pure_srcs() {
	sed -n 's/^PURE_SRCS = //p' "$FUNNEL_ROOT/Makefile" | tr ' ' '\n' | sed "s|^|$FUNNEL_ROOT/|"
}

# PG_CONFIG (as given, else PostgreSQL $PG_MAJOR's, else the one on PATH) and
# PG_BIN, its bindir, first on PATH.
find_pg_config() {
	export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
	[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
	PG_BIN=$("$PG_CONFIG" --bindir)
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
	if [ ! -w "$("$PG_CONFIG" --pkglibdir)" ]; then
		say "funnel: cannot write to $("$PG_CONFIG" --pkglibdir); run as root:"
		say "  make -C $FUNNEL_ROOT install PG_CONFIG=$PG_CONFIG"
		exit 1
	fi
	make -C "$FUNNEL_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
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
	OWN_CLUSTER=$(mktemp -d "/tmp/funnel-$1.XXXXXX")
	chmod 755 "$OWN_CLUSTER"
	trap 'stop_cluster "$OWN_CLUSTER/pg"' EXIT
	start_cluster "$OWN_CLUSTER/pg" || exit 1
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
