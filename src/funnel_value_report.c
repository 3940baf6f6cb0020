/*
 * funnel_value_report.c
 *		Reports on a funnel: funnel_steps, required_pipeline, funnel_chart
 *		and funnel_compare.
 *
 * Both return one row per position from the first to the last counted one.
 * reached(p) counts the clients whose deepest stage is p or beyond, so it
 * never increases along the funnel and is at least 1 down to the last row;
 * hence every conversion below is defined and positive:
 *		step_conversion(p)  = reached(next) / reached(p), none for the last row
 *		total_conversion(p) = reached(last) / reached(p)
 */
#include "postgres.h"

#include "funnel_value.h"

#include <math.h>

#include "bar.h"
#include "stats.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(funnel_steps);
PG_FUNCTION_INFO_V1(required_pipeline);
PG_FUNCTION_INFO_V1(funnel_chart);
PG_FUNCTION_INFO_V1(funnel_compare);

typedef struct StepRow
{
	int			position;
	text	   *name;			/* NULL: no name */
	int64		stopped;
	int64		reached;
	int64		current;		/* required_pipeline: clients now at the position */
} StepRow;

typedef struct StepRows
{
	int			n;
	StepRow    *rows;
	double		parameter;		/* min_conversion or target */
	bool		has_current;
} StepRows;

/* the slot of a position, or NULL (a NULL funnel has none) */
static const FunnelSlot *
slot_at(const FunnelData *f, int position)
{
	unsigned int index;

	if (f == NULL)
		return NULL;
	index = (unsigned int) (position - f->first);
	return index < f->nslots ? &f->slots[index] : NULL;
}

/* a slot's name, or NULL when it has none */
static text *
slot_name(const FunnelData *f, const FunnelSlot *s)
{
	if (s->name_len == 0)
		return NULL;
	return cstring_to_text_with_len(funnel_names(f) + s->name_off, s->name_len);
}

/* the name at a position, or NULL */
static text *
name_at(const FunnelData *f, int position)
{
	const FunnelSlot *s = slot_at(f, position);

	return s != NULL ? slot_name(f, s) : NULL;
}

static StepRows *
step_rows(const FunnelData *f)
{
	StepRows   *result = palloc0(sizeof(StepRows));
	int64		reached = funnel_total(f);
	int			i;

	result->n = f->nslots;
	result->rows = palloc0(sizeof(StepRow) * Max(f->nslots, 1));
	for (i = 0; i < f->nslots; i++)
	{
		const FunnelSlot *s = &f->slots[i];
		StepRow    *row = &result->rows[i];

		row->position = f->first + i;
		row->stopped = s->stopped;
		row->reached = reached;
		reached -= s->stopped;
		row->name = slot_name(f, s);
	}
	return result;
}

static double
step_conversion(const StepRows *steps, int i)
{
	return (double) steps->rows[i + 1].reached / (double) steps->rows[i].reached;
}

static double
total_conversion(const StepRows *steps, int i)
{
	return (double) steps->rows[steps->n - 1].reached / (double) steps->rows[i].reached;
}

/* clients the current funnel holds at each row's position (0 where absent) */
static void
set_current(StepRows *steps, const FunnelData *current)
{
	int			i;

	steps->has_current = true;
	for (i = 0; i < steps->n; i++)
	{
		StepRow    *row = &steps->rows[i];
		const FunnelSlot *s = slot_at(current, row->position);

		if (s != NULL)
		{
			row->current = s->stopped;
			if (row->name == NULL)
				row->name = slot_name(current, s);
		}
	}
}

/*
 * First call of either report: the result descriptor and the rows of the
 * funnel in argument 0 (none when it is NULL), with the current funnel of
 * argument current_arg when there is one.
 */
static void
first_call(FunctionCallInfo fcinfo, double parameter, int current_arg)
{
	FuncCallContext *funcctx = fn_srf_first_call(fcinfo);
	MemoryContext oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
	StepRows   *steps;

	if (PG_ARGISNULL(0))
		steps = palloc0(sizeof(StepRows));
	else
		steps = step_rows(PG_GETARG_FUNNEL(0));
	steps->parameter = parameter;
	if (current_arg < PG_NARGS() && !PG_ARGISNULL(current_arg))
		set_current(steps, PG_GETARG_FUNNEL(current_arg));
	funcctx->user_fctx = steps;
	funcctx->max_calls = steps->n;
	MemoryContextSwitchTo(oldcontext);
}

/*
 * funnel_steps(f [, min_conversion]): without the norm argument, the
 * setting funnel.min_conversion as it is when the call starts.
 */
Datum
funnel_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	StepRows   *steps;

	if (SRF_IS_FIRSTCALL())
	{
		double		min_conversion = funnel_min_conversion;

		if (PG_NARGS() > 1)
		{
			if (PG_ARGISNULL(1))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("min_conversion must not be null"),
						 errhint("Call funnel_steps(f) to use the setting funnel.min_conversion.")));
			min_conversion = PG_GETARG_FLOAT8(1);
			if (isnan(min_conversion) || min_conversion < 0.0 || min_conversion > 1.0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("min_conversion %g is out of range", min_conversion),
						 errdetail("A conversion norm is a share from 0 to 1.")));
		}
		first_call(fcinfo, min_conversion, PG_NARGS());
	}
	funcctx = SRF_PERCALL_SETUP();
	steps = (StepRows *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		StepRow    *row = &steps->rows[i];
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = Int32GetDatum(row->position);
		values[1] = PointerGetDatum(row->name);
		nulls[1] = row->name == NULL;
		values[2] = Int64GetDatum(row->reached);
		values[3] = Int64GetDatum(row->stopped);
		if (i + 1 < steps->n)
		{
			double		step = step_conversion(steps, i);

			values[4] = Float8GetDatum(step);
			values[6] = BoolGetDatum(step < steps->parameter);
		}
		else
			nulls[4] = nulls[6] = true;
		values[5] = Float8GetDatum(total_conversion(steps, i));
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * required_pipeline(history, target [, current]): the funnel read
 * backwards.  required(last) = target and required(p) = required(next) /
 * step_conversion(p), computed as target / total_conversion(p); current is
 * what the current funnel holds at p, the gap is required - current.
 */
Datum
required_pipeline(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	StepRows   *steps;

	if (SRF_IS_FIRSTCALL())
	{
		double		target;

		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target must not be null")));
		target = PG_GETARG_FLOAT8(1);
		if (isnan(target) || isinf(target) || target < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("target %g is out of range", target),
					 errdetail("A target is a finite number of clients, zero or more.")));
		first_call(fcinfo, target, 2);
	}
	funcctx = SRF_PERCALL_SETUP();
	steps = (StepRows *) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int			i = (int) funcctx->call_cntr;
		StepRow    *row = &steps->rows[i];
		double		required = steps->parameter / total_conversion(steps, i);
		Datum		values[6];
		bool		nulls[6] = {false};

		/* as float8 arithmetic does: a finite target never becomes Infinity */
		if (unlikely(isinf(required)))
			float_overflow_error();

		values[0] = Int32GetDatum(row->position);
		values[1] = PointerGetDatum(row->name);
		nulls[1] = row->name == NULL;
		if (i + 1 < steps->n)
			values[2] = Float8GetDatum(step_conversion(steps, i));
		else
			nulls[2] = true;
		values[3] = Float8GetDatum(required);
		if (steps->has_current)
		{
			values[4] = Int64GetDatum(row->current);
			values[5] = Float8GetDatum(required - (double) row->current);
		}
		else
			nulls[4] = nulls[5] = true;
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * funnel_chart(f, width): funnel_steps' position, stage, reached and
 * step_conversion with a bar of reached, the first row's bar width
 * characters long.
 */
typedef struct ChartRows
{
	StepRows   *steps;
	text	  **bars;
} ChartRows;

static void *
chart_load(FunctionCallInfo fcinfo, uint64 *nrows)
{
	ChartRows  *chart = palloc0(sizeof(ChartRows));
	int			width;
	int			i;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("width must not be null")));
	width = PG_GETARG_INT32(1);
	fn_bar_check_width(width);
	chart->steps = PG_ARGISNULL(0) ? palloc0(sizeof(StepRows)) : step_rows(PG_GETARG_FUNNEL(0));
	chart->bars = palloc0(sizeof(text *) * Max(chart->steps->n, 1));
	for (i = 0; i < chart->steps->n; i++)
		chart->bars[i] = fn_bar((double) chart->steps->rows[i].reached, 0.0,
								(double) chart->steps->rows[0].reached, width);
	*nrows = chart->steps->n;
	return chart;
}

static void
chart_row(void *rows, uint64 i, Datum *values, bool *nulls)
{
	ChartRows  *chart = (ChartRows *) rows;
	StepRow    *row = &chart->steps->rows[i];

	values[0] = Int32GetDatum(row->position);
	values[1] = PointerGetDatum(row->name);
	nulls[1] = row->name == NULL;
	values[2] = Int64GetDatum(row->reached);
	if (i + 1 < chart->steps->n)
		values[3] = Float8GetDatum(step_conversion(chart->steps, (int) i));
	else
		nulls[3] = true;
	values[4] = PointerGetDatum(chart->bars[i]);
}

Datum
funnel_chart(PG_FUNCTION_ARGS)
{
	return fn_srf_rows(fcinfo, chart_load, chart_row);
}

/*
 * funnel_compare(f, baseline, alpha): per position from the first to the
 * last of either funnel, each funnel's reached (clients whose deepest stage
 * is the position or beyond: all of a funnel's clients before its first
 * position, none after its last) and step conversion reached(next) /
 * reached (none for the last row or where nobody reached the position), f's
 * Wilson interval at confidence 1 - alpha, and the pooled two-proportion
 * z-test of the two conversions (stats.h).
 */
typedef struct CompareRows
{
	int			first;
	int			n;
	double		alpha;
	double		z;				/* the (1 - alpha/2) normal quantile */
	int64	   *reached;		/* n + 1 each: a 0 past the last row */
	int64	   *base_reached;
	text	  **names;
} CompareRows;

/* reached at positions first .. first + n - 1 (a NULL funnel has no clients) */
static int64 *
reached_over(const FunnelData *f, int first, int n)
{
	int64	   *reached = palloc0(sizeof(int64) * (n + 1));
	int64		sum = 0;
	int			i;

	if (f != NULL)
		(void) funnel_total(f); /* raises on overflow: no sum below can */
	for (i = n - 1; i >= 0; i--)
	{
		const FunnelSlot *s = slot_at(f, first + i);

		if (s != NULL)
			sum += s->stopped;
		reached[i] = sum;
	}
	return reached;
}

static double
compare_alpha(FunctionCallInfo fcinfo)
{
	double		alpha;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alpha must not be null")));
	alpha = PG_GETARG_FLOAT8(2);
	if (isnan(alpha) || alpha <= 0.0 || alpha >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alpha %g is out of range", alpha),
				 errdetail("A significance level is a probability between 0 and 1, both excluded.")));
	return alpha;
}

static void *
compare_load(FunctionCallInfo fcinfo, uint64 *nrows)
{
	CompareRows *cmp = palloc0(sizeof(CompareRows));
	FunnelData *f = PG_ARGISNULL(0) ? NULL : PG_GETARG_FUNNEL(0);
	FunnelData *base = PG_ARGISNULL(1) ? NULL : PG_GETARG_FUNNEL(1);
	int			last = 0;
	int			i;

	cmp->alpha = compare_alpha(fcinfo);
	cmp->z = -fn_normal_quantile(cmp->alpha / 2.0);
	if (f != NULL && f->nslots == 0)
		f = NULL;
	if (base != NULL && base->nslots == 0)
		base = NULL;
	if (f != NULL)
	{
		cmp->first = f->first;
		last = funnel_last(f);
	}
	if (base != NULL)
	{
		cmp->first = f != NULL ? Min(cmp->first, base->first) : base->first;
		last = Max(last, funnel_last(base));
	}
	cmp->n = (f != NULL || base != NULL) ? last - cmp->first + 1 : 0;
	cmp->reached = reached_over(f, cmp->first, cmp->n);
	cmp->base_reached = reached_over(base, cmp->first, cmp->n);
	cmp->names = palloc0(sizeof(text *) * Max(cmp->n, 1));
	for (i = 0; i < cmp->n; i++)
	{
		cmp->names[i] = name_at(f, cmp->first + i);
		if (cmp->names[i] == NULL)
			cmp->names[i] = name_at(base, cmp->first + i);
	}
	*nrows = cmp->n;
	return cmp;
}

static void
compare_row(void *rows, uint64 i, Datum *values, bool *nulls)
{
	CompareRows *cmp = (CompareRows *) rows;
	int64		n = cmp->reached[i];
	int64		x = cmp->reached[i + 1];
	int64		base_n = cmp->base_reached[i];
	int64		base_x = cmp->base_reached[i + 1];
	bool		not_last = i + 1 < (uint64) cmp->n;
	bool		has_conv = not_last && n > 0;
	bool		has_base = not_last && base_n > 0;
	double		conv = has_conv ? (double) x / (double) n : 0.0;
	double		base_conv = has_base ? (double) base_x / (double) base_n : 0.0;

	values[0] = Int32GetDatum(cmp->first + (int) i);
	values[1] = PointerGetDatum(cmp->names[i]);
	nulls[1] = cmp->names[i] == NULL;
	values[2] = Int64GetDatum(n);
	values[6] = Int64GetDatum(base_n);
	values[3] = Float8GetDatum(conv);
	values[7] = Float8GetDatum(base_conv);
	values[8] = Float8GetDatum(conv - base_conv);
	nulls[3] = nulls[4] = nulls[5] = !has_conv;
	nulls[7] = !has_base;
	nulls[8] = nulls[9] = nulls[10] = !(has_conv && has_base);
	if (has_conv)
	{
		double		low;
		double		high;

		fn_wilson_interval(x, n, cmp->z, &low, &high);
		values[4] = Float8GetDatum(low);
		values[5] = Float8GetDatum(high);
	}
	if (has_conv && has_base)
	{
		double		p = fn_two_proportion_p(x, n, base_x, base_n);

		values[9] = Float8GetDatum(p);
		values[10] = BoolGetDatum(p < cmp->alpha);
	}
}

Datum
funnel_compare(PG_FUNCTION_ARGS)
{
	return fn_srf_rows(fcinfo, compare_load, compare_row);
}
