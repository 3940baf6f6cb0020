/*
 * chain_text.h
 *		Stored and text forms of contact_chain, as server-independent C.
 *
 * Stored body (what follows the varlena header), byte-aligned:
 *		[version: 1 byte][count: uint32, native order][count entries]
 * and each entry is [length: 1 byte, 1..255][kind bytes].  One chain has
 * exactly one body, so equality and hashing can work on the bytes.
 *
 * Text form: kinds separated by ">", written with the quoting rule of
 * textbuf.h (">" is the delimiter); the empty chain is the empty string.
 */
#ifndef FUNNEL_CHAIN_TEXT_H
#define FUNNEL_CHAIN_TEXT_H

#include "pure.h"
#include "textbuf.h"

#define CHAIN_FORMAT_VERSION 1
#define CHAIN_HEADER_BYTES 5	/* version, count */
#define CHAIN_MAX_KIND 255		/* bytes in one kind */
#define CHAIN_MAX_KINDS 10000	/* kinds in one chain */

/* the limits as message text */
#define CHAIN_KINDS_LIMIT "A contact chain holds at most " FN_STR(CHAIN_MAX_KINDS) " contacts."
#define CHAIN_KIND_LIMIT "A contact kind is at most " FN_STR(CHAIN_MAX_KIND) " bytes long."

/* Appends a chain body to a buffer, one kind at a time. */
typedef struct ChainWriter
{
	FnBuf	   *buf;
	size_t		count_at;		/* offset of the count in buf */
	uint32_t	count;
} ChainWriter;

/* FN_SYNTAX for an empty kind or a NUL byte, FN_TOO_LONG beyond CHAIN_MAX_KIND bytes */
extern FnStatus chain_check_kind(const char *kind, size_t len, FnError *err);

extern void chain_writer_begin(ChainWriter *w, FnBuf *buf);
/* chain_check_kind's statuses, or FN_TOO_BIG past CHAIN_MAX_KINDS */
extern FnStatus chain_writer_add(ChainWriter *w, const char *kind, size_t len, FnError *err);
extern void chain_writer_finish(ChainWriter *w);

/* Walks the kinds of a checked body; copy it freely to walk again. */
typedef struct ChainReader
{
	const uint8_t *p;			/* next entry */
	const uint8_t *end;
	uint32_t	left;			/* entries not read yet */
} ChainReader;

/*
 * Check a whole body (version, count, every length, no trailing bytes) and
 * position a reader at its first kind.  FN_CORRUPT when inconsistent.
 */
extern FnStatus chain_open(const uint8_t *body, size_t len, ChainReader *r, FnError *err);

static inline bool
chain_read(ChainReader *r, const char **kind, size_t *len)
{
	if (r->left == 0)
		return false;
	*len = r->p[0];
	*kind = (const char *) r->p + 1;
	r->p += 1 + *len;
	r->left--;
	return true;
}

/* Bytewise order of two kinds, the shorter first when one is a prefix. */
extern int	chain_kind_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Lexicographic order of two chains by kind; a proper prefix sorts first. */
extern int	chain_cmp(ChainReader a, ChainReader b);

/* Parse the text form (len bytes of str), appending the body to out. */
extern FnStatus chain_parse(const char *str, size_t len, FnBuf *out, FnError *err);

/* Append the canonical text form ("a > b"), NUL-terminated. */
extern void chain_format(ChainReader r, FnBuf *out);

#endif							/* FUNNEL_CHAIN_TEXT_H */
