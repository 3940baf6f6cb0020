#!/usr/bin/env bash
# Randomized property test of the attainment text form and per-day
# arithmetic: builds test/fuzz/attainment_text.c with the plain-C parser
# under ASan/UBSan and runs it (see the harness for the properties checked).
# once: a plain-C harness, no PostgreSQL; run on the host step
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
run_property_test attainment_text 20000
