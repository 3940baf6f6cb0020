/*
 * window_funnel.h
 *		State of the window_funnel aggregates and the evaluation entry point.
 *
 * The state keeps one event per (row, satisfied step), as ClickHouse's
 * windowFunnel does; under strict_order a row satisfying no step keeps one
 * "null" event (step 0) because it can end the search.  Evaluation happens
 * in the final function, after sorting the events by (time, row, step).
 */
#ifndef FUNNEL_WINDOW_FUNNEL_H
#define FUNNEL_WINDOW_FUNNEL_H

#include "module.h"
#include "agg_state.h"
#include "window_funnel_mode.h"

#include "utils/array.h"

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
 * The steps of the event-name form as a call site last saw them: a plain
 * copy of the text[] argument (raw) and its names, pointing into it.
 */
typedef struct WfStepNames
{
	int			nsteps;
	uint64		key;			/* fingerprint, never 0 */
	const char **names;
	int32	   *lens;
	struct varlena *raw;
	Size		raw_cap;
} WfStepNames;

/*
 * The number of steps of a steps array, checked (22023, 54000), with the
 * hints of a multi-dimensional and of an empty array (empty_hint: none if NULL).
 */
extern int	wf_steps_length(ArrayType *steps, const char *dims_hint, const char *empty_hint);

/*
 * The steps argument argno of this row, checked (22004, 22023, 54000 as for
 * the boolean form's steps), parsed again only when its bytes differ from
 * the last row's; names lives in the call site's fn_extra.
 */
extern const WfStepNames *wf_step_names(FunctionCallInfo fcinfo, WfStepNames *names, int argno);

/* A state without events, with room for room of them, and the mode's nitems items. */
extern WfState *wf_state_new(FnStateKind kind, MemoryContext aggcontext, int64 window,
							 uint32 mode, const WfItem *items, int nitems, int64 room);

/*
 * Room in st for more events and more_pool bytes of values, perhaps moved
 * (agg_state.h): the pool stays the state's last bytes.
 */
extern WfState *wf_state_reserve(WfState *st, FnStateHolder *holder, int64 more, Size more_pool);

/* Whether two states' modes have the same items. */
extern bool wf_same_items(const WfState *a, const WfState *b);

/* Raise the error for a streamed state where only a buffering one may go. */
extern void wf_check_not_streamed(const WfState *st);

/* Raise the error for a state of another time axis than fname reads. */
extern void wf_check_axis(const WfState *st, uint8 axis, const char *fname);

/* Raise the error for a state with values where fname takes none, or the reverse. */
extern void wf_check_values(const WfState *st, bool values, const char *fname);

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

/* Per step: (first, last) times of the most recent chain that reached it. */
typedef struct WfLatest
{
	int64		first;
	int64		last;
	int32		node;			/* its times, when the search keeps nodes */
	bool		set;
} WfLatest;

/*
 * The search without strict_once, as ClickHouse keeps it: one chain per
 * step, the most recent one to reach it.  The times of the chains are kept
 * as nodes of a buffered evaluation (ev), or as rows of chain_times, row s
 * holding the n times of chain s (a stream); with neither, not at all.
 */
typedef struct WfLatestSearch
{
	uint32		mode;
	int			n;
	int64		window;
	WfLatest   *chain;			/* n + 1 records, [0] unused */
	bool		first_event;	/* step 1 was seen */
	bool		done;			/* a mode ended the search, or step n was reached */
	int32		level;
	struct WfEval *ev;
	int64	   *chain_times;	/* (n + 1) x n */
	int64	   *reach_times;	/* n: the first chain to reach level */
} WfLatestSearch;

/* Read the events of one time (count > 0, sorted by row then step). */
extern void wf_latest_time(WfLatestSearch *ls, const WfEvent *events, int64 count);

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

/*
 * Whether this call site's rows arrive in ts order (argument ts_arg)
 * within each group, from its Aggref and plan (window_funnel_order.c).
 */
extern bool wf_rows_in_time_order(FunctionCallInfo fcinfo, int ts_arg);

/*
 * Whether a final function other than window_funnel's reads this call
 * site's states: window_funnel_times, or any other aggregate sharing the
 * transition (window_funnel_order.c).
 */
extern bool wf_call_wants_times(FunctionCallInfo fcinfo);

/* A new, empty streamed state of nsteps steps, keeping the chains' times or not. */
extern WfState *wf_stream_new(FnStateKind kind, MemoryContext aggcontext, int64 window,
							  uint32 mode, int nsteps, bool times);

/* Before a row at ts: the pending events read if ts is later; false when the search ended. */
extern bool wf_stream_advance(WfState *st, int64 ts);

/* The level of a streamed state, and the times of its chain as wf_evaluate gives them. */
extern int	wf_stream_finish(WfState *st, int64 *times);

/*
 * Evaluate a state: returns the level reached (0..nsteps) and, when times is
 * not NULL, stores the time each step of the reported chain happened in
 * times[0 .. *ntimes - 1], skipped[k] telling a step the chain skipped
 * (times and skipped must have room for nsteps values; ntimes is the level
 * but under any_order).  Sorts the state's events in place, which leaves it
 * a valid state.
 */
extern int	wf_evaluate(WfState *state, int64 *times, bool *skipped, int *ntimes);

/* wf_evaluate under the funnel items or any_order, on sorted events (window_funnel_items.c). */
extern int	wf_evaluate_items(WfState *st, int64 *times, bool *skipped, int *ntimes);

#endif							/* FUNNEL_WINDOW_FUNNEL_H */
