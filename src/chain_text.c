/*
 * chain_text.c
 *		Build, check, compare, parse and format contact_chain bodies without
 *		server dependencies.
 */
#include "chain_text.h"

#include <string.h>

FnStatus
chain_check_kind(const char *kind, size_t len, FnError *err)
{
	if (len == 0)
		return fn_fail(err, FN_SYNTAX, "A contact kind must not be empty.");
	if (len > CHAIN_MAX_KIND)
		return fn_fail(err, FN_TOO_LONG, CHAIN_KIND_LIMIT);
	/* server text never holds NUL; a kind with one could not be written as text */
	if (memchr(kind, '\0', len) != NULL)
		return fn_fail(err, FN_SYNTAX, "A contact kind must not contain a NUL byte.");
	return FN_OK;
}

void
chain_writer_begin(ChainWriter *w, FnBuf *buf)
{
	uint32_t	zero = 0;

	w->buf = buf;
	w->count = 0;
	fnbuf_putc(buf, (char) CHAIN_FORMAT_VERSION);
	w->count_at = buf->len;
	fnbuf_append(buf, (const char *) &zero, sizeof(zero));
}

FnStatus
chain_writer_add(ChainWriter *w, const char *kind, size_t len, FnError *err)
{
	if (chain_check_kind(kind, len, err) != FN_OK)
		return err->status;
	if (w->count >= CHAIN_MAX_KINDS)
		return fn_fail(err, FN_TOO_BIG, CHAIN_KINDS_LIMIT);
	fnbuf_putc(w->buf, (char) (uint8_t) len);
	fnbuf_append(w->buf, kind, len);
	w->count++;
	return FN_OK;
}

void
chain_writer_finish(ChainWriter *w)
{
	memcpy(w->buf->data + w->count_at, &w->count, sizeof(w->count));
}

FnStatus
chain_open(const uint8_t *body, size_t len, ChainReader *r, FnError *err)
{
	uint32_t	count;
	uint32_t	i;
	const uint8_t *p;
	const uint8_t *end = body + len;

	if (len < 1 || body[0] != CHAIN_FORMAT_VERSION)
		return fn_fail(err, FN_CORRUPT, "The contact_chain format version is not supported.");
	if (len < CHAIN_HEADER_BYTES)
		return fn_fail(err, FN_CORRUPT, "The contact_chain header is truncated.");
	memcpy(&count, body + 1, sizeof(count));
	if (count > CHAIN_MAX_KINDS)
		return fn_fail(err, FN_CORRUPT, "The contact_chain count is out of range.");
	p = body + CHAIN_HEADER_BYTES;
	for (i = 0; i < count; i++)
	{
		if (p >= end || p[0] == 0 || (size_t) (end - p - 1) < p[0])
			return fn_fail(err, FN_CORRUPT, "A contact_chain entry is empty or truncated.");
		if (memchr(p + 1, '\0', p[0]) != NULL)
			return fn_fail(err, FN_CORRUPT, "A contact_chain entry contains a NUL byte.");
		p += 1 + p[0];
	}
	if (p != end)
		return fn_fail(err, FN_CORRUPT, "The contact_chain value has trailing bytes.");
	r->p = body + CHAIN_HEADER_BYTES;
	r->end = end;
	r->left = count;
	return FN_OK;
}

int
chain_kind_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int			r = memcmp(a, b, alen < blen ? alen : blen);

	if (r != 0)
		return r < 0 ? -1 : 1;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

int
chain_cmp(ChainReader a, ChainReader b)
{
	for (;;)
	{
		const char *ka;
		const char *kb;
		size_t		la;
		size_t		lb;
		bool		more_a = chain_read(&a, &ka, &la);
		bool		more_b = chain_read(&b, &kb, &lb);
		int			r;

		if (!more_a || !more_b)
			return more_a == more_b ? 0 : (more_a ? 1 : -1);
		r = chain_kind_cmp(ka, la, kb, lb);
		if (r != 0)
			return r;
	}
}

FnStatus
chain_parse(const char *str, size_t len, FnBuf *out, FnError *err)
{
	FnScan		scan;
	ChainWriter w;

	fnscan_init(&scan, str, len);
	chain_writer_begin(&w, out);
	if (!fnscan_at_end(&scan))
	{
		for (;;)
		{
			char	   *kind;
			size_t		kind_len;
			FnStatus	status;

			fnscan_skip_space(&scan);
			if (fnscan_at_end(&scan) || *scan.p == '>')
				return fn_fail(err, FN_SYNTAX,
							   "A contact kind is missing before or after \">\".");
			status = fnscan_token(&scan, ">", CHAIN_MAX_KIND, &kind, &kind_len, err);
			if (status == FN_TOO_LONG)
				return fn_fail(err, FN_TOO_LONG, CHAIN_KIND_LIMIT);
			if (status != FN_OK)
				return status;
			if (chain_writer_add(&w, kind, kind_len, err) != FN_OK)
				return err->status;
			if (fnscan_at_end(&scan))
				break;
			if (!fnscan_accept(&scan, '>'))
				return fn_fail(err, FN_SYNTAX, "Contact kinds are separated by \">\".");
		}
	}
	chain_writer_finish(&w);
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}

void
chain_format(ChainReader r, FnBuf *out)
{
	const char *kind;
	size_t		len;
	bool		first = true;

	while (chain_read(&r, &kind, &len))
	{
		if (!first)
			fnbuf_append(out, " > ", 3);
		fnbuf_token(out, kind, len, ">");
		first = false;
	}
}
