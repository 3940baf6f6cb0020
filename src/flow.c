/*
 * flow.c
 *		fmgr glue of the flow type: the checked accessor, text and binary
 *		I/O, and the period as a tstzrange.
 */
#include "postgres.h"

#include "flow.h"

#include "agg_state.h"
#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(flow_in);
PG_FUNCTION_INFO_V1(flow_out);
PG_FUNCTION_INFO_V1(flow_recv);
PG_FUNCTION_INFO_V1(flow_send);

static void
report_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("flow value is corrupt"),
			 errdetail("%s", detail),
			 errhint("The value was written by a newer release of funnel, or is damaged.")));
}

bool
flow_decode_bytes(const char *bytes, size_t len, FlowData *out, const char **detail)
{
	FnReader	r;
	FnError		err;
	int			s;

	if (!fn_reader_start(&r, bytes, len, FLOW_FORMAT_VERSION))
	{
		*detail = "The flow format version is not supported.";
		return false;
	}
	memset(&out->period, 0, sizeof(out->period));
	out->period.flags = (uint8) fn_read_uint(&r, 1);
	out->period.lower = (int64) fn_read_uint(&r, 8);
	out->period.upper = (int64) fn_read_uint(&r, 8);
	out->nstages = (int) fn_read_uint(&r, 1);
	out->stages = palloc(Max(out->nstages, 1) * sizeof(FlowStage));
	for (s = 0; s < out->nstages && r.ok; s++)
	{
		FlowStage  *st = &out->stages[s];

		st->position = (int) fn_read_uint(&r, 1);
		st->name_len = (size_t) fn_read_uint(&r, 1);
		st->name = fn_read_bytes(&r, st->name_len);
		st->counts.at_start = (int64) fn_read_uint(&r, 8);
		st->counts.entered = (int64) fn_read_uint(&r, 8);
		st->counts.exited = (int64) fn_read_uint(&r, 8);
		if (r.ok && !pg_verifymbstr(st->name, (int) st->name_len, true))
		{
			*detail = "A stage name is not valid in the server encoding.";
			return false;
		}
	}
	if (!r.ok || fn_reader_left(&r) != 0)
	{
		*detail = "The flow's bytes are truncated or run on past its stages.";
		return false;
	}
	if (flow_check(out, &err) != FN_OK)
	{
		*detail = err.detail;
		return false;
	}
	return true;
}

void
flow_decode(const struct varlena *value, FlowData *out)
{
	const char *bytes = VARDATA_ANY(value);
	size_t		len = VARSIZE_ANY_EXHDR(value);
	const char *detail;

	if (len < 1 || (uint8) bytes[0] != FLOW_FORMAT_VERSION)
		fn_report_stored_version("flow", len > 0 ? (uint8) bytes[0] : -1);
	if (!flow_decode_bytes(bytes, len, out, &detail))
		report_corrupt(detail);
}

void
flow_encode_bytes(const FlowData *data, StringInfo buf)
{
	int			s;

	enlargeStringInfo(buf, 19 + data->nstages * (2 + STAGE_MAX_NAME + 24));
	pq_sendbyte(buf, FLOW_FORMAT_VERSION);
	pq_sendbyte(buf, data->period.flags);
	pq_sendint64(buf, data->period.lower);
	pq_sendint64(buf, data->period.upper);
	pq_sendbyte(buf, (uint8) data->nstages);
	for (s = 0; s < data->nstages; s++)
	{
		const FlowStage *st = &data->stages[s];

		pq_sendbyte(buf, (uint8) st->position);
		pq_sendbyte(buf, (uint8) st->name_len);
		pq_sendbytes(buf, st->name, (int) st->name_len);
		pq_sendint64(buf, st->counts.at_start);
		pq_sendint64(buf, st->counts.entered);
		pq_sendint64(buf, st->counts.exited);
	}
}

struct varlena *
flow_encode(const FlowData *data)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	flow_encode_bytes(data, &buf);
	SET_VARSIZE(buf.data, buf.len);
	return (struct varlena *) buf.data;
}

static void
period_from_range(TypeCacheEntry *typcache, const RangeType *range, FlowPeriod *out)
{
	RangeBound	lower;
	RangeBound	upper;
	bool		empty;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	Assert(!empty);
	/* zeroed whole: states copy the period, padding and all */
	memset(out, 0, sizeof(*out));
	out->flags = (lower.infinite ? FLOW_LOWER_INF : (lower.inclusive ? FLOW_LOWER_INC : 0)) |
		(upper.infinite ? FLOW_UPPER_INF : (upper.inclusive ? FLOW_UPPER_INC : 0));
	out->lower = lower.infinite ? 0 : DatumGetTimestampTz(lower.val);
	out->upper = upper.infinite ? 0 : DatumGetTimestampTz(upper.val);
}

#define FLOW_PERIOD_HINT "Pass the period as a constant, such as tstzrange('2026-01-01', '2026-02-01')."

/*
 * The last period argument a call site read, in fn_extra: its bytes (a
 * tstzrange is at most 25) and the period they make.  The period is the
 * same on every row of a group, so a row usually costs a comparison of
 * those bytes instead of deserializing the range.
 */
typedef struct FlowPeriodCache
{
	TypeCacheEntry *typcache;
	FlowPeriod	period;
	Size		len;			/* 0: nothing read yet */
	char		bytes[32];
} FlowPeriodCache;

static FlowPeriodCache *
period_cache(FunctionCallInfo fcinfo, Oid range_type)
{
	FlowPeriodCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
		cache = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FlowPeriodCache));
	if (cache->typcache == NULL || cache->typcache->type_id != range_type)
	{
		cache->typcache = lookup_type_cache(range_type, TYPECACHE_RANGE_INFO);
		if (cache->typcache->rngelemtype == NULL || cache->typcache->rngelemtype->type_id != TIMESTAMPTZOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("a flow period must be a tstzrange")));
		cache->len = 0;
	}
	return cache;
}

void
flow_period_arg(FunctionCallInfo fcinfo, int argno, const char *fname, FlowPeriod *out)
{
	struct varlena *raw;
	RangeType  *range;
	FlowPeriodCache *cache;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s period must not be NULL", fname),
				 errhint(FLOW_PERIOD_HINT)));
	raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	if (!VARATT_IS_EXTENDED(raw))
	{
		cache = fcinfo->flinfo->fn_extra;
		if (cache != NULL && cache->len == VARSIZE(raw) && memcmp(cache->bytes, raw, cache->len) == 0)
		{
			*out = cache->period;
			return;
		}
	}
	range = PG_GETARG_RANGE_P(argno);
	if (RangeIsEmpty(range))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s period must not be empty", fname),
				 errdetail("An empty period has no start and no end to count visits at."),
				 errhint(FLOW_PERIOD_HINT)));
	cache = period_cache(fcinfo, RangeTypeGetOid(range));
	period_from_range(cache->typcache, range, out);
	cache->period = *out;
	cache->len = VARSIZE(range) <= sizeof(cache->bytes) ? VARSIZE(range) : 0;
	memcpy(cache->bytes, range, cache->len);
}

void
flow_report_period_mismatch(const char *fname)
{
	if (fname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flows of different periods cannot be added"),
				 errdetail("A flow counts visits against one period; its counts mean nothing for another.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s period must be the same for every row of a group", fname),
			 errdetail("Flows of different periods cannot be added up."),
			 errhint(FLOW_PERIOD_HINT)));
}

/* The period's tstzrange text form. */
static char *
period_text(const FlowPeriod *p)
{
	TypeCacheEntry *typcache = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
	RangeBound	lower = {TimestampTzGetDatum(p->lower), (p->flags & FLOW_LOWER_INF) != 0,
	(p->flags & FLOW_LOWER_INC) != 0, true};
	RangeBound	upper = {TimestampTzGetDatum(p->upper), (p->flags & FLOW_UPPER_INF) != 0,
	(p->flags & FLOW_UPPER_INC) != 0, false};
	Oid			typoutput;
	bool		isvarlena;

	getTypeOutputInfo(TSTZRANGEOID, &typoutput, &isvarlena);
	return OidOutputFunctionCall(typoutput,
								 RangeTypePGetDatum(FN_MAKE_RANGE(typcache, &lower, &upper)));
}

/* The period text of a text form as a period; false when it is not one (saved into escontext). */
static bool
period_parse(const char *text, size_t len, Node *escontext, const char *input, FlowPeriod *out)
{
	TypeCacheEntry *typcache = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
	Datum		range;
	FnError		err;

	if (!fn_input_call(TSTZRANGEOID, pnstrdup(text, len), escontext, &range))
		return false;
	if (RangeIsEmpty(DatumGetRangeTypeP(range)))
	{
		fn_fail(&err, FN_SYNTAX, "The period is empty.");
		fn_report_parse_error(escontext, &err, "flow", input);
		return false;
	}
	period_from_range(typcache, DatumGetRangeTypeP(range), out);
	return true;
}

Datum
flow_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *period;
	size_t		period_len;
	const char *rest;
	FlowData	data;
	FnError		err;
	int			s;

	if (flow_split(str, strlen(str), &period, &period_len, &rest, &err) != FN_OK)
	{
		fn_report_parse_error(fcinfo->context, &err, "flow", str);
		return (Datum) 0;
	}
	if (!period_parse(period, period_len, fcinfo->context, str, &data.period))
		return (Datum) 0;
	if (flow_parse_stages(rest, strlen(rest), &data, &err) != FN_OK)
	{
		fn_report_parse_error(fcinfo->context, &err, "flow", str);
		return (Datum) 0;
	}
	for (s = 0; s < data.nstages; s++)
		if (!fn_verify_encoding(fcinfo->context, data.stages[s].name, data.stages[s].name_len))
			return (Datum) 0;
	PG_RETURN_POINTER(flow_encode(&data));
}

Datum
flow_out(PG_FUNCTION_ARGS)
{
	FlowData	data;
	FnBuf		buf;

	PG_GETARG_FLOW(0, &data);
	fnbuf_init(&buf, 96 + 32 * data.nstages);
	fnbuf_puts(&buf, FLOW_TEXT_VERSION " ");
	fnbuf_puts(&buf, period_text(&data.period));
	flow_format_stages(&data, &buf);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: the stored bytes, except that each stage name's length is
 * an int4 and the name is in the client encoding.  Checked like text.
 */
Datum
flow_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	FlowData	data;
	FnError		err;
	int			s;

	if (pq_getmsgbyte(buf) != FLOW_FORMAT_VERSION)
	{
		fn_fail(&err, FN_CORRUPT, "The binary flow format version is not supported.");
		fn_report_recv_error(&err, "flow");
	}
	data.period.flags = (uint8) pq_getmsgbyte(buf);
	data.period.lower = pq_getmsgint64(buf);
	data.period.upper = pq_getmsgint64(buf);
	data.nstages = pq_getmsgbyte(buf);
	data.stages = palloc0(Max(data.nstages, 1) * sizeof(FlowStage));
	for (s = 0; s < data.nstages; s++)
	{
		FlowStage  *st = &data.stages[s];
		int			name_len;

		st->position = pq_getmsgbyte(buf);
		name_len = pq_getmsgint(buf, 4);
		if (name_len < 0 || name_len > buf->len - buf->cursor)
		{
			fn_fail(&err, FN_CORRUPT, "A stage name length is out of range.");
			fn_report_recv_error(&err, "flow");
		}
		st->name = pq_getmsgtext(buf, name_len, &name_len);
		st->name_len = name_len;
		st->counts.at_start = pq_getmsgint64(buf);
		st->counts.entered = pq_getmsgint64(buf);
		st->counts.exited = pq_getmsgint64(buf);
	}
	if (flow_check(&data, &err) != FN_OK)
		fn_report_recv_error(&err, "flow");
	PG_RETURN_POINTER(flow_encode(&data));
}

Datum
flow_send(PG_FUNCTION_ARGS)
{
	FlowData	data;
	StringInfoData buf;
	int			s;

	PG_GETARG_FLOW(0, &data);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FLOW_FORMAT_VERSION);
	pq_sendbyte(&buf, data.period.flags);
	pq_sendint64(&buf, data.period.lower);
	pq_sendint64(&buf, data.period.upper);
	pq_sendbyte(&buf, (uint8) data.nstages);
	for (s = 0; s < data.nstages; s++)
	{
		const FlowStage *st = &data.stages[s];

		char	   *name = pg_server_to_client(pnstrdup(st->name, st->name_len), (int) st->name_len);

		pq_sendbyte(&buf, (uint8) st->position);
		pq_sendint32(&buf, (int32) strlen(name));
		pq_sendbytes(&buf, name, (int) strlen(name));
		pq_sendint64(&buf, st->counts.at_start);
		pq_sendint64(&buf, st->counts.entered);
		pq_sendint64(&buf, st->counts.exited);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
