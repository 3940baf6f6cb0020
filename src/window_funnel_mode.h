/*
 * window_funnel_mode.h
 *		The mode argument of window_funnel, as server-independent C.
 *
 * A mode is a comma-separated list of ClickHouse windowFunnel option names
 * and of funnel items (exclude, optional, step within, any_order); '' is the
 * default mode.
 */
#ifndef FUNNEL_WINDOW_FUNNEL_MODE_H
#define FUNNEL_WINDOW_FUNNEL_MODE_H

#include "pure.h"

#define WF_MODE_STRICT_DEDUPLICATION	0x01
#define WF_MODE_STRICT_ORDER			0x02
#define WF_MODE_STRICT_INCREASE			0x04
#define WF_MODE_STRICT_ONCE				0x08
#define WF_MODE_ALLOW_REENTRY			0x10
#define WF_MODE_ITEMS					0x20	/* exclude, optional or step within */
#define WF_MODE_ANY_ORDER				0x40
#define WF_MODE_ALL						0x7f

/* the modes that the chain items (and any_order) replace */
#define WF_MODE_CLICKHOUSE_ONLY (WF_MODE_STRICT_DEDUPLICATION | WF_MODE_STRICT_ORDER | \
								 WF_MODE_STRICT_ONCE | WF_MODE_ALLOW_REENTRY)

#define WF_MODE_NAMES "strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry"
#define WF_ITEM_GRAMMAR "The funnel items are exclude E, exclude E between I and J, optional K, " \
	"step K within W and any_order (alone), where E, I, J and K are condition numbers from 1; " \
	"they combine with each other and with strict_increase, such as 'exclude 4 between 2 and 3, optional 2'."

/* At most this many items in one mode. */
#define WF_MAX_ITEMS 64

typedef enum WfItemKind
{
	WF_ITEM_EXCLUDE = 1,
	WF_ITEM_OPTIONAL = 2,
	WF_ITEM_WITHIN = 3
} WfItemKind;

/*
 * One item, as the state stores it.  exclude: cond is E, from and to are I
 * and J (0 and 0: the first and the last step); optional and within: cond
 * is K; within: the limit, in the unit of the time axis.
 */
typedef struct WfItem
{
	uint16_t	kind;
	uint16_t	cond;
	uint16_t	from;
	uint16_t	to;
	int64_t		within;
} WfItem;

/* The items of a parsed mode; within_text: the W of each within item, to convert. */
typedef struct WfModeItems
{
	int			count;
	WfItem		items[WF_MAX_ITEMS];
	const char *within_text[WF_MAX_ITEMS];
	size_t		within_len[WF_MAX_ITEMS];
} WfModeItems;

/*
 * Parse a mode list of len bytes (not necessarily NUL-terminated).  Names
 * are matched case-insensitively, blanks around commas and between an
 * item's words are ignored, a name may repeat (an item may not).  On failure
 * bad and bad_len point at the offending name or item (or the empty slot
 * between commas) and err says why.  items (may be NULL when the caller
 * knows there are none) receives the items, their within limits unset.
 */
extern FnStatus wf_mode_parse(const char *str, size_t len, uint32_t *flags, WfModeItems *items,
							  const char **bad, size_t *bad_len, FnError *err);

/* Check a combination of flags; FN_OK or FN_SYNTAX with a reason. */
extern FnStatus wf_mode_check(uint32_t flags, FnError *err);

/*
 * Check items against the number of conditions (steps and exclusions) of a
 * call; on failure *bad is the offending item's index.
 */
extern FnStatus wf_items_check(const WfItem *items, int count, int nconds, int *bad,
							   FnError *err);

/* The number of steps of nconds conditions under these items: the exclusions are the last ones. */
extern int	wf_items_steps(const WfItem *items, int count, int nconds);

/* A non-negative integer W of the bigint axis; false if it is not one. */
extern bool wf_parse_within_units(const char *str, size_t len, int64_t *value);

#endif							/* FUNNEL_WINDOW_FUNNEL_MODE_H */
