# A private installation of funnel for test/memcheck, test/asan and
# test/load: sourced after test/lib.sh.  The tree is copied and built in a
# scratch directory and installed into a private copy of the PostgreSQL
# installation (a real copy of the postgres binary, links to everything
# else: postgres finds its share and lib directories relative to itself).
# The shared installation is never touched, so no lock is needed and a long
# run does not block anyone.

# private_install WORK [make variables...]: sets PRIVATE_POSTGRES
private_install() {
	local work=$1 inst=$1/inst d f
	shift
	find_pg_config
	mkdir -p "$work/tree"
	(cd "$FUNNEL_ROOT" && tar -c --exclude=.git --exclude=results --exclude='regression.*' --exclude='*.o' \
		--exclude='*.so' --exclude='*.bc' .) | tar -x -C "$work/tree"
	{ make -C "$work/tree" -s PG_CONFIG="$PG_CONFIG" "$@" &&
		make -C "$work/tree" -s PG_CONFIG="$PG_CONFIG" DESTDIR="$inst" install; } >"$work/build.log" 2>&1 ||
		{ cat "$work/build.log" >&2; return 1; }
	local bindir libdir sharedir
	bindir=$("$PG_CONFIG" --bindir)
	libdir=$("$PG_CONFIG" --pkglibdir)
	sharedir=$("$PG_CONFIG" --sharedir)
	mkdir -p "$inst$bindir" "$inst$libdir" "$inst$sharedir/extension"
	cp "$bindir/postgres" "$inst$bindir/postgres"
	for d in "$libdir" "$sharedir" "$sharedir/extension"; do
		for f in "$d"/*; do
			[ -e "$inst$f" ] || ln -s "$f" "$inst$f"
		done
	done
	PRIVATE_POSTGRES=$inst$bindir/postgres
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"
	return 0
}

# private_start DIR PORT [postgres options...]: start the private postgres on
# the cluster in DIR; sets PGHOST, PGPORT, PGUSER, PGDATABASE
private_start() {
	local dir=$1 port=$2
	shift 2
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 300 -p "$PRIVATE_POSTGRES" \
		-o "-k $dir -p $port -c listen_addresses='' -c fsync=off $*" start >/dev/null ||
		{ cat "$dir/server.log" >&2; return 1; }
	export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

# private_serve DIR PORT COMMAND...: run COMMAND, the private postgres or a
# wrapper around it (valgrind, env), in the background as the cluster owner
# on the cluster in DIR, with the options of private_start (and only
# warnings and worse in its log, DIR/server.log), and wait until it accepts
# connections; sets PRIVATE_SERVER (its pid), PGHOST, PGPORT, PGUSER,
# PGDATABASE.  Not pg_ctl: a wrapper would also wrap pg_ctl's shell.
private_serve() {
	local dir=$1 port=$2 i
	shift 2
	as_owner "$@" -D "$dir/data" -k "$dir" -p "$port" -c listen_addresses= -c fsync=off \
		-c log_min_messages=warning >"$dir/server.log" 2>&1 &
	PRIVATE_SERVER=$!
	export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	for i in $(seq 1 240); do
		pg_isready -q && return 0
		kill -0 "$PRIVATE_SERVER" 2>/dev/null || break
		sleep 1
	done
	say "the server did not start"
	cat "$dir/server.log" >&2
	return 1
}

# private_regress WORK: the pg_regress suite from the scratch tree (the same
# tests as test/run-tests) against the server of PGHOST and PGPORT; prints
# its log and diffs, returns its status
private_regress() {
	make -C "$1/tree" -s installcheck PG_CONFIG="$PG_CONFIG" >"$1/regress.log" 2>&1
	local rc=$?
	cat "$1/regress.log"
	[ -f "$1/tree/regression.diffs" ] && head -c 20000 "$1/tree/regression.diffs"
	return $rc
}

private_stop() {
	[ -d "$1/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 300 stop >/dev/null 2>&1
	return 0
}
