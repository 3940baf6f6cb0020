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

#include "module.h"
#include "fmgr.h"
#include "attainment_core.h"

#define ATTAINMENT_FORMAT_VERSION 1

typedef struct Attainment
{
	int32		vl_len_;
	uint8		version;
	uint8		scale;			/* decimals of every value, 0..ATT_MAX_SCALE */
	uint16		reserved;		/* zero; ATT_STATE_MARK in an aggregate state */
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

/* Raise the error for values whose days would span span days. */
extern void attainment_span_error(int64 span) pg_attribute_noreturn();

static inline void
attainment_view(const Attainment *a, AttView *view)
{
	view->scale = a->scale;
	view->first_day = a->first_day;
	view->ndays = a->ndays;
	view->days = (AttDay *) a->days;
}

#define PG_GETARG_ATTAINMENT(n) attainment_get(PG_GETARG_DATUM(n))

/*
 * The mark of a state that the aggregate functions built themselves and may
 * update in place.  Readers accept it; stored values are written without it.
 */
#define ATT_STATE_MARK 0x5354

/*
 * Whether a state argument is one of our own states: the executor copies
 * whatever a transition or a moving aggregate's inverse returns into the
 * aggregate context as it is (short or compressed header, TOAST pointer),
 * so the context alone proves nothing.  The header is checked in O(1); the
 * days of a marked state were written by this code.
 */
static inline bool
attainment_is_state(const Attainment *a)
{
	return VARATT_IS_4B_U(a) &&
		(uintptr_t) a % MAXIMUM_ALIGNOF == 0 &&
		VARSIZE(a) >= ATTAINMENT_HEADER &&
		a->version == ATTAINMENT_FORMAT_VERSION &&
		a->reserved == ATT_STATE_MARK &&
		a->ndays >= 1 && a->ndays <= ATT_MAX_SPAN &&
		VARSIZE(a) == ATTAINMENT_SIZE(a->ndays) &&
		a->scale <= ATT_MAX_SCALE &&
		a->first_day >= ATT_MIN_DAY &&
		a->first_day <= ATT_MAX_DAY - (a->ndays - 1);
}

#endif							/* FUNNEL_ATTAINMENT_H */
