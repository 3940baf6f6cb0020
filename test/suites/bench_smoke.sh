#!/usr/bin/env bash
# The benchmark at tiny sizes, in the test command's cluster: for every case,
# our query and its plain-SQL baseline must give the same figures (serially
# and with forced parallel plans), so the benchmark cannot silently time two
# different computations.  In a database of its own, funnel_bench_smoke,
# dropped at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster bench_smoke
db=funnel_bench_smoke
not_theirs db "$db" || exit 1
trap 'q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; stop_own_cluster' EXIT
fresh_db "$db" || exit 1
PGDATABASE=$db test/bench/run --existing --tiny --check
