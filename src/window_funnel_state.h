/*
 * window_funnel_state.h
 *		The window_funnel state and its storage (window_funnel_state.c):
 *		the layout of the events, the items and the value pool, the streamed
 *		state's summary, and appending an event in place.
 *
 * The lowest header of the family: every other window_funnel file reads
 * the state through it, and only window_funnel_state.c (and the inline
 * functions below) grow it.
 */
#ifndef FUNNEL_WINDOW_FUNNEL_STATE_H
#define FUNNEL_WINDOW_FUNNEL_STATE_H

#include "module.h"
#include "agg_state.h"
#include "window_funnel_mode.h"

#include "lib/stringinfo.h"

/* Documented limits. */
#define WF_MAX_STEPS 1024
#define WF_MAX_EVENTS (1 << 24)
#define WF_MAX_POOL (1 << 29)

/*
 * 4 added the time axis; 3 the items, 2 steps_key, 1 was 0.1's serialized
 * state.  Only 4 is read: the earlier forms never left a released version
 * (1 passed between the parallel workers of one query, 2 and 3 were 0.2's
 * development forms), and a state without its axis cannot be checked.
 */
#define WF_FORMAT_VERSION 4

/* The time axis of a state: the finals and transitions of the other one refuse it. */
#define WF_AXIS_TIMESTAMPTZ 1
#define WF_AXIS_BIGINT 2

typedef struct WfEvent
{
	int64		ts;				/* microseconds (timestamptz) or bigint units */
	uint32		row;			/* arrival number of the row in this state */
	uint16		step;			/* 1-based step, 0 = row matching no step */
} WfEvent;

/*
 * The state, one varlena (agg_state.h): the type window_funnel_state, and
 * under internal the 0.1 entry points' state.  Its room for events is what
 * VARSIZE leaves after the header.
 */
typedef struct WfState
{
	int32		vl_len_;		/* varlena header: the allocated size */
	uint32		mode;			/* WF_MODE_* flags */
	int64		window;			/* >= 0, same unit as ts */
	int32		nsteps;			/* 0 until a non-NULL steps array is seen */
	uint64		steps_key;		/* event-name form: fingerprint of the steps; else 0 */
	uint32		nrows;			/* rows that contributed events */
	int64		nevents;
	bool		sorted;			/* events are in (ts, row, step) order */
	bool		streaming;		/* rows arrive in time order: see WfStream */
	uint16		nitems;			/* the mode's funnel items, in the first slots */
	bool		values;			/* window_funnel_values: a value per row, in the pool */
	uint8		axis;			/* WF_AXIS_*: what ts and window measure */
	uint32		pool_used;		/* bytes of the pool in use */
	uint32		pool_cap;		/* bytes of the pool: the last ones of the state */
	WfEvent		events[FLEXIBLE_ARRAY_MEMBER];	/* nitems WfItem, then the events */
} WfState;

/*
 * The pool of window_funnel_values holds, per row in row order, a uint32
 * length (WF_NULL_VALUE: NULL) and the value in its type's binary form.
 */
#define WF_NULL_VALUE PG_UINT32_MAX
#define WF_POOL(st) ((char *) (st) + VARSIZE(st) - (st)->pool_cap)

StaticAssertDecl(sizeof(WfItem) == sizeof(WfEvent), "a funnel item takes one event slot");

#define WF_STATE_SIZE(nslots) (offsetof(WfState, events) + sizeof(WfEvent) * (nslots))
#define WF_STATE_ROOM(st) \
	((int64) ((VARSIZE(st) - (st)->pool_cap - offsetof(WfState, events)) / sizeof(WfEvent)) - (st)->nitems)
#define WF_EVENTS(st) ((st)->events + (st)->nitems)
#define WF_ITEMS(st) ((WfItem *) (st)->events)

/*
 * Per step: (first, last) times of the most recent chain that reached it,
 * as the latest-chain search keeps it (window_funnel_latest.h); part of
 * this layout because a streamed state stores one per step.
 */
typedef struct WfLatest
{
	int64		first;
	int64		last;
	int32		node;			/* its times, when the search keeps nodes */
	bool		set;
} WfLatest;

/*
 * The streamed state (streaming): rows arrive in time order, as
 * wf_rows_in_time_order proves, so earlier times are summarized by the
 * search's records and only the events of the latest time (pending_ts) are
 * kept, after the summary: events[0 .. WF_STREAM_SLOTS(n)) hold it.  The
 * modes without strict_once stream; at most WF_STREAM_MAX_STEPS steps.
 */
#define WF_STREAM_MAX_STEPS 16

typedef struct WfStream
{
	int64		pending_ts;
	int64		base;			/* the slots of events[] the summary takes */
	bool		first_event;
	bool		done;
	bool		times;			/* the chains' times are kept */
	int32		level;
	/* then: WfLatest chain[n + 1]; with times, int64 chain_times[(n + 1) * n], reach_times[n] */
} WfStream;

#define WF_STREAM_BYTES(n, times) (MAXALIGN(sizeof(WfStream)) + sizeof(WfLatest) * ((n) + 1) + \
								   ((times) ? sizeof(int64) * (((n) + 1) * (n) + (n)) : 0))
#define WF_STREAM_SLOTS(n, times) \
	((int64) ((WF_STREAM_BYTES(n, times) + sizeof(WfEvent) - 1) / sizeof(WfEvent)))

/* A state without events, with room for room of them, and the mode's nitems items. */
extern WfState *wf_state_new(FnStateKind kind, MemoryContext aggcontext, int64 window,
							 uint32 mode, const WfItem *items, int nitems, int64 room);

/*
 * Room in st for more events and more_pool bytes of values, perhaps moved
 * (agg_state.h): the pool stays the state's last bytes.
 */
extern WfState *wf_state_reserve(WfState *st, FnStateHolder *holder, int64 more, Size more_pool);

/*
 * a with b merged in (b's rows numbered after a's), a NULL for a group's
 * first state; the two must be of one aggregate and group.
 */
extern WfState *wf_combine(WfState *a, const WfState *b, FnStateHolder *holder);

/*
 * Raise the error for a state that fname cannot read: one of another time
 * axis (axis 0: either), or with values where fname takes none, or the
 * reverse.
 */
extern pg_noinline void wf_report_kind(const WfState *st, uint8 axis, const char *fname) pg_attribute_noreturn();

/* inline: a transition checks the state it is given on every row */
static inline void
wf_check_kind(const WfState *st, uint8 axis, bool values, const char *fname)
{
	if (unlikely((axis != 0 && st->axis != axis) || st->values != values))
		wf_report_kind(st, axis, fname);
}

/*
 * Operations on arrays of events, which sequence_state.c shares: b's nb
 * events after a's na, b's rows numbered from arows (returns whether the
 * result is in (ts, row, step) order: it stays so when both are); whether
 * events are rows as the transitions store them (each row's events
 * together, at one time, by ascending step, a "no step" event 0 alone, and
 * every row number below nrows used by exactly one row); and the sort into
 * (ts, row, step) order, answering cancel.
 */
extern bool wf_events_merge(WfEvent *a, int64 na, uint32 arows, bool asorted,
							const WfEvent *b, int64 nb, bool bsorted);
extern bool wf_events_rows_valid(const WfEvent *events, int64 nevents, uint32 nrows);
extern void wf_events_sort(WfEvent *events, int64 nevents);

/* Append the byte form of events to buf: per event its time, row and step. */
extern void wf_events_send(StringInfo buf, const WfEvent *events, int64 nevents);

/* Append the byte form of a state to buf (not of a streamed one). */
extern void wf_state_encode(const WfState *st, StringInfo buf);

/*
 * A state from its byte form, allocated as kind says; NULL, with err set,
 * if the bytes are not a valid state.
 */
extern WfState *wf_state_decode(const char *data, size_t len, FnStateKind kind,
								MemoryContext aggcontext, FnError *err);

/* Whether x sorts before the event (ts, row, step). */
static inline bool
wf_event_before(const WfEvent *x, int64 ts, uint32 row, uint16 step)
{
	if (x->ts != ts)
		return x->ts < ts;
	if (x->row != row)
		return x->row < row;
	return x->step < step;
}

/*
 * st with room for more events, perhaps moved (agg_state.h).  Inline, as
 * wf_append is: the transitions call them per event.
 */
static inline WfState *
wf_reserve(WfState *st, FnStateHolder *holder, int64 more)
{
	int64		need = st->nevents + more;

	/* before the room: a state growing for its values may have more room than the limit */
	if (need > WF_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel group has too many events"),
				 errdetail("The limit is %d events per group, one per step a row satisfies.",
						   WF_MAX_EVENTS),
				 errhint("Group by a finer key, or filter out rows that satisfy no step.")));
	if (need <= WF_STATE_ROOM(st))
		return st;
	return wf_state_reserve(st, holder, more, 0);
}

/*
 * Store one event, growing the room only when it is full: states start
 * with room for 4 events, as a hash aggregate may hold a million groups.
 */
static inline WfState *
wf_append(WfState *st, FnStateHolder *holder, int64 ts, uint32 row, uint16 step)
{
	WfEvent    *e;

	if (st->nevents == WF_STATE_ROOM(st))
		st = wf_reserve(st, holder, 1);
	e = &WF_EVENTS(st)[st->nevents++];
	e->ts = ts;
	e->row = row;
	e->step = step;
	return st;
}

#endif							/* FUNNEL_WINDOW_FUNNEL_STATE_H */
