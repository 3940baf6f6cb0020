#!/usr/bin/env bash
# The benchmark at tiny sizes, in the test command's cluster: for every case,
# our query and its plain-SQL baseline must give the same figures (serially
# and with forced parallel plans), so the benchmark cannot silently time two
# different computations.
set -euo pipefail
exec "$(dirname "$0")/../bench/run" --existing --tiny --check
