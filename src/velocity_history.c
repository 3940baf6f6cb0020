/*
 * velocity_history.c
 *		stage_velocity(deal_id bigint, s stage, entered_at timestamptz): time
 *		in stage from histories that only record when a deal entered each
 *		stage (Odoo's tracking values, Salesforce's OpportunityHistory,
 *		Pipedrive's deal flow).
 *
 * A visit lasts until the same deal's next entry; the deal's last entry is
 * an open visit.  Entries of one deal at the same moment are ordered by
 * position, the first lasting zero.  The state buffers the entries (24
 * bytes each, so memory is linear in rows, at most VEL_HISTORY_MAX_ROWS per
 * group) and the final function sorts them by deal and time.  From 0.2 the
 * state is the value type stage_velocity_history (agg_state.h), so Citus
 * aggregates on its workers; the 0.1 entry points hold the same layout
 * under internal.
 */
#include "postgres.h"

#include "velocity.h"

#include "agg_state.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
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

/* 20 million entries: 480 MB of state, under the 1 GB allocation limit */
#define VEL_HISTORY_MAX_ROWS 20000000
#define VEL_HISTORY_FORMAT_VERSION 1

/* entries a new state has room for */
#define VEL_HISTORY_FIRST_ROOM 256

typedef struct VelEntry
{
	int64		deal;
	TimestampTz at;
	int32		position;
} VelEntry;

/* A stage name kept for a position: its length, then room for the longest. */
#define VEL_NAME_SLOT (1 + STAGE_MAX_NAME)

/*
 * The state: its name slots, one per position seen with a name, then the
 * entries.  A new slot moves the entries, at most once per position.
 */
typedef struct VelHistory
{
	int32		vl_len_;		/* varlena header: the allocated size */
	int32		nslots;
	int64		n;				/* entries */
	uint8		slot_of[VEL_MAX_POSITION + 1];	/* per position: its slot + 1, 0: none */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* nslots slots, then n entries */
} VelHistory;

#define VEL_HISTORY_SIZE(nslots, n) \
	(offsetof(VelHistory, data) + (Size) (nslots) * VEL_NAME_SLOT + (Size) (n) * sizeof(VelEntry))

StaticAssertDecl(offsetof(VelHistory, data) % 8 == 0 && VEL_NAME_SLOT % 8 == 0,
				 "the entries of a stage_velocity_history state are aligned");

static inline VelEntry *
history_entries(const VelHistory *h)
{
	return (VelEntry *) (h->data + (Size) h->nslots * VEL_NAME_SLOT);
}

static inline char *
history_slot(const VelHistory *h, int position)
{
	return h->slot_of[position] == 0 ? NULL :
		(char *) h->data + (Size) (h->slot_of[position] - 1) * VEL_NAME_SLOT;
}

static VelHistory *
history_new(FnStateKind kind, MemoryContext aggcontext, int64 room)
{
	return fn_state_new(VEL_HISTORY_SIZE(0, room), kind, aggcontext);
}

/* h with room for more entries and slots, perhaps moved. */
static VelHistory *
history_reserve(VelHistory *h, int64 more, int more_slots, FnStateHolder *holder)
{
	Size		used = VEL_HISTORY_SIZE(h->nslots, h->n);

	if (h->n + more > VEL_HISTORY_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many stage entries for one stage_velocity group"),
				 errdetail("The entered-only form of stage_velocity buffers at most %d entries per group.",
						   VEL_HISTORY_MAX_ROWS),
				 errhint("Group by a finer key, or give each visit its left_at and use stage_velocity(stage, entered_at, left_at).")));
	return fn_state_reserve(h, used, VEL_HISTORY_SIZE(h->nslots + more_slots, h->n + more),
							VEL_HISTORY_SIZE(VEL_MAX_POSITION, VEL_HISTORY_MAX_ROWS), holder);
}

/* Keep name for position if it wins over the one kept (fn_name_wins). */
static VelHistory *
history_name(VelHistory *h, int position, const char *name, int len, FnStateHolder *holder)
{
	char	   *slot = history_slot(h, position);

	if (!fn_name_wins(name, len, slot ? slot + 1 : NULL, slot ? (uint8) slot[0] : 0))
		return h;
	if (slot == NULL)
	{
		char	   *entries;

		h = history_reserve(h, 0, 1, holder);
		entries = (char *) history_entries(h);
		memmove(entries + VEL_NAME_SLOT, entries, h->n * sizeof(VelEntry));
		h->slot_of[position] = (uint8) ++h->nslots;
		slot = history_slot(h, position);
	}
	slot[0] = (char) (uint8) len;
	memcpy(slot + 1, name, len);
	return h;
}

static Datum
history_transition(FunctionCallInfo fcinfo, FnStateKind kind)
{
	FnStateHolder holder;
	VelHistory *h = fn_state_begin(fcinfo, kind, "velocity_history_trans", &holder);
	StageView	stage;
	VelEntry   *e;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (h == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, h);
	}
	if (h == NULL)
		h = history_new(kind, holder.aggcontext, VEL_HISTORY_FIRST_ROOM);
	PG_GETARG_STAGE_VIEW(2, &stage);
	if (TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(3)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage visit times must be finite"),
				 errdetail("A visit entered at %s.", timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(3)))));
	h = history_name(h, stage.position, stage.name, stage.name_len, &holder);
	h = history_reserve(h, 1, 0, &holder);
	e = &history_entries(h)[h->n++];
	e->deal = PG_GETARG_INT64(1);
	e->at = PG_GETARG_TIMESTAMPTZ(3);
	e->position = stage.position;
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
history_combine(FunctionCallInfo fcinfo, VelHistory *b, FnStateKind kind)
{
	FnStateHolder holder;
	VelHistory *a = fn_state_begin(fcinfo, kind, "velocity_history_combine", &holder);
	int			p;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, a);
	}
	if (a == NULL)
	{
		if (kind == FN_STATE_VALUE)
			PG_RETURN_POINTER(b);
		a = history_new(kind, holder.aggcontext, b->n);
	}
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
	{
		const char *slot = history_slot(b, p);

		if (slot != NULL)
			a = history_name(a, p, slot + 1, (uint8) slot[0], &holder);
	}
	a = history_reserve(a, b->n, 0, &holder);
	memcpy(history_entries(a) + a->n, history_entries(b), b->n * sizeof(VelEntry));
	a->n += b->n;
	return fn_state_result(&holder, a);
}

Datum
stage_velocity_history_combine(PG_FUNCTION_ARGS)
{
	return history_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						   (VelHistory *) fn_state_value(PG_GETARG_DATUM(1)), FN_STATE_VALUE);
}

Datum
velocity_history_combine(PG_FUNCTION_ARGS)
{
	return history_combine(fcinfo, PG_ARGISNULL(1) ? NULL :
						   (VelHistory *) PG_GETARG_POINTER(1), FN_STATE_INTERNAL);
}

/*
 * The byte form: version byte, number of entries (int8), the entries (deal
 * and time as int8, position byte), then per named position its byte, the
 * name length byte and the name, ended by a zero byte.
 */
static void
history_encode(const VelHistory *h, StringInfo buf)
{
	const VelEntry *entries = history_entries(h);
	int64		i;
	int			p;

	enlargeStringInfo(buf, 1 + 8 + h->n * 17 + h->nslots * (2 + STAGE_MAX_NAME) + 1);
	pq_sendbyte(buf, VEL_HISTORY_FORMAT_VERSION);
	pq_sendint64(buf, h->n);
	for (i = 0; i < h->n; i++)
	{
		pq_sendint64(buf, entries[i].deal);
		pq_sendint64(buf, entries[i].at);
		pq_sendbyte(buf, (uint8) entries[i].position);
	}
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
	{
		const char *slot = history_slot(h, p);

		if (slot == NULL)
			continue;
		pq_sendbyte(buf, (uint8) p);
		pq_sendbyte(buf, (uint8) slot[0]);
		pq_sendbytes(buf, slot + 1, (uint8) slot[0]);
	}
	pq_sendbyte(buf, 0);
}

/* The names after the entries of a byte form, into h; false if they are not valid. */
static bool
history_decode_names(FnReader *r, VelHistory **h, FnStateHolder *holder)
{
	for (;;)
	{
		int			p = (int) fn_read_uint(r, 1);
		int			len;
		const char *name;

		if (!r->ok)
			return false;
		if (p == 0)
			return fn_reader_left(r) == 0;
		len = (int) fn_read_uint(r, 1);
		name = fn_read_bytes(r, len);
		if (name == NULL || p < STAGE_MIN_POSITION || len == 0 || len > STAGE_MAX_NAME ||
			!pg_verifymbstr(name, len, true))
			return false;
		*h = history_name(*h, p, name, len, holder);
	}
}

/* A state from its byte form; NULL if the bytes are not a valid state. */
static VelHistory *
history_decode(const char *data, size_t len, FnStateKind kind, MemoryContext aggcontext)
{
	FnReader	r;
	FnStateHolder holder = {kind, aggcontext, NULL};
	VelHistory *h;
	VelEntry   *e;
	int64		n;
	int64		i;

	fn_reader_init(&r, data, len);
	if (fn_read_uint(&r, 1) != VEL_HISTORY_FORMAT_VERSION)
		return NULL;
	n = (int64) fn_read_uint(&r, 8);
	if (!r.ok || n < 0 || n > VEL_HISTORY_MAX_ROWS || n > (int64) fn_reader_left(&r) / 17)
		return NULL;
	h = history_new(kind, aggcontext, n);
	e = history_entries(h);
	for (i = 0; i < n; i++)
	{
		e[i].deal = (int64) fn_read_uint(&r, 8);
		e[i].at = (TimestampTz) fn_read_uint(&r, 8);
		e[i].position = (int32) fn_read_uint(&r, 1);
		if (e[i].position < STAGE_MIN_POSITION || TIMESTAMP_NOT_FINITE(e[i].at))
			return NULL;
	}
	h->n = n;
	if (!history_decode_names(&r, &h, &holder))
		return NULL;
	return h;
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
	history_encode((VelHistory *) PG_GETARG_POINTER(0), &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
velocity_history_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = fn_aggregate_context(fcinfo, "velocity_history_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	VelHistory *h;

	h = history_decode(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), FN_STATE_INTERNAL, context);
	if (h == NULL)
		report_bad_state();
	PG_RETURN_POINTER(h);
}

static void
history_io_encode(const void *state, StringInfo buf)
{
	history_encode((const VelHistory *) state, buf);
}

static void *
history_io_decode(const char *data, size_t len, const char **detail)
{
	VelHistory *h = history_decode(data, len, FN_STATE_VALUE, NULL);

	if (h == NULL)
		*detail = "The bytes are not a valid state of the entered-only stage_velocity.";
	return h;
}

static const FnStateIO history_state_io = {VEL_HISTORY_TYPE, history_io_encode, history_io_decode};

FN_STATE_IO_FUNCTIONS(stage_velocity_history, history_state_io)

static int
entry_cmp(const void *a, const void *b)
{
	const VelEntry *x = a;
	const VelEntry *y = b;

	/* sorting millions of entries takes seconds: answer cancel meanwhile */
	CHECK_FOR_INTERRUPTS();
	if (x->deal != y->deal)
		return x->deal < y->deal ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->position > y->position) - (x->position < y->position);
}

/*
 * Sort by deal and time, and record each entry as a visit lasting until
 * the deal's next entry.  Sorting reorders the state without changing what
 * it holds, so the final function may run again and the state go on.
 */
Datum
velocity_history_final(PG_FUNCTION_ARGS)
{
	VelHistory *h = PG_ARGISNULL(0) ? NULL : (VelHistory *) fn_state_value(PG_GETARG_DATUM(0));
	VelEntry   *entries;
	VelWork    *work = NULL;
	VelData		data;
	int64		i;
	int			p;

	fn_aggregate_context(fcinfo, "velocity_history_final");
	if (h == NULL || h->n == 0)
		PG_RETURN_NULL();
	entries = history_entries(h);
	qsort(entries, h->n, sizeof(VelEntry), entry_cmp);
	for (i = 0; i < h->n; i++)
	{
		const VelEntry *e = &entries[i];
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
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
	{
		const char *slot = history_slot(h, p);

		if (slot != NULL)
			vel_work_name(work, p, slot + 1, (uint8) slot[0]);
	}
	vel_work_data(work, &data);
	PG_RETURN_POINTER(vel_encode(&data));
}
