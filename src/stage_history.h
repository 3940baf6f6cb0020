/*
 * stage_history.h
 *		The buffer of the entered-only aggregates (stage_velocity and
 *		pipeline_flow over deal_id, stage, entered_at): each deal's stage
 *		entries, to be sorted into visits by the final function.
 *
 * A visit lasts until the same deal's next entry; the deal's last entry is
 * a visit still open.  Entries of one deal at the same moment are ordered
 * by position, the first lasting zero.  The buffer is a value-type state
 * (agg_state.h): its name slots, one per position seen with a name, then
 * the entries (24 bytes each, so memory is linear in rows, at most
 * STAGE_HISTORY_MAX_ROWS per group).  A new slot moves the entries, at
 * most once per position.
 */
#ifndef FUNNEL_STAGE_HISTORY_H
#define FUNNEL_STAGE_HISTORY_H

#include "agg_state.h"
#include "flow_text.h"
#include "stage.h"

#include "datatype/timestamp.h"

/* 20 million entries: 480 MB of state, under the 1 GB allocation limit */
#define STAGE_HISTORY_MAX_ROWS 20000000

/* A stage name kept for a position: its length, then room for the longest. */
#define STAGE_HISTORY_NAME_SLOT (1 + STAGE_MAX_NAME)

typedef struct StageEntry
{
	int64		deal;
	TimestampTz at;
	int32		position;
} StageEntry;

typedef struct StageHistory
{
	int32		vl_len_;		/* varlena header: the allocated size */
	int32		nslots;
	int64		n;				/* entries */
	FlowPeriod	period;			/* pipeline_flow's; unused by stage_velocity */
	uint8		slot_of[STAGE_MAX_POSITION + 1];	/* per position: its slot + 1, 0: none */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* nslots slots, then n entries */
} StageHistory;

/* The aggregate a buffer belongs to, for its messages. */
typedef struct StageHistoryOwner
{
	const char *aggregate;		/* its SQL name */
	const char *hint;			/* when a group has too many entries */
} StageHistoryOwner;

static inline StageEntry *
stage_history_entries(const StageHistory *h)
{
	return (StageEntry *) (h->data + (Size) h->nslots * STAGE_HISTORY_NAME_SLOT);
}

/* The name slot of position (length byte, then the name), NULL when none. */
static inline char *
stage_history_slot(const StageHistory *h, int position)
{
	return h->slot_of[position] == 0 ? NULL :
		(char *) h->data + (Size) (h->slot_of[position] - 1) * STAGE_HISTORY_NAME_SLOT;
}

extern StageHistory *stage_history_new(FnStateKind kind, MemoryContext aggcontext, int64 room);

/* h with one more entry (deal, at, stage); h may move. */
extern StageHistory *stage_history_add(StageHistory *h, int64 deal, TimestampTz at,
									   const StageView *stage, FnStateHolder *holder,
									   const StageHistoryOwner *owner);

/* a with b's entries and names added; a may move. */
extern StageHistory *stage_history_append(StageHistory *a, const StageHistory *b,
										  FnStateHolder *holder, const StageHistoryOwner *owner);

/*
 * The byte form after the owner's header: number of entries (int8), the
 * entries (deal and time as int8, position byte), then per named position
 * (ascending, each with entries) its byte, the name length byte and the
 * name, ended by a zero byte.
 */
extern void stage_history_encode(const StageHistory *h, StringInfo buf);

/*
 * A buffer from the rest of a byte form; NULL if the bytes are not one that
 * the transitions could have written (the final functions rely on that).
 */
extern StageHistory *stage_history_decode(FnReader *r, FnStateKind kind, MemoryContext aggcontext,
										  const StageHistoryOwner *owner);

/*
 * Sort by deal, time and position, so that each entry's visit lasts until
 * the next entry of the same deal.  Sorting reorders the buffer without
 * changing what it holds, so a final function may run again.
 */
extern void stage_history_sort(StageHistory *h);

#endif							/* FUNNEL_STAGE_HISTORY_H */
