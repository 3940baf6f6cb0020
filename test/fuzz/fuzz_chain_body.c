/*
 * fuzz_chain_body.c
 *		libFuzzer target for the stored body of contact_chain, which binary
 *		receive and every function reading a stored value check with
 *		chain_open.
 *
 * Properties: chain_open never reads past the bytes; a body it accepts can
 * be walked to the end, has no empty kind and no NUL byte, compares equal to
 * itself, and its canonical text parses back to the identical bytes (one
 * chain, one body).
 */
#include "fuzz_alloc.h"
#include "chain_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so reading one byte too far is caught */
	uint8_t    *body = fn_alloc(size);
	ChainReader r;
	ChainReader walk;
	FnError		err;
	FnBuf		text;
	FnBuf		again;
	const char *kind;
	size_t		len;

	memcpy(body, data, size);
	if (chain_open(body, size, &r, &err) != FN_OK)
	{
		if (err.status != FN_CORRUPT || err.detail == NULL)
			fuzz_fail("a rejected body reports FN_CORRUPT and a detail", "(binary)", NULL);
		fuzz_alloc_reset();
		return 0;
	}
	walk = r;
	while (chain_read(&walk, &kind, &len))
		if (len == 0 || memchr(kind, '\0', len) != NULL)
			fuzz_fail("an accepted body has no empty kind and no NUL byte", "(binary)", NULL);
	if (chain_cmp(r, r) != 0)
		fuzz_fail("a chain equals itself", "(binary)", NULL);
	fnbuf_init(&text, 64);
	chain_format(r, &text);
	fnbuf_init(&again, 64);
	if (chain_parse(text.data, text.len, &again, &err) != FN_OK)
		fuzz_fail("the text of an accepted body parses", text.data, err.detail);
	if (again.len != size || memcmp(again.data, body, size) != 0)
		fuzz_fail("the text of an accepted body reads back to the same bytes", text.data, NULL);
	fuzz_alloc_reset();
	return 0;
}
