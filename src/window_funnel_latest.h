/*
 * window_funnel_latest.h
 *		The latest-chain search (window_funnel_latest.c): window_funnel
 *		without strict_once, as ClickHouse keeps it, and the arena of chain
 *		nodes from which a buffered evaluation recovers a chain's times.
 *
 * Below both of its callers: the buffered evaluation (window_funnel_eval.c)
 * runs it over a sorted state, the streamed state (window_funnel_stream.c)
 * one time at a time.  It calls neither of them.
 */
#ifndef FUNNEL_WINDOW_FUNNEL_LATEST_H
#define FUNNEL_WINDOW_FUNNEL_LATEST_H

#include "window_funnel_state.h"

/* One link of a reported chain: count steps reached at ts, then parent. */
typedef struct WfNode
{
	int64		ts;
	int32		parent;
	int32		count;
} WfNode;

/* The chains' nodes of one evaluation that reports times. */
typedef struct WfNodes
{
	WfNode	   *nodes;
	int32		nnodes;
	int32		cap;
	int32	   *reach_node;		/* per level: node of the first chain to reach it */
} WfNodes;

/* A new node; inline, as a search that keeps times adds one per chain step. */
static inline int32
wf_node_add(WfNodes *nodes, int64 ts, int32 parent, int32 count)
{
	if (nodes->nnodes == nodes->cap)
	{
		nodes->cap = nodes->cap == 0 ? 64 : nodes->cap * 2;
		nodes->nodes = nodes->nodes == NULL ?
			palloc(sizeof(WfNode) * nodes->cap) :
			repalloc(nodes->nodes, sizeof(WfNode) * nodes->cap);
	}
	nodes->nodes[nodes->nnodes].ts = ts;
	nodes->nodes[nodes->nnodes].parent = parent;
	nodes->nodes[nodes->nnodes].count = count;
	return nodes->nnodes++;
}

/* The times of the first chain to reach level (> 0), into times[0 .. level - 1]. */
extern void wf_nodes_times(const WfNodes *nodes, int level, int64 *times);

/* Inclusive, overflow-free: events are sorted, so first <= ts. */
static inline bool
wf_in_window(int64 first, int64 ts, int64 window)
{
	return (uint64) ts - (uint64) first <= (uint64) window;
}

/*
 * The search without strict_once, as ClickHouse keeps it: one chain per
 * step, the most recent one to reach it.  The times of the chains are kept
 * as nodes (a buffered evaluation), or as rows of chain_times, row s
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
	WfNodes    *nodes;			/* the evaluation's nodes, or NULL */
	int64	   *chain_times;	/* (n + 1) x n */
	int64	   *reach_times;	/* n: the first chain to reach level */
} WfLatestSearch;

/* Read the events of one time (count > 0, sorted by row then step). */
extern void wf_latest_time(WfLatestSearch *ls, const WfEvent *events, int64 count);

/* Read count sorted events, time by time, until the search ends. */
extern void wf_latest_events(WfLatestSearch *ls, const WfEvent *events, int64 count);

#endif							/* FUNNEL_WINDOW_FUNNEL_LATEST_H */
