/*
 * flow_history.c
 *		pipeline_flow(deal_id bigint, s stage, entered_at timestamptz, period
 *		tstzrange): the flow of a period from histories that only record when
 *		a deal entered each stage (Odoo's tracking values), and its value
 *		state pipeline_flow_history.
 *
 * The state buffers the entries (stage_history.h) with the period; the
 * final function sorts them into visits, each lasting until the same
 * deal's next entry, and counts each visit as the four-argument
 * pipeline_flow does.
 */
#include "postgres.h"

#include "flow.h"

#include "libpq/pqformat.h"
#include "stage_history.h"

PG_FUNCTION_INFO_V1(pipeline_flow_history_trans);
PG_FUNCTION_INFO_V1(pipeline_flow_history_combine);
PG_FUNCTION_INFO_V1(pipeline_flow_history_final);
PG_FUNCTION_INFO_V1(pipeline_flow_history_in);
PG_FUNCTION_INFO_V1(pipeline_flow_history_out);
PG_FUNCTION_INFO_V1(pipeline_flow_history_recv);
PG_FUNCTION_INFO_V1(pipeline_flow_history_send);

#define FLOW_HISTORY_FORMAT_VERSION 1

/* entries a new state has room for */
#define FLOW_HISTORY_FIRST_ROOM 256

static const StageHistoryOwner flow_owner = {
	"pipeline_flow",
	"Group by a finer key, or give each visit its left_at and use pipeline_flow(stage, entered_at, left_at, period)."
};

/* Rows with a NULL deal, stage or entered_at are skipped; the period is checked on every row. */
Datum
pipeline_flow_history_trans(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	StageHistory *h = fn_state_begin(fcinfo, FN_STATE_VALUE, "pipeline_flow_history_trans", &holder);
	FlowPeriod	period;
	StageView	stage;

	flow_period_arg(fcinfo, 4, "pipeline_flow", &period);
	if (h == NULL)
	{
		h = stage_history_new(FN_STATE_VALUE, holder.aggcontext, FLOW_HISTORY_FIRST_ROOM);
		h->period = period;
	}
	else if (!flow_period_equal(&h->period, &period))
		flow_report_period_mismatch("pipeline_flow");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return fn_state_result(&holder, h);
	PG_GETARG_STAGE_VIEW(2, &stage);
	h = stage_history_add(h, PG_GETARG_INT64(1), PG_GETARG_TIMESTAMPTZ(3), &stage, &holder,
						  &flow_owner);
	return fn_state_result(&holder, h);
}

/*
 * a with b's entries and names.  b is never changed: as a group's first
 * state it is returned, and the executor copies it into the aggregate
 * context.
 */
static void *
flow_history_merge(void *state, const void *other, FnStateHolder *holder)
{
	StageHistory *a = state;
	const StageHistory *b = other;

	if (!flow_period_equal(&a->period, &b->period))
		flow_report_period_mismatch("pipeline_flow");
	return stage_history_append(a, b, holder, &flow_owner);
}

Datum
pipeline_flow_history_combine(PG_FUNCTION_ARGS)
{
	return fn_combine_values(fcinfo, "pipeline_flow_history_combine", flow_history_merge);
}

/*
 * The counts of every visit, by position; every position entered is a stage
 * of the flow, even when none of its visits touches the period.
 */
Datum
pipeline_flow_history_final(PG_FUNCTION_ARGS)
{
	StageHistory *h;
	const StageEntry *entries;
	FlowCounts *counts;
	bool		seen[STAGE_MAX_POSITION + 1] = {false};
	FlowData	data;
	bool		counted PG_USED_FOR_ASSERTS_ONLY;
	int64		i;
	int			p;

	/* sorting reorders the state in place: only an aggregate's own may be */
	fn_aggregate_context(fcinfo, "pipeline_flow_history_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = (StageHistory *) fn_state_value(PG_GETARG_DATUM(0));
	stage_history_sort(h);
	entries = stage_history_entries(h);
	counts = palloc0((STAGE_MAX_POSITION + 1) * sizeof(FlowCounts));
	data.period = h->period;
	data.nstages = 0;
	data.stages = palloc(STAGE_MAX_POSITION * sizeof(FlowStage));
	for (i = 0; i < h->n; i++)
	{
		const StageEntry *e = &entries[i];
		bool		open = !(i + 1 < h->n && entries[i + 1].deal == e->deal);
		FlowCounts *c = &counts[e->position];

		FN_CHECK_FOR_INTERRUPTS_EVERY(i);
		seen[e->position] = true;
		counted = flow_count_visit(c, &h->period, e->at, open, open ? 0 : entries[i + 1].at);
		/* the counts start at zero: at most STAGE_HISTORY_MAX_ROWS each */
		Assert(counted);
	}
	for (p = STAGE_MIN_POSITION; p <= STAGE_MAX_POSITION; p++)
	{
		const char *slot = stage_history_slot(h, p);
		FlowStage  *st;

		if (!seen[p])
			continue;
		st = &data.stages[data.nstages++];
		st->position = p;
		st->name = slot ? slot + 1 : NULL;
		st->name_len = slot ? (uint8) slot[0] : 0;
		st->counts = counts[p];
	}
	PG_RETURN_POINTER(flow_encode(&data));
}

/* The byte form: version byte, the period's flags, lower and upper, then the entries and names. */
static void
history_io_encode(const void *state, StringInfo buf)
{
	const StageHistory *h = state;

	enlargeStringInfo(buf, 18);
	pq_sendbyte(buf, FLOW_HISTORY_FORMAT_VERSION);
	pq_sendbyte(buf, h->period.flags);
	pq_sendint64(buf, h->period.lower);
	pq_sendint64(buf, h->period.upper);
	stage_history_encode(h, buf);
}

static void *
history_io_decode(const char *bytes, size_t len, const char **detail)
{
	FnReader	r;
	FlowData	empty;
	FnError		err;
	StageHistory *h = NULL;

	/* zeroed whole: the period is copied into the state, padding and all */
	memset(&empty, 0, sizeof(empty));
	if (fn_reader_start(&r, bytes, len, FLOW_HISTORY_FORMAT_VERSION))
	{
		empty.period.flags = (uint8) fn_read_uint(&r, 1);
		empty.period.lower = (int64) fn_read_uint(&r, 8);
		empty.period.upper = (int64) fn_read_uint(&r, 8);
		if (r.ok && flow_check(&empty, &err) == FN_OK)
			h = stage_history_decode(&r, FN_STATE_VALUE, NULL, &flow_owner);
	}
	if (h == NULL)
		*detail = "The bytes are not a valid state of the entered-only pipeline_flow.";
	else
		h->period = empty.period;
	return h;
}

static const FnStateIO history_state_io = {"pipeline_flow_history", history_io_encode, history_io_decode};

FN_STATE_IO_FUNCTIONS(pipeline_flow_history, history_state_io)
