/*
 * attainment.c
 *		fmgr glue of the attainment type: I/O, the checked accessor, merge.
 */
#include "postgres.h"

#include "attainment.h"
#include "attainment_text.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(attainment_in);
PG_FUNCTION_INFO_V1(attainment_out);
PG_FUNCTION_INFO_V1(attainment_recv);
PG_FUNCTION_INFO_V1(attainment_send);
PG_FUNCTION_INFO_V1(attainment_merge);

#define ATT_SPAN_HINT "Aggregate over shorter periods, e.g. per year, and merge the results only within " CppAsString2(ATT_MAX_SPAN) " days."

/* bytes of a binary day: offset, then actual and plan as two 64-bit halves each */
#define ATT_BINARY_DAY_BYTES (4 + 4 * 8)

/* The error for a failed arithmetic or check, saved or raised (errsave). */
static void
attainment_save_error(Node *escontext, const FnError *err)
{
	switch (err->status)
	{
		case FN_TOO_BIG:
			errsave(escontext,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("attainment spans too many days"),
					 errdetail("%s", err->detail),
					 errhint(ATT_SPAN_HINT)));
			break;
		case FN_CORRUPT:
			errsave(escontext,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored attainment value is corrupt"),
					 errdetail("%s", err->detail)));
			break;
		default:
			errsave(escontext,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("attainment value out of range"),
					 errdetail("%s", err->detail),
					 errhint("Sums are exact with up to 38 significant digits, at most 18 of them decimals.")));
	}
}

void
attainment_raise(const FnError *err)
{
	attainment_save_error(NULL, err);
	pg_unreachable();
}

static void
corrupt_header(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stored attainment value is corrupt"),
			 errdetail("%s", detail),
			 errhint("The value was written by a newer release of funnel, or is corrupt.")));
}

Attainment *
attainment_get(Datum value)
{
	Attainment *a = (Attainment *) PG_DETOAST_DATUM(value);
	Size		size = VARSIZE(a);
	bool		rows = false;
	int32		i;

	if (size < ATTAINMENT_HEADER || a->version != ATTAINMENT_FORMAT_VERSION)
		corrupt_header("The attainment format version is not supported.");
	if (a->ndays < 1 || a->ndays > ATT_MAX_SPAN || size != ATTAINMENT_SIZE(a->ndays) ||
		a->scale > ATT_MAX_SCALE || a->first_day < ATT_MIN_DAY ||
		a->first_day > ATT_MAX_DAY - (a->ndays - 1))
		corrupt_header("The attainment header does not match its size or range.");
	/*
	 * every day is checked once here, so no reader formats or sums a
	 * damaged one: without rows, or a plan >= 0 and both sums in range
	 */
	for (i = 0; i < a->ndays; i++)
	{
		const AttDay *d = &a->days[i];

		if (d->plan == ATT_NO_ROWS)
			continue;
		if (d->plan < 0)
			corrupt_header("A day of the attainment value has a negative plan.");
		if (!att_in_range(d->actual) || !att_in_range(d->plan))
			corrupt_header("A sum of the attainment value has more than 38 significant digits.");
		rows = true;
	}
	if (!rows)
		corrupt_header("The attainment value has no day with rows.");
	return a;
}

Attainment *
attainment_alloc(int32 ndays, int scale, int32 first_day)
{
	Size		size = ATTAINMENT_SIZE(ndays);
	Attainment *a = (Attainment *) palloc(size);
	int32		i;

	SET_VARSIZE(a, size);
	a->version = ATTAINMENT_FORMAT_VERSION;
	a->scale = (uint8) scale;
	a->reserved = 0;
	a->first_day = first_day;
	a->ndays = ndays;
	for (i = 0; i < ndays; i++)
	{
		a->days[i].actual = 0;
		a->days[i].plan = ATT_NO_ROWS;
	}
	return a;
}

Attainment *
attainment_trim(const Attainment *a)
{
	AttView		view;
	int32		lo;
	int32		hi;
	Attainment *result;

	attainment_view(a, &view);
	if (!att_row_range(&view, &lo, &hi))
		return NULL;
	result = attainment_alloc(hi - lo + 1, a->scale, a->first_day + lo);
	memcpy(result->days, a->days + lo, sizeof(AttDay) * (hi - lo + 1));
	return result;
}

void
attainment_span_error(int64 span)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("attainment spans too many days"),
			 errdetail("Its days would span %lld days; the limit is %d.",
					   (long long) span, ATT_MAX_SPAN),
			 errhint(ATT_SPAN_HINT)));
}

Attainment *
attainment_sum(const Attainment *a, const Attainment *b)
{
	AttView		va;
	AttView		vb;
	AttView		vr;
	int32		alo,
				ahi,
				blo,
				bhi;
	int32		lo;
	int32		hi;
	int			scale = Max(a->scale, b->scale);
	Attainment *result;
	FnError		err;

	attainment_view(a, &va);
	attainment_view(b, &vb);
	if (!att_row_range(&va, &alo, &ahi) || !att_row_range(&vb, &blo, &bhi))
		corrupt_header("The attainment value has no day with rows.");
	lo = Min(a->first_day + alo, b->first_day + blo);
	hi = Max(a->first_day + ahi, b->first_day + bhi);
	if ((int64) hi - lo + 1 > ATT_MAX_SPAN)
		attainment_span_error((int64) hi - lo + 1);
	result = attainment_alloc(hi - lo + 1, scale, lo);
	attainment_view(result, &vr);
	if (att_merge(&vr, &va, scale - a->scale, &err) != FN_OK ||
		att_merge(&vr, &vb, scale - b->scale, &err) != FN_OK)
		attainment_raise(&err);
	return result;
}

/* Quote at most 60 bytes of a long input in error messages. */
static const char *
shown_input(const char *str, size_t len)
{
	int			clip;

	if (len <= 64)
		return str;
	clip = pg_mbcliplen(str, (int) len, 60);
	return psprintf("%.*s...", clip, str);
}

Datum
attainment_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	AttView		view;
	FnError		err;
	Attainment *a;

	if (attainment_parse(str, len, ATTAINMENT_HEADER, &view, &err) != FN_OK)
	{
		if (err.status == FN_TOO_BIG)
			attainment_save_error(fcinfo->context, &err);
		else
			fn_report_parse_error(fcinfo->context, &err, "attainment", shown_input(str, len));
		return (Datum) 0;
	}
	a = (Attainment *) ((char *) view.days - ATTAINMENT_HEADER);
	SET_VARSIZE(a, ATTAINMENT_SIZE(view.ndays));
	a->version = ATTAINMENT_FORMAT_VERSION;
	a->scale = (uint8) view.scale;
	a->reserved = 0;
	a->first_day = view.first_day;
	a->ndays = view.ndays;
	PG_RETURN_POINTER(a);
}

Datum
attainment_out(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT(0);
	AttView		view;
	FnBuf		buf;

	attainment_view(a, &view);
	fnbuf_init(&buf, 16 + (size_t) a->ndays * 12);
	attainment_format(&view, &buf);
	PG_RETURN_CSTRING(buf.data);
}

static void
send_units(StringInfo buf, att_int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

static att_int128
recv_units(StringInfo buf)
{
	int64		hi = pq_getmsgint64(buf);
	uint64		lo = (uint64) pq_getmsgint64(buf);

	return (att_int128) (((unsigned __int128) (uint64) hi << 64) | lo);
}

/*
 * Binary form: version byte, scale byte, number of days with rows (int4),
 * first day with rows (date as int4), then per day with rows its offset
 * from the first (int4, strictly increasing, 0 first) and the actual and
 * plan sums as 128-bit big-endian integers in units of 10^-scale.
 */
Datum
attainment_send(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT(0);
	AttView		view;
	int32		lo;
	int32		hi;
	int32		count = 0;
	int32		i;
	StringInfoData buf;

	attainment_view(a, &view);
	if (!att_row_range(&view, &lo, &hi))
		corrupt_header("The attainment value has no day with rows.");
	for (i = lo; i <= hi; i++)
		count += a->days[i].plan >= 0;
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ATTAINMENT_FORMAT_VERSION);
	pq_sendbyte(&buf, a->scale);
	pq_sendint32(&buf, count);
	pq_sendint32(&buf, a->first_day + lo);
	for (i = lo; i <= hi; i++)
	{
		if (a->days[i].plan < 0)
			continue;
		pq_sendint32(&buf, i - lo);
		send_units(&buf, a->days[i].actual);
		send_units(&buf, a->days[i].plan);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_fail(FnStatus status, const char *detail)
{
	FnError		err;

	fn_fail(&err, status, detail);
	fn_report_recv_error(&err, "attainment");
}

Datum
attainment_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			scale;
	int32		count;
	int32		first_day;
	int32		last_offset;
	int32		i;
	int32	   *offsets;
	AttDay	   *values;
	Attainment *a;

	if (version != ATTAINMENT_FORMAT_VERSION)
		recv_fail(FN_CORRUPT, "The binary attainment format version is not supported.");
	scale = pq_getmsgbyte(buf);
	if (scale > ATT_MAX_SCALE)
		recv_fail(FN_RANGE, "An attainment has at most 18 decimals.");
	count = pq_getmsgint(buf, 4);
	first_day = pq_getmsgint(buf, 4);
	/* the length must match before anything is allocated */
	if (count < 1 || count > ATT_MAX_SPAN ||
		(int64) count * ATT_BINARY_DAY_BYTES != (int64) buf->len - buf->cursor)
		recv_fail(FN_CORRUPT, "The number of days does not match the length of the value.");
	if (first_day < ATT_MIN_DAY || first_day > ATT_MAX_DAY)
		recv_fail(FN_RANGE, "A day is a date from 0001-01-01 to 9999-12-31.");

	offsets = palloc(sizeof(int32) * count);
	values = palloc(sizeof(AttDay) * count);
	for (i = 0; i < count; i++)
	{
		offsets[i] = pq_getmsgint(buf, 4);
		values[i].actual = recv_units(buf);
		values[i].plan = recv_units(buf);
		if (i == 0 ? offsets[i] != 0 : offsets[i] <= offsets[i - 1])
			recv_fail(FN_CORRUPT, "Days are in strictly ascending order from offset 0.");
		if (offsets[i] >= ATT_MAX_SPAN)
			recv_fail(FN_TOO_BIG, ATT_SPAN_LIMIT);
		if (first_day + offsets[i] > ATT_MAX_DAY)
			recv_fail(FN_RANGE, "A day is a date from 0001-01-01 to 9999-12-31.");
		if (!att_in_range(values[i].actual) || !att_in_range(values[i].plan))
			recv_fail(FN_RANGE, "A sum of an attainment has at most 38 significant digits.");
		if (values[i].plan < 0)
			recv_fail(FN_RANGE, "A plan is never negative.");
	}
	pq_getmsgend(buf);

	last_offset = offsets[count - 1];
	a = attainment_alloc(last_offset + 1, scale, first_day);
	for (i = 0; i < count; i++)
		a->days[offsets[i]] = values[i];
	PG_RETURN_POINTER(a);
}

/*
 * attainment_merge(a, b), also the + operator: NULL + b = b, so a rollup can
 * fold values in without coalesce.
 */
Datum
attainment_merge(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(attainment_trim(PG_GETARG_ATTAINMENT(1)));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(attainment_trim(PG_GETARG_ATTAINMENT(0)));
	PG_RETURN_POINTER(attainment_sum(PG_GETARG_ATTAINMENT(0), PG_GETARG_ATTAINMENT(1)));
}
