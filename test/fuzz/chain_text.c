/*
 * chain_text.c
 *		Randomized property test of the contact_chain text form and stored
 *		body (src/chain_text.c), built as plain C with the sanitizers.
 *
 * For random text: a successful parse gives a body that chain_open accepts,
 * whose canonical text parses back to the identical body and formats to
 * the identical text; a failed parse reports one of the documented
 * statuses.  Kinds written with fnbuf_token parse back to the same kinds.
 * For random bodies: chain_open never reads out of bounds, and a body it
 * accepts is exactly the parse of its own text form.
 *
 * usage: chain_text [iterations [seed]]
 */
#include "chain_text.h"

#include "fuzz_alloc.h"
#include "property.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long parsed;				/* texts that parsed */
static long opened;				/* random byte strings that were valid bodies */

/* random text built from the characters that matter to the grammar */
static size_t
random_text(char *out, size_t cap)
{
	static const char *pieces[] = {
		"a", "b", "call", " ", "  ", "\t", ">", " > ", "\"", "\\", "\\\"",
		"\\\\", "\xd0\xb6", "x>y", "\"q\"", "\"\"", "\n"
	};
	size_t		len = 0;
	uint32_t	n = rnd(40);
	uint32_t	i;

	/* now and then a kind right at the 255-byte limit, or one past it */
	if (rnd(20) == 0)
	{
		size_t		k = 250 + rnd(10);

		if (rnd(2))
			out[len++] = '"';
		memset(out + len, 'k', k);
		len += k;
		if (out[0] == '"')
			out[len++] = '"';
	}
	for (i = 0; i < n; i++)
	{
		const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
		size_t		plen = strlen(p);

		if (len + plen >= cap)
			break;
		memcpy(out + len, p, plen);
		len += plen;
	}
	out[len] = '\0';
	return len;
}

static void
check_text(const char *text, size_t len)
{
	FnBuf		body;
	FnBuf		canon;
	FnBuf		body2;
	FnBuf		canon2;
	FnError		err;
	ChainReader r;
	FnStatus	status;

	fnbuf_init(&body, 16);
	status = chain_parse(text, len, &body, &err);
	if (status != FN_OK)
	{
		if (status != FN_SYNTAX && status != FN_TOO_LONG && status != FN_TOO_BIG)
			fail("unexpected parse status", text, len);
		if (err.detail == NULL)
			fail("parse error without detail", text, len);
		return;
	}
	parsed++;
	if (chain_open((const uint8_t *) body.data, body.len, &r, &err) != FN_OK)
	{
		fail("parsed body does not open", text, len);
		return;
	}
	fnbuf_init(&canon, 16);
	chain_format(r, &canon);
	fnbuf_init(&body2, 16);
	if (chain_parse(canon.data, canon.len, &body2, &err) != FN_OK)
	{
		fail("canonical text does not parse", text, len);
		return;
	}
	if (body2.len != body.len || memcmp(body2.data, body.data, body.len) != 0)
		fail("canonical text parses to another chain", text, len);
	if (chain_open((const uint8_t *) body2.data, body2.len, &r, &err) != FN_OK)
	{
		fail("reparsed body does not open", text, len);
		return;
	}
	fnbuf_init(&canon2, 16);
	chain_format(r, &canon2);
	if (canon2.len != canon.len || memcmp(canon2.data, canon.data, canon.len) != 0)
		fail("canonical text is not stable", text, len);
}

/*
 * Random kinds written with fnbuf_token and random spacing around ">" must
 * parse back to exactly those kinds.
 */
static void
check_kinds(void)
{
	static const char *pieces[] = {"a", "b", " ", ">", "\"", "\\", "\xd0\xb6", "\t", "x"};
	static const char *separators[] = {">", " > ", " >", ">  ", "\t>\n"};
	char		kinds[6][64];
	size_t		lens[6];
	uint32_t	n = rnd(6);
	uint32_t	i;
	FnBuf		text;
	FnBuf		body;
	FnError		err;
	ChainReader r;
	const char *kind;
	size_t		len;

	fnbuf_init(&text, 16);
	if (rnd(2))
		fnbuf_puts(&text, "  ");
	for (i = 0; i < n; i++)
	{
		uint32_t	np = 1 + rnd(8);
		uint32_t	j;

		lens[i] = 0;
		for (j = 0; j < np; j++)
		{
			const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];

			memcpy(kinds[i] + lens[i], p, strlen(p));
			lens[i] += strlen(p);
		}
		if (i > 0)
			fnbuf_puts(&text, separators[rnd(sizeof(separators) / sizeof(separators[0]))]);
		fnbuf_token(&text, kinds[i], lens[i], ">");
	}
	if (rnd(2))
		fnbuf_puts(&text, " \n");
	fnbuf_init(&body, 16);
	if (chain_parse(text.data, text.len, &body, &err) != FN_OK ||
		chain_open((const uint8_t *) body.data, body.len, &r, &err) != FN_OK ||
		r.left != n)
	{
		fail("written kinds do not parse", text.data, text.len);
		return;
	}
	for (i = 0; chain_read(&r, &kind, &len); i++)
		if (len != lens[i] || memcmp(kind, kinds[i], len) != 0)
			fail("written kinds parse to other kinds", text.data, text.len);
	check_text(text.data, text.len);
}

/* A random body: mostly well-formed, then perhaps one byte changed. */
static void
check_bytes(void)
{
	FnBuf		buf;
	uint32_t	count = rnd(5);
	uint32_t	i;
	const uint8_t *bytes;
	size_t		len;
	FnError		err;
	ChainReader r;

	fnbuf_init(&buf, 16);
	fnbuf_putc(&buf, (char) CHAIN_FORMAT_VERSION);
	fnbuf_append(&buf, (const char *) &count, sizeof(count));
	for (i = 0; i < count; i++)
	{
		uint32_t	k = rnd(4);

		fnbuf_putc(&buf, (char) k);
		while (k-- > 0)
			fnbuf_putc(&buf, "a>\" \\"[rnd(5)]);
	}
	if (rnd(2) && buf.len > 0)
		buf.data[rnd(buf.len)] = (char) rnd(256);
	if (rnd(4) == 0)
		buf.len = rnd(buf.len + 1);
	/* an exact-size copy, so the sanitizer sees any read past the end */
	len = buf.len;
	bytes = memcpy(fn_alloc(len), buf.data, len);
	if (chain_open(bytes, len, &r, &err) == FN_OK)
	{
		FnBuf		text;
		FnBuf		body;

		opened++;
		fnbuf_init(&text, 16);
		chain_format(r, &text);
		fnbuf_init(&body, 16);
		if (chain_parse(text.data, text.len, &body, &err) != FN_OK ||
			body.len != len || memcmp(body.data, bytes, len) != 0)
			fail("an accepted body differs from the parse of its text", text.data, text.len);
		check_text(text.data, text.len);
	}
	else if (err.status != FN_CORRUPT)
		fail("unexpected open status", (const char *) bytes, len);
}

int
main(int argc, char **argv)
{
	long		iterations = argc > 1 ? atol(argv[1]) : 200000;
	char		text[2048];
	long		i;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	for (i = 0; i < iterations; i++)
	{
		size_t		len = random_text(text, sizeof(text));

		check_text(text, len);
		check_kinds();
		check_bytes();
		fuzz_alloc_reset();
	}

	/* the kind-count limit, at and past it */
	{
		FnBuf		many;
		FnBuf		body;
		FnError		err;

		for (i = 0; i < 2; i++)
		{
			long		k;

			fnbuf_init(&many, 16);
			for (k = 0; k < CHAIN_MAX_KINDS + i; k++)
				fnbuf_puts(&many, k ? ">a" : "a");
			fnbuf_init(&body, 16);
			if ((chain_parse(many.data, many.len, &body, &err) == FN_OK) != (i == 0))
				fail("kind-count limit", "", 0);
			fuzz_alloc_reset();
		}
	}

	printf("%ld cases (%ld texts parsed, %ld random bodies valid), %ld failures\n",
		   iterations, parsed, opened, failures);
	return failures == 0 ? 0 : 1;
}
