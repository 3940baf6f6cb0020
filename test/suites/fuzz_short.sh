#!/usr/bin/env bash
# Short libFuzzer run of every text-form parser: about 30 seconds in all,
# split between the targets (at least 3 seconds each).  test/fuzz/run -t N
# fuzzes longer.
# once: plain-C parsers under libFuzzer, no PostgreSQL; run on the host step
set -uo pipefail
cd "$(dirname "$0")/../.."
n=$(ls test/fuzz/fuzz_*.c | grep -vc 'fuzz_alloc\.c$')
per=$((30 / (n > 0 ? n : 1)))
[ $per -lt 3 ] && per=3
exec test/fuzz/run -t "$per"
