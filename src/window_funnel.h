/*
 * window_funnel.h
 *		The window_funnel family's map: its files, what each may call, and
 *		the functions one file of the family calls in another.
 *
 * The state keeps one event per (row, satisfied step), as ClickHouse's
 * windowFunnel does; under strict_order a row satisfying no step keeps one
 * "null" event (step 0) because it can end the search.  Evaluation happens
 * in the final function, after sorting the events by (time, row, step),
 * unless the rows arrive in time order and the transition streams them.
 *
 * Files, each calling only those listed below it (and the module's
 * agg_state.c and funnel.c), never one above it:
 *
 *	window_funnel.c			fmgr glue: the transitions, combine, serialize and
 *							final functions of window_funnel(_times); the
 *							window, mode and steps arguments checked per row
 *	window_funnel_values.c	the final function of window_funnel_values
 *	window_funnel_plan.c	the planner support: hash aggregation costed
 *	window_funnel_order.c	whether a call site's rows arrive in time order
 *	window_funnel_steps.c	the steps arrays, the event-name form's names
 *	window_funnel_eval.c	wf_evaluate: the buffered search (strict_once
 *							here), and a streamed state's finish
 *	window_funnel_items.c	the search under the funnel items and any_order
 *	window_funnel_stream.c	the streamed state: rows searched as they come
 *	window_funnel_latest.c	the latest-chain search (without strict_once),
 *							under both the buffered evaluation and the
 *							stream; the chain nodes that recover times
 *	window_funnel_state.c	the state's storage: new, reserve, combine,
 *							byte form and the window_funnel_state type
 *	window_funnel_mode.c	the mode's parser, server-independent C
 *
 * Headers: window_funnel_state.h (the state's layout, wf_append), below it
 * window_funnel_latest.h (the search, for eval and stream only),
 * window_funnel_mode.h (modes and items), and this one over them all.
 */
#ifndef FUNNEL_WINDOW_FUNNEL_H
#define FUNNEL_WINDOW_FUNNEL_H

#include "window_funnel_state.h"

#include "utils/array.h"

/* window_funnel_steps.c */

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
 * hints of a multi-dimensional and of an empty array (empty_hint: none if
 * NULL); fname names the aggregate in the errors (the sequence aggregates
 * share the event-name form's steps).
 */
extern int	wf_steps_length(ArrayType *steps, const char *fname, const char *dims_hint,
							const char *empty_hint);

/*
 * The steps argument argno of this row, checked (22004, 22023, 54000 as for
 * the boolean form's steps), parsed again only when its bytes differ from
 * the last row's; names lives in the call site's fn_extra.
 */
extern const WfStepNames *wf_step_names(FunctionCallInfo fcinfo, WfStepNames *names, int argno,
										 const char *fname);

/* window_funnel_order.c */

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

/* window_funnel_stream.c */

/* A new, empty streamed state of nsteps steps, keeping the chains' times or not. */
extern WfState *wf_stream_new(FnStateKind kind, MemoryContext aggcontext, int64 window,
							  uint32 mode, int nsteps, bool times);

/* Before a row at ts: the pending events read if ts is later; false when the search ended. */
extern bool wf_stream_advance(WfState *st, int64 ts);

/* The level of a streamed state, and the times of its chain as wf_evaluate gives them. */
extern int	wf_stream_finish(WfState *st, int64 *times);

/* window_funnel_eval.c, window_funnel_items.c */

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
