/*
 * textbuf.h
 *		Building and scanning text forms, as server-independent C.
 *
 * All text forms share one quoting rule: a token is written bare unless it
 * is empty, has a leading or trailing space, or contains a double quote, a
 * backslash or one of the caller's delimiter characters; then it is written
 * in double quotes with \" and \\ escapes.  A bare token on input ends at a
 * delimiter and loses its edge spaces.
 */
#ifndef FUNNEL_TEXTBUF_H
#define FUNNEL_TEXTBUF_H

#include "pure.h"

typedef struct FnBuf
{
	char	   *data;			/* always NUL-terminated */
	size_t		len;
	size_t		cap;
} FnBuf;

extern void fnbuf_init(FnBuf *buf, size_t capacity);
extern void fnbuf_append(FnBuf *buf, const char *s, size_t n);
extern void fnbuf_putc(FnBuf *buf, char c);
extern void fnbuf_puts(FnBuf *buf, const char *s);
extern void fnbuf_int64(FnBuf *buf, int64_t value);
/* append a token, quoting it when needed; delimiters may be NULL */
extern void fnbuf_token(FnBuf *buf, const char *s, size_t n, const char *delimiters);

typedef struct FnScan
{
	const char *p;
	const char *end;
} FnScan;

extern void fnscan_init(FnScan *scan, const char *s, size_t len);
extern void fnscan_skip_space(FnScan *scan);
extern bool fnscan_at_end(FnScan *scan);	/* after skipping space */
/* consume c (after skipping space); false and nothing consumed if absent */
extern bool fnscan_accept(FnScan *scan, char c);
/* consume c (after skipping space), else FN_SYNTAX with detail */
extern FnStatus fnscan_expect(FnScan *scan, char c, const char *detail, FnError *err);
/* consume a literal word (after skipping space) */
extern bool fnscan_accept_word(FnScan *scan, const char *word);

/*
 * Read a token, quoted or bare; a bare token ends at any of delimiters (or
 * the end) and must not be empty.  The result is fn_alloc'ed and
 * NUL-terminated; max_len bounds its length in bytes (FN_TOO_LONG beyond).
 */
extern FnStatus fnscan_token(FnScan *scan, const char *delimiters, size_t max_len,
							 char **out, size_t *out_len, FnError *err);
/* optional sign and decimal digits; FN_RANGE on overflow */
extern FnStatus fnscan_int64(FnScan *scan, int64_t *out, FnError *err);

#endif							/* FUNNEL_TEXTBUF_H */
