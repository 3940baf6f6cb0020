/*
 * window_funnel_eval.c
 *		The search for the deepest step, with ClickHouse windowFunnel's rules.
 *
 * Events are read in (time, step) order; step 1 starts a chain; step k
 * extends a chain that reached step k-1 when its time is at most the chain's
 * step-1 time plus the window.  The modes add stop conditions and
 * restrictions, exactly where ClickHouse checks them:
 *
 *  - strict_order: once step 1 was seen, a row matching no step, or a step
 *    whose predecessor was never reached, ends the search (allow_reentry
 *    skips such a step instead);
 *  - strict_deduplication: a step k > 1 that was already reached occurring
 *    again ends the search;
 *  - strict_increase: a chain is extended only by a strictly later event;
 *  - strict_once: a row fills at most one step of a chain, and every chain
 *    is followed, not only the most recent one per step.
 *
 * Without strict_once ClickHouse keeps, per step, only the most recently
 * extended chain; that is reproduced literally (it matters with
 * strict_increase).  With strict_once ClickHouse keeps every chain, which is
 * exponential; here, chains from earlier times are summarized per step by
 * the one that started latest (the only property that matters for the
 * future), and chains built from several rows at one time are decided by a
 * bipartite matching of those rows to steps, which gives the same level.
 *
 * The reported chain (window_funnel_times) is the one completed by the first
 * event that reached the final level; among chains completed by that event,
 * the one that started latest, then the one whose previous steps happened
 * latest (compared from the step before the last one backwards).
 */
#include "window_funnel.h"

#include "miscadmin.h"

/* One link of a reported chain: count steps reached at ts, then parent. */
typedef struct WfNode
{
	int64		ts;
	int32		parent;
	int32		count;
} WfNode;

typedef struct WfEval
{
	WfState    *st;
	int			n;
	bool		want_times;
	WfNode	   *nodes;
	int32		nnodes;
	int32		node_cap;
	int32	   *reach_node;		/* per level: node of the first chain to reach it */
	int			level;
} WfEval;

/* A row of the current time group (strict_once). */
typedef struct WfRowRef
{
	int64		start;			/* index of its first event */
	int32		count;
} WfRowRef;

/* An event of the current time group, by step then row rank (strict_once). */
typedef struct WfGroupEvent
{
	int32		step;
	int32		rank;
} WfGroupEvent;

static int
wf_event_cmp(const void *a, const void *b)
{
	const WfEvent *x = (const WfEvent *) a;
	const WfEvent *y = (const WfEvent *) b;

	/* sorting millions of events takes seconds: answer cancel meanwhile */
	CHECK_FOR_INTERRUPTS();

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return 0;
}

static int
wf_uint16_cmp(const void *a, const void *b)
{
	uint16		x = *(const uint16 *) a;
	uint16		y = *(const uint16 *) b;

	/* one time group may hold millions of events */
	CHECK_FOR_INTERRUPTS();

	return (x > y) - (x < y);
}

/* Inclusive, overflow-free: events are sorted, so first <= ts. */
static inline bool
wf_in_window(int64 first, int64 ts, int64 window)
{
	return (uint64) ts - (uint64) first <= (uint64) window;
}

static int32
wf_node_add(WfEval *ev, int64 ts, int32 parent, int32 count)
{
	if (ev->nnodes == ev->node_cap)
	{
		ev->node_cap = ev->node_cap == 0 ? 64 : ev->node_cap * 2;
		ev->nodes = ev->nodes == NULL ?
			palloc(sizeof(WfNode) * ev->node_cap) :
			repalloc(ev->nodes, sizeof(WfNode) * ev->node_cap);
	}
	ev->nodes[ev->nnodes].ts = ts;
	ev->nodes[ev->nnodes].parent = parent;
	ev->nodes[ev->nnodes].count = count;
	return ev->nnodes++;
}

/*
 * Scratch arrays of wf_eval_latest that live on the stack for funnels of up
 * to this many steps, and time groups of up to this many events: the final
 * function runs once per group, and most groups are small.
 */
#define WF_LATEST_STACK_STEPS 16
#define WF_LATEST_STACK_EVENTS 64

/* Per step: (first, last) times of the most recent chain that reached it. */
typedef struct WfLatest
{
	int64		first;
	int64		last;
	int32		node;
	bool		set;
} WfLatest;

/*
 * Without strict_once: one chain per step, the most recent one to reach it,
 * as ClickHouse keeps them.
 */
static void
wf_eval_latest(WfEval *ev)
{
	WfState    *st = ev->st;
	int			n = ev->n;
	uint32		mode = st->mode;
	bool		dedup = (mode & WF_MODE_STRICT_DEDUPLICATION) != 0;
	bool		order = (mode & WF_MODE_STRICT_ORDER) != 0;
	bool		reentry = (mode & WF_MODE_ALLOW_REENTRY) != 0;
	bool		increase = (mode & WF_MODE_STRICT_INCREASE) != 0;
	WfLatest	chain_stack[WF_LATEST_STACK_STEPS + 1];
	WfLatest   *chain = chain_stack;
	uint16		buf_stack[WF_LATEST_STACK_EVENTS];
	uint16	   *buf = buf_stack;
	int64		buf_cap = WF_LATEST_STACK_EVENTS;
	bool		first_event = false;
	int64		i = 0;

	if (n > WF_LATEST_STACK_STEPS)
		chain = palloc(sizeof(WfLatest) * (n + 1));
	memset(chain, 0, sizeof(WfLatest) * (n + 1));

	while (i < st->nevents)
	{
		int64		ts = st->events[i].ts;
		int64		end = i + 1;
		int64		k;

		CHECK_FOR_INTERRUPTS();
		while (end < st->nevents && st->events[end].ts == ts)
			end++;

		if (buf_cap < end - i)
		{
			buf_cap = Max(end - i, 2 * buf_cap);
			buf = buf == buf_stack ? palloc(sizeof(uint16) * buf_cap) :
				repalloc(buf, sizeof(uint16) * buf_cap);
		}
		for (k = i; k < end; k++)
			buf[k - i] = st->events[k].step;
		/* one row's events are already in step order; several rows need a sort */
		if (st->events[i].row != st->events[end - 1].row)
			qsort(buf, end - i, sizeof(uint16), wf_uint16_cmp);
		for (k = 0; k < end - i; k++)
		{
			int			s = buf[k];
			WfLatest   *prev;

			/* one time group may hold millions of events */
			if ((k & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			if (s == 0)
			{
				if (order && first_event)
					return;
				continue;
			}
			if (s == 1)
			{
				chain[1].first = chain[1].last = ts;
				chain[1].set = true;
				first_event = true;
				if (ev->want_times)
					chain[1].node = wf_node_add(ev, ts, -1, 1);
				if (ev->level < 1)
				{
					ev->level = 1;
					if (ev->want_times)
						ev->reach_node[1] = chain[1].node;
				}
				continue;
			}
			prev = &chain[s - 1];
			if (dedup && chain[s].set)
				return;
			if (order && first_event && !prev->set)
			{
				if (reentry)
					continue;
				return;
			}
			if (!prev->set)
				continue;
			if (!wf_in_window(prev->first, ts, st->window))
				continue;
			if (increase && !(prev->last < ts))
				continue;
			chain[s].first = prev->first;
			chain[s].last = ts;
			chain[s].set = true;
			if (ev->want_times)
				chain[s].node = wf_node_add(ev, ts, prev->node, 1);
			if (ev->level < s)
			{
				ev->level = s;
				if (ev->want_times)
					ev->reach_node[s] = chain[s].node;
			}
			if (s == n)
				return;
		}
		i = end;
	}
}

/* Canonical order of the rows of one time group: by their step lists. */
static int
wf_row_cmp(const void *a, const void *b, void *arg)
{
	const WfEvent *events = (const WfEvent *) arg;
	const WfRowRef *x = (const WfRowRef *) a;
	const WfRowRef *y = (const WfRowRef *) b;
	int32		k;

	/* one time group may hold millions of rows */
	CHECK_FOR_INTERRUPTS();

	for (k = 0; k < x->count && k < y->count; k++)
	{
		uint16		sx = events[x->start + k].step;
		uint16		sy = events[y->start + k].step;

		if (sx != sy)
			return sx < sy ? -1 : 1;
	}
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return 0;
}

static int
wf_group_event_cmp(const void *a, const void *b)
{
	const WfGroupEvent *x = (const WfGroupEvent *) a;
	const WfGroupEvent *y = (const WfGroupEvent *) b;

	/* one time group may hold millions of events */
	CHECK_FOR_INTERRUPTS();

	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Matching of steps to the rows of one time group (strict_once). */
typedef struct WfMatch
{
	const int32 *edge_rows;		/* rows whose step event succeeded, by step */
	const int32 *step_start;
	const int32 *step_end;
	int32	   *row_step;		/* step matched to a row, valid when row_mark == mark */
	int32	   *row_mark;
	int32	   *row_seen;
	int32		mark;
	int32		seen;
	int32		excluded;
} WfMatch;

static bool
wf_augment(WfMatch *m, int32 step)
{
	int32		e;

	/* a free row first: dense groups then rarely need the search below */
	for (e = m->step_start[step]; e < m->step_end[step]; e++)
	{
		int32		row = m->edge_rows[e];

		if (row != m->excluded && m->row_mark[row] != m->mark)
		{
			m->row_mark[row] = m->mark;
			m->row_step[row] = step;
			return true;
		}
	}
	for (e = m->step_start[step]; e < m->step_end[step]; e++)
	{
		int32		row = m->edge_rows[e];

		if (row == m->excluded || m->row_seen[row] == m->seen)
			continue;
		m->row_seen[row] = m->seen;
		if (wf_augment(m, m->row_step[row]))
		{
			m->row_step[row] = step;
			return true;
		}
	}
	return false;
}

/* Can steps lo..hi each take a different row of this group, none of them excluded? */
static bool
wf_steps_matchable(WfMatch *m, int32 lo, int32 hi, int32 excluded)
{
	int32		step;

	m->mark++;
	m->excluded = excluded;
	for (step = lo; step <= hi; step++)
	{
		CHECK_FOR_INTERRUPTS();
		m->seen++;
		if (!wf_augment(m, step))
			return false;
	}
	return true;
}

/* The smallest j in lo..s-1 such that steps j+1..s-1 are matchable without the excluded row. */
static int32
wf_smallest_base(WfMatch *m, int32 lo, int32 s, int32 excluded)
{
	int32		hi = s - 1;

	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (wf_steps_matchable(m, mid + 1, s - 1, excluded))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * After a matching of steps lo..hi (the last wf_steps_matchable call), mark
 * with the value mark in freeable[] every row that some matching of those
 * steps leaves unused: the unmatched rows, and the rows an alternating path
 * from an unmatched row reaches.  Rows are numbered 0..nrows-1; adj_start,
 * adj_step, step_row and queue are scratch space (nrows + 1, edges, steps,
 * nrows).
 */
static void
wf_mark_freeable(WfMatch *m, int32 lo, int32 hi, int32 nrows, int32 *freeable, int32 mark,
				 int32 *adj_start, int32 *adj_step, int32 *step_row, int32 *queue)
{
	int32		step;
	int32		row;
	int32		e;
	int32		head = 0;
	int32		tail = 0;

	/* the steps each row could take, and the row each step has */
	for (row = 0; row <= nrows; row++)
		adj_start[row] = 0;
	for (step = lo; step <= hi; step++)
		for (e = m->step_start[step]; e < m->step_end[step]; e++)
			adj_start[m->edge_rows[e] + 1]++;
	for (row = 0; row < nrows; row++)
		adj_start[row + 1] += adj_start[row];
	for (step = lo; step <= hi; step++)
		for (e = m->step_start[step]; e < m->step_end[step]; e++)
			adj_step[adj_start[m->edge_rows[e]]++] = step;
	for (row = nrows; row > 0; row--)
		adj_start[row] = adj_start[row - 1];
	adj_start[0] = 0;
	for (row = 0; row < nrows; row++)
	{
		if (m->row_mark[row] == m->mark)
			step_row[m->row_step[row]] = row;
		else
		{
			freeable[row] = mark;
			queue[tail++] = row;
		}
	}

	/* a freeable row can take any of its steps, freeing that step's row */
	while (head < tail)
	{
		if ((head & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		row = queue[head++];
		for (e = adj_start[row]; e < adj_start[row + 1]; e++)
		{
			int32		other = step_row[adj_step[e]];

			if (freeable[other] != mark)
			{
				freeable[other] = mark;
				queue[tail++] = other;
			}
		}
	}
}

/*
 * With strict_once: chains ending before the current time are summarized per
 * step by the one that started latest (old_first, old_node); chains ending at
 * the current time combine such a chain (or none: started now) with steps
 * filled by distinct rows of the current time.
 */
static void
wf_eval_once(WfEval *ev)
{
	WfState    *st = ev->st;
	int			n = ev->n;
	uint32		mode = st->mode;
	bool		dedup = (mode & WF_MODE_STRICT_DEDUPLICATION) != 0;
	bool		order = (mode & WF_MODE_STRICT_ORDER) != 0;
	bool		reentry = (mode & WF_MODE_ALLOW_REENTRY) != 0;
	bool		increase = (mode & WF_MODE_STRICT_INCREASE) != 0;
	bool	   *reached = palloc0(sizeof(bool) * (n + 1));
	bool	   *old_set = palloc0(sizeof(bool) * (n + 1));
	int64	   *old_first = palloc(sizeof(int64) * (n + 1));
	int32	   *old_node = palloc(sizeof(int32) * (n + 1));
	int32	   *best_base = palloc(sizeof(int32) * (n + 1));
	int64	   *best_first = palloc(sizeof(int64) * (n + 1));
	int32	   *best_node = palloc(sizeof(int32) * (n + 1));
	int32	   *best_mark = palloc0(sizeof(int32) * (n + 1));
	int32	   *touched = palloc(sizeof(int32) * (n + 1));
	int32	   *step_start = palloc(sizeof(int32) * (n + 1));
	int32	   *step_end = palloc(sizeof(int32) * (n + 1));
	int32	   *step_mark = palloc0(sizeof(int32) * (n + 1));
	WfRowRef   *rows = NULL;
	WfGroupEvent *gev = NULL;
	int32	   *edge_rows = NULL;
	int32	   *row_step = NULL;
	int32	   *row_mark = NULL;
	int32	   *row_seen = NULL;
	int32	   *row_free = NULL;
	int32		free_mark = 0;
	int32	   *adj_start = NULL;
	int32	   *adj_step = NULL;
	int32	   *queue = NULL;
	int32	   *step_row = palloc(sizeof(int32) * (n + 1));
	int64		cap = 0;
	int32		group = 0;
	bool		first_event = false;
	WfMatch		match;
	int64		i = 0;

	memset(&match, 0, sizeof(match));
	while (i < st->nevents)
	{
		int64		ts = st->events[i].ts;
		int64		end = i + 1;
		int64		k;
		int32		nrows = 0;
		int32		ngev = 0;
		int32		nedges = 0;
		int32		ntouched = 0;
		bool		null_row = false;
		bool		overlap = false;
		int32		prev_step = -1;
		int32		run_lo = -1;
		int32		run_end = -1;
		int32		base0_step = -1;
		int32		base0 = 0;

		CHECK_FOR_INTERRUPTS();
		while (end < st->nevents && st->events[end].ts == ts)
			end++;
		group++;

		if (cap < end - i)
		{
			cap = Max(end - i, 2 * cap);
			if (rows == NULL)
			{
				rows = palloc(sizeof(WfRowRef) * cap);
				gev = palloc(sizeof(WfGroupEvent) * cap);
				edge_rows = palloc(sizeof(int32) * cap);
				row_step = palloc(sizeof(int32) * cap);
				row_mark = palloc(sizeof(int32) * cap);
				row_seen = palloc(sizeof(int32) * cap);
				row_free = palloc(sizeof(int32) * cap);
				adj_start = palloc(sizeof(int32) * (cap + 1));
				adj_step = palloc(sizeof(int32) * cap);
				queue = palloc(sizeof(int32) * cap);
			}
			else
			{
				rows = repalloc(rows, sizeof(WfRowRef) * cap);
				gev = repalloc(gev, sizeof(WfGroupEvent) * cap);
				edge_rows = repalloc(edge_rows, sizeof(int32) * cap);
				row_step = repalloc(row_step, sizeof(int32) * cap);
				row_mark = repalloc(row_mark, sizeof(int32) * cap);
				row_seen = repalloc(row_seen, sizeof(int32) * cap);
				row_free = repalloc(row_free, sizeof(int32) * cap);
				adj_start = repalloc(adj_start, sizeof(int32) * (cap + 1));
				adj_step = repalloc(adj_step, sizeof(int32) * cap);
				queue = repalloc(queue, sizeof(int32) * cap);
			}
		}

		/* the group's rows; a row matching no step (strict_order) has step 0 */
		for (k = i; k < end; k++)
		{
			/* one time group may hold millions of rows */
			if (((k - i) & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			if (k == i || st->events[k].row != st->events[k - 1].row)
			{
				if (st->events[k].step == 0)
				{
					null_row = true;
					continue;
				}
				rows[nrows].start = k;
				rows[nrows].count = 1;
				nrows++;
			}
			else
			{
				rows[nrows - 1].count++;
				overlap = true;
			}
		}
		if (null_row && order && first_event)
			return;
		if (nrows == 0)
		{
			i = end;
			continue;
		}
		if (nrows > 1)
			qsort_arg(rows, nrows, sizeof(WfRowRef), wf_row_cmp, st->events);
		for (k = 0; k < nrows; k++)
		{
			int32		e;

			if ((k & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			for (e = 0; e < rows[k].count; e++)
			{
				gev[ngev].step = st->events[rows[k].start + e].step;
				gev[ngev].rank = (int32) k;
				ngev++;
			}
			row_mark[k] = 0;
			row_seen[k] = 0;
			row_free[k] = 0;
		}
		if (nrows > 1)
			qsort(gev, ngev, sizeof(WfGroupEvent), wf_group_event_cmp);
		match.edge_rows = edge_rows;
		match.step_start = step_start;
		match.step_end = step_end;
		match.row_step = row_step;
		match.row_mark = row_mark;
		match.row_seen = row_seen;
		match.mark = 0;
		match.seen = 0;

		for (k = 0; k < ngev; k++)
		{
			int32		s = gev[k].step;
			int32		r = gev[k].rank;
			int32		base = -1;

			if ((k & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();

			/*
			 * Track run_lo..run_end, the latest run of consecutive steps that
			 * rows of this time continued chains with.
			 */
			if (s != prev_step)
			{
				if (prev_step > 0 && step_mark[prev_step] == group)
				{
					if (run_end != prev_step - 1)
						run_lo = prev_step;
					run_end = prev_step;
				}
				prev_step = s;
			}

			if (s == 1)
				base = 0;
			else
			{
				if (dedup && reached[s])
					return;
				if (order && first_event && !reached[s - 1])
				{
					if (reentry)
						continue;
					return;
				}
				if (!reached[s - 1])
					continue;
				if (increase)
				{
					/* a chain ending now cannot be extended now */
					if (old_set[s - 1] && wf_in_window(old_first[s - 1], ts, st->window))
						base = s - 1;
				}
				else
				{
					int32		lo = run_end == s - 1 ? run_lo - 1 : s - 1;

					/*
					 * The smallest base whose remaining steps rows of this
					 * time can fill without this row.  Without the exclusion
					 * it is the same for every row of step s (base0); a row
					 * that some such matching leaves unused has exactly that
					 * base, only the others need their own search.
					 */
					if (overlap)
					{
						if (s != base0_step)
						{
							base0_step = s;
							base0 = wf_smallest_base(&match, lo, s, -1);
							free_mark++;
							if (base0 < s - 1)
							{
								wf_steps_matchable(&match, base0 + 1, s - 1, -1);
								wf_mark_freeable(&match, base0 + 1, s - 1, nrows, row_free, free_mark,
												 adj_start, adj_step, step_row, queue);
							}
						}
						if (base0 == s - 1 || row_free[r] == free_mark)
							lo = base0;
						else
							lo = wf_smallest_base(&match, base0 + 1, s, r);
					}
					/* bases valid now form a prefix: old chains that started later come first */
					if (lo == 0 || (old_set[lo] && wf_in_window(old_first[lo], ts, st->window)))
						base = lo;
				}
				if (base < 0)
					continue;
			}

			/* the event continues a chain: record it */
			if (step_mark[s] != group)
			{
				step_mark[s] = group;
				step_start[s] = step_end[s] = nedges;
			}
			edge_rows[nedges++] = r;
			step_end[s] = nedges;
			if (s == 1)
				first_event = true;
			if (best_mark[s] != group || base < best_base[s])
			{
				if (best_mark[s] != group)
					touched[ntouched++] = s;
				best_mark[s] = group;
				best_base[s] = base;
				best_first[s] = base == 0 ? ts : old_first[base];
				best_node[s] = ev->want_times ?
					wf_node_add(ev, ts, base > 0 ? old_node[base] : -1, s - base) : -1;
			}
			if (!reached[s])
			{
				reached[s] = true;
				ev->level = s;
				if (ev->want_times)
					ev->reach_node[s] = wf_node_add(ev, ts, base > 0 ? old_node[base] : -1, s - base);
			}
			if (s == n)
				return;
		}

		/* chains ending now become the earlier chains of later times */
		for (k = 0; k < ntouched; k++)
		{
			int32		s = touched[k];

			old_first[s] = best_first[s];
			old_node[s] = best_node[s];
			old_set[s] = true;
		}
		i = end;
	}
}

int
wf_evaluate(WfState *state, int64 *times)
{
	WfEval		ev;

	if (state == NULL || state->nevents == 0 || state->nsteps == 0)
		return 0;
	if (!state->sorted)
	{
		qsort(state->events, state->nevents, sizeof(WfEvent), wf_event_cmp);
		state->sorted = true;
	}

	memset(&ev, 0, sizeof(ev));
	ev.st = state;
	ev.n = state->nsteps;
	ev.want_times = times != NULL;
	if (ev.want_times)
		ev.reach_node = palloc(sizeof(int32) * (ev.n + 1));

	if (state->mode & WF_MODE_STRICT_ONCE)
		wf_eval_once(&ev);
	else
		wf_eval_latest(&ev);

	if (ev.want_times && ev.level > 0)
	{
		int			pos = ev.level;
		int32		node = ev.reach_node[ev.level];

		while (node >= 0)
		{
			int32		c;

			for (c = 0; c < ev.nodes[node].count; c++)
				times[--pos] = ev.nodes[node].ts;
			node = ev.nodes[node].parent;
		}
		if (pos != 0)
			elog(ERROR, "window_funnel: reported chain has %d steps missing", pos);
	}
	return ev.level;
}
