/*
 * funnel_value.h
 *		The funnel type: per stage position, how many clients stopped there
 *		(their deepest stage) and the stage's name.
 *
 * One layout serves as the stored value and as the aggregate state, so the
 * aggregate can update it in place and Citus can ship it as text:
 *
 *		header   version, first position, number of slots, name bytes in use
 *		slots    one per position first .. first + nslots - 1: the count of
 *				 clients who stopped there and where its name lies
 *		names    the name area: name_used bytes in use, then free space up to
 *				 the end of the varlena (only aggregate states have free
 *				 space or unreferenced bytes; funnel_canonical removes both)
 *
 * The first and last slots always count at least one client (an empty
 * funnel has no slots); a slot in between may count none and then has no
 * name.  A name is at most 255 bytes.  The type is double-aligned so the
 * counts can be read in place; the whole value is bounded (255 slots of 16
 * bytes plus at most twice 255 names of 255 bytes) whatever the row count.
 */
#ifndef FUNNEL_FUNNEL_VALUE_H
#define FUNNEL_FUNNEL_VALUE_H

#include "module.h"
#include "fmgr.h"
#include "funnel_value_text.h"

#define FUNNEL_FORMAT_VERSION 1

typedef struct FunnelSlot
{
	int64		stopped;		/* clients whose deepest stage is this position */
	uint32		name_off;		/* offset of the name in the name area */
	uint32		name_len;		/* 0: no name */
} FunnelSlot;

typedef struct FunnelData
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* FUNNEL_FORMAT_VERSION */
	uint8		first;			/* position of slots[0]; 0 when empty */
	uint16		nslots;			/* 0 .. 255 */
	uint32		name_used;		/* bytes of the name area in use */
	uint32		reserved;		/* zero, FUNNEL_STATE_MARK in an aggregate
								 * state; keeps the slots 8-byte aligned */
	FunnelSlot	slots[FLEXIBLE_ARRAY_MEMBER];
} FunnelData;

#define FUNNEL_HEADER_SIZE offsetof(FunnelData, slots)

static inline char *
funnel_names(const FunnelData *f)
{
	return (char *) &f->slots[f->nslots];
}

/* free bytes at the end of the name area */
static inline Size
funnel_name_free(const FunnelData *f)
{
	return VARSIZE(f) - FUNNEL_HEADER_SIZE - f->nslots * sizeof(FunnelSlot) - f->name_used;
}

static inline int
funnel_last(const FunnelData *f)
{
	return f->first + f->nslots - 1;
}

/*
 * The mark of a state that the aggregate functions built themselves and may
 * update in place.  Readers accept it; stored values are written without it.
 */
#define FUNNEL_STATE_MARK 0x46535431

/*
 * Whether a state argument is one of our own states: the executor copies
 * whatever a transition or a moving aggregate's inverse returns into the
 * aggregate context as it is (short or compressed header, TOAST pointer),
 * so the context alone proves nothing.  The header is checked in O(1); the
 * slots of a marked state were written by this code.
 */
static inline bool
funnel_is_state(const FunnelData *f)
{
	return VARATT_IS_4B_U(f) &&
		(uintptr_t) f % MAXIMUM_ALIGNOF == 0 &&
		VARSIZE(f) >= FUNNEL_HEADER_SIZE &&
		f->version == FUNNEL_FORMAT_VERSION &&
		f->reserved == FUNNEL_STATE_MARK &&
		(f->nslots == 0 || f->first >= FUNNEL_MIN_POSITION) &&
		f->first + f->nslots <= FUNNEL_MAX_POSITION + 1 &&
		VARSIZE(f) - FUNNEL_HEADER_SIZE >= f->nslots * sizeof(FunnelSlot) + (Size) f->name_used;
}

/* Detoast (and unpack) a funnel argument and check its structure. */
extern FunnelData *funnel_get(Datum datum);

#define PG_GETARG_FUNNEL(n) funnel_get(PG_GETARG_DATUM(n))

/* A zeroed funnel of nslots slots from position first, name_cap name bytes. */
extern FunnelData *funnel_alloc(int first, int nslots, Size name_cap);

/* Build a canonical funnel from parsed entries. */
extern FunnelData *funnel_from_table(const FunnelTable *table);

/*
 * A copy covering at least positions first .. last (0, 0: just the
 * funnel's own) with at least name_free bytes of free name space, live
 * names packed in position order.
 */
extern FunnelData *funnel_copy(const FunnelData *f, int first, int last, Size name_free);

/* The canonical copy: no free space, no unreferenced name bytes. */
extern FunnelData *funnel_canonical(const FunnelData *f);

/*
 * Merge src into dst, in place when dst has room, otherwise into a grown
 * copy; returns the result.  dst must be writable (an aggregate state or a
 * private copy).  Counts add up; names follow funnel_choose_name.
 */
extern FunnelData *funnel_merge_into(FunnelData *dst, const FunnelData *src);

/*
 * Record name for a counted position of a writable funnel, keeping the
 * chosen one of the current and the new name; returns the result (a grown
 * copy when the name area is full).
 */
extern FunnelData *funnel_offer_name(FunnelData *f, int position,
									 const char *name, Size name_len);

/*
 * The counted positions in increasing order, written to entries (room for
 * FUNNEL_MAX_POSITION); returns how many.  Names point into f.
 */
extern int	funnel_entries(const FunnelData *f, FunnelEntry *entries);

/* Raise the error for a count beyond the 64-bit range. */
extern void funnel_count_overflow(void) pg_attribute_noreturn();

/* The total count, the "reached" count of the first position. */
extern int64 funnel_total(const FunnelData *f);

#endif							/* FUNNEL_FUNNEL_VALUE_H */
