/*
 * pure.h
 *		Shared definitions for the server-independent parsers and formatters.
 *
 * Everything declared through this header compiles without PostgreSQL
 * headers, so the text forms can be unit-tested and fuzzed as plain C
 * (test/fuzz).  Parsers never raise errors themselves: they return a status,
 * and the fmgr glue turns it into ereport with the matching SQLSTATE.
 */
#ifndef FUNNEL_PURE_H
#define FUNNEL_PURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

typedef enum FnStatus
{
	FN_OK = 0,
	FN_SYNTAX,					/* malformed text: 22P02 */
	FN_RANGE,					/* number out of range: 22003 */
	FN_TOO_LONG,				/* string longer than allowed: 22001 */
	FN_TOO_BIG,					/* value larger than the documented limit: 54000 */
	FN_CORRUPT					/* binary or stored value inconsistent: 22P03 / XX001 */
} FnStatus;

/*
 * Result of a parse: a status plus a static, human-readable reason that the
 * glue reports as errdetail.
 */
typedef struct FnError
{
	FnStatus	status;
	const char *detail;
} FnError;

static inline FnStatus
fn_fail(FnError *err, FnStatus status, const char *detail)
{
	err->status = status;
	err->detail = detail;
	return status;
}

/* A numeric limit as a string literal, for messages built at compile time. */
#define FN_STR(x) FN_STR_(x)
#define FN_STR_(x) #x

/* White space in every text form: the C locale's isspace, locale-free. */
static inline bool
fn_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Whether name replaces current as the name kept for a stage position when
 * two disagree: the bytewise-smallest non-empty one wins (memcmp order, a
 * prefix before its extensions).  That is a minimum with "no name" as the
 * top element, so it is commutative, associative and idempotent: any split
 * and merge order of the same rows keeps the same name.
 */
static inline bool
fn_name_wins(const char *name, size_t len, const char *current, size_t current_len)
{
	int			r;

	if (len == 0)
		return false;
	if (current_len == 0)
		return true;
	r = memcmp(name, current, len < current_len ? len : current_len);
	return r < 0 || (r == 0 && len < current_len);
}

/*
 * Memory for parser output.  The server build maps this to palloc (so a
 * failed parse is reclaimed with its memory context); the fuzz harness maps
 * it to malloc.  Never returns NULL.
 */
extern void *fn_alloc(size_t size);

/*
 * A timestamptz read from bytes: a moment in range (PostgreSQL's
 * IS_VALID_TIMESTAMP: FN_TIMESTAMPTZ_MIN <= t < FN_TIMESTAMPTZ_END) or one
 * of its infinities, INT64_MIN and INT64_MAX.
 */
#define FN_TIMESTAMPTZ_MIN INT64_C(-211813488000000000)
#define FN_TIMESTAMPTZ_END INT64_C(9223371331200000000)

static inline bool
fn_timestamptz_ok(int64_t t)
{
	return (t >= FN_TIMESTAMPTZ_MIN && t < FN_TIMESTAMPTZ_END) || t == INT64_MIN || t == INT64_MAX;
}

#endif							/* FUNNEL_PURE_H */
