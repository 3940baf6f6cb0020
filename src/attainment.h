/*
 * attainment.h
 *		The attainment type: plan attainment of one indicator over days.
 *
 * Stored as a varlena holding a dense window of days (see attainment_core.h
 * for the per-day sums).  Values built by the aggregate may carry empty days
 * on either edge of the window (headroom for growth in place); every reader
 * treats them as days without rows, and the final function trims them.
 */
#ifndef FUNNEL_ATTAINMENT_H
#define FUNNEL_ATTAINMENT_H

#include "funnel.h"
#include "fmgr.h"
#include "attainment_core.h"

#define ATTAINMENT_FORMAT_VERSION 1

typedef struct Attainment
{
	int32		vl_len_;
	uint8		version;
	uint8		scale;			/* decimals of every value, 0..ATT_MAX_SCALE */
	uint16		reserved;		/* zero */
	int32		first_day;		/* DateADT of days[0] */
	int32		ndays;			/* 1..ATT_MAX_SPAN */
	AttDay		days[FLEXIBLE_ARRAY_MEMBER];	/* 8-byte aligned at offset 16 */
} Attainment;

#define ATTAINMENT_HEADER offsetof(Attainment, days)
#define ATTAINMENT_SIZE(n) (ATTAINMENT_HEADER + sizeof(AttDay) * (Size) (n))

/* Detoast and check a stored value's header (format version, sizes, range). */
extern Attainment *attainment_get(Datum value);

/* A new value whose days all have no rows, palloc'ed in the current context. */
extern Attainment *attainment_alloc(int32 ndays, int scale, int32 first_day);

/* Only the days from the first to the last with rows; NULL when there is none. */
extern Attainment *attainment_trim(const Attainment *a);

/* The sum of two values, a new trimmed value. */
extern Attainment *attainment_sum(const Attainment *a, const Attainment *b);

/* Raise the SQL error a failed arithmetic or check asks for. */
extern void attainment_raise(const FnError *err) pg_attribute_noreturn();

static inline void
attainment_view(const Attainment *a, AttView *view)
{
	view->scale = a->scale;
	view->first_day = a->first_day;
	view->ndays = a->ndays;
	view->days = (AttDay *) a->days;
}

#define PG_GETARG_ATTAINMENT(n) attainment_get(PG_GETARG_DATUM(n))

#endif							/* FUNNEL_ATTAINMENT_H */
