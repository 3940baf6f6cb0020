/*
 * window_funnel_latest.c
 *		The latest-chain search: window_funnel without strict_once, one
 *		chain per step, the most recent one to reach it, as ClickHouse's
 *		windowFunnel keeps them (the rules: window_funnel_eval.c); and the
 *		chain nodes from which a buffered evaluation recovers times.
 *
 * The lowest file of the evaluation: the buffered evaluation
 * (window_funnel_eval.c) and the streamed state (window_funnel_stream.c)
 * both call it, and it calls neither, so a stream can finish through the
 * evaluation without the search calling back up.
 */
#include "postgres.h"

#include "window_funnel_latest.h"

#include "miscadmin.h"

static int
wf_uint16_cmp(const void *a, const void *b)
{
	uint16		x = *(const uint16 *) a;
	uint16		y = *(const uint16 *) b;

	/* one time group may hold millions of events */
	CHECK_FOR_INTERRUPTS();

	return (x > y) - (x < y);
}

/*
 * The steps of one time group live on the stack for up to this many events:
 * the final function runs once per group, and most groups are small.
 */
#define WF_LATEST_STACK_EVENTS 64

/*
 * A chain start at ts, or chain s extended at ts: its times, if kept.
 * Copied by loops: chains are short, and a call of memcpy costs more.
 */
static void
wf_latest_record(WfLatestSearch *ls, int s, int64 ts)
{
	WfLatest   *chain = ls->chain;
	int			k;

	if (ls->nodes != NULL)
		chain[s].node = wf_node_add(ls->nodes, ts, s == 1 ? -1 : chain[s - 1].node, 1);
	else if (ls->chain_times != NULL)
	{
		int64	   *row = ls->chain_times + (Size) s * ls->n;
		const int64 *prev = row - ls->n;

		for (k = 0; k < s - 1; k++)
			row[k] = prev[k];
		row[s - 1] = ts;
	}
	if (ls->level < s)
	{
		ls->level = s;
		if (ls->nodes != NULL)
			ls->nodes->reach_node[s] = chain[s].node;
		else if (ls->chain_times != NULL)
		{
			const int64 *row = ls->chain_times + (Size) s * ls->n;

			for (k = 0; k < s; k++)
				ls->reach_times[k] = row[k];
		}
	}
}

/* One event at ts of step s (0: a "no step" row): false when the search ends. */
static inline bool
wf_latest_event(WfLatestSearch *ls, int64 ts, int s)
{
	WfLatest   *chain = ls->chain;
	WfLatest   *prev;
	uint32		mode = ls->mode;

	if (s == 0)
		return !((mode & WF_MODE_STRICT_ORDER) && ls->first_event);
	if (s == 1)
	{
		chain[1].first = chain[1].last = ts;
		chain[1].set = true;
		ls->first_event = true;
		wf_latest_record(ls, 1, ts);
		return true;
	}
	prev = &chain[s - 1];
	if ((mode & WF_MODE_STRICT_DEDUPLICATION) && chain[s].set)
		return false;
	if ((mode & WF_MODE_STRICT_ORDER) && ls->first_event && !prev->set)
		return (mode & WF_MODE_ALLOW_REENTRY) != 0;
	if (!prev->set || !wf_in_window(prev->first, ts, ls->window) ||
		((mode & WF_MODE_STRICT_INCREASE) && !(prev->last < ts)))
		return true;
	chain[s].first = prev->first;
	chain[s].last = ts;
	chain[s].set = true;
	wf_latest_record(ls, s, ts);
	return s != ls->n;
}

/* The events of one time, by step: false when the search ends. */
static bool
wf_latest_steps(WfLatestSearch *ls, int64 ts, const uint16 *steps, int64 count)
{
	int64		k;

	for (k = 0; k < count; k++)
	{
		/* one time group may hold millions of events */
		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		if (!wf_latest_event(ls, ts, steps[k]))
			return false;
	}
	return true;
}

void
wf_latest_time(WfLatestSearch *ls, const WfEvent *events, int64 count)
{
	uint16		buf_stack[WF_LATEST_STACK_EVENTS];
	uint16	   *buf = buf_stack;
	int64		k;

	if (ls->done || count == 0)
		return;
	/* the common case: one event at this time */
	if (count == 1)
	{
		if (!wf_latest_event(ls, events[0].ts, events[0].step))
			ls->done = true;
		return;
	}
	if (count > WF_LATEST_STACK_EVENTS)
		buf = palloc(sizeof(uint16) * count);
	for (k = 0; k < count; k++)
		buf[k] = events[k].step;
	/* one row's events are already in step order; several rows need a sort */
	if (events[0].row != events[count - 1].row)
		qsort(buf, count, sizeof(uint16), wf_uint16_cmp);
	if (!wf_latest_steps(ls, events[0].ts, buf, count))
		ls->done = true;
	if (buf != buf_stack)
		pfree(buf);
}

void
wf_latest_events(WfLatestSearch *ls, const WfEvent *events, int64 count)
{
	int64		i = 0;

	/* here rather than in the evaluation: wf_latest_time stays a local call */
	while (i < count && !ls->done)
	{
		int64		end = i + 1;

		CHECK_FOR_INTERRUPTS();
		while (end < count && events[end].ts == events[i].ts)
			end++;
		wf_latest_time(ls, events + i, end - i);
		i = end;
	}
}

void
wf_nodes_times(const WfNodes *nodes, int level, int64 *times)
{
	int			pos = level;
	int32		node = nodes->reach_node[level];

	while (node >= 0)
	{
		int32		c;

		for (c = 0; c < nodes->nodes[node].count; c++)
			times[--pos] = nodes->nodes[node].ts;
		node = nodes->nodes[node].parent;
	}
	if (pos != 0)
		elog(ERROR, "window_funnel: reported chain has %d steps missing", pos);
}
