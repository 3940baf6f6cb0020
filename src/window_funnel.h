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
#include "window_funnel_mode.h"

/* Documented limits. */
#define WF_MAX_STEPS 1024
#define WF_MAX_EVENTS (1 << 24)

#define WF_FORMAT_VERSION 1

typedef struct WfEvent
{
	int64		ts;				/* microseconds (timestamptz) or bigint units */
	uint32		row;			/* arrival number of the row in this state */
	uint16		step;			/* 1-based step, 0 = row matching no step */
} WfEvent;

typedef struct WfState
{
	bool		sorted;			/* events are in (ts, row, step) order */
	uint32		mode;			/* WF_MODE_* flags */
	int64		window;			/* >= 0, same unit as ts */
	int32		nsteps;			/* 0 until a non-NULL steps array is seen */
	uint32		nrows;			/* rows that contributed events */
	int64		nevents;
	int64		capacity;
	WfEvent    *events;
} WfState;

/*
 * Evaluate a state: returns the level reached (0..nsteps) and, when times is
 * not NULL, stores the time each step of the reported chain happened in
 * times[0 .. level - 1] (times must have room for nsteps values).  Sorts the
 * state's events in place, which leaves it a valid state.
 */
extern int	wf_evaluate(WfState *state, int64 *times);

#endif							/* FUNNEL_WINDOW_FUNNEL_H */
