/*
 * window_funnel_state.c
 *		The window_funnel_state type: the value-type state of window_funnel
 *		and window_funnel_times (0.2), its byte form, and its I/O.
 *
 * The byte form: version, sorted, mode, window, nsteps, steps_key, nrows,
 * nevents, nitems, then per item its kind, condition, from, to and within,
 * then per event its time, row and step.  Version 1, which 0.1's serialize
 * function wrote between parallel workers, has no steps_key (the boolean
 * form's 0) and no items; version 2 no items.  The text form is that in hex.
 */
#include "postgres.h"

#include "window_funnel.h"

#include "libpq/pqformat.h"

PG_FUNCTION_INFO_V1(window_funnel_state_in);
PG_FUNCTION_INFO_V1(window_funnel_state_out);
PG_FUNCTION_INFO_V1(window_funnel_state_recv);
PG_FUNCTION_INFO_V1(window_funnel_state_send);

#define WF_STATE_TYPE "window_funnel_state"

/* the byte form's header (see above) and each event */
#define WF_BYTES_HEADER (1 + 1 + 4 + 8 + 4 + 8 + 4 + 8 + 2)
#define WF_BYTES_ITEM (2 + 2 + 2 + 2 + 8)
#define WF_BYTES_EVENT (8 + 4 + 2)

WfState *
wf_state_new(FnStateKind kind, MemoryContext aggcontext, int64 window, uint32 mode,
			 const WfItem *items, int nitems, int64 room)
{
	WfState    *st = fn_state_new(WF_STATE_SIZE(nitems + room), kind, aggcontext);

	st->sorted = true;
	st->window = window;
	st->mode = mode;
	st->nitems = (uint16) nitems;
	if (nitems > 0)
		memcpy(WF_ITEMS(st), items, sizeof(WfItem) * nitems);
	return st;
}

bool
wf_same_items(const WfState *a, const WfState *b)
{
	return a->nitems == b->nitems &&
		memcmp(WF_ITEMS(a), WF_ITEMS(b), sizeof(WfItem) * a->nitems) == 0;
}

void
wf_check_not_streamed(const WfState *st)
{
	if (st->streaming)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a window_funnel state read in time order cannot leave its aggregate"),
				 errdetail("Such a state keeps only what the final function of window_funnel needs."),
				 errhint("Call window_funnel or window_funnel_times rather than an aggregate built on their transition function.")));
}

void
wf_state_encode(const WfState *st, StringInfo buf)
{
	int64		k;

	wf_check_not_streamed(st);
	enlargeStringInfo(buf, WF_BYTES_HEADER + WF_BYTES_ITEM * st->nitems +
					  WF_BYTES_EVENT * st->nevents);
	pq_sendbyte(buf, WF_FORMAT_VERSION);
	pq_sendbyte(buf, st->sorted ? 1 : 0);
	pq_sendint32(buf, st->mode);
	pq_sendint64(buf, st->window);
	pq_sendint32(buf, st->nsteps);
	pq_sendint64(buf, st->steps_key);
	pq_sendint32(buf, st->nrows);
	pq_sendint64(buf, st->nevents);
	pq_sendint16(buf, st->nitems);
	for (k = 0; k < st->nitems; k++)
	{
		const WfItem *it = &WF_ITEMS(st)[k];

		pq_sendint16(buf, it->kind);
		pq_sendint16(buf, it->cond);
		pq_sendint16(buf, it->from);
		pq_sendint16(buf, it->to);
		pq_sendint64(buf, it->within);
	}
	for (k = 0; k < st->nevents; k++)
	{
		pq_sendint64(buf, WF_EVENTS(st)[k].ts);
		pq_sendint32(buf, WF_EVENTS(st)[k].row);
		pq_sendint16(buf, WF_EVENTS(st)[k].step);
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
			(items[k].kind != WF_ITEM_WITHIN && items[k].within != 0) ||
			(items[k].kind == WF_ITEM_WITHIN && items[k].cond == 1))
			return false;
	}
	return r->ok && (h->nsteps == 0 || wf_items_check(items, h->nitems, h->nsteps, &bad, err) == FN_OK);
}

/* The header fields of a byte form, checked; the reader is left at the items. */
static bool
wf_decode_header(FnReader *r, WfState *h, FnError *err)
{
	int			version = (int) fn_read_uint(r, 1);

	if (version < 1 || version > WF_FORMAT_VERSION)
	{
		fn_fail(err, FN_CORRUPT, "The state format version is not supported.");
		return false;
	}
	(void) fn_read_uint(r, 1);	/* sortedness is recomputed from the events */
	h->mode = (uint32) fn_read_uint(r, 4);
	h->window = (int64) fn_read_uint(r, 8);
	h->nsteps = (int32) fn_read_uint(r, 4);
	h->steps_key = version == 1 ? 0 : fn_read_uint(r, 8);
	h->nrows = (uint32) fn_read_uint(r, 4);
	h->nevents = (int64) fn_read_uint(r, 8);
	h->nitems = version < 3 ? 0 : (uint16) fn_read_uint(r, 2);
	if (!r->ok || wf_mode_check(h->mode, err) != FN_OK || h->window < 0 ||
		h->nsteps < 0 || h->nsteps > WF_MAX_STEPS ||
		h->nevents < 0 || h->nevents > WF_MAX_EVENTS || h->nrows > h->nevents ||
		fn_reader_left(r) != (size_t) (WF_BYTES_ITEM * h->nitems + WF_BYTES_EVENT * h->nevents))
	{
		fn_fail(err, FN_CORRUPT, "The state header is inconsistent.");
		return false;
	}
	return true;
}

WfState *
wf_state_decode(const char *data, size_t len, FnStateKind kind, MemoryContext aggcontext,
				FnError *err)
{
	FnReader	r;
	WfState		h;
	WfItem		items[WF_MAX_ITEMS];
	WfState    *st;
	int64		k;

	fn_reader_init(&r, data, len);
	if (!wf_decode_header(&r, &h, err))
		return NULL;
	if (!wf_decode_items(&r, &h, items, err))
	{
		fn_fail(err, FN_CORRUPT, "The state's funnel items are inconsistent.");
		return NULL;
	}
	st = wf_state_new(kind, aggcontext, h.window, h.mode, items, h.nitems, h.nevents);
	st->nsteps = h.nsteps;
	st->steps_key = h.steps_key;
	st->nrows = h.nrows;
	for (k = 0; k < h.nevents; k++)
	{
		WfEvent    *e = &WF_EVENTS(st)[k];

		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		e->ts = (int64) fn_read_uint(&r, 8);
		e->row = (uint32) fn_read_uint(&r, 4);
		e->step = (uint16) fn_read_uint(&r, 2);
		if (e->row >= h.nrows || e->step > h.nsteps ||
			(e->step == 0 && !(h.mode & WF_MODE_STRICT_ORDER)))
		{
			fn_fail(err, FN_CORRUPT, "An event of the state is out of range.");
			return NULL;
		}
		if (k > 0 && wf_event_before(e, e[-1].ts, e[-1].row, e[-1].step))
			st->sorted = false;
	}
	st->nevents = h.nevents;
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
