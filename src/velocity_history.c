/*
 * velocity_history.c
 *		stage_velocity(deal_id bigint, s stage, entered_at timestamptz): time
 *		in stage from histories that only record when a deal entered each
 *		stage (Odoo's tracking values, Salesforce's OpportunityHistory,
 *		Pipedrive's deal flow).
 *
 * The state buffers the entries (stage_history.h) and the final function
 * sorts them into visits, each lasting until the same deal's next entry.  From 0.2 the
 * state is the value type stage_velocity_history (agg_state.h), so Citus
 * aggregates on its workers; the 0.1 entry points hold the same layout
 * under internal.
 */
#include "postgres.h"

#include "velocity.h"
#include "velocity_work.h"

#include "agg_state.h"
#include "stage_history.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "stage.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(velocity_history_trans);
PG_FUNCTION_INFO_V1(velocity_history_combine);
PG_FUNCTION_INFO_V1(velocity_history_serialize);
PG_FUNCTION_INFO_V1(velocity_history_deserialize);
PG_FUNCTION_INFO_V1(velocity_history_final);
PG_FUNCTION_INFO_V1(stage_velocity_history_trans);
PG_FUNCTION_INFO_V1(stage_velocity_history_combine);
PG_FUNCTION_INFO_V1(stage_velocity_history_in);
PG_FUNCTION_INFO_V1(stage_velocity_history_out);
PG_FUNCTION_INFO_V1(stage_velocity_history_recv);
PG_FUNCTION_INFO_V1(stage_velocity_history_send);

#define VEL_HISTORY_TYPE "stage_velocity_history"
#define VEL_HISTORY_FORMAT_VERSION 1

/* entries a new state has room for */
#define VEL_HISTORY_FIRST_ROOM 256

static const StageHistoryOwner velocity_owner = {
	"stage_velocity",
	"Group by a finer key, or give each visit its left_at and use stage_velocity(stage, entered_at, left_at)."
};

static Datum
history_transition(FunctionCallInfo fcinfo, FnStateKind kind)
{
	FnStateHolder holder;
	StageHistory *h = fn_state_begin(fcinfo, kind, "velocity_history_trans", &holder);
	StageView	stage;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (h == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, h);
	}
	if (h == NULL)
		h = stage_history_new(kind, holder.aggcontext, VEL_HISTORY_FIRST_ROOM);
	PG_GETARG_STAGE_VIEW(2, &stage);
	h = stage_history_add(h, PG_GETARG_INT64(1), PG_GETARG_TIMESTAMPTZ(3), &stage, &holder,
						  &velocity_owner);
	return fn_state_result(&holder, h);
}

Datum
stage_velocity_history_trans(PG_FUNCTION_ARGS)
{
	return history_transition(fcinfo, FN_STATE_VALUE);
}

/* 0.1's internal state, which a database not yet updated still uses */
Datum
velocity_history_trans(PG_FUNCTION_ARGS)
{
	return history_transition(fcinfo, FN_STATE_INTERNAL);
}

/*
 * a with b's entries and names.  b is never changed: as a group's first
 * state, the value form returns it, which the executor copies into the
 * aggregate context.
 */
static Datum
history_combine(FunctionCallInfo fcinfo, StageHistory *b, FnStateKind kind)
{
	FnStateHolder holder;
	StageHistory *a = fn_state_begin(fcinfo, kind, "velocity_history_combine", &holder);
	Datum		result;

	/* 0.1's internal state is never shared: a group's first state is a copy */
	if ((kind == FN_STATE_VALUE || b == NULL) && fn_combine_one_side(fcinfo, &holder, a, b, &result))
		return result;
	if (a == NULL)
		a = stage_history_new(kind, holder.aggcontext, b->n);
	return fn_state_result(&holder, stage_history_append(a, b, &holder, &velocity_owner));
}

Datum
stage_velocity_history_combine(PG_FUNCTION_ARGS)
{
	return history_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						   (StageHistory *) fn_state_value(PG_GETARG_DATUM(1)), FN_STATE_VALUE);
}

Datum
velocity_history_combine(PG_FUNCTION_ARGS)
{
	return history_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						   (StageHistory *) PG_GETARG_POINTER(1), FN_STATE_INTERNAL);
}

/* The byte form: version byte, then the entries and names (stage_history.h). */
static void
history_encode(const StageHistory *h, StringInfo buf)
{
	enlargeStringInfo(buf, 1);
	pq_sendbyte(buf, VEL_HISTORY_FORMAT_VERSION);
	stage_history_encode(h, buf);
}

/* A state from its byte form; NULL if the bytes are not a valid state. */
static StageHistory *
history_decode(const char *data, size_t len, FnStateKind kind, MemoryContext aggcontext)
{
	FnReader	r;

	if (!fn_reader_start(&r, data, len, VEL_HISTORY_FORMAT_VERSION))
		return NULL;
	return stage_history_decode(&r, kind, aggcontext, &velocity_owner);
}

static void
report_bad_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stage_velocity partial state is corrupt")));
}

/* 0.1: the internal state between parallel workers, in its byte form */
Datum
velocity_history_serialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	fn_aggregate_context(fcinfo, "velocity_history_serialize");
	pq_begintypsend(&buf);
	history_encode((StageHistory *) PG_GETARG_POINTER(0), &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
velocity_history_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = fn_aggregate_context(fcinfo, "velocity_history_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StageHistory *h;

	h = history_decode(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), FN_STATE_INTERNAL, context);
	if (h == NULL)
		report_bad_state();
	PG_RETURN_POINTER(h);
}

static void
history_io_encode(const void *state, StringInfo buf)
{
	history_encode((const StageHistory *) state, buf);
}

static void *
history_io_decode(const char *data, size_t len, const char **detail)
{
	StageHistory *h = history_decode(data, len, FN_STATE_VALUE, NULL);

	if (h == NULL)
		*detail = "The bytes are not a valid state of the entered-only stage_velocity.";
	return h;
}

static const FnStateIO history_state_io = {VEL_HISTORY_TYPE, history_io_encode, history_io_decode};

FN_STATE_IO_FUNCTIONS(stage_velocity_history, history_state_io)

/*
 * Sort by deal and time, and record each entry as a visit lasting until
 * the deal's next entry.  Sorting reorders the state without changing what
 * it holds, so the final function may run again and the state go on.
 */
Datum
velocity_history_final(PG_FUNCTION_ARGS)
{
	StageHistory *h = PG_ARGISNULL(0) ? NULL : (StageHistory *) fn_state_value(PG_GETARG_DATUM(0));
	StageEntry *entries;
	VelWork    *work = NULL;
	VelData		data;
	int64		i;
	int			p;

	fn_aggregate_context(fcinfo, "velocity_history_final");
	if (h == NULL || h->n == 0)
		PG_RETURN_NULL();
	entries = stage_history_entries(h);
	stage_history_sort(h);
	for (i = 0; i < h->n; i++)
	{
		const StageEntry *e = &entries[i];
		bool		closed = (i + 1 < h->n && entries[i + 1].deal == e->deal);
		int64		duration = 0;

		FN_CHECK_FOR_INTERRUPTS_EVERY(i);
		if (closed && pg_sub_s64_overflow(entries[i + 1].at, e->at, &duration))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("stage visit duration is out of range"),
					 errdetail("A visit lasts at most 292,000 years.")));
		work = vel_work_add(work, e->position, NULL, 0, closed, duration);
	}
	for (p = STAGE_MIN_POSITION; p <= STAGE_MAX_POSITION; p++)
	{
		const char *slot = stage_history_slot(h, p);

		if (slot != NULL)
			vel_work_name(work, p, slot + 1, (uint8) slot[0]);
	}
	vel_work_data(work, &data);
	PG_RETURN_POINTER(vel_encode(&data));
}
