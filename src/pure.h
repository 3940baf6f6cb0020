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

/*
 * Memory for parser output.  The server build maps this to palloc (so a
 * failed parse is reclaimed with its memory context); the fuzz harness maps
 * it to malloc.  Never returns NULL.
 */
extern void *fn_alloc(size_t size);

#endif							/* FUNNEL_PURE_H */
