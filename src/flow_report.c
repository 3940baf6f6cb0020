/*
 * flow_report.c
 *		flow_steps and the cast of flow to jsonb.
 */
#include "postgres.h"

#include "flow.h"

#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(flow_steps);
PG_FUNCTION_INFO_V1(flow_to_jsonb);

/* The report columns of stage i of the flow. */
static void
stage_row(void *rows, uint64 i, Datum *values, bool *nulls)
{
	const FlowStage *st = &((FlowData *) rows)->stages[i];

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

static void *
load_stages(FunctionCallInfo fcinfo, uint64 *nrows)
{
	FlowData   *data = palloc(sizeof(FlowData));

	PG_GETARG_FLOW(0, data);
	*nrows = data->nstages;
	return data;
}

/*
 * flow_steps(f) -> TABLE(position, stage, at_start, entered, exited,
 * at_end): one row per stage, by position.
 */
Datum
flow_steps(PG_FUNCTION_ARGS)
{
	return fn_srf_rows(fcinfo, load_stages, stage_row);
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
