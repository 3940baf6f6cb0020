/*
 * velocity_report.c
 *		Reports on a velocity: velocity_steps, time_in_stage,
 *		velocity_quantile and the cast to jsonb.
 */
#include "postgres.h"

#include "velocity.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "stage.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(velocity_steps);
PG_FUNCTION_INFO_V1(velocity_time_in_stage);
PG_FUNCTION_INFO_V1(velocity_quantile);
PG_FUNCTION_INFO_V1(velocity_to_jsonb);

/* q as percentile_disc checks it */
static void
check_fraction(double q)
{
	if (isnan(q) || q < 0.0 || q > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", q)));
}

/* The stage at a position, or NULL. */
static const VelStageData *
find_stage(const VelData *data, int position)
{
	int			s;

	for (s = 0; s < data->nstages; s++)
		if (data->stages[s].position == position)
			return &data->stages[s];
	return NULL;
}

/*
 * The q-quantile of time in the stage at s's position in microseconds, or
 * false when that stage has no exits.
 */
static bool
stage_quantile_us(FunctionCallInfo fcinfo, double *us)
{
	double		q = PG_GETARG_FLOAT8(2);
	StageView	stage;
	VelData		data;
	const VelStageData *st;

	check_fraction(q);
	PG_GETARG_STAGE_VIEW(1, &stage);
	vel_decode(PG_GETARG_VELOCITY(0), &data);
	st = find_stage(&data, stage.position);
	if (st == NULL || st->exits == 0)
		return false;
	*us = vel_stage_quantile(st, q);
	return true;
}

/* time_in_stage(v, s, q): an interval of days and time, like timestamptz - timestamptz. */
Datum
velocity_time_in_stage(PG_FUNCTION_ARGS)
{
	double		us;
	int64		whole;
	Interval   *result;

	if (!stage_quantile_us(fcinfo, &us))
		PG_RETURN_NULL();
	/* a duration of INT64_MAX us is 2^63 as a double: out of llround's range */
	whole = us >= (double) PG_INT64_MAX ? PG_INT64_MAX : (int64) llround(us);
	result = palloc(sizeof(Interval));
	result->month = 0;
	result->day = (int32) (whole / USECS_PER_DAY);
	result->time = whole % USECS_PER_DAY;
	PG_RETURN_INTERVAL_P(result);
}

/* velocity_quantile(v, s, q): the same in days, as float8. */
Datum
velocity_quantile(PG_FUNCTION_ARGS)
{
	double		us;

	if (!stage_quantile_us(fcinfo, &us))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(us / VEL_USECS_PER_DAY);
}

/* The report columns of stage i; nulls for the durations without exits. */
static void
stage_row(void *rows, uint64 i, Datum *values, bool *nulls)
{
	const VelStageData *st = &((VelData *) rows)->stages[i];

	values[0] = Int32GetDatum(st->position);
	if (st->name_len > 0)
		values[1] = PointerGetDatum(cstring_to_text_with_len(st->name, (int) st->name_len));
	else
		nulls[1] = true;
	values[2] = Int64GetDatum(st->exits + st->open);
	values[3] = Int64GetDatum(st->exits);
	values[4] = Int64GetDatum(st->open);
	if (st->exits == 0)
	{
		nulls[5] = nulls[6] = nulls[7] = nulls[8] = true;
		return;
	}
	values[5] = Float8GetDatum(vel_stage_mean(st) / VEL_USECS_PER_DAY);
	values[6] = Float8GetDatum(vel_stage_quantile(st, 0.5) / VEL_USECS_PER_DAY);
	values[7] = Float8GetDatum(vel_stage_quantile(st, 0.9) / VEL_USECS_PER_DAY);
	values[8] = Float8GetDatum((double) st->max / VEL_USECS_PER_DAY);
}

static void *
load_stages(FunctionCallInfo fcinfo, uint64 *nrows)
{
	VelData    *data = palloc(sizeof(VelData));

	vel_decode(PG_GETARG_VELOCITY(0), data);
	*nrows = data->nstages;
	return data;
}

/*
 * velocity_steps(v) -> TABLE(position, stage, visits, exits, open, avg_days,
 * p50_days, p90_days, max_days): one row per stage, by position.
 */
Datum
velocity_steps(PG_FUNCTION_ARGS)
{
	return fn_srf_rows(fcinfo, load_stages, stage_row);
}

static void
append_days(StringInfo buf, const char *key, double days)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(days, digits);
	appendStringInfo(buf, ", \"%s\": %s", key, digits);
}

/*
 * velocity::jsonb: an array with one object per stage holding the columns
 * of velocity_steps.
 */
Datum
velocity_to_jsonb(PG_FUNCTION_ARGS)
{
	VelData		data;
	StringInfoData buf;
	int			s;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (s = 0; s < data.nstages; s++)
	{
		const VelStageData *st = &data.stages[s];

		appendStringInfo(&buf, "%s{\"position\": %d, \"stage\": ", s > 0 ? ", " : "", st->position);
		if (st->name_len > 0)
			escape_json(&buf, pnstrdup(st->name, st->name_len));
		else
			appendStringInfoString(&buf, "null");
		appendStringInfo(&buf, ", \"visits\": " INT64_FORMAT ", \"exits\": " INT64_FORMAT
						 ", \"open\": " INT64_FORMAT,
						 st->exits + st->open, st->exits, st->open);
		if (st->exits > 0)
		{
			append_days(&buf, "avg_days", vel_stage_mean(st) / VEL_USECS_PER_DAY);
			append_days(&buf, "p50_days", vel_stage_quantile(st, 0.5) / VEL_USECS_PER_DAY);
			append_days(&buf, "p90_days", vel_stage_quantile(st, 0.9) / VEL_USECS_PER_DAY);
			append_days(&buf, "max_days", (double) st->max / VEL_USECS_PER_DAY);
		}
		else
			appendStringInfoString(&buf, ", \"avg_days\": null, \"p50_days\": null"
								   ", \"p90_days\": null, \"max_days\": null");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
