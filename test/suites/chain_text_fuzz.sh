#!/usr/bin/env bash
# Randomized property test of the contact_chain text form and stored body:
# builds test/fuzz/chain_text.c with the plain-C parser under ASan/UBSan and
# runs it (see the harness for the properties checked).
# once: a plain-C harness, no PostgreSQL; run on the host step
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
run_property_test chain_text 100000
