/*
 * chain_agg.c
 *		contact_chain_agg(kind text, at timestamptz): the chain of a group's
 *		contacts in time order.
 *
 * The state collects contacts in arrival order and the final function sorts
 * them by (at, kind bytes), so the result does not depend on the input
 * order or on how parallel workers split the rows.  The state is internal:
 * the aggregate is meant to be grouped by deal, which keeps each group
 * small and, under Citus, on one worker.
 */
#include "postgres.h"

#include "chain.h"

#include "lib/stringinfo.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(contact_chain_agg_transfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_combinefn);
PG_FUNCTION_INFO_V1(contact_chain_agg_serialfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_deserialfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_finalfn);

/* Each entry: [at: sizeof(TimestampTz), native order][length: 1 byte][kind]. */
#define ENTRY_HEADER_BYTES (sizeof(TimestampTz) + 1)

typedef struct ChainAggState
{
	uint32		count;
	StringInfoData entries;		/* in arrival order; at most CHAIN_MAX_KINDS */
} ChainAggState;

typedef struct ChainContact
{
	TimestampTz at;
	const char *kind;
	size_t		len;
} ChainContact;

/*
 * A state in context.  The buffer starts small, not at initStringInfo's
 * 1 kB: a hash aggregate may hold one state per deal.
 */
static ChainAggState *
state_new(MemoryContext context, Size capacity)
{
	ChainAggState *state = MemoryContextAlloc(context, sizeof(ChainAggState));

	capacity = Max(capacity, 64);
	state->count = 0;
	state->entries.data = MemoryContextAlloc(context, capacity);
	state->entries.data[0] = '\0';
	state->entries.len = 0;
	state->entries.maxlen = (int) capacity;
	state->entries.cursor = 0;
	return state;
}

static void
check_room(const ChainAggState *state, uint32 more)
{
	FnError		err;

	if (state->count + more > CHAIN_MAX_KINDS)
	{
		fn_fail(&err, FN_TOO_BIG, CHAIN_KINDS_LIMIT);
		chain_report_error(&err, NULL, 0);
	}
}

/* NULL kind or NULL at: the row is skipped. */
Datum
contact_chain_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ChainAggState *state = PG_ARGISNULL(0) ? NULL : (ChainAggState *) PG_GETARG_POINTER(0);
	text	   *kind;
	TimestampTz at;
	size_t		len;
	uint8		len_byte;
	FnError		err;

	aggcontext = fn_aggregate_context(fcinfo, "contact_chain_agg_transfn");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	kind = PG_GETARG_TEXT_PP(1);
	at = PG_GETARG_TIMESTAMPTZ(2);
	len = VARSIZE_ANY_EXHDR(kind);
	if (chain_check_kind(VARDATA_ANY(kind), len, &err) != FN_OK)
		chain_report_error(&err, VARDATA_ANY(kind), len);
	if (state == NULL)
		state = state_new(aggcontext, 0);
	check_room(state, 1);
	len_byte = (uint8) len;
	appendBinaryStringInfo(&state->entries, (const char *) &at, sizeof(at));
	appendBinaryStringInfo(&state->entries, (const char *) &len_byte, 1);
	appendBinaryStringInfo(&state->entries, VARDATA_ANY(kind), len);
	state->count++;
	PG_RETURN_POINTER(state);
}

/* Appends state2's contacts to state1; state2 may live in a shorter-lived context. */
Datum
contact_chain_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ChainAggState *state1 = PG_ARGISNULL(0) ? NULL : (ChainAggState *) PG_GETARG_POINTER(0);
	ChainAggState *state2 = PG_ARGISNULL(1) ? NULL : (ChainAggState *) PG_GETARG_POINTER(1);

	aggcontext = fn_aggregate_context(fcinfo, "contact_chain_agg_combinefn");
	if (state2 == NULL)
	{
		if (state1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state1);
	}
	if (state1 == NULL)
		state1 = state_new(aggcontext, state2->entries.len + 1);
	check_room(state1, state2->count);
	appendBinaryStringInfo(&state1->entries, state2->entries.data, state2->entries.len);
	state1->count += state2->count;
	PG_RETURN_POINTER(state1);
}

/* bytea: [count: uint32, native order][entries] (workers share the machine) */
Datum
contact_chain_agg_serialfn(PG_FUNCTION_ARGS)
{
	ChainAggState *state = (ChainAggState *) PG_GETARG_POINTER(0);
	Size		size = VARHDRSZ + sizeof(uint32) + state->entries.len;
	bytea	   *result;

	fn_aggregate_context(fcinfo, "contact_chain_agg_serialfn");
	result = palloc(size);
	SET_VARSIZE(result, size);
	memcpy(VARDATA(result), &state->count, sizeof(uint32));
	memcpy(VARDATA(result) + sizeof(uint32), state->entries.data, state->entries.len);
	PG_RETURN_BYTEA_P(result);
}

Datum
contact_chain_agg_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(data);
	const char *end = p + VARSIZE_ANY_EXHDR(data);
	const char *entries;
	ChainAggState *state;
	uint32		count;
	uint32		i;

	fn_aggregate_context(fcinfo, "contact_chain_agg_deserialfn");
	if (end - p < (ptrdiff_t) sizeof(uint32))
		goto corrupt;
	memcpy(&count, p, sizeof(uint32));
	p += sizeof(uint32);
	if (count > CHAIN_MAX_KINDS)
		goto corrupt;
	entries = p;
	for (i = 0; i < count; i++)
	{
		uint8		len;

		if (end - p < (ptrdiff_t) ENTRY_HEADER_BYTES)
			goto corrupt;
		len = (uint8) p[sizeof(TimestampTz)];
		if (len == 0 || end - p - (ptrdiff_t) ENTRY_HEADER_BYTES < len)
			goto corrupt;
		p += ENTRY_HEADER_BYTES + len;
	}
	if (p != end)
		goto corrupt;
	state = state_new(CurrentMemoryContext, end - entries + 1);
	appendBinaryStringInfo(&state->entries, entries, end - entries);
	state->count = count;
	PG_RETURN_POINTER(state);

corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("serialized contact_chain_agg state is corrupt")));
}

static int
contact_cmp(const void *a, const void *b)
{
	const ChainContact *x = (const ChainContact *) a;
	const ChainContact *y = (const ChainContact *) b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return chain_kind_cmp(x->kind, x->len, y->kind, y->len);
}

/*
 * Sort a copy of the contact list, so the state stays as it was (the
 * aggregate may be finalized more than once, e.g. as a window function).
 */
Datum
contact_chain_agg_finalfn(PG_FUNCTION_ARGS)
{
	ChainAggState *state;
	ChainContact *contacts;
	const char *p;
	uint32		i;
	FnBuf		buf;
	ChainWriter w;

	fn_aggregate_context(fcinfo, "contact_chain_agg_finalfn");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (ChainAggState *) PG_GETARG_POINTER(0);
	contacts = palloc(sizeof(ChainContact) * Max(state->count, 1));
	p = state->entries.data;
	for (i = 0; i < state->count; i++)
	{
		memcpy(&contacts[i].at, p, sizeof(TimestampTz));
		contacts[i].len = (uint8) p[sizeof(TimestampTz)];
		contacts[i].kind = p + ENTRY_HEADER_BYTES;
		p += ENTRY_HEADER_BYTES + contacts[i].len;
	}
	qsort(contacts, state->count, sizeof(ChainContact), contact_cmp);

	chain_build_begin(&buf, &w, state->entries.len);
	for (i = 0; i < state->count; i++)
		chain_add_kind(&w, contacts[i].kind, contacts[i].len);
	pfree(contacts);
	PG_RETURN_POINTER(chain_build_finish(&buf, &w));
}
