#!/usr/bin/env bash
# The documentation's examples (test/docs-examples): every SQL example of
# README.md and docs/ runs against the sample data, and prints the output
# the page shows.  Uses the cluster in PG* (as test/run-tests sets it) or
# starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster docs
test/docs-examples
