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
 * strict_increase), in window_funnel_latest.c, which the streamed state
 * runs too.  With strict_once ClickHouse keeps every chain, which is
 * exponential; here, chains from earlier times are summarized per step by
 * the one that started latest (the only property that matters for the
 * future), and chains built from several rows at one time are decided by a
 * bipartite matching of those rows to steps, which gives the same level.
 *
 * The reported chain (window_funnel_times) is the one completed by the first
 * event that reached the final level; among chains completed by that event,
 * the one that started latest, then the one whose previous steps happened
 * latest (compared from the step before the last one backwards).
 *
 * wf_evaluate is the finals' entry point: it sorts a buffered state and
 * runs the strict_once search here, the latest-chain search below it, or
 * the items' search (window_funnel_items.c), and finishes a streamed state
 * (window_funnel_stream.c).
 */
#include "postgres.h"

#include "window_funnel.h"
#include "window_funnel_latest.h"

#include "miscadmin.h"

typedef struct WfEval
{
	WfState    *st;
	int			n;
	bool		want_times;
	WfNodes		nodes;			/* the chains' times, when wanted */
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

/* The mode flags the search reads, decoded once. */
typedef struct WfRules
{
	bool		dedup;			/* strict_deduplication */
	bool		order;			/* strict_order */
	bool		reentry;		/* allow_reentry */
	bool		increase;		/* strict_increase */
} WfRules;

static WfRules
wf_rules(uint32 mode)
{
	WfRules		rules;

	rules.dedup = (mode & WF_MODE_STRICT_DEDUPLICATION) != 0;
	rules.order = (mode & WF_MODE_STRICT_ORDER) != 0;
	rules.reentry = (mode & WF_MODE_ALLOW_REENTRY) != 0;
	rules.increase = (mode & WF_MODE_STRICT_INCREASE) != 0;
	return rules;
}

/* The per-step records live on the stack for funnels of up to this many steps. */
#define WF_LATEST_STACK_STEPS 16

/*
 * Without strict_once: one chain per step, the most recent one to reach it,
 * as ClickHouse keeps them.
 */
static void
wf_eval_latest(WfEval *ev)
{
	WfState    *st = ev->st;
	WfLatest	chain_stack[WF_LATEST_STACK_STEPS + 1];
	WfLatestSearch ls;

	memset(&ls, 0, sizeof(ls));
	ls.mode = st->mode;
	ls.n = ev->n;
	ls.window = st->window;
	ls.nodes = ev->want_times ? &ev->nodes : NULL;
	ls.chain = ev->n > WF_LATEST_STACK_STEPS ? palloc(sizeof(WfLatest) * (ev->n + 1)) : chain_stack;
	memset(ls.chain, 0, sizeof(WfLatest) * (ev->n + 1));
	wf_latest_events(&ls, WF_EVENTS(st), st->nevents);
	ev->level = ls.level;
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
		FN_CHECK_FOR_INTERRUPTS_EVERY(head);
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

/* The event continues no chain; a mode ends the search (wf_once_base). */
#define WF_BASE_SKIP (-1)
#define WF_BASE_STOP (-2)

/* Scratch space per row or event of one time group, grown together. */
typedef struct WfGroupScratch
{
	int64		cap;			/* entries of each array (adj_start: one more) */
	WfRowRef   *rows;
	WfGroupEvent *events;
	int32	   *edge_rows;
	int32	   *row_step;
	int32	   *row_mark;
	int32	   *row_seen;
	int32	   *row_free;
	int32	   *adj_start;
	int32	   *adj_step;
	int32	   *queue;
} WfGroupScratch;

/*
 * The strict_once search.  Per step (n + 1 entries): whether it was reached;
 * the summary of the chains that reached it before the current time
 * (old_*); the best chain that reaches it at the current time (best_*,
 * valid when best_mark is the current group); the rows whose events of
 * the current time continue a chain to it (step_start..step_end in
 * edge_rows, valid when step_mark is the current group).
 */
typedef struct WfOnce
{
	WfEval	   *ev;
	WfState    *st;
	int			n;
	WfRules		rules;
	bool	   *reached;
	bool	   *old_set;
	int64	   *old_first;
	int32	   *old_node;
	int32	   *best_base;
	int64	   *best_first;
	int32	   *best_node;
	int32	   *best_mark;
	int32	   *touched;		/* steps with a best chain now, ntouched of them */
	int32	   *step_start;
	int32	   *step_end;
	int32	   *step_mark;
	int32	   *step_row;
	WfGroupScratch g;
	WfMatch		match;
	int32		group;			/* number of the current time group */
	bool		first_event;	/* step 1 was seen */
	int32		free_mark;
	/* the current time group */
	int64		ts;
	int32		nrows;
	int32		nevents;
	int32		nedges;
	int32		ntouched;
	bool		overlap;		/* a row of it satisfies several steps */
	int32		run_lo;			/* the latest run of consecutive steps that */
	int32		run_end;		/* its rows continued chains with */
	int32		base0_step;		/* step whose unexcluded base is base0 */
	int32		base0;
} WfOnce;

static void
wf_group_reserve(WfGroupScratch *g, int64 need)
{
	struct
	{
		void	  **array;
		Size		entry;
		int			extra;
	}			arrays[] = {
		{(void **) &g->rows, sizeof(WfRowRef), 0},
		{(void **) &g->events, sizeof(WfGroupEvent), 0},
		{(void **) &g->edge_rows, sizeof(int32), 0},
		{(void **) &g->row_step, sizeof(int32), 0},
		{(void **) &g->row_mark, sizeof(int32), 0},
		{(void **) &g->row_seen, sizeof(int32), 0},
		{(void **) &g->row_free, sizeof(int32), 0},
		{(void **) &g->adj_start, sizeof(int32), 1},
		{(void **) &g->adj_step, sizeof(int32), 0},
		{(void **) &g->queue, sizeof(int32), 0},
	};
	int			a;

	if (g->cap >= need)
		return;
	g->cap = Max(need, 2 * g->cap);
	for (a = 0; a < lengthof(arrays); a++)
	{
		Size		size = arrays[a].entry * (g->cap + arrays[a].extra);

		*arrays[a].array = *arrays[a].array == NULL ?
			palloc(size) : repalloc(*arrays[a].array, size);
	}
}

static void
wf_once_init(WfOnce *o, WfEval *ev)
{
	Size		n1 = ev->n + 1;

	memset(o, 0, sizeof(*o));
	o->ev = ev;
	o->st = ev->st;
	o->n = ev->n;
	o->rules = wf_rules(ev->st->mode);
	o->reached = palloc0(sizeof(bool) * n1);
	o->old_set = palloc0(sizeof(bool) * n1);
	o->old_first = palloc(sizeof(int64) * n1);
	o->old_node = palloc(sizeof(int32) * n1);
	o->best_base = palloc(sizeof(int32) * n1);
	o->best_first = palloc(sizeof(int64) * n1);
	o->best_node = palloc(sizeof(int32) * n1);
	o->best_mark = palloc0(sizeof(int32) * n1);
	o->touched = palloc(sizeof(int32) * n1);
	o->step_start = palloc(sizeof(int32) * n1);
	o->step_end = palloc(sizeof(int32) * n1);
	o->step_mark = palloc0(sizeof(int32) * n1);
	o->step_row = palloc(sizeof(int32) * n1);
}

/*
 * The rows of the time group of events first..end-1; a row matching no step
 * (strict_order) has step 0.  False when that row ends the search.
 */
static bool
wf_once_collect_rows(WfOnce *o, int64 first, int64 end)
{
	const WfEvent *events = WF_EVENTS(o->st);
	WfRowRef   *rows = o->g.rows;
	bool		null_row = false;
	int64		k;

	o->nrows = 0;
	o->overlap = false;
	for (k = first; k < end; k++)
	{
		FN_CHECK_FOR_INTERRUPTS_EVERY(k - first);
		if (k == first || events[k].row != events[k - 1].row)
		{
			if (events[k].step == 0)
			{
				null_row = true;
				continue;
			}
			rows[o->nrows].start = k;
			rows[o->nrows].count = 1;
			o->nrows++;
		}
		else
		{
			rows[o->nrows - 1].count++;
			o->overlap = true;
		}
	}
	return !(null_row && o->rules.order && o->first_event);
}

/*
 * The group's events by step, then by the rank of their row in a canonical
 * order of the rows (their step lists), and a fresh matching over them.
 */
static void
wf_once_order_events(WfOnce *o)
{
	WfGroupScratch *g = &o->g;
	int32		k;

	if (o->nrows > 1)
		qsort_arg(g->rows, o->nrows, sizeof(WfRowRef), wf_row_cmp, WF_EVENTS(o->st));
	o->nevents = 0;
	for (k = 0; k < o->nrows; k++)
	{
		int32		e;

		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		for (e = 0; e < g->rows[k].count; e++)
		{
			g->events[o->nevents].step = WF_EVENTS(o->st)[g->rows[k].start + e].step;
			g->events[o->nevents].rank = k;
			o->nevents++;
		}
		g->row_mark[k] = 0;
		g->row_seen[k] = 0;
		g->row_free[k] = 0;
	}
	if (o->nrows > 1)
		qsort(g->events, o->nevents, sizeof(WfGroupEvent), wf_group_event_cmp);
	o->match.edge_rows = g->edge_rows;
	o->match.step_start = o->step_start;
	o->match.step_end = o->step_end;
	o->match.row_step = g->row_step;
	o->match.row_mark = g->row_mark;
	o->match.row_seen = g->row_seen;
	o->match.mark = 0;
	o->match.seen = 0;
}

/*
 * With rows that satisfy several steps: the smallest base from lo whose
 * remaining steps rows of this time can fill without row r.  Without the
 * exclusion it is the same for every row of step s (base0); a row that
 * some such matching leaves unused has exactly that base, only the others
 * need their own search.
 */
static int32
wf_once_overlap_base(WfOnce *o, int32 lo, int32 s, int32 r)
{
	WfGroupScratch *g = &o->g;

	if (s != o->base0_step)
	{
		o->base0_step = s;
		o->base0 = wf_smallest_base(&o->match, lo, s, -1);
		o->free_mark++;
		if (o->base0 < s - 1)
		{
			wf_steps_matchable(&o->match, o->base0 + 1, s - 1, -1);
			wf_mark_freeable(&o->match, o->base0 + 1, s - 1, o->nrows, g->row_free, o->free_mark,
							 g->adj_start, g->adj_step, o->step_row, g->queue);
		}
	}
	if (o->base0 == s - 1 || g->row_free[r] == o->free_mark)
		return o->base0;
	return wf_smallest_base(&o->match, o->base0 + 1, s, r);
}

/*
 * The chain that the event of row r at step s continues: the step its
 * earlier part ends at (0: the chain starts now), WF_BASE_SKIP when it
 * continues none, WF_BASE_STOP when a mode ends the search.
 */
static int32
wf_once_base(WfOnce *o, int32 s, int32 r)
{
	const WfRules *rules = &o->rules;
	int32		lo;

	if (s == 1)
		return 0;
	if (rules->dedup && o->reached[s])
		return WF_BASE_STOP;
	if (rules->order && o->first_event && !o->reached[s - 1])
		return rules->reentry ? WF_BASE_SKIP : WF_BASE_STOP;
	if (!o->reached[s - 1])
		return WF_BASE_SKIP;
	if (rules->increase)
	{
		/* a chain ending now cannot be extended now */
		if (o->old_set[s - 1] && wf_in_window(o->old_first[s - 1], o->ts, o->st->window))
			return s - 1;
		return WF_BASE_SKIP;
	}
	lo = o->run_end == s - 1 ? o->run_lo - 1 : s - 1;
	if (o->overlap)
		lo = wf_once_overlap_base(o, lo, s, r);
	/* bases valid now form a prefix: old chains that started later come first */
	if (lo == 0 || (o->old_set[lo] && wf_in_window(o->old_first[lo], o->ts, o->st->window)))
		return lo;
	return WF_BASE_SKIP;
}

/*
 * Record that the event of row r continues the chain from base to step s.
 * True when that completes the funnel.
 */
static bool
wf_once_record(WfOnce *o, int32 s, int32 r, int32 base)
{
	WfEval	   *ev = o->ev;
	int32		parent = base > 0 ? o->old_node[base] : -1;

	Assert(base >= 0 && base < s && s <= o->n);

	if (o->step_mark[s] != o->group)
	{
		o->step_mark[s] = o->group;
		o->step_start[s] = o->step_end[s] = o->nedges;
	}
	o->g.edge_rows[o->nedges++] = r;
	o->step_end[s] = o->nedges;
	if (s == 1)
		o->first_event = true;
	if (o->best_mark[s] != o->group || base < o->best_base[s])
	{
		if (o->best_mark[s] != o->group)
			o->touched[o->ntouched++] = s;
		o->best_mark[s] = o->group;
		o->best_base[s] = base;
		o->best_first[s] = base == 0 ? o->ts : o->old_first[base];
		o->best_node[s] = ev->want_times ? wf_node_add(&ev->nodes, o->ts, parent, s - base) : -1;
	}
	if (!o->reached[s])
	{
		o->reached[s] = true;
		ev->level = s;
		if (ev->want_times)
			ev->nodes.reach_node[s] = wf_node_add(&ev->nodes, o->ts, parent, s - base);
	}
	return s == o->n;
}

/* The events of the current time group, in order; false when the search ends. */
static bool
wf_once_group(WfOnce *o)
{
	int32		prev_step = -1;
	int32		k;

	o->nedges = 0;
	o->ntouched = 0;
	o->run_lo = o->run_end = -1;
	o->base0_step = -1;
	o->base0 = 0;
	for (k = 0; k < o->nevents; k++)
	{
		int32		s = o->g.events[k].step;
		int32		base;

		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		/* run_lo..run_end: the latest run of steps that continued chains now */
		if (s != prev_step)
		{
			if (prev_step > 0 && o->step_mark[prev_step] == o->group)
			{
				if (o->run_end != prev_step - 1)
					o->run_lo = prev_step;
				o->run_end = prev_step;
			}
			prev_step = s;
		}
		base = wf_once_base(o, s, o->g.events[k].rank);
		if (base == WF_BASE_STOP)
			return false;
		if (base != WF_BASE_SKIP && wf_once_record(o, s, o->g.events[k].rank, base))
			return false;
	}
	/* chains ending now become the earlier chains of later times */
	for (k = 0; k < o->ntouched; k++)
	{
		int32		s = o->touched[k];

		o->old_first[s] = o->best_first[s];
		o->old_node[s] = o->best_node[s];
		o->old_set[s] = true;
	}
	return true;
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
	WfOnce		o;
	int64		i = 0;

	wf_once_init(&o, ev);
	while (i < o.st->nevents)
	{
		int64		end = i + 1;

		CHECK_FOR_INTERRUPTS();
		o.ts = WF_EVENTS(o.st)[i].ts;
		while (end < o.st->nevents && WF_EVENTS(o.st)[end].ts == o.ts)
			end++;
		o.group++;
		wf_group_reserve(&o.g, end - i);
		if (!wf_once_collect_rows(&o, i, end))
			return;
		if (o.nrows > 0)
		{
			wf_once_order_events(&o);
			if (!wf_once_group(&o))
				return;
		}
		i = end;
	}
}

int
wf_evaluate(WfState *state, int64 *times, bool *skipped, int *ntimes)
{
	WfEval		ev;

	*ntimes = 0;
	if (state == NULL || state->nevents == 0 || state->nsteps == 0)
		return 0;
	if (times != NULL)
		memset(skipped, 0, sizeof(bool) * state->nsteps);
	if (state->streaming)
		return *ntimes = wf_stream_finish(state, times);
	if (!state->sorted)
	{
		wf_events_sort(WF_EVENTS(state), state->nevents);
		state->sorted = true;
	}
	if (state->mode & (WF_MODE_ITEMS | WF_MODE_ANY_ORDER))
		return wf_evaluate_items(state, times, skipped, ntimes);

	memset(&ev, 0, sizeof(ev));
	ev.st = state;
	ev.n = state->nsteps;
	ev.want_times = times != NULL;
	if (ev.want_times)
		ev.nodes.reach_node = palloc(sizeof(int32) * (ev.n + 1));

	if (state->mode & WF_MODE_STRICT_ONCE)
		wf_eval_once(&ev);
	else
		wf_eval_latest(&ev);

	if (ev.want_times && ev.level > 0)
		wf_nodes_times(&ev.nodes, ev.level, times);
	*ntimes = ev.level;
	return ev.level;
}
