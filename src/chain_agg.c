/*
 * chain_agg.c
 *		contact_chain_agg(kind text, at timestamptz): the chain of a group's
 *		contacts in time order, and its state type contact_chain_agg_state.
 *
 * The state collects contacts in arrival order and the final function sorts
 * them by (at, kind bytes), so the result does not depend on the input
 * order or on how parallel workers or Citus nodes split the rows.  From 0.2
 * the state is a value (agg_state.h), so Citus aggregates on its workers;
 * the 0.1 entry points hold the same layout under internal.
 */
#include "postgres.h"

#include "agg_state.h"
#include "chain.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(contact_chain_agg_transfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_combinefn);
PG_FUNCTION_INFO_V1(contact_chain_agg_serialfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_deserialfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_finalfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_transfn);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_combinefn);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_in);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_out);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_recv);
PG_FUNCTION_INFO_V1(contact_chain_agg_state_send);

#define CHAIN_STATE_TYPE "contact_chain_agg_state"
#define CHAIN_STATE_FORMAT_VERSION 1

/* Each entry: [at: sizeof(TimestampTz), native order][length: 1 byte][kind]. */
#define ENTRY_HEADER_BYTES (sizeof(TimestampTz) + 1)

typedef struct ChainAggState
{
	int32		vl_len_;		/* varlena header: the allocated size */
	uint32		count;
	uint32		used;			/* bytes of entries in use */
	char		entries[FLEXIBLE_ARRAY_MEMBER];	/* in arrival order */
} ChainAggState;

#define CHAIN_STATE_SIZE(bytes) (offsetof(ChainAggState, entries) + (bytes))

typedef struct ChainContact
{
	TimestampTz at;
	const char *kind;
	size_t		len;
} ChainContact;

/* A state with room for bytes of entries: small, as a hash aggregate may hold one per deal. */
static ChainAggState *
state_new(FnStateKind kind, MemoryContext aggcontext, Size bytes)
{
	return fn_state_new(CHAIN_STATE_SIZE(Max(bytes, 64)), kind, aggcontext);
}

/* state with room for more contacts of bytes in all, perhaps moved. */
static ChainAggState *
state_reserve(ChainAggState *state, uint32 more, Size bytes, FnStateHolder *holder)
{
	FnError		err;

	if (state->count + more > CHAIN_MAX_KINDS)
	{
		fn_fail(&err, FN_TOO_BIG, CHAIN_KINDS_LIMIT);
		chain_report_error(&err, NULL, 0);
	}
	return fn_state_reserve(state, CHAIN_STATE_SIZE(state->used),
							CHAIN_STATE_SIZE(state->used + bytes),
							CHAIN_STATE_SIZE(CHAIN_MAX_KINDS * (ENTRY_HEADER_BYTES + CHAIN_MAX_KIND)),
							holder);
}

/* NULL kind or NULL at: the row is skipped. */
static Datum
chain_transition(FunctionCallInfo fcinfo, FnStateKind kind)
{
	FnStateHolder holder;
	ChainAggState *state = fn_state_begin(fcinfo, kind, "contact_chain_agg_transfn", &holder);
	text	   *kind_text;
	TimestampTz at;
	size_t		len;
	char	   *entry;
	FnError		err;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, state);
	}
	kind_text = PG_GETARG_TEXT_PP(1);
	at = PG_GETARG_TIMESTAMPTZ(2);
	len = VARSIZE_ANY_EXHDR(kind_text);
	if (chain_check_kind(VARDATA_ANY(kind_text), len, &err) != FN_OK)
		chain_report_error(&err, VARDATA_ANY(kind_text), len);
	if (state == NULL)
		state = state_new(kind, holder.aggcontext, 0);
	state = state_reserve(state, 1, ENTRY_HEADER_BYTES + len, &holder);
	entry = state->entries + state->used;
	memcpy(entry, &at, sizeof(at));
	entry[sizeof(at)] = (char) (uint8) len;
	memcpy(entry + ENTRY_HEADER_BYTES, VARDATA_ANY(kind_text), len);
	state->used += ENTRY_HEADER_BYTES + len;
	state->count++;
	return fn_state_result(&holder, state);
}

Datum
contact_chain_agg_state_transfn(PG_FUNCTION_ARGS)
{
	return chain_transition(fcinfo, FN_STATE_VALUE);
}

/* 0.1's internal state, which a database not yet updated still uses */
Datum
contact_chain_agg_transfn(PG_FUNCTION_ARGS)
{
	return chain_transition(fcinfo, FN_STATE_INTERNAL);
}

/*
 * Appends state2's contacts to state1.  state2 is never changed: as a
 * group's first state, the value form returns it, which the executor
 * copies into the aggregate context.
 */
static Datum
chain_combine(FunctionCallInfo fcinfo, ChainAggState *state2, FnStateKind kind)
{
	FnStateHolder holder;
	ChainAggState *state1 = fn_state_begin(fcinfo, kind, "contact_chain_agg_combinefn", &holder);
	Datum		result;

	/* 0.1's internal state is never shared: a group's first state is a copy */
	if ((kind == FN_STATE_VALUE || state2 == NULL) &&
		fn_combine_one_side(fcinfo, &holder, state1, state2, &result))
		return result;
	if (state1 == NULL)
		state1 = state_new(kind, holder.aggcontext, state2->used);
	state1 = state_reserve(state1, state2->count, state2->used, &holder);
	memcpy(state1->entries + state1->used, state2->entries, state2->used);
	state1->used += state2->used;
	state1->count += state2->count;
	return fn_state_result(&holder, state1);
}

Datum
contact_chain_agg_state_combinefn(PG_FUNCTION_ARGS)
{
	return chain_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						 (ChainAggState *) fn_state_value(PG_GETARG_DATUM(1)),
						 FN_STATE_VALUE);
}

Datum
contact_chain_agg_combinefn(PG_FUNCTION_ARGS)
{
	return chain_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						 (ChainAggState *) PG_GETARG_POINTER(1), FN_STATE_INTERNAL);
}

/* The byte form: version, count, then per contact its time, kind length and kind. */
static void
chain_state_encode(const ChainAggState *state, StringInfo buf)
{
	const char *p = state->entries;
	uint32		i;

	enlargeStringInfo(buf, 1 + 4 + state->used);
	pq_sendbyte(buf, CHAIN_STATE_FORMAT_VERSION);
	pq_sendint32(buf, state->count);
	for (i = 0; i < state->count; i++)
	{
		TimestampTz at;
		uint8		len = (uint8) p[sizeof(TimestampTz)];

		memcpy(&at, p, sizeof(at));
		pq_sendint64(buf, at);
		pq_sendbyte(buf, len);
		pq_sendbytes(buf, p + ENTRY_HEADER_BYTES, len);
		p += ENTRY_HEADER_BYTES + len;
	}
}

/* A state from its byte form; NULL, with *detail set, if it is not a valid one. */
static ChainAggState *
chain_state_decode(const char *data, size_t len, FnStateKind kind, MemoryContext aggcontext,
				   const char **detail)
{
	FnReader	r;
	ChainAggState *state;
	uint32		count;
	uint32		i;
	FnError		err;

	if (!fn_reader_start(&r, data, len, CHAIN_STATE_FORMAT_VERSION))
	{
		*detail = "The state format version is not supported.";
		return NULL;
	}
	count = (uint32) fn_read_uint(&r, 4);
	if (!r.ok || count > CHAIN_MAX_KINDS)
	{
		*detail = "The state header is inconsistent.";
		return NULL;
	}
	/* each contact takes 9 bytes and its kind here, as much in the state */
	state = state_new(kind, aggcontext, fn_reader_left(&r));
	for (i = 0; i < count; i++)
	{
		TimestampTz at = (TimestampTz) fn_read_uint(&r, 8);
		uint8		kind_len = (uint8) fn_read_uint(&r, 1);
		const char *kind_bytes = fn_read_bytes(&r, kind_len);
		char	   *entry = state->entries + state->used;

		if (kind_bytes == NULL || chain_check_kind(kind_bytes, kind_len, &err) != FN_OK ||
			!pg_verifymbstr(kind_bytes, kind_len, true))
		{
			*detail = "A contact of the state is not a valid contact kind.";
			return NULL;
		}
		if (!fn_timestamptz_ok(at))
		{
			*detail = "A contact of the state has a time out of range for timestamptz.";
			return NULL;
		}
		memcpy(entry, &at, sizeof(at));
		entry[sizeof(at)] = (char) kind_len;
		memcpy(entry + ENTRY_HEADER_BYTES, kind_bytes, kind_len);
		state->used += ENTRY_HEADER_BYTES + kind_len;
	}
	if (fn_reader_left(&r) != 0)
	{
		*detail = "The state has bytes after its last contact.";
		return NULL;
	}
	state->count = count;
	return state;
}

/* 0.1: the internal state between parallel workers, in its byte form */
Datum
contact_chain_agg_serialfn(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	fn_aggregate_context(fcinfo, "contact_chain_agg_serialfn");
	pq_begintypsend(&buf);
	chain_state_encode((ChainAggState *) PG_GETARG_POINTER(0), &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
contact_chain_agg_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcontext = fn_aggregate_context(fcinfo, "contact_chain_agg_deserialfn");
	const char *detail;
	ChainAggState *state;

	state = chain_state_decode(VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), FN_STATE_INTERNAL,
							   aggcontext, &detail);
	if (state == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("serialized contact_chain_agg state is corrupt"),
				 errdetail("%s", detail)));
	PG_RETURN_POINTER(state);
}

static void
chain_io_encode(const void *state, StringInfo buf)
{
	chain_state_encode((const ChainAggState *) state, buf);
}

static void *
chain_io_decode(const char *data, size_t len, const char **detail)
{
	return chain_state_decode(data, len, FN_STATE_VALUE, NULL, detail);
}

static const FnStateIO chain_state_io = {CHAIN_STATE_TYPE, chain_io_encode, chain_io_decode};

FN_STATE_IO_FUNCTIONS(contact_chain_agg_state, chain_state_io)

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
	state = (ChainAggState *) fn_state_value(PG_GETARG_DATUM(0));
	contacts = palloc(sizeof(ChainContact) * Max(state->count, 1));
	p = state->entries;
	for (i = 0; i < state->count; i++)
	{
		memcpy(&contacts[i].at, p, sizeof(TimestampTz));
		contacts[i].len = (uint8) p[sizeof(TimestampTz)];
		contacts[i].kind = p + ENTRY_HEADER_BYTES;
		p += ENTRY_HEADER_BYTES + contacts[i].len;
	}
	qsort(contacts, state->count, sizeof(ChainContact), contact_cmp);

	chain_build_begin(&buf, &w, state->used);
	for (i = 0; i < state->count; i++)
		chain_add_kind(&w, contacts[i].kind, contacts[i].len);
	pfree(contacts);
	PG_RETURN_POINTER(chain_build_finish(&buf, &w));
}
