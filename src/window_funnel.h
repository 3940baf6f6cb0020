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

#include "funnel.h"
#include "agg_state.h"
#include "window_funnel_mode.h"

/* Documented limits. */
#define WF_MAX_STEPS 1024
#define WF_MAX_EVENTS (1 << 24)

/* 2 added steps_key; 1 (0.1's serialized state) is still read */
#define WF_FORMAT_VERSION 2

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
	WfEvent		events[FLEXIBLE_ARRAY_MEMBER];
} WfState;

#define WF_STATE_SIZE(nevents) (offsetof(WfState, events) + sizeof(WfEvent) * (nevents))
#define WF_STATE_ROOM(st) ((int64) ((VARSIZE(st) - offsetof(WfState, events)) / sizeof(WfEvent)))

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
 * The steps argument argno of this row, checked (22004, 22023, 54000 as for
 * the boolean form's steps), parsed again only when its bytes differ from
 * the last row's; names lives in the call site's fn_extra.
 */
extern const WfStepNames *wf_step_names(FunctionCallInfo fcinfo, WfStepNames *names, int argno);

/* A state without events, with room for room of them. */
extern WfState *wf_state_new(FnStateKind kind, MemoryContext aggcontext,
							 int64 window, uint32 mode, int64 room);

/* Append the byte form of a state to buf. */
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
 * Evaluate a state: returns the level reached (0..nsteps) and, when times is
 * not NULL, stores the time each step of the reported chain happened in
 * times[0 .. level - 1] (times must have room for nsteps values).  Sorts the
 * state's events in place, which leaves it a valid state.
 */
extern int	wf_evaluate(WfState *state, int64 *times);

#endif							/* FUNNEL_WINDOW_FUNNEL_H */
