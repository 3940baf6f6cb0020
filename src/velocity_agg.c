/*
 * velocity_agg.c
 *		The stage_velocity aggregates over visits and over stored values,
 *		and velocity_merge (the + operator).
 *
 * The state is a velocity in the working form (velocity.h), updated in
 * place inside an aggregate; called outside one, the functions work on a
 * copy and return the packed form.
 */
#include "postgres.h"

#include "velocity.h"
#include "velocity_work.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(velocity_trans);
PG_FUNCTION_INFO_V1(velocity_merge);
PG_FUNCTION_INFO_V1(velocity_final);
PG_FUNCTION_INFO_V1(time_to_convert_trans);

static struct varlena *
work_pack(const VelWork *work)
{
	VelData		data;

	vel_work_data(work, &data);
	return vel_encode(&data);
}

/* A copy of the state argument in the working form, decoded and checked. */
static pg_noinline VelWork *
state_copy(FunctionCallInfo fcinfo)
{
	VelData		data;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	return vel_work_merge(NULL, &data);
}

/*
 * The state argument as a working form that may be changed: in an aggregate
 * our own state (vel_work_is_state) is updated in place; anything else, and
 * any argument outside an aggregate, is decoded, checked and copied.
 * Inline, as the test that every row of stage_velocity takes.
 */
static inline VelWork *
state_arg(FunctionCallInfo fcinfo, bool in_agg)
{
	if (PG_ARGISNULL(0))
		return NULL;
	if (in_agg && vel_work_is_state((VelWork *) PG_GETARG_POINTER(0)))
		return (VelWork *) PG_GETARG_POINTER(0);
	return state_copy(fcinfo);
}

/*
 * stage_velocity(s stage, entered_at timestamptz, left_at timestamptz):
 * transition.  Rows with a NULL stage or entered_at are skipped; a NULL
 * left_at is an open visit.
 */
Datum
velocity_trans(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	bool		closed = !PG_ARGISNULL(3);
	int64		duration = 0;
	TimestampTz entered;
	StageView	stage;
	VelWork    *work;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		FN_RETURN_STATE_UNCHANGED(in_agg, PG_GETARG_VELOCITY);
	entered = PG_GETARG_TIMESTAMPTZ(2);
	fn_check_visit_time(entered);
	if (closed)
	{
		TimestampTz left = PG_GETARG_TIMESTAMPTZ(3);

		fn_check_visit_time(left);
		if (left < entered)
			fn_report_visit_order(entered, left);
		if (pg_sub_s64_overflow(left, entered, &duration))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("stage visit duration is out of range"),
					 errdetail("A visit lasts at most 292,000 years.")));
	}
	PG_GETARG_STAGE_VIEW(1, &stage);
	work = vel_work_add(state_arg(fcinfo, in_agg), stage.position, stage.name, stage.name_len,
						closed, duration);
	if (!in_agg)
		PG_RETURN_POINTER(work_pack(work));
	PG_RETURN_POINTER(work);
}

/*
 * velocity_merge(a, b), the + operator, and the transition and combine
 * function of the stage_velocity aggregates: NULL + v = v.
 */
Datum
velocity_merge(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	VelData		data;
	VelWork    *work;

	if (PG_ARGISNULL(1))
		FN_RETURN_STATE_UNCHANGED(in_agg, PG_GETARG_VELOCITY);
	if (PG_ARGISNULL(0) && !in_agg)
		PG_RETURN_POINTER(PG_GETARG_VELOCITY(1));
	vel_decode(PG_GETARG_VELOCITY(1), &data);
	work = vel_work_merge(state_arg(fcinfo, in_agg), &data);
	if (!in_agg)
		PG_RETURN_POINTER(work_pack(work));
	PG_RETURN_POINTER(work);
}

/* The step at position k (from 1) of a times array, named "step k". */
static VelWork *
convert_step(VelWork *work, int k, bool closed, int64 duration)
{
	char		name[32];
	int			len = snprintf(name, sizeof(name), "step %d", k);

	return vel_work_add(work, k, name, len, closed, duration);
}

/*
 * time_to_convert(times timestamptz[]): transition.  Position k of a
 * window_funnel_times result is a visit of step k when it is not NULL (a
 * skipped optional step is not); it exits, after the time to the next
 * non-NULL position, when there is one, and stays open otherwise.  NULL
 * arrays are skipped.
 */
Datum
time_to_convert_trans(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	VelWork    *work = NULL;
	ArrayType  *times;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			k;

	if (PG_ARGISNULL(1))
		FN_RETURN_STATE_UNCHANGED(in_agg, PG_GETARG_VELOCITY);
	times = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(times) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_to_convert times must be a one-dimensional array"),
				 errhint("Pass the result of window_funnel_times.")));
	deconstruct_array(times, TIMESTAMPTZOID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n > VEL_MAX_POSITION)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("time_to_convert times have more than %d steps", VEL_MAX_POSITION),
				 errdetail("A velocity holds stage positions 1 to %d.", VEL_MAX_POSITION)));
	work = state_arg(fcinfo, in_agg);
	for (k = 0; k < n; k++)
	{
		int			next = k + 1;
		int64		duration = 0;

		if (nulls[k])
			continue;
		fn_check_visit_time(DatumGetTimestampTz(elems[k]));
		while (next < n && nulls[next])
			next++;
		if (next < n)
		{
			fn_check_visit_time(DatumGetTimestampTz(elems[next]));
			if (pg_sub_s64_overflow(DatumGetTimestampTz(elems[next]), DatumGetTimestampTz(elems[k]),
									&duration) || duration < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("time_to_convert times must not decrease"),
						 errdetail("Step %d happened before step %d.", next + 1, k + 1),
						 errhint("Pass the result of window_funnel_times.")));
		}
		work = convert_step(work, k + 1, next < n, duration);
	}
	if (work == NULL)
		PG_RETURN_NULL();
	if (!in_agg)
		PG_RETURN_POINTER(work_pack(work));
	PG_RETURN_POINTER(work);
}

/* Final function: the packed form of the state, checked like any value. */
Datum
velocity_final(PG_FUNCTION_ARGS)
{
	VelData		data;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	PG_RETURN_POINTER(vel_encode(&data));
}
