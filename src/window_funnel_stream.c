/*
 * window_funnel_stream.c
 *		The streamed window_funnel state: rows that arrive in time order
 *		within their group are searched as they come, keeping O(steps).
 *
 * The search without strict_once reads events time by time, and within a
 * time by step (window_funnel_latest.c); once a later time arrives, an
 * earlier one can no longer change, so its events are read and dropped.
 * The state keeps the search's per-step records and the chains' times
 * (WfStream, at the start of the events area) and the events of the latest
 * time after them.  Such a state never leaves the aggregate that made it
 * (wf_rows_in_time_order requires a plain or sorted aggregation running our
 * final function), so it has no byte form and is never combined.
 */
#include "postgres.h"

#include "window_funnel.h"
#include "window_funnel_latest.h"

static WfStream *
wf_stream_of(WfState *st)
{
	Assert(st->streaming);
	return (WfStream *) st->events;
}

/* The search over the state's records, which it reads and updates in place. */
static void
wf_stream_search(WfState *st, WfLatestSearch *ls)
{
	WfStream   *sm = wf_stream_of(st);
	char	   *p = (char *) sm + MAXALIGN(sizeof(WfStream));
	int			n = st->nsteps;

	ls->mode = st->mode;
	ls->n = n;
	ls->window = st->window;
	ls->chain = (WfLatest *) p;
	p += sizeof(WfLatest) * (n + 1);
	ls->chain_times = sm->times ? (int64 *) p : NULL;
	ls->reach_times = sm->times ? (int64 *) p + (n + 1) * n : NULL;
	ls->nodes = NULL;
	ls->first_event = sm->first_event;
	ls->done = sm->done;
	ls->level = sm->level;
}

WfState *
wf_stream_new(FnStateKind kind, MemoryContext aggcontext, int64 window, uint32 mode, int nsteps,
			  bool times)
{
	int64		slots = WF_STREAM_SLOTS(nsteps, times);
	WfState    *st;

	Assert(nsteps > 0 && nsteps <= WF_STREAM_MAX_STEPS && !(mode & WF_MODE_STRICT_ONCE));
	/* zeroed: no chain is set, nothing was reached; room for one pending event */
	st = wf_state_new(kind, aggcontext, window, mode, NULL, 0, slots + 1);
	st->streaming = true;
	st->nsteps = nsteps;
	st->nevents = slots;
	wf_stream_of(st)->base = slots;
	wf_stream_of(st)->times = times;
	return st;
}

/* Read the events of the pending time and drop them. */
static void
wf_stream_flush(WfState *st)
{
	WfStream   *sm = wf_stream_of(st);
	int64		base = sm->base;
	WfLatestSearch ls;

	if (st->nevents == base)
		return;
	wf_stream_search(st, &ls);
	wf_latest_time(&ls, st->events + base, st->nevents - base);
	sm->first_event = ls.first_event;
	sm->done = ls.done;
	sm->level = ls.level;
	st->nevents = base;
	/* rows are numbered within a time, which is all the search reads of them */
	st->nrows = 0;
}

bool
wf_stream_advance(WfState *st, int64 ts)
{
	WfStream   *sm = wf_stream_of(st);

	if (st->nevents > sm->base && ts != sm->pending_ts)
	{
		if (ts < sm->pending_ts)
			elog(ERROR, "window_funnel: a row arrived out of time order in a streamed group");
		wf_stream_flush(st);
	}
	sm->pending_ts = ts;
	return !sm->done;
}

int
wf_stream_finish(WfState *st, int64 *times)
{
	WfStream   *sm = wf_stream_of(st);
	WfLatestSearch ls;

	wf_stream_flush(st);
	if (times != NULL && sm->level > 0)
	{
		/* only a state that left its aggregate through a final of a role's own */
		if (!sm->times)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("a window_funnel state read in time order without its times cannot give them"),
					 errhint("Call window_funnel_times rather than an aggregate built on its functions.")));
		wf_stream_search(st, &ls);
		memcpy(times, ls.reach_times, sizeof(int64) * sm->level);
	}
	return sm->level;
}
