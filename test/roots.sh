# Fresh Debian roots for CI: a minimal Debian of any suite in a directory,
# and a command run inside it.  Sourced, not run; needs root.
#
#   make_root SUITE DIR      a fresh debootstrap --variant=minbase root of
#                            SUITE (bookworm, trixie, testing, ...) in DIR
#   in_root DIR COMMAND...   COMMAND (a path inside the root) in DIR, with
#                            /proc, /dev, /dev/pts and a private /dev/shm
#   remove_root DIR          delete a root made by make_root
#
# in_root starts COMMAND with a clean environment (PATH, HOME=/root,
# LANG=C.UTF-8, DEBIAN_FRONTEND=noninteractive); pass anything else with
# env(1): in_root DIR env CI=true /src/test/run-tests.
#
# Settings (environment):
#   FUNNEL_ROOTS_CACHE    where finished base roots are kept as SUITE.tar
#                         (default /var/cache/funnel-roots; empty: no cache)
#   FUNNEL_ROOTS_MAX_AGE  days a cached root is used before it is made anew
#                         (default 7: testing moves, and a stale base makes
#                         every later apt-get install upgrade half of it)
#   FUNNEL_MIRROR         the Debian archive (default: the one this machine's
#                         apt already uses, else debootstrap's own default)

FUNNEL_ROOTS_CACHE=${FUNNEL_ROOTS_CACHE-/var/cache/funnel-roots}
FUNNEL_ROOTS_MAX_AGE=${FUNNEL_ROOTS_MAX_AGE:-7}

roots_say() { printf 'roots: %s\n' "$*" >&2; }

# debootstrap comes from apt when missing
roots_need_debootstrap() {
	command -v debootstrap >/dev/null && return 0
	roots_say "installing debootstrap"
	local log
	log=$(mktemp)
	if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		roots_say "could not install debootstrap (apt's output above)"
		return 1
	fi
	rm -f "$log"
}

# The archive this machine's apt already fetches Debian from (empty when it
# has none: debootstrap then picks its default).
roots_mirror() {
	if [ -n "${FUNNEL_MIRROR:-}" ]; then
		printf '%s\n' "$FUNNEL_MIRROR"
		return 0
	fi
	apt-get indextargets --format '$(REPO_URI)' 'LABEL: Debian' 'IDENTIFIER: Packages' 2>/dev/null |
		sed 's|/$||' | sort -u | head -n 1
}

# What every root gets, cached or not (idempotent):
# - apt ignores Valid-Until when the suite's Release file has one: testing's
#   expires a week after it is signed and the archive copy seen here is older
#   than that, so apt-get update would refuse it (debootstrap itself does not
#   check the date); stable suites have none and keep the full check;
# - no service starts inside the root (policy-rc.d): postgresql's package
#   would start a cluster on this machine's TCP port 5432;
# - the machine's resolv.conf, for apt.
roots_configure() {
	local dir=$1
	if grep -qs '^Valid-Until:' "$dir"/var/lib/apt/lists/*_Release "$dir"/var/lib/apt/lists/*_InRelease; then
		printf 'Acquire::Check-Valid-Until "false";\n' >"$dir/etc/apt/apt.conf.d/99funnel-no-valid-until"
	fi
	printf '#!/bin/sh\n# funnel roots: no daemons in a build root\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	rm -f "$dir/etc/resolv.conf"
	cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

# roots_debootstrap SUITE DIR: a new minbase root, its log shown on failure
roots_debootstrap() {
	local suite=$1 dir=$2 mirror log
	roots_need_debootstrap || return 1
	mirror=$(roots_mirror)
	log=$(mktemp)
	roots_say "debootstrap $suite into $dir${mirror:+ from $mirror}"
	# shellcheck disable=SC2086 # an empty mirror must be no argument
	if ! debootstrap --variant=minbase "$suite" "$dir" $mirror >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		[ -f "$dir/debootstrap/debootstrap.log" ] && tail -n 40 "$dir/debootstrap/debootstrap.log" >&2
		rm -f "$log"
		roots_say "debootstrap $suite failed"
		return 1
	fi
	rm -f "$log"
	# the downloaded .debs are installed; keeping them only grows the cache
	rm -f "$dir"/var/cache/apt/archives/*.deb
}

# make_root SUITE DIR: DIR (absent or empty) becomes a fresh minbase root of
# SUITE: a copy of the cached one when that is recent, else made anew (and
# cached).  Each root is independent: nothing in it is shared with the cache.
make_root() {
	local suite=$1 dir=$2 cache tar
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		roots_say "$dir exists and is not empty"
		return 1
	fi
	mkdir -p "$dir" || return 1
	cache=$FUNNEL_ROOTS_CACHE
	if [ -z "$cache" ] || ! mkdir -p "$cache" 2>/dev/null; then
		roots_debootstrap "$suite" "$dir" && roots_configure "$dir"
		return
	fi
	tar=$cache/$suite.tar
	# one maker per suite at a time; the others wait and then copy its result
	(
		flock 9
		if [ -z "$(find "$tar" -maxdepth 0 -mtime "-$FUNNEL_ROOTS_MAX_AGE" 2>/dev/null)" ]; then
			roots_debootstrap "$suite" "$dir" || exit 1
			roots_configure "$dir"
			if ! { tar -C "$dir" --numeric-owner -cf "$tar.new" . && mv "$tar.new" "$tar"; }; then
				rm -f "$tar.new"
				roots_say "could not cache $suite (the root itself is fine)"
			fi
		else
			roots_say "$suite from the cache ($tar, $(($(($(date +%s) - $(stat -c %Y "$tar"))) / 3600)) h old)"
			tar -C "$dir" --numeric-owner -xpf "$tar" || exit 1
			roots_configure "$dir"
		fi
	) 9>"$cache/$suite.lock"
}

# in_root DIR COMMAND...: COMMAND inside the root DIR.  It runs in its own
# mount, PID and IPC namespaces: the mounts exist only there, so they are gone
# when COMMAND ends however it ends (failure, signal, a killed caller), and
# so is every process it left behind (a server not stopped); nothing is ever
# mounted on this machine's own tree.  /dev/shm is a fresh tmpfs: PostgreSQL
# keeps its dynamic shared memory there.
in_root() {
	local dir=$1
	shift
	[ -x "$dir/bin/sh" ] || { roots_say "$dir is not a root"; return 1; }
	[ $# -gt 0 ] || { roots_say "in_root: no command"; return 1; }
	rm -f "$dir/etc/resolv.conf"
	cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
	unshare --mount --pid --ipc --fork --kill-child --propagation private -- /bin/sh -c '
		set -e
		r=$1
		shift
		mount -t proc proc "$r/proc"
		mount --bind /dev "$r/dev"
		mount --bind /dev/pts "$r/dev/pts"
		mount -t tmpfs -o mode=1777,nosuid,nodev shm "$r/dev/shm"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive "$@"
	' in_root "$dir" "$@"
}

# remove_root DIR: delete a root.  in_root mounts nothing outside its own
# namespace, but a root someone mounted by hand must not take /dev with it:
# --one-file-system stops at any mount point left inside.
remove_root() {
	local dir=$1
	[ -n "$dir" ] && [ "$dir" != / ] || return 1
	rm -rf --one-file-system "$dir"
}
