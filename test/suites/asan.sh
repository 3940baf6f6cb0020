#!/usr/bin/env bash
# The pg_regress suite under AddressSanitizer and UBSan (test/asan): its own
# build, private installation and cluster (port 55620), not the test
# command's.  About a minute.
set -uo pipefail
exec "$(dirname "$0")/../asan"
