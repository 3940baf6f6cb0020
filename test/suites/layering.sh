#!/usr/bin/env bash
# The files of src/ call one way (src/README): no object of the build calls
# a function of another object that calls it back, directly or around a
# longer cycle.  Read from the built objects' symbols (nm: the functions and
# data each object defines, and the ones it uses undefined), as test/run-tests
# leaves them in src/.  Prints each cycle with the symbols that close it.
set -uo pipefail
cd "$(dirname "$0")/../.."
objs=(src/*.o)
[ -e "${objs[0]}" ] || { echo "layering: no built objects in src/ (run make first)"; exit 1; }
# only the objects of this build's sources: make clean leaves none stale
for o in "${objs[@]}"; do
	[ -f "${o%.o}.c" ] || { echo "layering: $o has no source (a stale object: make clean)"; exit 1; }
done
for o in "${objs[@]}"; do
	nm "$o" | awk -v o="${o#src/}" '$2 ~ /^[TDBR]$/ { print "def", o, $3 } $1 == "U" { print "use", o, $2 }'
done | awk '
	$1 == "def" { owner[$3] = $2; files[$2] = 1; next }
	{ uses[NR] = $2 " " $3 }
	END {
		n = 0
		for (f in files) { id[f] = ++n; name[n] = f }
		for (k in uses) {
			split(uses[k], u, " ")
			if (!(u[2] in owner) || owner[u[2]] == u[1]) continue
			a = id[u[1]]; b = id[owner[u[2]]]
			reach[a, b] = 1
			if (!((a, b) in why)) why[a, b] = u[2]
		}
		# transitive closure: i reaches j through any chain of calls
		for (k = 1; k <= n; k++)
			for (i = 1; i <= n; i++)
				if ((i, k) in reach)
					for (j = 1; j <= n; j++)
						if ((k, j) in reach) reach[i, j] = 1
		bad = 0
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if ((i, j) in reach && (j, i) in reach) {
					printf "cycle: %s and %s call each other", name[i], name[j]
					if ((i, j) in why) printf " (%s calls %s", name[i], why[i, j]
					if ((j, i) in why) printf "; %s calls %s", name[j], why[j, i]
					if ((i, j) in why || (j, i) in why) printf ")"
					printf "\n"
					bad++
				}
		printf "layering: %d objects, %d pairs in a cycle\n", n, bad
		exit bad > 0
	}'
