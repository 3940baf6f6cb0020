/*
 * attainment_report.c
 *		Reports on an attainment value: attainment_report, attainment_ratio,
 *		attainment_days and the jsonb form.
 */
#include "postgres.h"

#include "attainment.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(attainment_report);
PG_FUNCTION_INFO_V1(attainment_ratio);
PG_FUNCTION_INFO_V1(attainment_days);
PG_FUNCTION_INFO_V1(attainment_jsonb);

static void
summarize(const Attainment *a, AttSummary *s)
{
	AttView		view;
	FnError		err;

	attainment_view(a, &view);
	if (att_summarize(&view, s, &err) != FN_OK)
		attainment_raise(&err);
}

static Datum
units_numeric(att_int128 units, int scale)
{
	FnBuf		buf;

	fnbuf_init(&buf, 48);
	att_format_units(&buf, units, scale);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static double
ratio(const AttSummary *s)
{
	return (double) s->actual / (double) s->plan;
}

/* One row: totals, ratio, days met and missed, streaks, shortfall. */
Datum
attainment_report(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
		fn_srf_first_call(fcinfo);
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr == 0)
	{
		Attainment *a = PG_GETARG_ATTAINMENT(0);
		AttSummary	s;
		Datum		values[9];
		bool		nulls[9] = {false};

		summarize(a, &s);
		values[0] = units_numeric(s.actual, a->scale);
		values[1] = units_numeric(s.plan, a->scale);
		if (s.plan == 0)
			nulls[2] = true;
		else
			values[2] = Float8GetDatum(ratio(&s));
		values[3] = Int32GetDatum(s.days);
		values[4] = Int32GetDatum(s.days_met);
		values[5] = Int32GetDatum(s.days_missed);
		values[6] = Int32GetDatum(s.longest_miss_streak);
		values[7] = Int32GetDatum(s.current_streak);
		values[8] = units_numeric(s.shortfall, a->scale);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
																   values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* total actual / total plan; NULL when the total plan is 0 */
Datum
attainment_ratio(PG_FUNCTION_ARGS)
{
	AttSummary	s;

	summarize(PG_GETARG_ATTAINMENT(0), &s);
	if (s.plan == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ratio(&s));
}

typedef struct DaysState
{
	Attainment *a;
	int32		next;
} DaysState;

/* One row per day with rows: day, actual, plan, met. */
Datum
attainment_days(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	DaysState  *st;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;

		funcctx = fn_srf_first_call(fcinfo);
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = palloc(sizeof(DaysState));
		st->a = PG_GETARG_ATTAINMENT(0);
		st->next = 0;
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	st = funcctx->user_fctx;
	while (st->next < st->a->ndays)
	{
		const AttDay *d = &st->a->days[st->next++];
		Datum		values[4];
		bool		nulls[4] = {false};

		if (d->plan < 0)
		{
			/* attainment_get refused any other negative plan */
			Assert(d->plan == ATT_NO_ROWS);
			continue;
		}
		values[0] = DateADTGetDatum(st->a->first_day + st->next - 1);
		values[1] = units_numeric(d->actual, st->a->scale);
		values[2] = units_numeric(d->plan, st->a->scale);
		values[3] = BoolGetDatum(d->actual >= d->plan);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
																   values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* The report's figures plus every day, as jsonb. */
Datum
attainment_jsonb(PG_FUNCTION_ARGS)
{
	Attainment *a = PG_GETARG_ATTAINMENT(0);
	AttSummary	s;
	FnBuf		buf;
	bool		first = true;
	int32		i;

	summarize(a, &s);
	fnbuf_init(&buf, 256 + (size_t) s.days * 64);
	fnbuf_puts(&buf, "{\"first_day\": \"");
	att_format_date(&buf, s.first_day);
	fnbuf_puts(&buf, "\", \"last_day\": \"");
	att_format_date(&buf, s.last_day);
	fnbuf_puts(&buf, "\", \"actual\": ");
	att_format_units(&buf, s.actual, a->scale);
	fnbuf_puts(&buf, ", \"plan\": ");
	att_format_units(&buf, s.plan, a->scale);
	fnbuf_puts(&buf, ", \"ratio\": ");
	if (s.plan == 0)
		fnbuf_puts(&buf, "null");
	else
		fnbuf_puts(&buf, float8out_internal(ratio(&s)));	/* shortest exact form */
	fnbuf_puts(&buf, ", \"days\": ");
	fnbuf_int64(&buf, s.days);
	fnbuf_puts(&buf, ", \"days_met\": ");
	fnbuf_int64(&buf, s.days_met);
	fnbuf_puts(&buf, ", \"days_missed\": ");
	fnbuf_int64(&buf, s.days_missed);
	fnbuf_puts(&buf, ", \"longest_miss_streak\": ");
	fnbuf_int64(&buf, s.longest_miss_streak);
	fnbuf_puts(&buf, ", \"current_streak\": ");
	fnbuf_int64(&buf, s.current_streak);
	fnbuf_puts(&buf, ", \"shortfall\": ");
	att_format_units(&buf, s.shortfall, a->scale);
	fnbuf_puts(&buf, ", \"daily\": [");
	for (i = 0; i < a->ndays; i++)
	{
		const AttDay *d = &a->days[i];

		if (d->plan < 0)
			continue;
		fnbuf_puts(&buf, first ? "{\"day\": \"" : ", {\"day\": \"");
		first = false;
		att_format_date(&buf, a->first_day + i);
		fnbuf_puts(&buf, "\", \"actual\": ");
		att_format_units(&buf, d->actual, a->scale);
		fnbuf_puts(&buf, ", \"plan\": ");
		att_format_units(&buf, d->plan, a->scale);
		fnbuf_puts(&buf, d->actual >= d->plan ? ", \"met\": true}" : ", \"met\": false}");
	}
	fnbuf_puts(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
