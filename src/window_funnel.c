/*
 * window_funnel.c
 *		fmgr glue of the window_funnel and window_funnel_times aggregates
 *		and of window_funnel_values' transitions: transition, combine,
 *		serialize/deserialize and final functions, and the checks of the
 *		window, mode and steps arguments of each row.
 *
 * The top of the family (window_funnel.h): the state's storage is
 * window_funnel_state.c's (wf_append inline), its evaluation wf_evaluate's
 * (window_funnel_eval.c).
 */
#include "postgres.h"

#include "window_funnel.h"

#include "common/int.h"
#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(window_funnel_combine);
PG_FUNCTION_INFO_V1(window_funnel_state_combine);
PG_FUNCTION_INFO_V1(window_funnel_serialize);
PG_FUNCTION_INFO_V1(window_funnel_deserialize);
PG_FUNCTION_INFO_V1(window_funnel_final);
PG_FUNCTION_INFO_V1(window_funnel_times_final);
PG_FUNCTION_INFO_V1(window_funnel_times_bigint_final);

#define WF_MODE_HINT "Valid modes are " WF_MODE_NAMES " and the funnel items, separated by commas; '' is the default mode."
#define WF_INTERVAL_HINT "Give the window as a non-negative interval, such as interval '30 days'."
#define WF_BIGINT_HINT "Give the window as a non-negative number in the unit of the time axis."


/* What the arguments of one window_funnel transition signature are. */
typedef struct WfSignature
{
	bool		interval_axis;	/* window interval and time timestamptz, or both bigint */
	int			mode_arg;		/* argument number of the mode text, -1: none */
	bool		step_args;		/* steps as separate booleans, not one boolean[] */
	bool		event_form;		/* event text and steps text[] */
	bool		values;			/* window_funnel_values: a value after the time */
} WfSignature;

/* Indexes into wf_signatures, one per C transition function. */
typedef enum WfSignatureId
{
	WF_SIG_INTERVAL,
	WF_SIG_INTERVAL_ARGS,
	WF_SIG_INTERVAL_MODE,
	WF_SIG_INTERVAL_MODE_ARGS,
	WF_SIG_BIGINT,
	WF_SIG_BIGINT_ARGS,
	WF_SIG_BIGINT_MODE,
	WF_SIG_BIGINT_MODE_ARGS,
	WF_SIG_INTERVAL_EVENT,
	WF_SIG_INTERVAL_MODE_EVENT,
	WF_SIG_BIGINT_EVENT,
	WF_SIG_BIGINT_MODE_EVENT,
	WF_SIG_VALUES_INTERVAL,
	WF_SIG_VALUES_INTERVAL_MODE,
	WF_SIG_VALUES_BIGINT,
	WF_SIG_VALUES_BIGINT_MODE,
	WF_SIG_VALUES_INTERVAL_EVENT,
	WF_SIG_VALUES_INTERVAL_MODE_EVENT,
	WF_SIG_VALUES_BIGINT_EVENT,
	WF_SIG_VALUES_BIGINT_MODE_EVENT
} WfSignatureId;

static const WfSignature wf_signatures[] = {
	[WF_SIG_INTERVAL] = {true, -1, false, false},
	[WF_SIG_INTERVAL_ARGS] = {true, -1, true, false},
	[WF_SIG_INTERVAL_MODE] = {true, 2, false, false},
	[WF_SIG_INTERVAL_MODE_ARGS] = {true, 2, true, false},
	[WF_SIG_BIGINT] = {false, -1, false, false},
	[WF_SIG_BIGINT_ARGS] = {false, -1, true, false},
	[WF_SIG_BIGINT_MODE] = {false, 2, false, false},
	[WF_SIG_BIGINT_MODE_ARGS] = {false, 2, true, false},
	[WF_SIG_INTERVAL_EVENT] = {true, -1, false, true},
	[WF_SIG_INTERVAL_MODE_EVENT] = {true, 2, false, true},
	[WF_SIG_BIGINT_EVENT] = {false, -1, false, true},
	[WF_SIG_BIGINT_MODE_EVENT] = {false, 2, false, true},
	[WF_SIG_VALUES_INTERVAL] = {true, -1, false, false, true},
	[WF_SIG_VALUES_INTERVAL_MODE] = {true, 2, false, false, true},
	[WF_SIG_VALUES_BIGINT] = {false, -1, false, false, true},
	[WF_SIG_VALUES_BIGINT_MODE] = {false, 2, false, false, true},
	[WF_SIG_VALUES_INTERVAL_EVENT] = {true, -1, false, true, true},
	[WF_SIG_VALUES_INTERVAL_MODE_EVENT] = {true, 2, false, true, true},
	[WF_SIG_VALUES_BIGINT_EVENT] = {false, -1, false, true, true},
	[WF_SIG_VALUES_BIGINT_MODE_EVENT] = {false, 2, false, true, true},
};

/*
 * Kept across rows and groups by a call site (fn_extra): the last window
 * converted and the last mode text parsed, so that constant arguments are
 * converted and parsed once, not on every row.
 */
typedef struct WfCallCache
{
	bool		have_window;
	Interval	window_interval;
	int64		window;
	uint32		flags;
	WfModeItems items;			/* the mode's funnel items, their limits converted */
	int			mode_len;		/* -1 until a mode was parsed */
	int			mode_cap;
	char	   *mode_text;
	WfStepNames names;			/* the event-name form's steps */
	int			in_time_order;	/* wf_rows_in_time_order: -1 until asked */
	bool		wants_times;	/* wf_call_wants_times, when in_time_order */
	bool		consts_known;	/* the three below were looked up */
	bool		window_const;	/* the window, mode or steps argument is a */
	bool		mode_const;		/* constant of the Aggref: after the first */
	bool		steps_const;	/* row, its value is the cached one */
	bool		args_fixed;		/* window, mode and steps cannot change between rows */
	bool		have_send;		/* window_funnel_values: the value type's send function */
	FmgrInfo	send;
} WfCallCache;

static void
wf_report_mode_error(const FnError *err, const char *mode, int mode_len,
					 const char *bad, size_t bad_len, uint32 flags)
{
	if (flags & (WF_MODE_ITEMS | WF_MODE_ANY_ORDER))
		ereport(ERROR,
				(errcode(err->status == FN_TOO_BIG ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid window_funnel mode \"%.*s\"",
						bad_len > 0 ? (int) bad_len : mode_len, bad_len > 0 ? bad : mode),
				 errdetail("%s", err->detail),
				 errhint(WF_ITEM_GRAMMAR)));
	if ((flags & WF_MODE_ALLOW_REENTRY) && !(flags & WF_MODE_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel mode allow_reentry requires strict_order"),
				 errdetail("%s", err->detail),
				 errhint("Use the mode 'strict_order, allow_reentry'. " WF_MODE_HINT)));
	if (bad_len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid window_funnel mode \"%.*s\"", mode_len, mode),
				 errdetail("%s", err->detail),
				 errhint(WF_MODE_HINT)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown window_funnel mode \"%.*s\"", (int) bad_len, bad),
			 errdetail("%s", err->detail),
			 errhint(WF_MODE_HINT)));
}

static WfCallCache *
wf_call_cache(FunctionCallInfo fcinfo)
{
	WfCallCache *cache = (WfCallCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(WfCallCache));
		cache->mode_len = -1;
		cache->in_time_order = -1;
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/* The call site's cache, with which of its arguments are constants known. */
static WfCallCache *
wf_call_cache_consts(FunctionCallInfo fcinfo, const WfSignature *sig, int steps_arg)
{
	WfCallCache *cache = wf_call_cache(fcinfo);

	if (!cache->consts_known)
	{
		cache->window_const = fn_aggregate_arg_const(fcinfo, 1);
		cache->mode_const = fn_aggregate_arg_const(fcinfo, sig->mode_arg);
		cache->steps_const = sig->event_form && fn_aggregate_arg_const(fcinfo, steps_arg + 1);
		cache->args_fixed = cache->window_const &&
			(sig->mode_arg < 0 || cache->mode_const) &&
			(sig->event_form ? cache->steps_const : sig->step_args);
		cache->consts_known = true;
	}
	return cache;
}

/* The interval window in microseconds, converted once per distinct value. */
static int64
wf_interval_window(FunctionCallInfo fcinfo, const Interval *iv)
{
	WfCallCache *cache = wf_call_cache(fcinfo);
	int64		window;

	if (cache->have_window && memcmp(&cache->window_interval, iv, sizeof(Interval)) == 0)
		return cache->window;
	window = fn_interval_usecs(iv);
	if (window < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must not be negative"),
				 errdetail("The window is %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out,
															   IntervalPGetDatum(iv)))),
				 errhint(WF_INTERVAL_HINT)));
	cache->window_interval = *iv;
	cache->window = window;
	cache->have_window = true;
	return window;
}

/* Raise the error for a funnel item that is wrong for its call. */
static void
wf_report_item_error(const char *mode, int mode_len, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid window_funnel mode \"%.*s\"", mode_len, mode),
			 errdetail("%s", detail),
			 errhint(WF_ITEM_GRAMMAR)));
}

/* The W of every "step K within W" item of a mode, in the unit of the time axis. */
static void
wf_convert_withins(WfModeItems *items, bool interval_axis, const char *mode, int mode_len)
{
	int			k;

	for (k = 0; k < items->count; k++)
	{
		WfItem	   *it = &items->items[k];
		const char *text = items->within_text[k];
		int			len = (int) items->within_len[k];
		Interval	iv;
		char	   *cstr;

		if (it->kind != WF_ITEM_WITHIN)
			continue;
		if (!interval_axis)
		{
			if (!wf_parse_within_units(text, len, &it->within))
				wf_report_item_error(mode, mode_len, "On the bigint axis a step window is a non-negative integer.");
			continue;
		}
		cstr = pnstrdup(text, len);
		if (!fn_interval_from_text(cstr, &iv))
			wf_report_item_error(mode, mode_len, "The step window is not a valid interval.");
		pfree(cstr);
		it->within = fn_interval_usecs(&iv);
		if (it->within < 0)
			wf_report_item_error(mode, mode_len, "A step window must not be negative.");
	}
}

/* Parse the mode argument, reusing the last parse of this call site. */
static uint32
wf_mode_flags(FunctionCallInfo fcinfo, int argno, bool interval_axis)
{
	text	   *arg;
	const char *str;
	int			len;
	WfCallCache *cache = wf_call_cache(fcinfo);
	uint32		flags;
	const char *bad = NULL;
	size_t		bad_len = 0;
	FnError		err;
	WfModeItems items;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel mode must not be NULL"),
				 errhint(WF_MODE_HINT)));
	if (cache->mode_const && cache->mode_len >= 0)
		return cache->flags;
	arg = PG_GETARG_TEXT_PP(argno);
	str = VARDATA_ANY(arg);
	len = VARSIZE_ANY_EXHDR(arg);
	if (cache->mode_len == len && (len == 0 || memcmp(cache->mode_text, str, len) == 0))
		return cache->flags;

	if (wf_mode_parse(str, len, &flags, &items, &bad, &bad_len, &err) != FN_OK)
		wf_report_mode_error(&err, str, len, bad, bad_len, flags);
	wf_convert_withins(&items, interval_axis, str, len);
	cache->items = items;

	if (cache->mode_cap < len)
	{
		if (cache->mode_text != NULL)
			pfree(cache->mode_text);
		cache->mode_cap = Max(len, 32);
		cache->mode_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, cache->mode_cap);
	}
	cache->flags = flags;
	cache->mode_len = len;
	if (len > 0)
		memcpy(cache->mode_text, str, len);
	return flags;
}

/* The window argument of a row, checked. */
static int64
wf_row_window(FunctionCallInfo fcinfo, const WfSignature *sig)
{
	WfCallCache *cache = wf_call_cache(fcinfo);
	int64		window;

	if (cache->window_const && cache->have_window)
		return cache->window;
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel window must not be NULL"),
				 errhint(sig->interval_axis ? WF_INTERVAL_HINT : WF_BIGINT_HINT)));
	if (sig->interval_axis)
		return wf_interval_window(fcinfo, PG_GETARG_INTERVAL_P(1));
	window = PG_GETARG_INT64(1);
	if (window < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must not be negative"),
				 errdetail("The window is " INT64_FORMAT ".", window),
				 errhint(WF_BIGINT_HINT)));
	cache->window = window;
	cache->have_window = true;
	return window;
}

/* The time axis of a signature's states. */
static inline uint8
wf_signature_axis(const WfSignature *sig)
{
	return sig->interval_axis ? WF_AXIS_TIMESTAMPTZ : WF_AXIS_BIGINT;
}

/*
 * The state of a group's first row: streamed when its rows are known to
 * arrive in time order (and the mode and the number of steps allow it),
 * else buffering, with room for 4 events, as a hash aggregate may hold a
 * million groups.
 */
static WfState *
wf_new_group_state(FunctionCallInfo fcinfo, FnStateHolder *holder, const WfSignature *sig,
				   int ts_arg, int64 window, uint32 mode, int nsteps, uint64 key)
{
	WfCallCache *cache = wf_call_cache(fcinfo);
	WfState    *st;

	if (sig->values)
	{
		st = wf_state_new(holder->kind, holder->aggcontext, window, mode,
						  cache->items.items, (mode & WF_MODE_ITEMS) ? cache->items.count : 0, 4);
		st->values = true;
		return st;
	}
	if (nsteps > 0 && nsteps <= WF_STREAM_MAX_STEPS &&
		!(mode & (WF_MODE_STRICT_ONCE | WF_MODE_ITEMS | WF_MODE_ANY_ORDER)) &&
		holder->kind == FN_STATE_VALUE)
	{
		if (cache->in_time_order < 0)
		{
			cache->in_time_order = wf_rows_in_time_order(fcinfo, ts_arg);
			cache->wants_times = cache->in_time_order && wf_call_wants_times(fcinfo);
		}
		if (cache->in_time_order)
		{
			st = wf_stream_new(holder->kind, holder->aggcontext, window, mode, nsteps,
							   cache->wants_times);
			st->steps_key = key;
			return st;
		}
	}
	if (mode & WF_MODE_ITEMS)
		return wf_state_new(holder->kind, holder->aggcontext, window, mode,
							cache->items.items, cache->items.count, 4);
	return wf_state_new(holder->kind, holder->aggcontext, window, mode, NULL, 0, 4);
}

/* A later row of the group: the same window and mode as the first. */
static void
wf_check_group(const WfState *st, int64 window, uint32 mode, const WfCallCache *cache)
{
	if (st->window != window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must be the same for every row of a group"),
				 errhint("Pass the window as a constant.")));
	if (st->mode != mode ||
		((mode & WF_MODE_ITEMS) && !cache->mode_const &&
		 (st->nitems != cache->items.count ||
		  memcmp(WF_ITEMS(st), cache->items.items, sizeof(WfItem) * st->nitems) != 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel mode must be the same for every row of a group"),
				 errhint("Pass the mode as a constant.")));
}

/* The first steps array of a group: the mode's items must fit its conditions. */
static void
wf_check_items(const WfState *st, int nconds)
{
	int			bad;
	FnError		err;
	const WfItem *it;

	if (st->nitems == 0 || wf_items_check(WF_ITEMS(st), st->nitems, nconds, &bad, &err) == FN_OK)
		return;
	it = &WF_ITEMS(st)[bad];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window_funnel mode item %s %d does not fit the call's %d conditions",
					it->kind == WF_ITEM_EXCLUDE ? "exclude" :
					it->kind == WF_ITEM_OPTIONAL ? "optional" : "step", it->cond, nconds),
			 errdetail("%s", err.detail),
			 errhint(WF_ITEM_GRAMMAR)));
}

/*
 * The steps of a row (nsteps of them, 0 for a NULL steps array; key: the
 * event-name form's fingerprint, else 0), checked against the group's.
 */
static void
wf_check_steps(WfState *st, int nsteps, uint64 key)
{
	if (nsteps == 0)
		return;
	if (st->nsteps == 0)
	{
		wf_check_items(st, nsteps);
		st->nsteps = nsteps;
		st->steps_key = key;
	}
	else if (st->steps_key != key)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must be the same for every row of a group"),
				 errhint("Pass the steps as a constant array.")));
	else if (st->nsteps != nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must have the same number of elements in every row of a group"),
				 errdetail("A row has %d steps, an earlier row %d.", nsteps, st->nsteps)));
}

/*
 * After the events of one row (those from before on): under strict_order a
 * row matching no step keeps a "no step" event, since it can end the search.
 */
static inline WfState *
wf_end_row(WfState *st, FnStateHolder *holder, int64 ts, int64 before)
{
	if (st->nevents == before && (st->mode & WF_MODE_STRICT_ORDER))
		st = wf_append(st, holder, ts, st->nrows, 0);
	if (st->nevents > before)
	{
		if (before > 0 && WF_EVENTS(st)[before - 1].ts > ts)
			st->sorted = false;
		st->nrows++;
	}
	return st;
}

/*
 * Store the events of one row: its satisfied steps, from the arguments from
 * steps_arg on (steps NULL) or from the array steps; NULL steps count as
 * false.
 */
static WfState *
wf_add_row(WfState *st, FnStateHolder *holder, FunctionCallInfo fcinfo,
		   int64 ts, int steps_arg, ArrayType *steps, int nsteps)
{
	uint32		row = st->nrows;
	int64		before = st->nevents;
	bits8	   *nulls = steps != NULL ? ARR_NULLBITMAP(steps) : NULL;
	const bool *values = steps != NULL ? (const bool *) ARR_DATA_PTR(steps) : NULL;
	int			k;

	for (k = 0; k < nsteps; k++)
	{
		bool		matched;

		if (steps == NULL)
			matched = !PG_ARGISNULL(steps_arg + k) && PG_GETARG_BOOL(steps_arg + k);
		else if (nulls != NULL && !(nulls[k / 8] & (1 << (k % 8))))
			continue;			/* NULL elements take no room in the data area */
		else
			matched = *values++;
		if (matched)
			st = wf_append(st, holder, ts, row, (uint16) (k + 1));
	}
	return wf_end_row(st, holder, ts, before);
}

/*
 * The event argument: PG_GETARG_TEXT_PP, without its call for the short
 * inline text that event names are.
 */
static inline const text *
wf_event_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *event = (struct varlena *) PG_GETARG_POINTER(argno);

	return VARATT_IS_EXTENDED(event) && !VARATT_IS_SHORT(event) ?
		pg_detoast_datum_packed(event) : event;
}

/* The events of one row of the event-name form: the steps its event equals. */
static WfState *
wf_add_event_row(WfState *st, FnStateHolder *holder, int64 ts, const WfStepNames *names,
				 const text *event)
{
	int64		before = st->nevents;

	if (event != NULL)
	{
		const char *name = VARDATA_ANY(event);
		int32		len = VARSIZE_ANY_EXHDR(event);
		int			k;

		/* the first bytes first: most events differ there, and a memcmp call costs more */
		for (k = 0; k < names->nsteps; k++)
			if (names->lens[k] == len &&
				(len == 0 || (names->names[k][0] == name[0] && memcmp(names->names[k], name, len) == 0)))
				st = wf_append(st, holder, ts, st->nrows, (uint16) (k + 1));
	}
	return wf_end_row(st, holder, ts, before);
}

/* window_funnel_values: the value of the row just stored, in its type's binary form. */
static WfState *
wf_add_value(WfState *st, FnStateHolder *holder, FunctionCallInfo fcinfo, int value_arg)
{
	WfCallCache *cache = wf_call_cache(fcinfo);
	bytea	   *bytes = NULL;
	uint32		len = WF_NULL_VALUE;
	char	   *at;

	if (!PG_ARGISNULL(value_arg))
	{
		if (!cache->have_send)
		{
			Oid			type = get_fn_expr_argtype(fcinfo->flinfo, value_arg);
			Oid			sendfn;
			bool		varlena;

			if (!OidIsValid(type))
				elog(ERROR, "window_funnel_values: the type of the value is unknown");
			/* record_recv cannot read back a row of no named type */
			if (type == RECORDOID)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("window_funnel_values cannot keep values of an anonymous record type"),
						 errhint("Cast the row to a named composite type, such as ROW(a, b)::my_type.")));
			getTypeBinaryOutputInfo(type, &sendfn, &varlena);
			fmgr_info_cxt(sendfn, &cache->send, fcinfo->flinfo->fn_mcxt);
			cache->have_send = true;
		}
		bytes = SendFunctionCall(&cache->send, PG_GETARG_DATUM(value_arg));
		len = VARSIZE(bytes) - VARHDRSZ;
	}
	st = wf_state_reserve(st, holder, 0, sizeof(uint32) + (bytes != NULL ? len : 0));
	at = WF_POOL(st) + st->pool_used;
	memcpy(at, &len, sizeof(uint32));
	if (bytes != NULL)
		memcpy(at + sizeof(uint32), VARDATA(bytes), len);
	st->pool_used += sizeof(uint32) + (bytes != NULL ? len : 0);
	return st;
}

/*
 * The shared transition: window and mode are checked on every row (they
 * must not change within a group), rows with a NULL time are skipped, NULL
 * steps count as false.  The steps are one boolean[] (the VARIADIC forms) or,
 * with step_args, the arguments from the time's on (the forms with 1 to 8
 * separate steps, which sql/funnel--0.1.sql makes in a loop, and which
 * spare the executor building an array for every row), or an event and the
 * steps' names (the event-name form).
 */
static Datum
wf_transition(FunctionCallInfo fcinfo, WfSignatureId id, FnStateKind kind)
{
	const WfSignature *sig = &wf_signatures[id];
	FnStateHolder holder;
	WfState    *st = fn_state_begin(fcinfo, kind, "window_funnel_trans", &holder);
	int			ts_arg = sig->mode_arg >= 0 ? sig->mode_arg + 1 : 2;
	int			steps_arg = ts_arg + (sig->values ? 2 : 1);
	WfCallCache *cache = wf_call_cache_consts(fcinfo, sig, steps_arg);
	int64		window = wf_row_window(fcinfo, sig);
	uint32		mode = sig->mode_arg >= 0 ? wf_mode_flags(fcinfo, sig->mode_arg, sig->interval_axis) : 0;
	ArrayType  *steps = NULL;
	int			nsteps = 0;
	const WfStepNames *names = NULL;
	uint64		key;
	int64		ts;
	uint32		rows;

	if (sig->event_form)
	{
		names = cache->steps_const && cache->names.raw != NULL ? &cache->names :
			wf_step_names(fcinfo, &cache->names, steps_arg + 1, "window_funnel");
		nsteps = names->nsteps;
	}
	else if (sig->step_args)
		nsteps = PG_NARGS() - steps_arg;
	else if (!PG_ARGISNULL(steps_arg))
	{
		steps = PG_GETARG_ARRAYTYPE_P(steps_arg);
		nsteps = wf_steps_length(steps, "window_funnel", "Pass the steps as separate boolean arguments.", NULL);
	}
	key = names != NULL ? names->key : 0;
	if (st == NULL)
	{
		st = wf_new_group_state(fcinfo, &holder, sig, ts_arg, window, mode, nsteps, key);
		st->axis = wf_signature_axis(sig);
		wf_check_steps(st, nsteps, key);
	}
	else if (st->streaming && cache->args_fixed)
	{
		/*
		 * Only this call site makes a streamed state (no byte form reads
		 * one), from arguments that are constants of the call: its window,
		 * mode and steps are this row's.
		 */
		Assert(st->window == window && st->mode == mode && st->nsteps == nsteps && st->steps_key == key);
	}
	else
	{
		/* an initial state, or one a transition of another aggregate made */
		const char *fname = sig->values ? "window_funnel_values_trans" : "window_funnel_trans";

		wf_check_kind(st, wf_signature_axis(sig), sig->values, fname);
		wf_check_group(st, window, mode, cache);
		wf_check_steps(st, nsteps, key);
	}
	if (PG_ARGISNULL(ts_arg))
		return fn_state_result(&holder, st);
	/* timestamptz and bigint are both int64 */
	ts = PG_GETARG_INT64(ts_arg);
	if (st->streaming && !wf_stream_advance(st, ts))
		return fn_state_result(&holder, st);
	rows = st->nrows;
	if (names != NULL)
		st = wf_add_event_row(st, &holder, ts, names,
							  PG_ARGISNULL(steps_arg) ? NULL : wf_event_arg(fcinfo, steps_arg));
	else
		st = wf_add_row(st, &holder, fcinfo, ts, steps_arg, steps, nsteps);
	if (sig->values && st->nrows > rows)
		st = wf_add_value(st, &holder, fcinfo, ts_arg + 1);
	return fn_state_result(&holder, st);
}

/*
 * The C transition functions of the SQL signatures, one per wf_signatures
 * entry, written out so that grep finds each SQL name here:
 * window_funnel_state_trans_* for the state type of 0.2, and
 * window_funnel_trans_* for 0.1's internal state, which a database not yet
 * updated still calls.
 */
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval);
Datum window_funnel_state_trans_interval(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval_args);
Datum window_funnel_state_trans_interval_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_ARGS, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval_mode);
Datum window_funnel_state_trans_interval_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_MODE, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval_mode_args);
Datum window_funnel_state_trans_interval_mode_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_MODE_ARGS, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint);
Datum window_funnel_state_trans_bigint(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint_args);
Datum window_funnel_state_trans_bigint_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_ARGS, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint_mode);
Datum window_funnel_state_trans_bigint_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_MODE, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint_mode_args);
Datum window_funnel_state_trans_bigint_mode_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_MODE_ARGS, FN_STATE_VALUE); }

PG_FUNCTION_INFO_V1(window_funnel_trans_interval);
Datum window_funnel_trans_interval(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_interval_args);
Datum window_funnel_trans_interval_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_ARGS, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_interval_mode);
Datum window_funnel_trans_interval_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_MODE, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_interval_mode_args);
Datum window_funnel_trans_interval_mode_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_MODE_ARGS, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_bigint);
Datum window_funnel_trans_bigint(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_bigint_args);
Datum window_funnel_trans_bigint_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_ARGS, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_bigint_mode);
Datum window_funnel_trans_bigint_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_MODE, FN_STATE_INTERNAL); }
PG_FUNCTION_INFO_V1(window_funnel_trans_bigint_mode_args);
Datum window_funnel_trans_bigint_mode_args(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_MODE_ARGS, FN_STATE_INTERNAL); }

/* The event-name form and window_funnel_values, new in 0.2, have no 0.1 internal-state entry point. */
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval_event);
Datum window_funnel_state_trans_interval_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_interval_mode_event);
Datum window_funnel_state_trans_interval_mode_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_INTERVAL_MODE_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint_event);
Datum window_funnel_state_trans_bigint_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_state_trans_bigint_mode_event);
Datum window_funnel_state_trans_bigint_mode_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_BIGINT_MODE_EVENT, FN_STATE_VALUE); }

PG_FUNCTION_INFO_V1(window_funnel_values_trans_interval);
Datum window_funnel_values_trans_interval(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_INTERVAL, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_interval_mode);
Datum window_funnel_values_trans_interval_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_INTERVAL_MODE, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_bigint);
Datum window_funnel_values_trans_bigint(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_BIGINT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_bigint_mode);
Datum window_funnel_values_trans_bigint_mode(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_BIGINT_MODE, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_interval_event);
Datum window_funnel_values_trans_interval_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_INTERVAL_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_interval_mode_event);
Datum window_funnel_values_trans_interval_mode_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_INTERVAL_MODE_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_bigint_event);
Datum window_funnel_values_trans_bigint_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_BIGINT_EVENT, FN_STATE_VALUE); }
PG_FUNCTION_INFO_V1(window_funnel_values_trans_bigint_mode_event);
Datum window_funnel_values_trans_bigint_mode_event(PG_FUNCTION_ARGS) { return wf_transition(fcinfo, WF_SIG_VALUES_BIGINT_MODE_EVENT, FN_STATE_VALUE); }

/* 0.1: the combine function of the internal state. */
Datum
window_funnel_combine(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	WfState    *a = fn_state_begin(fcinfo, FN_STATE_INTERNAL, "window_funnel_combine", &holder);
	WfState    *b = PG_ARGISNULL(1) ? NULL : (WfState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/*
	 * The first state of a group: a deserialized one already lives in the
	 * aggregate context and is used by nobody else, so it is kept as is
	 * instead of copied (a Finalize Aggregate gets one per group and worker).
	 */
	if (a == NULL && GetMemoryChunkContext(b) == holder.aggcontext)
		PG_RETURN_POINTER(b);
	PG_RETURN_POINTER(wf_combine(a, b, &holder));
}

/*
 * The combine function of window_funnel_state.  b, from another node or
 * worker, is never changed: a group's first state is b itself, which the
 * executor copies into the aggregate context.
 */
static void *
wf_combine_values(void *a, const void *b, FnStateHolder *holder)
{
	return wf_combine((WfState *) a, (const WfState *) b, holder);
}

Datum
window_funnel_state_combine(PG_FUNCTION_ARGS)
{
	return fn_combine_values(fcinfo, "window_funnel_combine", wf_combine_values);
}

/* 0.1: the internal state between parallel workers, in its byte form. */
Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	WfState    *st = (WfState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	fn_aggregate_context(fcinfo, "window_funnel_serialize");
	pq_begintypsend(&buf);
	wf_state_encode(st, &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext = fn_aggregate_context(fcinfo, "window_funnel_deserialize");
	FnError		err;
	WfState    *st;

	st = wf_state_decode(VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), FN_STATE_INTERNAL,
						 aggcontext, &err);
	if (st == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid window_funnel state"),
				 errdetail("%s", err.detail)));
	PG_RETURN_POINTER(st);
}

/* The final functions sort the state in place: only an aggregate's own may be. */
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	WfState    *st = PG_ARGISNULL(0) ? NULL : (WfState *) fn_state_value(PG_GETARG_DATUM(0));
	int			ntimes;

	fn_aggregate_context(fcinfo, "window_funnel_final");
	/* one final for both time axes */
	if (st != NULL)
		wf_check_kind(st, 0, false, "window_funnel_final");
	PG_RETURN_INT32(wf_evaluate(st, NULL, NULL, &ntimes));
}

static Datum
wf_times_result(FunctionCallInfo fcinfo, Oid elemtype, uint8 axis, const char *fname)
{
	WfState    *st = PG_ARGISNULL(0) ? NULL : (WfState *) fn_state_value(PG_GETARG_DATUM(0));
	int64	   *times = NULL;
	bool	   *skipped = NULL;
	Datum	   *elems;
	int			ntimes = 0;
	int			dims[1];
	int			lbs[1] = {1};
	int			k;

	fn_aggregate_context(fcinfo, fname);
	if (st != NULL)
		wf_check_kind(st, axis, false, fname);
	if (st != NULL && st->nsteps > 0)
	{
		times = palloc(sizeof(int64) * st->nsteps);
		skipped = palloc(sizeof(bool) * st->nsteps);
		(void) wf_evaluate(st, times, skipped, &ntimes);
	}
	if (ntimes == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	elems = palloc(sizeof(Datum) * ntimes);
	for (k = 0; k < ntimes; k++)
		elems[k] = Int64GetDatum(times[k]);
	dims[0] = ntimes;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, skipped, 1, dims, lbs, elemtype, sizeof(int64),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
window_funnel_times_final(PG_FUNCTION_ARGS)
{
	return wf_times_result(fcinfo, TIMESTAMPTZOID, WF_AXIS_TIMESTAMPTZ, "window_funnel_times_final");
}

Datum
window_funnel_times_bigint_final(PG_FUNCTION_ARGS)
{
	return wf_times_result(fcinfo, INT8OID, WF_AXIS_BIGINT, "window_funnel_times_bigint_final");
}
