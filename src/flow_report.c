/*
 * flow_report.c
 *		flow_steps and the cast of flow to jsonb.
 */
#include "postgres.h"

#include "flow.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(flow_steps);
PG_FUNCTION_INFO_V1(flow_to_jsonb);

#define STEPS_COLUMNS 6

static void
stage_row(const FlowStage *st, Datum *values, bool *nulls)
{
	memset(nulls, 0, STEPS_COLUMNS * sizeof(bool));
	values[0] = Int32GetDatum(st->position);
	if (st->name_len > 0)
		values[1] = PointerGetDatum(cstring_to_text_with_len(st->name, (int) st->name_len));
	else
		nulls[1] = true;
	values[2] = Int64GetDatum(st->counts.at_start);
	values[3] = Int64GetDatum(st->counts.entered);
	values[4] = Int64GetDatum(st->counts.exited);
	values[5] = Int64GetDatum(flow_at_end(&st->counts));
}

/*
 * flow_steps(f) -> TABLE(position, stage, at_start, entered, exited,
 * at_end): one row per stage, by position.
 */
Datum
flow_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FlowData   *data;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;

		funcctx = fn_srf_first_call(fcinfo);
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		data = palloc(sizeof(FlowData));
		PG_GETARG_FLOW(0, data);
		funcctx->user_fctx = data;
		funcctx->max_calls = data->nstages;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	data = funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		Datum		values[STEPS_COLUMNS];
		bool		nulls[STEPS_COLUMNS];
		HeapTuple	tuple;

		stage_row(&data->stages[funcctx->call_cntr], values, nulls);
		tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}

/* flow::jsonb: an array with one object per stage holding the columns of flow_steps. */
Datum
flow_to_jsonb(PG_FUNCTION_ARGS)
{
	FlowData	data;
	StringInfoData buf;
	int			s;

	PG_GETARG_FLOW(0, &data);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (s = 0; s < data.nstages; s++)
	{
		const FlowStage *st = &data.stages[s];

		appendStringInfo(&buf, "%s{\"position\": %d, \"stage\": ", s > 0 ? ", " : "", st->position);
		if (st->name_len > 0)
			escape_json(&buf, pnstrdup(st->name, st->name_len));
		else
			appendStringInfoString(&buf, "null");
		appendStringInfo(&buf, ", \"at_start\": " INT64_FORMAT ", \"entered\": " INT64_FORMAT
						 ", \"exited\": " INT64_FORMAT ", \"at_end\": " INT64_FORMAT "}",
						 st->counts.at_start, st->counts.entered, st->counts.exited,
						 flow_at_end(&st->counts));
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
