/*
 * window_funnel_values.c
 *		The final function of window_funnel_values: the value of the row
 *		used at each step of the chain window_funnel_times reports.
 *
 * A step of the chain names a time, not a row; of the rows matching that
 * step at that time, the value is the first one's in the order the rows
 * reached the state (ORDER BY in the call fixes that order).
 *
 * The state is window_funnel_state, with the values in its pool.  Citus 13
 * and 14 refuse to run a polymorphic aggregate's transition on their
 * workers (worker_partial_agg_sfunc compares the declared argument types),
 * so on Citus a query grouped by other than the distribution column calls
 * it with ORDER BY, which makes Citus gather the rows instead
 * (docs/guides/scale-out.md).
 */
#include "postgres.h"

#include "window_funnel.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(window_funnel_values_final);

/* The first row (in row order) with an event of step at ts; the events are sorted. */
static uint32
wf_row_at(const WfState *st, int64 ts, int step)
{
	const WfEvent *ev = WF_EVENTS(st);
	int64		lo = 0;
	int64		hi = st->nevents;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (ev[mid].ts < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nevents && ev[lo].ts == ts; lo++)
		if (ev[lo].step == step)
			return ev[lo].row;
	elog(ERROR, "window_funnel_values: no row of step %d at the reported time", step);
	return 0;					/* keep the compiler quiet */
}

/* The offset in the pool of each row's value (wf_state_decode checked the pool). */
static uint32 *
wf_value_offsets(const WfState *st)
{
	uint32	   *offsets = palloc(sizeof(uint32) * Max(st->nrows, 1));
	const char *pool = WF_POOL(st);
	uint32		at = 0;
	uint32		r;

	for (r = 0; r < st->nrows; r++)
	{
		uint32		len;

		offsets[r] = at;
		memcpy(&len, pool + at, sizeof(uint32));
		at += sizeof(uint32) + (len == WF_NULL_VALUE ? 0 : len);
	}
	return offsets;
}

/* The value at a pool offset, through the type's receive function; NULL sets isnull. */
static Datum
wf_value_read(const WfState *st, uint32 offset, FmgrInfo *recv, Oid ioparam, bool *isnull)
{
	const char *at = WF_POOL(st) + offset;
	uint32		len;
	StringInfoData buf;
	Datum		value;

	memcpy(&len, at, sizeof(uint32));
	*isnull = len == WF_NULL_VALUE;
	if (*isnull)
		return (Datum) 0;
	/* receive functions may expect a terminated buffer they own */
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, at + sizeof(uint32), len);
	value = ReceiveFunctionCall(recv, &buf, ioparam, -1);
	if (buf.cursor != buf.len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("incorrect binary data format in a window_funnel_values state"),
				 errdetail("A value was not read to its end by its type's receive function.")));
	return value;
}

/*
 * The arguments after the state are the aggregate's (FINALFUNC_EXTRA): the
 * value is third from the end in the event-name form, else second.
 */
Datum
window_funnel_values_final(PG_FUNCTION_ARGS)
{
	WfState    *st = PG_ARGISNULL(0) ? NULL : (WfState *) fn_state_value(PG_GETARG_DATUM(0));
	bool		event_form = get_fn_expr_argtype(fcinfo->flinfo, PG_NARGS() - 1) == TEXTARRAYOID;
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, PG_NARGS() - (event_form ? 3 : 2));
	int64	   *times = NULL;
	bool	   *nulls = NULL;
	Datum	   *elems;
	uint32	   *offsets;
	int			ntimes = 0;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Oid			recvfn;
	Oid			ioparam;
	FmgrInfo	recv;
	int			dims[1];
	int			lbs[1] = {1};
	int			k;

	fn_aggregate_context(fcinfo, "window_funnel_values_final");
	if (!OidIsValid(type))
		elog(ERROR, "window_funnel_values: the type of the value is unknown");
	if (st != NULL)
	{
		/* the pool is read only from a state that holds one value per row */
		wf_check_kind(st, get_fn_expr_argtype(fcinfo->flinfo, 1) == INTERVALOID ?
					  WF_AXIS_TIMESTAMPTZ : WF_AXIS_BIGINT, true, "window_funnel_values_final");
		Assert(!st->streaming);
	}
	if (st != NULL && st->nsteps > 0)
	{
		times = palloc(sizeof(int64) * st->nsteps);
		nulls = palloc(sizeof(bool) * st->nsteps);
		(void) wf_evaluate(st, times, nulls, &ntimes);
	}
	if (ntimes == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(type));
	getTypeBinaryInputInfo(type, &recvfn, &ioparam);
	fmgr_info(recvfn, &recv);
	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	offsets = wf_value_offsets(st);
	elems = palloc(sizeof(Datum) * ntimes);
	for (k = 0; k < ntimes; k++)
	{
		elems[k] = (Datum) 0;
		if (!nulls[k])
			elems[k] = wf_value_read(st, offsets[wf_row_at(st, times[k], k + 1)], &recv, ioparam,
									 &nulls[k]);
	}
	dims[0] = ntimes;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, 1, dims, lbs, type, typlen, typbyval,
											 typalign));
}
