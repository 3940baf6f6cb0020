/*
 * attainment_text.h
 *		Text form of attainment, as server-independent C.
 *
 *	v1 2026-01-05:12/10,9.5/10 2026-01-12:8/10
 *
 * The format version, then one segment per run of consecutive days with
 * rows: the run's first day, a colon, and each day's actual/plan sums,
 * comma-separated.  Canonical output writes every value with exactly the
 * value's scale in decimals, so the scale round-trips too.  Input accepts
 * fewer decimals, extra spaces between segments and adjacent segments.
 */
#ifndef FUNNEL_ATTAINMENT_TEXT_H
#define FUNNEL_ATTAINMENT_TEXT_H

#include "attainment_core.h"

#define ATT_TEXT_VERSION 1

/* Append the canonical text form of v. */
extern void attainment_format(const AttView *v, FnBuf *buf);

/*
 * Parse a text form.  On success out->days points prefix bytes into one
 * fn_alloc'ed block, so the caller can put its own header in front without
 * copying; days without rows inside the window have plan ATT_NO_ROWS.
 */
extern FnStatus attainment_parse(const char *str, size_t len, size_t prefix,
								 AttView *out, FnError *err);

#endif							/* FUNNEL_ATTAINMENT_TEXT_H */
