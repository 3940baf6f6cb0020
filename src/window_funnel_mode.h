/*
 * window_funnel_mode.h
 *		The mode argument of window_funnel, as server-independent C.
 *
 * A mode is a comma-separated list of ClickHouse windowFunnel option names;
 * '' is the default mode.
 */
#ifndef FUNNEL_WINDOW_FUNNEL_MODE_H
#define FUNNEL_WINDOW_FUNNEL_MODE_H

#include "pure.h"

#define WF_MODE_STRICT_DEDUPLICATION	0x01
#define WF_MODE_STRICT_ORDER			0x02
#define WF_MODE_STRICT_INCREASE			0x04
#define WF_MODE_STRICT_ONCE				0x08
#define WF_MODE_ALLOW_REENTRY			0x10
#define WF_MODE_ALL						0x1f

#define WF_MODE_NAMES "strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry"

/*
 * Parse a mode list of len bytes (not necessarily NUL-terminated).  Names
 * are matched case-insensitively, blanks around commas are ignored, a name
 * may repeat.  On failure bad and bad_len point at the offending name (or the
 * empty slot between commas) and err says why.
 */
extern FnStatus wf_mode_parse(const char *str, size_t len, uint32_t *flags,
							  const char **bad, size_t *bad_len, FnError *err);

/* Check a combination of flags; FN_OK or FN_SYNTAX with a reason. */
extern FnStatus wf_mode_check(uint32_t flags, FnError *err);

#endif							/* FUNNEL_WINDOW_FUNNEL_MODE_H */
