/*
 * flow_text.h
 *		The flow type's content and text form, as server-independent C.
 *
 *   v1 ["2026-01-01 00:00:00+00","2026-02-01 00:00:00+00") 1:lead(4,7,6,5) 2:meet(0,3,1,2)
 *
 * "v1" names the format; then the period in tstzrange's text form (the fmgr
 * glue reads and writes it); then, by ascending position, each stage as its
 * stage text form (quoted when it contains a parenthesis, a double quote, a
 * backslash or edge spaces) and in parentheses its visits at the period's
 * start, entered, exited and at its end.  The last is checked against the
 * others: at_start + entered - exited = at_end.
 */
#ifndef FUNNEL_FLOW_TEXT_H
#define FUNNEL_FLOW_TEXT_H

#include "textbuf.h"

#define FLOW_TEXT_VERSION "v1"

/* a period's bounds, as a range's flags say */
#define FLOW_LOWER_INF 0x01		/* no lower bound */
#define FLOW_UPPER_INF 0x02		/* no upper bound */
#define FLOW_LOWER_INC 0x04		/* the lower bound belongs to the period */
#define FLOW_UPPER_INC 0x08
#define FLOW_PERIOD_FLAGS 0x0f

/* A period, never empty; a bound is microseconds as timestamptz keeps them. */
typedef struct FlowPeriod
{
	int64_t		lower;			/* 0 when FLOW_LOWER_INF */
	int64_t		upper;			/* 0 when FLOW_UPPER_INF */
	uint8_t		flags;
} FlowPeriod;

/* Where a moment lies against a period. */
typedef enum FlowPlace
{
	FLOW_BEFORE,
	FLOW_INSIDE,
	FLOW_AFTER
} FlowPlace;

static inline FlowPlace
flow_place(const FlowPeriod *period, int64_t t)
{
	if (!(period->flags & FLOW_LOWER_INF) &&
		(t < period->lower || (t == period->lower && !(period->flags & FLOW_LOWER_INC))))
		return FLOW_BEFORE;
	if (!(period->flags & FLOW_UPPER_INF) &&
		(t > period->upper || (t == period->upper && !(period->flags & FLOW_UPPER_INC))))
		return FLOW_AFTER;
	return FLOW_INSIDE;
}

static inline bool
flow_period_equal(const FlowPeriod *a, const FlowPeriod *b)
{
	return a->flags == b->flags && a->lower == b->lower && a->upper == b->upper;
}

/* One stage's visits: at the period's start, entering and leaving in it. */
typedef struct FlowCounts
{
	int64_t		at_start;
	int64_t		entered;
	int64_t		exited;
} FlowCounts;

/*
 * Add one visit (entered, and left unless open) to counts.  Each moment is
 * before, inside or after the period, and an open visit is after every
 * period, so a visit adds to at_start and at_end exactly as it spans the
 * period's start and end: at_start + entered - exited = at_end.  A visit
 * that leaves in the period also adds to at_start or entered, so with
 * at_start + entered below INT64_MAX no count overflows; false, counts
 * unchanged, when at_start + entered would pass it (a state given as text
 * may start anywhere).
 */
static inline bool
flow_count_visit(FlowCounts *counts, const FlowPeriod *period, int64_t entered,
				 bool open, int64_t left)
{
	FlowPlace	in = flow_place(period, entered);
	FlowPlace	out = open ? FLOW_AFTER : flow_place(period, left);

	if (in == FLOW_AFTER || (in == FLOW_BEFORE && out == FLOW_BEFORE))
		return true;
	if (counts->at_start == INT64_MAX - counts->entered)
		return false;
	if (in == FLOW_BEFORE)
		counts->at_start++;
	else
		counts->entered++;
	if (!open && out == FLOW_INSIDE)
		counts->exited++;
	return true;
}

typedef struct FlowStage
{
	int			position;
	const char *name;			/* not NUL-terminated */
	size_t		name_len;		/* 0: no name */
	FlowCounts	counts;
} FlowStage;

/* A flow's content, stages in ascending position, each position once. */
typedef struct FlowData
{
	FlowPeriod	period;
	int			nstages;
	FlowStage  *stages;
} FlowData;

/* at_end of a stage whose counts passed flow_check */
static inline int64_t
flow_at_end(const FlowCounts *counts)
{
	return counts->at_start + counts->entered - counts->exited;
}

/*
 * Check a flow's content: a valid, non-empty period, ascending positions,
 * names within the limit, counts that are not negative and whose at_end
 * fits.  FN_CORRUPT with a detail otherwise.
 */
extern FnStatus flow_check(const FlowData *data, FnError *err);

/*
 * Split a text form into its period text (*period, *period_len, to be read
 * as a tstzrange) and the stages after it (*rest), checking the version.
 */
extern FnStatus flow_split(const char *str, size_t len, const char **period,
						   size_t *period_len, const char **rest, FnError *err);

/*
 * Parse the stages after the period into data (names point into fn_alloc'ed
 * copies, not checked for encoding) and check them with data->period.
 */
extern FnStatus flow_parse_stages(const char *str, size_t len, FlowData *data, FnError *err);

/* Append the stages of a checked flow, each after a space. */
extern void flow_format_stages(const FlowData *data, FnBuf *buf);

#endif							/* FUNNEL_FLOW_TEXT_H */
