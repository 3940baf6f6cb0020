#!/usr/bin/env bash
# Randomized property test of the contact_chain text form and stored body:
# builds test/fuzz/chain_text.c with the plain-C parser under ASan/UBSan and
# runs it (see the harness for the properties checked).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
root=$FUNNEL_ROOT
mapfile -t pure < <(pure_srcs)
work=$(mktemp -d /tmp/funnel-chain-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

gcc -std=c99 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$root/src" -o "$work/chain_text" \
	"$root/test/fuzz/chain_text.c" "${pure[@]}" "$root/test/fuzz/fuzz_alloc.c" -lm
for seed in 1 2 3; do
	"$work/chain_text" 100000 "$seed"
done
