/*
 * window_funnel_state.c
 *		The storage of the window_funnel state (window_funnel_state.h): a
 *		new state, room for more, two states combined, the byte form, and
 *		the window_funnel_state type's I/O (the value-type state of 0.2).
 *
 * The one file that allocates and grows a state (wf_append, inline in the
 * header, grows through wf_state_reserve); it calls nothing of the family
 * but the mode's checks.
 *
 * The byte form: version, sorted, mode, window, nsteps, steps_key, nrows,
 * nevents, nitems, values, axis, then per item its kind, condition, from,
 * to and within, then per event its time, row and step, then with values
 * the pool's length and the pool (window_funnel_state.h).  The text form
 * is that in hex.
 *
 * A state's bytes are user input: any role can pass a state of its own
 * making to the transition, combine and final functions through an
 * aggregate of its own.  So the decoder accepts only what the transitions
 * can produce, and the functions that read a state check that it is of
 * their kind (wf_check_kind).
 */
#include "postgres.h"

#include "window_funnel_state.h"

#include "libpq/pqformat.h"
#include "pure.h"

PG_FUNCTION_INFO_V1(window_funnel_state_in);
PG_FUNCTION_INFO_V1(window_funnel_state_out);
PG_FUNCTION_INFO_V1(window_funnel_state_recv);
PG_FUNCTION_INFO_V1(window_funnel_state_send);

#define WF_STATE_TYPE "window_funnel_state"

/* the byte form's header (see above) and each event */
#define WF_BYTES_HEADER (1 + 1 + 4 + 8 + 4 + 8 + 4 + 8 + 2 + 1 + 1)
#define WF_BYTES_ITEM (2 + 2 + 2 + 2 + 8)
#define WF_BYTES_EVENT (8 + 4 + 2)

/* A new state with room for room events and pool bytes of values. */
static WfState *
wf_state_alloc(FnStateKind kind, MemoryContext aggcontext, int64 window, uint32 mode,
			   const WfItem *items, int nitems, int64 room, Size pool)
{
	WfState    *st = fn_state_new(WF_STATE_SIZE(nitems + room) + pool, kind, aggcontext);

	st->sorted = true;
	st->window = window;
	st->mode = mode;
	st->nitems = (uint16) nitems;
	st->pool_cap = pool;
	if (nitems > 0)
		memcpy(WF_ITEMS(st), items, sizeof(WfItem) * nitems);
	return st;
}

WfState *
wf_state_new(FnStateKind kind, MemoryContext aggcontext, int64 window, uint32 mode,
			 const WfItem *items, int nitems, int64 room)
{
	return wf_state_alloc(kind, aggcontext, window, mode, items, nitems, room, 0);
}

/* The pool of a byte form (the reader at its length), checked: nrows values that fill it. */
static bool
wf_decode_pool(FnReader *r, WfState *st)
{
	uint32		used;
	const char *pool = WF_POOL(st);
	uint32		at = 0;
	uint32		row;

	used = (uint32) fn_read_uint(r, 4);
	if (!r->ok || used != st->pool_cap || fn_reader_left(r) != used)
		return false;
	memcpy(WF_POOL(st), r->p, used);
	r->p += used;
	for (row = 0; row < st->nrows; row++)
	{
		uint32		len;

		if (used - at < sizeof(uint32))
			return false;
		memcpy(&len, pool + at, sizeof(uint32));
		at += sizeof(uint32);
		if (len != WF_NULL_VALUE && len > used - at)
			return false;
		at += len == WF_NULL_VALUE ? 0 : len;
	}
	st->pool_used = used;
	return at == used;
}

WfState *
wf_state_reserve(WfState *st, FnStateHolder *holder, int64 more, Size more_pool)
{
	Size		old_size = VARSIZE(st);
	Size		old_cap = st->pool_cap;
	Size		events_end = WF_STATE_SIZE(st->nitems + Max(WF_STATE_ROOM(st), st->nevents + more));
	Size		pool_need = Max(old_cap, (Size) st->pool_used + more_pool);
	/* growing the events leaves the pool as it is, growing the pool the events */
	Size		max = more_pool > 0 ? events_end + (Size) WF_MAX_POOL :
		WF_STATE_SIZE(st->nitems + WF_MAX_EVENTS) + pool_need;
	WfState    *grown;

	if (pool_need > WF_MAX_POOL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel_values group has too many bytes of values"),
				 errdetail("The limit is %d bytes of values per group.", WF_MAX_POOL),
				 errhint("Group by a finer key, or pass smaller values.")));
	if (events_end + pool_need <= old_size && pool_need == old_cap)
		return st;
	/* a growing pool takes what the state grows by beyond the events' need */
	grown = fn_state_reserve(st, old_size, Max(events_end + pool_need, old_size + 1), max, holder);
	if (more_pool > 0)
		grown->pool_cap = VARSIZE(grown) - events_end;
	if (old_cap > 0)
		memmove(WF_POOL(grown), (char *) grown + old_size - old_cap, grown->pool_used);
	return grown;
}

/* Whether two states' modes have the same items. */
static bool
wf_same_items(const WfState *a, const WfState *b)
{
	return a->nitems == b->nitems &&
		memcmp(WF_ITEMS(a), WF_ITEMS(b), sizeof(WfItem) * a->nitems) == 0;
}

void
wf_report_kind(const WfState *st, uint8 axis, const char *fname)
{
	bool		axis_ok = axis == 0 || st->axis == axis;

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 axis_ok ?
			 errmsg("%s cannot read a window_funnel state %s values", fname, st->values ? "with" : "without") :
			 errmsg("%s cannot read a window_funnel state of the %s time axis", fname,
					st->axis == WF_AXIS_BIGINT ? "bigint" : "timestamptz"),
			 errdetail("Only window_funnel_values makes and reads states with values, and each time axis has its own functions."),
			 errhint("Make and read a state with the aggregates of one signature.")));
}

/* Raise the error for a streamed state where only a buffering one may go. */
static void
wf_check_not_streamed(const WfState *st)
{
	if (st->streaming)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a window_funnel state read in time order cannot leave its aggregate"),
				 errdetail("Such a state keeps only what the final function of window_funnel needs."),
				 errhint("Call window_funnel or window_funnel_times rather than an aggregate built on their transition function.")));
}

/* Raise the error for two states that are not of one aggregate and group. */
static void
wf_check_same_config(const WfState *a, const WfState *b)
{
	wf_check_not_streamed(a);
	wf_check_kind(b, a->axis, a->values, "window_funnel_combine");
	if (a->window != b->window || a->mode != b->mode || !wf_same_items(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window and mode must be the same for every row of a group"),
				 errhint("Pass the window and the mode as constants.")));
	if (a->nsteps != 0 && b->nsteps != 0 && a->steps_key != b->steps_key)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must be the same for every row of a group"),
				 errhint("Pass the steps as a constant array.")));
	if (a->nsteps != 0 && b->nsteps != 0 && a->nsteps != b->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must have the same number of elements in every row of a group"),
				 errdetail("A row has %d steps, another row %d.", b->nsteps, a->nsteps)));
}

bool
wf_events_merge(WfEvent *a, int64 na, uint32 arows, bool asorted,
				const WfEvent *b, int64 nb, bool bsorted)
{
	int64		i = na - 1;
	int64		j = nb - 1;
	int64		k = na + nb - 1;

	if (!asorted || !bsorted)
	{
		for (j = 0; j < nb; j++)
		{
			a[na + j] = b[j];
			a[na + j].row += arows;
		}
		return false;
	}
	/* from the back, in place */
	while (j >= 0)
	{
		uint32		brow = b[j].row + arows;

		FN_CHECK_FOR_INTERRUPTS_EVERY(j);
		if (i >= 0 && !wf_event_before(&a[i], b[j].ts, brow, b[j].step))
			a[k--] = a[i--];
		else
		{
			a[k] = b[j--];
			a[k--].row = brow;
		}
	}
	return true;
}

WfState *
wf_combine(WfState *a, const WfState *b, FnStateHolder *holder)
{
	wf_check_not_streamed(b);
	if (a == NULL)
	{
		a = wf_state_new(holder->kind, holder->aggcontext, b->window, b->mode,
						 WF_ITEMS(b), b->nitems, b->nevents);
		a->values = b->values;
		a->axis = b->axis;
		a->nsteps = b->nsteps;
		a->steps_key = b->steps_key;
	}
	else
		wf_check_same_config(a, b);
	if (a->nsteps == 0)
	{
		a->nsteps = b->nsteps;
		a->steps_key = b->steps_key;
	}
	if (b->nevents == 0)
		return a;
	a = wf_reserve(a, holder, b->nevents);
	a->sorted = wf_events_merge(WF_EVENTS(a), a->nevents, a->nrows, a->sorted,
								WF_EVENTS(b), b->nevents, b->sorted);
	a->nevents += b->nevents;
	a->nrows += b->nrows;
	if (b->pool_used > 0)
	{
		a = wf_state_reserve(a, holder, 0, b->pool_used);
		memcpy(WF_POOL(a) + a->pool_used, WF_POOL(b), b->pool_used);
		a->pool_used += b->pool_used;
	}
	return a;
}

void
wf_state_encode(const WfState *st, StringInfo buf)
{
	int64		k;

	wf_check_not_streamed(st);
	enlargeStringInfo(buf, WF_BYTES_HEADER + WF_BYTES_ITEM * st->nitems +
					  WF_BYTES_EVENT * st->nevents + 4 + st->pool_used);
	pq_sendbyte(buf, WF_FORMAT_VERSION);
	pq_sendbyte(buf, st->sorted ? 1 : 0);
	pq_sendint32(buf, st->mode);
	pq_sendint64(buf, st->window);
	pq_sendint32(buf, st->nsteps);
	pq_sendint64(buf, st->steps_key);
	pq_sendint32(buf, st->nrows);
	pq_sendint64(buf, st->nevents);
	pq_sendint16(buf, st->nitems);
	pq_sendbyte(buf, st->values ? 1 : 0);
	pq_sendbyte(buf, st->axis);
	for (k = 0; k < st->nitems; k++)
	{
		const WfItem *it = &WF_ITEMS(st)[k];

		pq_sendint16(buf, it->kind);
		pq_sendint16(buf, it->cond);
		pq_sendint16(buf, it->from);
		pq_sendint16(buf, it->to);
		pq_sendint64(buf, it->within);
	}
	wf_events_send(buf, WF_EVENTS(st), st->nevents);
	if (st->values)
	{
		pq_sendint32(buf, st->pool_used);
		pq_sendbytes(buf, WF_POOL(st), st->pool_used);
	}
}

/*
 * The items of a byte form, checked against the mode and the steps; false
 * when they are not valid.
 */
static bool
wf_decode_items(FnReader *r, const WfState *h, WfItem *items, FnError *err)
{
	int			k;
	int			bad;

	if (((h->mode & WF_MODE_ITEMS) != 0) != (h->nitems > 0) || h->nitems > WF_MAX_ITEMS)
		return false;
	for (k = 0; k < h->nitems; k++)
	{
		items[k].kind = (uint16) fn_read_uint(r, 2);
		items[k].cond = (uint16) fn_read_uint(r, 2);
		items[k].from = (uint16) fn_read_uint(r, 2);
		items[k].to = (uint16) fn_read_uint(r, 2);
		items[k].within = (int64) fn_read_uint(r, 8);
		if (items[k].kind < WF_ITEM_EXCLUDE || items[k].kind > WF_ITEM_WITHIN ||
			items[k].cond == 0 || items[k].from > items[k].to ||
			((items[k].from == 0) != (items[k].to == 0)) ||
			(items[k].kind == WF_ITEM_EXCLUDE && items[k].from == items[k].to && items[k].to != 0) ||
			(items[k].kind != WF_ITEM_EXCLUDE && (items[k].from != 0 || items[k].to != 0)) ||
			(items[k].kind != WF_ITEM_WITHIN && items[k].within != 0) || items[k].within < 0 ||
			(items[k].kind == WF_ITEM_WITHIN && items[k].cond == 1))
			return false;
	}
	return r->ok && (h->nsteps == 0 || wf_items_check(items, h->nitems, h->nsteps, &bad, err) == FN_OK);
}

/*
 * The header fields of a byte form (the reader after its version byte),
 * checked; the reader is left at the items.
 */
static bool
wf_decode_header(FnReader *r, WfState *h, FnError *err)
{
	(void) fn_read_uint(r, 1);	/* sortedness is recomputed from the events */
	h->mode = (uint32) fn_read_uint(r, 4);
	h->window = (int64) fn_read_uint(r, 8);
	h->nsteps = (int32) fn_read_uint(r, 4);
	h->steps_key = fn_read_uint(r, 8);
	h->nrows = (uint32) fn_read_uint(r, 4);
	h->nevents = (int64) fn_read_uint(r, 8);
	h->nitems = (uint16) fn_read_uint(r, 2);
	h->values = fn_read_uint(r, 1) != 0;
	h->axis = (uint8) fn_read_uint(r, 1);
	/* every row keeps an event, and steps_key is set with the steps */
	if (!r->ok || wf_mode_check(h->mode, err) != FN_OK || h->window < 0 ||
		(h->axis != WF_AXIS_TIMESTAMPTZ && h->axis != WF_AXIS_BIGINT) ||
		h->nsteps < 0 || h->nsteps > WF_MAX_STEPS || (h->nsteps == 0 && h->steps_key != 0) ||
		(h->nrows == 0) != (h->nevents == 0) ||
		h->nevents < 0 || h->nevents > WF_MAX_EVENTS || h->nrows > h->nevents ||
		fn_reader_left(r) < (size_t) (WF_BYTES_ITEM * h->nitems + WF_BYTES_EVENT * h->nevents) ||
		(!h->values &&
		 fn_reader_left(r) != (size_t) (WF_BYTES_ITEM * h->nitems + WF_BYTES_EVENT * h->nevents)))
	{
		fn_fail(err, FN_CORRUPT, "The state header is inconsistent.");
		return false;
	}
	return true;
}

/*
 * The events of a byte form into st: rows and steps in range, times
 * timestamptz values on that axis; st->sorted tells whether they are in
 * (ts, row, step) order.
 */
static bool
wf_decode_events(FnReader *r, WfState *st, int64 nevents)
{
	int64		k;

	for (k = 0; k < nevents; k++)
	{
		WfEvent    *e = &WF_EVENTS(st)[k];

		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		e->ts = (int64) fn_read_uint(r, 8);
		e->row = (uint32) fn_read_uint(r, 4);
		e->step = (uint16) fn_read_uint(r, 2);
		if (e->row >= st->nrows || e->step > st->nsteps ||
			(e->step == 0 && !(st->mode & WF_MODE_STRICT_ORDER)) ||
			(st->axis == WF_AXIS_TIMESTAMPTZ && !fn_timestamptz_ok(e->ts)))
			return false;
		if (k > 0 && wf_event_before(e, e[-1].ts, e[-1].row, e[-1].step))
			st->sorted = false;
	}
	st->nevents = nevents;
	return r->ok;
}

bool
wf_events_rows_valid(const WfEvent *ev, int64 nevents, uint32 nrows)
{
	uint8	   *seen = palloc0((nrows + 7) / 8);
	uint32		rows = 0;
	int64		k;
	bool		ok = true;

	for (k = 0; k < nevents && ok; k++)
	{
		uint32		row = ev[k].row;

		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		if (row >= nrows)
			ok = false;
		else if (k > 0 && row == ev[k - 1].row)
			ok = ev[k].ts == ev[k - 1].ts && ev[k].step > ev[k - 1].step && ev[k - 1].step != 0;
		else
		{
			ok = (seen[row / 8] & (1 << (row % 8))) == 0;
			seen[row / 8] |= 1 << (row % 8);
			rows++;
		}
	}
	pfree(seen);
	return ok && rows == nrows;
}

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

void
wf_events_send(StringInfo buf, const WfEvent *events, int64 nevents)
{
	int64		k;

	for (k = 0; k < nevents; k++)
	{
		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		pq_sendint64(buf, events[k].ts);
		pq_sendint32(buf, events[k].row);
		pq_sendint16(buf, events[k].step);
	}
}

void
wf_events_sort(WfEvent *events, int64 nevents)
{
	qsort(events, nevents, sizeof(WfEvent), wf_event_cmp);
}

WfState *
wf_state_decode(const char *data, size_t len, FnStateKind kind, MemoryContext aggcontext,
				FnError *err)
{
	FnReader	r;
	WfState		h;
	WfItem		items[WF_MAX_ITEMS];
	WfState    *st;
	Size		pool;

	if (!fn_reader_start(&r, data, len, WF_FORMAT_VERSION))
	{
		fn_fail(err, FN_CORRUPT, "The state format version is not supported.");
		return NULL;
	}
	if (!wf_decode_header(&r, &h, err))
		return NULL;
	if (!wf_decode_items(&r, &h, items, err))
	{
		fn_fail(err, FN_CORRUPT, "The state's funnel items are inconsistent.");
		return NULL;
	}
	pool = h.values ? fn_reader_left(&r) - WF_BYTES_EVENT * h.nevents - 4 : 0;
	if (h.values && (fn_reader_left(&r) < WF_BYTES_EVENT * h.nevents + 4 || pool > WF_MAX_POOL))
	{
		fn_fail(err, FN_CORRUPT, "The state's values are inconsistent.");
		return NULL;
	}
	st = wf_state_alloc(kind, aggcontext, h.window, h.mode, items, h.nitems, h.nevents, pool);
	st->values = h.values;
	st->axis = h.axis;
	st->nsteps = h.nsteps;
	st->steps_key = h.steps_key;
	st->nrows = h.nrows;
	if (!wf_decode_events(&r, st, h.nevents))
	{
		fn_fail(err, FN_CORRUPT, "An event of the state is out of range.");
		return NULL;
	}
	if (!wf_events_rows_valid(WF_EVENTS(st), st->nevents, st->nrows))
	{
		fn_fail(err, FN_CORRUPT, "The state's rows are inconsistent.");
		return NULL;
	}
	if (h.values && !wf_decode_pool(&r, st))
	{
		fn_fail(err, FN_CORRUPT, "The state's values are inconsistent.");
		return NULL;
	}
	return st;
}

static void
wf_io_encode(const void *state, StringInfo buf)
{
	wf_state_encode((const WfState *) state, buf);
}

static void *
wf_io_decode(const char *data, size_t len, const char **detail)
{
	FnError		err;
	WfState    *st = wf_state_decode(data, len, FN_STATE_VALUE, NULL, &err);

	if (st == NULL)
		*detail = err.detail;
	return st;
}

static const FnStateIO wf_state_io = {WF_STATE_TYPE, wf_io_encode, wf_io_decode};

FN_STATE_IO_FUNCTIONS(window_funnel_state, wf_state_io)
