/*
 * flow_agg.c
 *		pipeline_flow(s stage, entered_at, left_at, period) over stage visits,
 *		pipeline_flow(f flow) merging flows, flow + flow, and their value
 *		state pipeline_flow_state.
 *
 * The state is updated in place: the period, and one slot per stage
 * position seen (its counts and kept name), found through a table by
 * position, so a row costs a lookup and an increment.  Its external form
 * is the flow's byte form (agg_state.h), so Citus ships partial states.
 * Names follow fn_name_wins, so any split of the rows keeps the same ones.
 */
#include "postgres.h"

#include "flow.h"

#include "agg_state.h"
#include "common/int.h"
#include "stage.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pipeline_flow_trans);
PG_FUNCTION_INFO_V1(pipeline_flow_merge_trans);
PG_FUNCTION_INFO_V1(pipeline_flow_combine);
PG_FUNCTION_INFO_V1(pipeline_flow_final);
PG_FUNCTION_INFO_V1(pipeline_flow_state_in);
PG_FUNCTION_INFO_V1(pipeline_flow_state_out);
PG_FUNCTION_INFO_V1(pipeline_flow_state_recv);
PG_FUNCTION_INFO_V1(pipeline_flow_state_send);
PG_FUNCTION_INFO_V1(flow_add);

typedef struct FlowSlot
{
	FlowCounts	counts;
	uint8		name_len;
	char		name[STAGE_MAX_NAME];
} FlowSlot;

typedef struct FlowState
{
	int32		vl_len_;		/* varlena header: the allocated size */
	int32		nslots;
	FlowPeriod	period;
	uint8		slot_of[STAGE_MAX_POSITION + 1];	/* per position: slot + 1, 0: none */
	FlowSlot	slots[FLEXIBLE_ARRAY_MEMBER];
} FlowState;

#define FLOW_STATE_SIZE(nslots) (offsetof(FlowState, slots) + (Size) (nslots) * sizeof(FlowSlot))

/* slots a new state has room for: a typical funnel's stages */
#define FLOW_STATE_FIRST_SLOTS 8

static FlowState *
state_new(const FlowPeriod *period, FnStateHolder *holder)
{
	FlowState  *st = fn_state_new(FLOW_STATE_SIZE(FLOW_STATE_FIRST_SLOTS), holder->kind,
								  holder->aggcontext);

	st->period = *period;
	return st;
}

/* The slot of position, made when missing; *st may move. */
static FlowSlot *
state_slot(FlowState **st, int position, FnStateHolder *holder)
{
	FlowSlot   *slot;

	Assert(position >= STAGE_MIN_POSITION && position <= STAGE_MAX_POSITION);
	if ((*st)->slot_of[position] != 0)
		return &(*st)->slots[(*st)->slot_of[position] - 1];
	*st = fn_state_reserve(*st, FLOW_STATE_SIZE((*st)->nslots), FLOW_STATE_SIZE((*st)->nslots + 1),
						   FLOW_STATE_SIZE(STAGE_MAX_POSITION), holder);
	slot = &(*st)->slots[(*st)->nslots++];
	memset(slot, 0, sizeof(FlowSlot));
	(*st)->slot_of[position] = (uint8) (*st)->nslots;
	return slot;
}

static void
slot_name(FlowSlot *slot, const char *name, size_t len)
{
	if (fn_name_wins(name, len, slot->name, slot->name_len))
	{
		memcpy(slot->name, name, len);
		slot->name_len = (uint8) len;
	}
}

static void
report_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("flow count out of range"),
			 errdetail("A flow counts at most 9223372036854775807 visits a stage.")));
}

static void
add_count(int64 *to, int64 more)
{
	if (pg_add_s64_overflow(*to, more, to))
		report_count_overflow();
}

static void
state_add_stage(FlowState **st, const FlowStage *stage, FnStateHolder *holder)
{
	FlowSlot   *slot = state_slot(st, stage->position, holder);
	int64		at_end;

	add_count(&slot->counts.at_start, stage->counts.at_start);
	add_count(&slot->counts.entered, stage->counts.entered);
	add_count(&slot->counts.exited, stage->counts.exited);
	/* at_end must stay a count: at_start + entered fits */
	at_end = slot->counts.at_start;
	add_count(&at_end, slot->counts.entered);
	slot_name(slot, stage->name, stage->name_len);
}

/* st plus the flow data, whose period must be st's (fname: as flow_report_period_mismatch). */
static FlowState *
state_add_flow(FlowState *st, const FlowData *data, FnStateHolder *holder, const char *fname)
{
	int			s;

	if (st == NULL)
		st = state_new(&data->period, holder);
	else if (!flow_period_equal(&st->period, &data->period))
		flow_report_period_mismatch(fname);
	for (s = 0; s < data->nstages; s++)
		state_add_stage(&st, &data->stages[s], holder);
	return st;
}

/* The state's content, stages by position; names point into the state. */
static void
state_data(const FlowState *st, FlowData *out)
{
	int			p;

	out->period = st->period;
	out->nstages = 0;
	out->stages = palloc(Max(st->nslots, 1) * sizeof(FlowStage));
	for (p = STAGE_MIN_POSITION; p <= STAGE_MAX_POSITION; p++)
	{
		const FlowSlot *slot;
		FlowStage  *stage;

		if (st->slot_of[p] == 0)
			continue;
		slot = &st->slots[st->slot_of[p] - 1];
		stage = &out->stages[out->nstages++];
		stage->position = p;
		stage->name = slot->name;
		stage->name_len = slot->name_len;
		stage->counts = slot->counts;
	}
}

/*
 * pipeline_flow(s, entered_at, left_at, period): rows with a NULL stage or
 * entered_at are skipped, a NULL left_at is a visit still open; the period
 * is checked on every row.
 */
Datum
pipeline_flow_trans(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	FlowState  *st = fn_state_begin(fcinfo, FN_STATE_VALUE, "pipeline_flow_trans", &holder);
	FlowPeriod	period;
	StageView	stage;
	FlowSlot   *slot;
	int64		entered;
	int64		left = 0;
	bool		open = PG_ARGISNULL(3);

	flow_period_arg(fcinfo, 4, "pipeline_flow", &period);
	if (st == NULL)
		st = state_new(&period, &holder);
	else if (!flow_period_equal(&st->period, &period))
		flow_report_period_mismatch("pipeline_flow");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return fn_state_result(&holder, st);
	entered = PG_GETARG_TIMESTAMPTZ(2);
	fn_check_visit_time(entered);
	if (!open)
	{
		left = PG_GETARG_TIMESTAMPTZ(3);
		fn_check_visit_time(left);
		if (left < entered)
			fn_report_visit_order(entered, left);
	}
	PG_GETARG_STAGE_VIEW(1, &stage);
	slot = state_slot(&st, stage.position, &holder);
	/* a state given as text may start near the limit */
	if (!flow_count_visit(&slot->counts, &st->period, entered, open, left))
		report_count_overflow();
	slot_name(slot, stage.name, stage.name_len);
	return fn_state_result(&holder, st);
}

/* pipeline_flow(f flow): NULL flows are skipped. */
Datum
pipeline_flow_merge_trans(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	FlowState  *st = fn_state_begin(fcinfo, FN_STATE_VALUE, "pipeline_flow_merge_trans", &holder);
	FlowData	data;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, st);
	}
	PG_GETARG_FLOW(1, &data);
	return fn_state_result(&holder, state_add_flow(st, &data, &holder, "pipeline_flow"));
}

Datum
pipeline_flow_combine(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	FlowState  *a = fn_state_begin(fcinfo, FN_STATE_VALUE, "pipeline_flow_combine", &holder);
	FlowState  *b;
	FlowData	data;

	if (PG_ARGISNULL(1))
	{
		if (a == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, a);
	}
	b = (FlowState *) fn_state_value(PG_GETARG_DATUM(1));
	state_data(b, &data);
	return fn_state_result(&holder, state_add_flow(a, &data, &holder, "pipeline_flow"));
}

Datum
pipeline_flow_final(PG_FUNCTION_ARGS)
{
	FlowData	data;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state_data((FlowState *) fn_state_value(PG_GETARG_DATUM(0)), &data);
	PG_RETURN_POINTER(flow_encode(&data));
}

/* flow_add(a, b), the + operator: counts added up; NULL is the identity. */
Datum
flow_add(PG_FUNCTION_ARGS)
{
	FnStateHolder holder = {FN_STATE_VALUE, NULL, NULL};
	FlowState  *st = NULL;
	FlowData	data;
	int			i;

	for (i = 0; i < 2; i++)
	{
		if (PG_ARGISNULL(i))
			continue;
		PG_GETARG_FLOW(i, &data);
		st = state_add_flow(st, &data, &holder, NULL);
	}
	if (st == NULL)
		PG_RETURN_NULL();
	state_data(st, &data);
	PG_RETURN_POINTER(flow_encode(&data));
}

static void
state_io_encode(const void *state, StringInfo buf)
{
	FlowData	data;

	state_data((const FlowState *) state, &data);
	flow_encode_bytes(&data, buf);
}

static void *
state_io_decode(const char *bytes, size_t len, const char **detail)
{
	FnStateHolder holder = {FN_STATE_VALUE, NULL, NULL};
	FlowData	data;

	if (!flow_decode_bytes(bytes, len, &data, detail))
		return NULL;
	return state_add_flow(NULL, &data, &holder, "pipeline_flow");
}

static const FnStateIO flow_state_io = {"pipeline_flow_state", state_io_encode, state_io_decode};

FN_STATE_IO_FUNCTIONS(pipeline_flow_state, flow_state_io)
