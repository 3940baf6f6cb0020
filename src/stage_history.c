/*
 * stage_history.c
 *		The entered-only aggregates' buffer of stage entries (see
 *		stage_history.h).
 */
#include "postgres.h"

#include "stage_history.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#define STAGE_HISTORY_SIZE(nslots, n) \
	(offsetof(StageHistory, data) + (Size) (nslots) * STAGE_HISTORY_NAME_SLOT + \
	 (Size) (n) * sizeof(StageEntry))

StaticAssertDecl(offsetof(StageHistory, data) % 8 == 0 && STAGE_HISTORY_NAME_SLOT % 8 == 0,
				 "the entries of a stage history are aligned");

StageHistory *
stage_history_new(FnStateKind kind, MemoryContext aggcontext, int64 room)
{
	return fn_state_new(STAGE_HISTORY_SIZE(0, room), kind, aggcontext);
}

/* h with room for more entries and slots, perhaps moved. */
static StageHistory *
history_reserve(StageHistory *h, int64 more, int more_slots, FnStateHolder *holder,
				const StageHistoryOwner *owner)
{
	Size		used = STAGE_HISTORY_SIZE(h->nslots, h->n);

	if (h->n + more > STAGE_HISTORY_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many stage entries for one %s group", owner->aggregate),
				 errdetail("The entered-only form of %s buffers at most %d entries per group.",
						   owner->aggregate, STAGE_HISTORY_MAX_ROWS),
				 errhint("%s", owner->hint)));
	return fn_state_reserve(h, used, STAGE_HISTORY_SIZE(h->nslots + more_slots, h->n + more),
							STAGE_HISTORY_SIZE(STAGE_MAX_POSITION, STAGE_HISTORY_MAX_ROWS), holder);
}

/* Keep name for position if it wins over the one kept (fn_name_wins). */
static StageHistory *
history_name(StageHistory *h, int position, const char *name, int len, FnStateHolder *holder,
			 const StageHistoryOwner *owner)
{
	char	   *slot = stage_history_slot(h, position);

	if (!fn_name_wins(name, len, slot ? slot + 1 : NULL, slot ? (uint8) slot[0] : 0))
		return h;
	if (slot == NULL)
	{
		char	   *entries;

		h = history_reserve(h, 0, 1, holder, owner);
		entries = (char *) stage_history_entries(h);
		memmove(entries + STAGE_HISTORY_NAME_SLOT, entries, h->n * sizeof(StageEntry));
		h->slot_of[position] = (uint8) ++h->nslots;
		slot = stage_history_slot(h, position);
	}
	slot[0] = (char) (uint8) len;
	memcpy(slot + 1, name, len);
	return h;
}

StageHistory *
stage_history_add(StageHistory *h, int64 deal, TimestampTz at, const StageView *stage,
				  FnStateHolder *holder, const StageHistoryOwner *owner)
{
	StageEntry *e;

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage visit times must be finite"),
				 errdetail("A visit entered at %s.", timestamptz_to_str(at))));
	h = history_name(h, stage->position, stage->name, stage->name_len, holder, owner);
	h = history_reserve(h, 1, 0, holder, owner);
	e = &stage_history_entries(h)[h->n++];
	e->deal = deal;
	e->at = at;
	e->position = stage->position;
	return h;
}

StageHistory *
stage_history_append(StageHistory *a, const StageHistory *b, FnStateHolder *holder,
					 const StageHistoryOwner *owner)
{
	int			p;

	for (p = STAGE_MIN_POSITION; p <= STAGE_MAX_POSITION; p++)
	{
		const char *slot = stage_history_slot(b, p);

		if (slot != NULL)
			a = history_name(a, p, slot + 1, (uint8) slot[0], holder, owner);
	}
	a = history_reserve(a, b->n, 0, holder, owner);
	memcpy(stage_history_entries(a) + a->n, stage_history_entries(b), b->n * sizeof(StageEntry));
	a->n += b->n;
	return a;
}

void
stage_history_encode(const StageHistory *h, StringInfo buf)
{
	const StageEntry *entries = stage_history_entries(h);
	int64		i;
	int			p;

	enlargeStringInfo(buf, 8 + h->n * 17 + h->nslots * (2 + STAGE_MAX_NAME) + 1);
	pq_sendint64(buf, h->n);
	for (i = 0; i < h->n; i++)
	{
		pq_sendint64(buf, entries[i].deal);
		pq_sendint64(buf, entries[i].at);
		pq_sendbyte(buf, (uint8) entries[i].position);
	}
	for (p = STAGE_MIN_POSITION; p <= STAGE_MAX_POSITION; p++)
	{
		const char *slot = stage_history_slot(h, p);

		if (slot == NULL)
			continue;
		pq_sendbyte(buf, (uint8) p);
		pq_sendbyte(buf, (uint8) slot[0]);
		pq_sendbytes(buf, slot + 1, (uint8) slot[0]);
	}
	pq_sendbyte(buf, 0);
}

/*
 * The names after the entries of a byte form, into h; false if they are not
 * what a transition writes: positions ascending, each once, and each one
 * that has entries (entered), as a name only comes with an entry.
 */
static bool
history_decode_names(FnReader *r, const bool *entered, StageHistory **h, FnStateHolder *holder,
					 const StageHistoryOwner *owner)
{
	int			last = 0;

	for (;;)
	{
		int			p = (int) fn_read_uint(r, 1);
		int			len;
		const char *name;

		if (!r->ok)
			return false;
		if (p == 0)
			return fn_reader_left(r) == 0;
		len = (int) fn_read_uint(r, 1);
		name = fn_read_bytes(r, len);
		if (name == NULL || p <= last || !entered[p] || len == 0 || len > STAGE_MAX_NAME ||
			!pg_verifymbstr(name, len, true))
			return false;
		*h = history_name(*h, p, name, len, holder, owner);
		last = p;
	}
}

StageHistory *
stage_history_decode(FnReader *r, FnStateKind kind, MemoryContext aggcontext,
					 const StageHistoryOwner *owner)
{
	FnStateHolder holder = {kind, aggcontext, NULL};
	bool		entered[STAGE_MAX_POSITION + 1] = {false};
	StageHistory *h;
	StageEntry *e;
	int64		n;
	int64		i;

	n = (int64) fn_read_uint(r, 8);
	if (!r->ok || n < 0 || n > STAGE_HISTORY_MAX_ROWS || n > (int64) fn_reader_left(r) / 17)
		return NULL;
	h = stage_history_new(kind, aggcontext, n);
	e = stage_history_entries(h);
	for (i = 0; i < n; i++)
	{
		e[i].deal = (int64) fn_read_uint(r, 8);
		e[i].at = (TimestampTz) fn_read_uint(r, 8);
		e[i].position = (int32) fn_read_uint(r, 1);
		/* a transition keeps only finite times (stage_history_add) */
		if (e[i].position < STAGE_MIN_POSITION || !IS_VALID_TIMESTAMP(e[i].at))
			return NULL;
		entered[e[i].position] = true;
	}
	h->n = n;
	if (!history_decode_names(r, entered, &h, &holder, owner))
		return NULL;
	return h;
}

static inline int
entry_cmp(const StageEntry *x, const StageEntry *y)
{
	if (x->deal != y->deal)
		return x->deal < y->deal ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->position > y->position) - (x->position < y->position);
}

/*
 * A quicksort specialized for entries, the comparison inlined (about twice
 * as fast as qsort through a function pointer on millions of entries); it
 * answers cancel between its partitioning passes.
 */
#define ST_SORT sort_stage_entries
#define ST_ELEMENT_TYPE StageEntry
#define ST_COMPARE(a, b) entry_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

void
stage_history_sort(StageHistory *h)
{
	sort_stage_entries(stage_history_entries(h), h->n);
}
