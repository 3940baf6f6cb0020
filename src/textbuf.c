/*
 * textbuf.c
 *		Growable text buffer and scanner shared by every text form.
 */
#include "textbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
fnbuf_init(FnBuf *buf, size_t capacity)
{
	buf->cap = capacity < 16 ? 16 : capacity;
	buf->data = fn_alloc(buf->cap);
	buf->len = 0;
	buf->data[0] = '\0';
}

static void
fnbuf_reserve(FnBuf *buf, size_t more)
{
	size_t		need = buf->len + more + 1;
	size_t		cap;
	char	   *grown;

	if (need <= buf->cap)
		return;
	cap = buf->cap;
	while (cap < need)
		cap *= 2;
	grown = fn_alloc(cap);
	memcpy(grown, buf->data, buf->len + 1);
	buf->data = grown;
	buf->cap = cap;
}

void
fnbuf_append(FnBuf *buf, const char *s, size_t n)
{
	fnbuf_reserve(buf, n);
	memcpy(buf->data + buf->len, s, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
}

void
fnbuf_putc(FnBuf *buf, char c)
{
	fnbuf_reserve(buf, 1);
	buf->data[buf->len++] = c;
	buf->data[buf->len] = '\0';
}

void
fnbuf_puts(FnBuf *buf, const char *s)
{
	fnbuf_append(buf, s, strlen(s));
}

void
fnbuf_int64(FnBuf *buf, int64_t value)
{
	char		digits[24];
	int			n = 0;
	uint64_t	magnitude = value < 0 ? (uint64_t) 0 - (uint64_t) value : (uint64_t) value;

	do
	{
		digits[n++] = (char) ('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude > 0);
	fnbuf_reserve(buf, n + 1);
	if (value < 0)
		buf->data[buf->len++] = '-';
	while (n > 0)
		buf->data[buf->len++] = digits[--n];
	buf->data[buf->len] = '\0';
}

static bool
needs_quotes(const char *s, size_t n, const char *delimiters)
{
	size_t		i;

	if (n == 0 || fn_is_space(s[0]) || fn_is_space(s[n - 1]))
		return true;
	for (i = 0; i < n; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			return true;
		if (delimiters && s[i] != '\0' && strchr(delimiters, s[i]))
			return true;
	}
	return false;
}

void
fnbuf_token(FnBuf *buf, const char *s, size_t n, const char *delimiters)
{
	size_t		i;

	if (!needs_quotes(s, n, delimiters))
	{
		fnbuf_append(buf, s, n);
		return;
	}
	fnbuf_reserve(buf, n * 2 + 2);
	buf->data[buf->len++] = '"';
	for (i = 0; i < n; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			buf->data[buf->len++] = '\\';
		buf->data[buf->len++] = s[i];
	}
	buf->data[buf->len++] = '"';
	buf->data[buf->len] = '\0';
}

void
fnscan_init(FnScan *scan, const char *s, size_t len)
{
	scan->p = s;
	scan->end = s + len;
}

void
fnscan_skip_space(FnScan *scan)
{
	while (scan->p < scan->end && fn_is_space(*scan->p))
		scan->p++;
}

bool
fnscan_at_end(FnScan *scan)
{
	fnscan_skip_space(scan);
	return scan->p >= scan->end;
}

bool
fnscan_accept(FnScan *scan, char c)
{
	fnscan_skip_space(scan);
	if (scan->p < scan->end && *scan->p == c)
	{
		scan->p++;
		return true;
	}
	return false;
}

FnStatus
fnscan_expect(FnScan *scan, char c, const char *detail, FnError *err)
{
	if (!fnscan_accept(scan, c))
		return fn_fail(err, FN_SYNTAX, detail);
	return FN_OK;
}

bool
fnscan_accept_word(FnScan *scan, const char *word)
{
	size_t		n = strlen(word);

	fnscan_skip_space(scan);
	if ((size_t) (scan->end - scan->p) >= n && memcmp(scan->p, word, n) == 0)
	{
		scan->p += n;
		return true;
	}
	return false;
}

FnStatus
fnscan_token(FnScan *scan, const char *delimiters, size_t max_len,
			 char **out, size_t *out_len, FnError *err)
{
	const char *start;
	char	   *result;
	size_t		len = 0;

	fnscan_skip_space(scan);
	if (scan->p < scan->end && *scan->p == '"')
	{
		const char *q;

		/* measure first so the copy is allocated once */
		scan->p++;
		for (q = scan->p; q < scan->end && *q != '"'; q++)
		{
			if (*q == '\\' && ++q >= scan->end)
				break;
			len++;
		}
		if (q >= scan->end)
			return fn_fail(err, FN_SYNTAX, "A quoted name is not terminated.");
		if (len > max_len)
			return fn_fail(err, FN_TOO_LONG, "A name is longer than allowed.");
		result = fn_alloc(len + 1);
		len = 0;
		while (scan->p < q)
		{
			if (*scan->p == '\\')
				scan->p++;
			result[len++] = *scan->p++;
		}
		scan->p++;				/* closing quote */
		result[len] = '\0';
		*out = result;
		*out_len = len;
		return FN_OK;
	}

	start = scan->p;
	while (scan->p < scan->end && !(delimiters && strchr(delimiters, *scan->p)))
	{
		if (*scan->p == '"')
			return fn_fail(err, FN_SYNTAX, "A double quote may only start a quoted name.");
		scan->p++;
	}
	len = scan->p - start;
	while (len > 0 && fn_is_space(start[len - 1]))
		len--;
	if (len == 0)
		return fn_fail(err, FN_SYNTAX, "A name is missing.");
	if (len > max_len)
		return fn_fail(err, FN_TOO_LONG, "A name is longer than allowed.");
	result = fn_alloc(len + 1);
	memcpy(result, start, len);
	result[len] = '\0';
	*out = result;
	*out_len = len;
	return FN_OK;
}

FnStatus
fnscan_int64(FnScan *scan, int64_t *out, FnError *err)
{
	bool		negative = false;
	uint64_t	magnitude = 0;
	uint64_t	limit;
	int			digits = 0;

	fnscan_skip_space(scan);
	if (scan->p < scan->end && (*scan->p == '-' || *scan->p == '+'))
		negative = (*scan->p++ == '-');
	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	while (scan->p < scan->end && *scan->p >= '0' && *scan->p <= '9')
	{
		unsigned	d = (unsigned) (*scan->p++ - '0');

		if (magnitude > (limit - d) / 10)
			return fn_fail(err, FN_RANGE, "A number is out of range for a 64-bit integer.");
		magnitude = magnitude * 10 + d;
		digits++;
	}
	if (digits == 0)
		return fn_fail(err, FN_SYNTAX, "An integer is expected.");
	*out = negative ? (int64_t) (0 - magnitude) : (int64_t) magnitude;
	return FN_OK;
}
