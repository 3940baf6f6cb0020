/*
 * funnel_value_report.c
 *		Reports on a funnel: funnel_steps and required_pipeline.
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

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(funnel_steps);
PG_FUNCTION_INFO_V1(required_pipeline);

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
		if (s->name_len > 0)
			row->name = cstring_to_text_with_len(funnel_names(f) + s->name_off, s->name_len);
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
		unsigned int index = (unsigned int) (row->position - current->first);

		if (index < current->nslots)
		{
			const FunnelSlot *s = &current->slots[index];

			row->current = s->stopped;
			if (row->name == NULL && s->name_len > 0)
				row->name = cstring_to_text_with_len(funnel_names(current) + s->name_off,
													 s->name_len);
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
