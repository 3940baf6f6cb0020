/*
 * fuzz_chain.c
 *		libFuzzer target for the text form of contact_chain.
 *
 * Properties: the parser never crashes or reads past the input; an accepted
 * chain's body passes chain_open, formats to a canonical text that parses
 * back to the identical body, and formatting is a fixed point.
 */
#include "fuzz_alloc.h"
#include "chain_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the server hands parsers NUL-terminated text without embedded NULs */
	char	   *input = fuzz_cstring(data, size);
	size_t		len = strlen(input);
	FnBuf		body;
	FnBuf		again;
	FnBuf		canonical;
	FnBuf		reformatted;
	ChainReader r;
	FnError		err;

	fnbuf_init(&body, 64);
	if (chain_parse(input, len, &body, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (chain_open((const uint8_t *) body.data, body.len, &r, &err) != FN_OK)
		fuzz_fail("an accepted chain has a valid body", input, err.detail);
	fnbuf_init(&canonical, 64);
	chain_format(r, &canonical);
	fnbuf_init(&again, 64);
	if (chain_parse(canonical.data, canonical.len, &again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical.data);
	if (again.len != body.len || memcmp(again.data, body.data, body.len) != 0)
		fuzz_fail("the canonical form reads back to the same chain", input, canonical.data);
	if (chain_open((const uint8_t *) again.data, again.len, &r, &err) != FN_OK)
		fuzz_fail("the reparsed chain has a valid body", canonical.data, err.detail);
	fnbuf_init(&reformatted, 64);
	chain_format(r, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("formatting is a fixed point", canonical.data, reformatted.data);
	fuzz_alloc_reset();
	return 0;
}
