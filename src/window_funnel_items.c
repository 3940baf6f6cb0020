/*
 * window_funnel_items.c
 *		The search of window_funnel under the funnel items: exclude,
 *		optional, step within (with or without strict_increase), and
 *		any_order.
 *
 * The result is defined by chains (docs/reference/window_funnel.md): the
 * largest level of a chain that no exclusion cuts, since a cut chain counts
 * exactly the steps of its uncut prefix.  The search reads the events in
 * time order and keeps, per step, the partial chains ending there that may
 * still matter: a chain is summarized by its start (for the window), the
 * time of its last row (for the next step's window, when a later step has
 * one) and, per exclusion still open in it, the first time of an exclusion
 * row after its step I (when the chain dies unless it reaches step J
 * first).  A chain no worse than another in all of these can do whatever the
 * other can, so only the chains that are not dominated are kept: one per
 * step without windows or exclusions, as in ClickHouse's search.
 *
 * The reported chain (window_funnel_times) is the first one to reach the
 * final level; among chains completed at that time, the one that started
 * latest.
 */
#include "postgres.h"

#include "window_funnel.h"

#include "miscadmin.h"

#define WF_NEVER PG_INT64_MAX

/* The items of a state, resolved against its steps. */
typedef struct WfChainRules
{
	int			nsteps;			/* S: conditions 1..S are steps */
	int			nexclude;
	int64		window;
	bool		increase;
	int		   *lo;				/* per step m: the smallest step a chain can extend to m from */
	int64	   *within;			/* per step: its window from the previous step, -1 none */
	bool	   *last_matters;	/* per step: a later step reachable next has a window */
	int		   *excl_from;		/* per exclusion: I, J, and its condition's times */
	int		   *excl_to;
	const int64 **excl_times;
	int64	   *excl_count;
} WfChainRules;

/* A partial chain; then int64 death[nexclude], int64 time[S], bool used[S]. */
typedef struct WfChain
{
	int64		first;
	int64		last;
} WfChain;

typedef struct WfFront
{
	int32	   *chain;
	int32		count;
	int32		cap;
} WfFront;

typedef struct WfChainSearch
{
	WfChainRules r;
	Size		chain_size;
	char	   *arena;
	int32		nchains;
	int32		cap;
	int32	   *free_list;
	int32		nfree;
	WfFront    *front;			/* per step */
	int32	   *pending;		/* strict_increase: made at this time, kept after it */
	int32		npending;
	int32		pending_cap;
	int			level;
	int64		best_ts;		/* when the reported chain was completed */
	int64		best_first;
	int64	   *best_time;
	bool	   *best_used;
	uint64		work;			/* events read and chains visited, for cancel */
} WfChainSearch;

#define WF_CHAIN(cs, i) ((WfChain *) ((cs)->arena + (Size) (i) * (cs)->chain_size))
#define WF_DEATH(cs, c) ((int64 *) ((char *) (c) + sizeof(WfChain)))
#define WF_TIME(cs, c) (WF_DEATH(cs, c) + (cs)->r.nexclude)
#define WF_USED(cs, c) ((bool *) (WF_TIME(cs, c) + (cs)->r.nsteps))

static inline bool
wf_items_in_window(int64 first, int64 ts, int64 window)
{
	return (uint64) ts - (uint64) first <= (uint64) window;
}

/* Resolve the items of st into r; the exclusion conditions' times are gathered from the events. */
static void
wf_chain_rules(const WfState *st, WfChainRules *r)
{
	const WfItem *items = WF_ITEMS(st);
	int			S = wf_items_steps(items, st->nitems, st->nsteps);
	bool	   *optional = palloc0(sizeof(bool) * (S + 2));
	int			x = 0;
	int			k;
	int			m;

	r->nsteps = S;
	r->window = st->window;
	r->increase = (st->mode & WF_MODE_STRICT_INCREASE) != 0;
	r->nexclude = st->nsteps - S;
	r->lo = palloc(sizeof(int) * (S + 1));
	r->within = palloc(sizeof(int64) * (S + 2));
	r->last_matters = palloc0(sizeof(bool) * (S + 1));
	r->excl_from = palloc(sizeof(int) * Max(r->nexclude, 1));
	r->excl_to = palloc(sizeof(int) * Max(r->nexclude, 1));
	r->excl_times = palloc0(sizeof(int64 *) * Max(r->nexclude, 1));
	r->excl_count = palloc0(sizeof(int64) * Max(r->nexclude, 1));
	for (m = 0; m <= S + 1; m++)
		r->within[m] = -1;
	for (k = 0; k < st->nitems; k++)
	{
		if (items[k].kind == WF_ITEM_OPTIONAL)
			optional[items[k].cond] = true;
		else if (items[k].kind == WF_ITEM_WITHIN)
			r->within[items[k].cond] = items[k].within;
	}
	/* exclusion x is condition S + 1 + x: wf_items_check made them the last ones */
	for (k = 0; k < st->nitems; k++)
	{
		if (items[k].kind != WF_ITEM_EXCLUDE)
			continue;
		x = items[k].cond - S - 1;
		r->excl_from[x] = items[k].from != 0 ? items[k].from : 1;
		r->excl_to[x] = items[k].to != 0 ? items[k].to : S;
	}
	for (m = 1; m <= S; m++)
	{
		r->lo[m] = m - 1;
		while (r->lo[m] > 1 && optional[r->lo[m]])
			r->lo[m]--;
	}
	/* the steps a chain ending at k may extend to next: k + 1, and on past optional ones */
	for (k = 1; k <= S; k++)
		for (m = k + 1; m <= S; m++)
		{
			if (r->within[m] >= 0)
				r->last_matters[k] = true;
			if (!optional[m])
				break;
		}
	pfree(optional);
}

/* The times of each exclusion condition, in order (the events are sorted). */
static void
wf_exclusion_times(const WfState *st, WfChainRules *r)
{
	const WfEvent *ev = WF_EVENTS(st);
	int64	   *count = palloc0(sizeof(int64) * Max(r->nexclude, 1));
	int64	  **times = palloc(sizeof(int64 *) * Max(r->nexclude, 1));
	int64		i;
	int			x;

	for (i = 0; i < st->nevents; i++)
		if (ev[i].step > r->nsteps)
			count[ev[i].step - r->nsteps - 1]++;
	for (x = 0; x < r->nexclude; x++)
	{
		times[x] = palloc(sizeof(int64) * Max(count[x], 1));
		r->excl_count[x] = 0;
	}
	for (i = 0; i < st->nevents; i++)
		if (ev[i].step > r->nsteps)
		{
			x = ev[i].step - r->nsteps - 1;
			times[x][r->excl_count[x]++] = ev[i].ts;
		}
	for (x = 0; x < r->nexclude; x++)
		r->excl_times[x] = times[x];
	pfree(count);
}

/* The first time after t of a row of exclusion x; WF_NEVER when none. */
static int64
wf_next_exclusion(const WfChainRules *r, int x, int64 t)
{
	const int64 *times = r->excl_times[x];
	int64		lo = 0;
	int64		hi = r->excl_count[x];

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (times[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->excl_count[x] ? times[lo] : WF_NEVER;
}

static int32
wf_chain_alloc(WfChainSearch *cs)
{
	if (cs->nfree > 0)
		return cs->free_list[--cs->nfree];
	if (cs->nchains == cs->cap)
	{
		cs->cap *= 2;
		cs->arena = repalloc_huge(cs->arena, (Size) cs->cap * cs->chain_size);
		cs->free_list = repalloc_huge(cs->free_list, sizeof(int32) * cs->cap);
	}
	return cs->nchains++;
}

static void
wf_chain_free(WfChainSearch *cs, int32 c)
{
	cs->free_list[cs->nfree++] = c;
}

/* Whether chain a, at step m, can do whatever chain b can. */
static bool
wf_chain_dominates(const WfChainSearch *cs, const WfChain *a, const WfChain *b, int m)
{
	const int64 *da = WF_DEATH(cs, a);
	const int64 *db = WF_DEATH(cs, b);
	int			x;

	if (a->first < b->first || (cs->r.last_matters[m] && a->last < b->last))
		return false;
	for (x = 0; x < cs->r.nexclude; x++)
		if (da[x] < db[x])
			return false;
	return true;
}

static void
wf_front_push(WfFront *f, int32 c)
{
	if (f->count == f->cap)
	{
		f->cap = f->cap == 0 ? 4 : f->cap * 2;
		f->chain = f->chain == NULL ? palloc(sizeof(int32) * f->cap) :
			repalloc_huge(f->chain, sizeof(int32) * f->cap);
	}
	f->chain[f->count++] = c;
}

/* Keep chain c at step m unless one kept there dominates it; drop those it dominates. */
static void
wf_front_insert(WfChainSearch *cs, int m, int32 c)
{
	WfFront    *f = &cs->front[m];
	WfChain    *nc = WF_CHAIN(cs, c);
	int32		i;
	int32		keep = 0;

	fn_check_for_interrupts_after(&cs->work, f->count);
	for (i = 0; i < f->count; i++)
		if (wf_chain_dominates(cs, WF_CHAIN(cs, f->chain[i]), nc, m))
		{
			wf_chain_free(cs, c);
			return;
		}
	for (i = 0; i < f->count; i++)
	{
		if (wf_chain_dominates(cs, nc, WF_CHAIN(cs, f->chain[i]), m))
			wf_chain_free(cs, f->chain[i]);
		else
			f->chain[keep++] = f->chain[i];
	}
	f->count = keep;
	wf_front_push(f, c);
}

/* A chain made at ts reaching step m: the result so far, and the reported chain. */
static void
wf_chain_reached(WfChainSearch *cs, const WfChain *c, int m, int64 ts)
{
	if (m < cs->level || (m == cs->level && (ts != cs->best_ts || c->first <= cs->best_first)))
		return;
	cs->level = m;
	cs->best_ts = ts;
	cs->best_first = c->first;
	memcpy(cs->best_time, WF_TIME(cs, c), sizeof(int64) * cs->r.nsteps);
	memcpy(cs->best_used, WF_USED(cs, c), sizeof(bool) * cs->r.nsteps);
}

/*
 * Keep a chain just made at step m: now, or after its time under
 * strict_increase.  A doomed chain, with an exclusion row at ts still open,
 * is cut there: it counts no step of ts (its prefix was counted), and only
 * lives on to reach that exclusion's step J at ts.
 */
static void
wf_chain_keep(WfChainSearch *cs, int m, int32 c, int64 ts, bool doomed)
{
	if (!doomed)
		wf_chain_reached(cs, WF_CHAIN(cs, c), m, ts);
	if (m == cs->r.nsteps || (doomed && cs->r.increase))
	{
		wf_chain_free(cs, c);	/* nothing extends it */
		return;
	}
	if (!cs->r.increase)
	{
		wf_front_insert(cs, m, c);
		return;
	}
	if (cs->npending == cs->pending_cap)
	{
		cs->pending_cap *= 2;
		cs->pending = repalloc_huge(cs->pending, sizeof(int32) * cs->pending_cap);
	}
	cs->pending[cs->npending++] = c;
	cs->pending[cs->npending++] = m;
}

/* A new chain: step 1 at ts. */
static void
wf_chain_start(WfChainSearch *cs, int64 ts)
{
	int32		c = wf_chain_alloc(cs);
	WfChain    *nc = WF_CHAIN(cs, c);
	int64	   *death = WF_DEATH(cs, nc);
	int			x;

	nc->first = ts;
	nc->last = ts;
	for (x = 0; x < cs->r.nexclude; x++)
		death[x] = cs->r.excl_from[x] == 1 ? wf_next_exclusion(&cs->r, x, ts) : WF_NEVER;
	memset(WF_USED(cs, nc), 0, sizeof(bool) * cs->r.nsteps);
	WF_TIME(cs, nc)[0] = ts;
	WF_USED(cs, nc)[0] = true;
	wf_chain_keep(cs, 1, c, ts, false);
}

/*
 * Whether chain c (at step k) may extend to step m at ts; false too when it
 * never can again, with dead set.
 */
static bool
wf_chain_extends(const WfChainSearch *cs, const WfChain *c, int m, int64 ts, bool *dead)
{
	const int64 *death = WF_DEATH(cs, c);
	int			x;

	*dead = !wf_items_in_window(c->first, ts, cs->r.window);
	if (*dead)
		return false;
	/* an exclusion row before ts cut the chain (one at ts still lets it reach J at ts) */
	for (x = 0; x < cs->r.nexclude; x++)
		if (death[x] < ts)
		{
			*dead = true;
			return false;
		}
	if (cs->r.increase && c->last >= ts)
		return false;
	return cs->r.within[m] < 0 || (uint64) ts - (uint64) c->last <= (uint64) cs->r.within[m];
}

/* The chain c extended to step m at ts. */
static void
wf_chain_extend(WfChainSearch *cs, int32 c, int m, int64 ts)
{
	int32		n = wf_chain_alloc(cs);
	WfChain    *from = WF_CHAIN(cs, c);
	WfChain    *nc = WF_CHAIN(cs, n);
	int64	   *death;
	bool		doomed = false;
	int			x;

	memcpy(nc, from, cs->chain_size);
	nc->last = ts;
	death = WF_DEATH(cs, nc);
	for (x = 0; x < cs->r.nexclude; x++)
	{
		if (cs->r.excl_to[x] == m)
			death[x] = WF_NEVER;
		else if (cs->r.excl_from[x] == m)
			death[x] = wf_next_exclusion(&cs->r, x, ts);
		doomed |= death[x] <= ts;
	}
	WF_TIME(cs, nc)[m - 1] = ts;
	WF_USED(cs, nc)[m - 1] = true;
	wf_chain_keep(cs, m, n, ts, doomed);
}

/* Step m matched at ts: extend every chain kept at a step that may precede it. */
static void
wf_chain_step(WfChainSearch *cs, int m, int64 ts)
{
	int			k;

	if (m == 1)
	{
		wf_chain_start(cs, ts);
		return;
	}
	/* once complete, only chains completed at the same time can still be reported */
	for (k = m - 1; k >= cs->r.lo[m] && (cs->level < cs->r.nsteps || cs->best_ts == ts); k--)
	{
		WfFront    *f = &cs->front[k];
		int32		i;
		int32		keep = 0;

		fn_check_for_interrupts_after(&cs->work, f->count);
		for (i = 0; i < f->count; i++)
		{
			int32		c = f->chain[i];
			bool		dead;

			if (wf_chain_extends(cs, WF_CHAIN(cs, c), m, ts, &dead))
				wf_chain_extend(cs, c, m, ts);
			if (dead)
				wf_chain_free(cs, c);
			else
				f->chain[keep++] = c;
		}
		f->count = keep;
	}
}

static void
wf_chain_search_init(WfChainSearch *cs, const WfState *st)
{
	memset(cs, 0, sizeof(*cs));
	wf_chain_rules(st, &cs->r);
	wf_exclusion_times(st, &cs->r);
	cs->chain_size = MAXALIGN(sizeof(WfChain) + sizeof(int64) * (cs->r.nexclude + cs->r.nsteps) +
							  sizeof(bool) * cs->r.nsteps);
	cs->cap = 16;
	cs->arena = palloc(cs->chain_size * cs->cap);
	cs->free_list = palloc(sizeof(int32) * cs->cap);
	cs->front = palloc0(sizeof(WfFront) * (cs->r.nsteps + 1));
	cs->pending_cap = 16;
	cs->pending = palloc(sizeof(int32) * cs->pending_cap);
	cs->best_time = palloc0(sizeof(int64) * cs->r.nsteps);
	cs->best_used = palloc0(sizeof(bool) * cs->r.nsteps);
}

/* exclude, optional and step within: the level, and the reported chain's times */
static int
wf_eval_chains(const WfState *st, int64 *times, bool *skipped)
{
	WfChainSearch cs;
	const WfEvent *ev = WF_EVENTS(st);
	bool	   *matched;
	int64		i = 0;
	int			m;

	wf_chain_search_init(&cs, st);
	matched = palloc0(sizeof(bool) * (cs.r.nsteps + 1));
	while (i < st->nevents && cs.level < cs.r.nsteps)
	{
		int64		ts = ev[i].ts;
		int64		end = i;

		/* rows of one time are interchangeable: only which steps they match counts */
		for (; end < st->nevents && ev[end].ts == ts; end++)
			if (ev[end].step >= 1 && ev[end].step <= cs.r.nsteps)
				matched[ev[end].step] = true;
		fn_check_for_interrupts_after(&cs.work, end - i + cs.r.nsteps);
		for (m = 1; m <= cs.r.nsteps; m++)
			if (matched[m])
			{
				matched[m] = false;
				wf_chain_step(&cs, m, ts);
			}
		for (; cs.npending > 0; cs.npending -= 2)
			wf_front_insert(&cs, cs.pending[cs.npending - 1], cs.pending[cs.npending - 2]);
		i = end;
	}
	if (times != NULL)
		for (m = 0; m < cs.level; m++)
		{
			times[m] = cs.best_time[m];
			skipped[m] = !cs.best_used[m];
		}
	return cs.level;
}

/*
 * any_order: the most distinct steps matched in one window [ts(r), ts(r) +
 * window] from a row r matching a step; the times are, per step, the first
 * time it was matched in the first such window (skipped: not matched).
 */
static int
wf_eval_any_order(const WfState *st, int64 *times, bool *skipped, int *ntimes)
{
	const WfEvent *ev = WF_EVENTS(st);
	int			S = st->nsteps;
	int64	   *count = palloc0(sizeof(int64) * (S + 1));
	int64		lo = 0;
	int64		hi = 0;
	int			distinct = 0;
	int			level = 0;
	int64		best_lo = -1;
	int			m;

	for (lo = 0; lo < st->nevents && level < S; lo++)
	{
		FN_CHECK_FOR_INTERRUPTS_EVERY(lo);
		/* a window starts at each distinct time; later starts of one time see less */
		if (lo > 0 && ev[lo - 1].ts == ev[lo].ts)
			goto drop;
		while (hi < st->nevents && wf_items_in_window(ev[lo].ts, ev[hi].ts, st->window))
		{
			if (count[ev[hi].step]++ == 0)
				distinct++;
			hi++;
		}
		if (distinct > level)
		{
			level = distinct;
			best_lo = lo;
		}
drop:
		if (--count[ev[lo].step] == 0)
			distinct--;
	}
	if (times != NULL && level > 0)
	{
		int			last = 0;
		int64		i;

		for (m = 0; m < S; m++)
			skipped[m] = true;
		for (i = best_lo; i < st->nevents && wf_items_in_window(ev[best_lo].ts, ev[i].ts, st->window); i++)
		{
			m = ev[i].step - 1;
			if (skipped[m])
			{
				skipped[m] = false;
				times[m] = ev[i].ts;
				last = Max(last, m + 1);
			}
		}
		/* positions after the last matched step are not reported */
		*ntimes = last;
	}
	pfree(count);
	return level;
}

int
wf_evaluate_items(WfState *st, int64 *times, bool *skipped, int *ntimes)
{
	int			level;

	*ntimes = 0;
	if (st->mode & WF_MODE_ANY_ORDER)
		return wf_eval_any_order(st, times, skipped, ntimes);
	level = wf_eval_chains(st, times, skipped);
	*ntimes = level;
	return level;
}
