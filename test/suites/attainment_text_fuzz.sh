#!/usr/bin/env bash
# Randomized property test of the attainment text form and per-day
# arithmetic: builds test/fuzz/attainment_text.c with the plain-C parser
# under ASan/UBSan and runs it (see the harness for the properties checked).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
mapfile -t pure < <(pure_srcs)
work=$(mktemp -d /tmp/funnel-attainment-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

gcc -std=gnu99 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$root/src" -o "$work/attainment_text" \
	"$root/test/fuzz/attainment_text.c" "${pure[@]}" "$root/test/fuzz/fuzz_alloc.c" -lm
for seed in 1 2 3; do
	"$work/attainment_text" 20000 "$seed"
done
