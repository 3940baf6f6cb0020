/*
 * module.c
 *		Module entry point, settings and error reporting shared by all types.
 */
#include "postgres.h"

#include "module.h"
#include "window_funnel_plan.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/primnodes.h"
#include "utils/guc.h"

StaticAssertDecl(FN_TIMESTAMPTZ_MIN == MIN_TIMESTAMP && FN_TIMESTAMPTZ_END == END_TIMESTAMP &&
				 INT64_MIN == DT_NOBEGIN && INT64_MAX == DT_NOEND,
				 "fn_timestamptz_ok accepts the timestamptz values");

FUNNEL_MODULE_MAGIC;

double		funnel_min_conversion = 0.20;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomRealVariable("funnel.min_conversion",
							 "Minimum step conversion below which funnel reports flag a stage.",
							 "Used by funnel_steps when no explicit norm is given.",
							 &funnel_min_conversion,
							 0.20, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("funnel");
	wf_plan_init();
}

void *
fn_alloc(size_t size)
{
	return palloc(size);
}

static int
fn_sqlstate(FnStatus status)
{
	switch (status)
	{
		case FN_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case FN_TOO_LONG:
			return ERRCODE_STRING_DATA_RIGHT_TRUNCATION;
		case FN_TOO_BIG:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case FN_CORRUPT:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case FN_SYNTAX:
		case FN_OK:
			break;
	}
	return ERRCODE_INVALID_TEXT_REPRESENTATION;
}

void
fn_report_parse_error(Node *escontext, const FnError *err, const char *type_name,
					  const char *input)
{
	errsave(escontext,
			(errcode(fn_sqlstate(err->status)),
			 err->status == FN_RANGE ?
			 errmsg("value out of range for type %s: \"%s\"", type_name, input) :
			 err->status == FN_TOO_LONG ?
			 errmsg("value too long for type %s: \"%s\"", type_name, input) :
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
			 err->detail ? errdetail("%s", err->detail) : 0));
}

bool
fn_verify_encoding(Node *escontext, const char *str, size_t len)
{
	int			encoding = GetDatabaseEncoding();
	int			at = 0;
	int			char_len = 0;
	StringInfoData bytes;

	if (pg_verifymbstr(str, (int) len, true))
		return true;
	/* raised: the server's own message */
	if (!FN_SOFT_CONTEXT(escontext))
		pg_verifymbstr(str, (int) len, false);
	/* saved: the same message, naming the first bad character's bytes */
	for (; at < (int) len; at += char_len)
	{
		char_len = Min(pg_encoding_mblen(encoding, str + at), (int) len - at);
		if (!pg_verify_mbstr(encoding, str + at, char_len, true))
			break;
	}
	Assert(at < (int) len);
	initStringInfo(&bytes);
	for (int i = 0; i < char_len; i++)
		appendStringInfo(&bytes, i == 0 ? "0x%02x" : " 0x%02x", (unsigned char) str[at + i]);
	errsave(escontext,
			(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
			 errmsg("invalid byte sequence for encoding \"%s\": %s",
					GetDatabaseEncodingName(), bytes.data)));
	return false;
}

void
fn_report_recv_error(const FnError *err, const char *type_name)
{
	ereport(ERROR,
			(errcode(err->status == FN_SYNTAX || err->status == FN_CORRUPT ?
					 ERRCODE_INVALID_BINARY_REPRESENTATION : fn_sqlstate(err->status)),
			 errmsg("invalid external binary value for type %s", type_name),
			 err->detail ? errdetail("%s", err->detail) : 0));
}

void
fn_report_stored_version(const char *type_name, int version)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored %s value has unsupported format version %d", type_name, version),
			 errhint("The value was written by a newer release of funnel, or is corrupt.")));
}

void
fn_not_aggregate(const char *fname)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be called by an aggregate", fname),
			 errdetail("It is a support function of an aggregate whose state only the aggregate can hold."),
			 errhint("Call the aggregate instead.")));
}

FuncCallContext *
fn_srf_first_call(FunctionCallInfo fcinfo)
{
	FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
	MemoryContext oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	funcctx->tuple_desc = BlessTupleDesc(tupdesc);
	MemoryContextSwitchTo(oldcontext);
	return funcctx;
}

void
fn_check_visit_time(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage visit times must be finite"),
				 errdetail("A visit entered or left at %s.", timestamptz_to_str(t))));
}

void
fn_report_visit_order(TimestampTz entered, TimestampTz left)
{
	/* timestamptz_to_str returns a static buffer: copy each */
	char	   *left_str = pstrdup(timestamptz_to_str(left));
	char	   *entered_str = pstrdup(timestamptz_to_str(entered));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("stage visit leaves before it enters"),
			 errdetail("left_at %s is earlier than entered_at %s.", left_str, entered_str)));
}

Datum
fn_srf_rows(FunctionCallInfo fcinfo, FnSrfLoad load, FnSrfRow row)
{
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		uint64		nrows;

		funcctx = fn_srf_first_call(fcinfo);
		Assert(funcctx->tuple_desc->natts <= FN_SRF_MAX_COLUMNS);
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		funcctx->user_fctx = load(fcinfo, &nrows);
		funcctx->max_calls = nrows;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		Datum		values[FN_SRF_MAX_COLUMNS];
		bool		nulls[FN_SRF_MAX_COLUMNS];

		memset(nulls, 0, sizeof(nulls));
		row(funcctx->user_fctx, funcctx->call_cntr, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

int64
fn_interval_usecs(const Interval *iv)
{
	int64		secs;
	int64		result;

	/* times 4 keeps the quarter days of 365.25 exact in integers */
	secs = ((int64) 1461 * (iv->month / MONTHS_PER_YEAR) +
			(int64) 4 * DAYS_PER_MONTH * (iv->month % MONTHS_PER_YEAR) +
			(int64) 4 * iv->day) * (SECS_PER_DAY / 4);
	secs += iv->time / USECS_PER_SEC;
	if (pg_mul_s64_overflow(secs, USECS_PER_SEC, &result) ||
		pg_add_s64_overflow(result, iv->time % USECS_PER_SEC, &result))
		return secs < 0 ? -1 : PG_INT64_MAX;
	return result < 0 ? -1 : result;
}

bool
fn_aggregate_arg_const(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);

	return aggref != NULL && argno >= 1 && argno <= list_length(aggref->args) &&
		IsA(list_nth_node(TargetEntry, aggref->args, argno - 1)->expr, Const);
}
