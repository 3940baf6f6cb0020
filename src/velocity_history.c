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
 * group) and the final function sorts them by deal and time.
 */
#include "postgres.h"

#include "velocity.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "stage.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(velocity_history_trans);
PG_FUNCTION_INFO_V1(velocity_history_combine);
PG_FUNCTION_INFO_V1(velocity_history_serialize);
PG_FUNCTION_INFO_V1(velocity_history_deserialize);
PG_FUNCTION_INFO_V1(velocity_history_final);

/* 20 million entries: 480 MB of state, under the 1 GB allocation limit */
#define VEL_HISTORY_MAX_ROWS 20000000
#define VEL_HISTORY_FORMAT_VERSION 1

/* serialized sizes: version and count (and slack), then per entry deal, time and position */
#define VEL_HISTORY_SERIAL_HEADER 16
#define VEL_HISTORY_SERIAL_ENTRY (8 + 8 + 1)

/* entries a new state has room for */
#define VEL_HISTORY_FIRST_ROOM 256

typedef struct VelEntry
{
	int64		deal;
	TimestampTz at;
	int32		position;
} VelEntry;

typedef struct VelHistory
{
	int64		n;
	int64		cap;
	VelEntry   *entries;
	uint8		name_len[VEL_MAX_POSITION + 1];	/* per position: the smallest non-empty name */
	char	   *names[VEL_MAX_POSITION + 1];
} VelHistory;

static VelHistory *
history_new(MemoryContext context)
{
	VelHistory *h = MemoryContextAllocZero(context, sizeof(VelHistory));

	h->cap = VEL_HISTORY_FIRST_ROOM;
	h->entries = MemoryContextAlloc(context, h->cap * sizeof(VelEntry));
	return h;
}

/* Room for more entries; the array stays in its own memory context. */
static void
history_reserve(VelHistory *h, int64 more)
{
	int64		cap = h->cap;

	if (h->n + more <= cap)
		return;
	if (h->n + more > VEL_HISTORY_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many stage entries for one stage_velocity group"),
				 errdetail("The entered-only form of stage_velocity buffers at most %d entries per group.",
						   VEL_HISTORY_MAX_ROWS),
				 errhint("Group by a finer key, or give each visit its left_at and use stage_velocity(stage, entered_at, left_at).")));
	while (cap < h->n + more)
		cap *= 2;
	cap = Min(cap, VEL_HISTORY_MAX_ROWS);
	h->entries = repalloc(h->entries, cap * sizeof(VelEntry));
	h->cap = cap;
}

static void
history_name(VelHistory *h, MemoryContext context, int position, const char *name, int len)
{
	if (!fn_name_wins(name, len, h->names[position], h->name_len[position]))
		return;
	if (h->names[position] == NULL)
		h->names[position] = MemoryContextAlloc(context, STAGE_MAX_NAME);
	memcpy(h->names[position], name, len);
	h->name_len[position] = (uint8) len;
}

Datum
velocity_history_trans(PG_FUNCTION_ARGS)
{
	MemoryContext context = fn_aggregate_context(fcinfo, "velocity_history_trans");
	VelHistory *h = PG_ARGISNULL(0) ? NULL : (VelHistory *) PG_GETARG_POINTER(0);
	StageView	stage;
	VelEntry   *e;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (h == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(h);
	}
	if (h == NULL)
		h = history_new(context);
	PG_GETARG_STAGE_VIEW(2, &stage);
	history_reserve(h, 1);
	e = &h->entries[h->n];
	e->deal = PG_GETARG_INT64(1);
	e->at = PG_GETARG_TIMESTAMPTZ(3);
	e->position = stage.position;
	if (TIMESTAMP_NOT_FINITE(e->at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage visit times must be finite"),
				 errdetail("A visit entered at %s.", timestamptz_to_str(e->at))));
	h->n++;
	history_name(h, context, stage.position, stage.name, stage.name_len);
	PG_RETURN_POINTER(h);
}

Datum
velocity_history_combine(PG_FUNCTION_ARGS)
{
	MemoryContext context = fn_aggregate_context(fcinfo, "velocity_history_combine");
	VelHistory *a = PG_ARGISNULL(0) ? NULL : (VelHistory *) PG_GETARG_POINTER(0);
	VelHistory *b = PG_ARGISNULL(1) ? NULL : (VelHistory *) PG_GETARG_POINTER(1);
	int			p;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = history_new(context);
	history_reserve(a, b->n);
	memcpy(a->entries + a->n, b->entries, b->n * sizeof(VelEntry));
	a->n += b->n;
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
		history_name(a, context, p, b->names[p], b->name_len[p]);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: version byte, number of entries (int8), the entries (deal and
 * time as int8, position byte), then per named position its byte, the name
 * length byte and the name, ended by a zero byte.
 */
Datum
velocity_history_serialize(PG_FUNCTION_ARGS)
{
	VelHistory *h = (VelHistory *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;
	int			p;

	fn_aggregate_context(fcinfo, "velocity_history_serialize");
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, VEL_HISTORY_SERIAL_HEADER + h->n * VEL_HISTORY_SERIAL_ENTRY);
	pq_sendbyte(&buf, VEL_HISTORY_FORMAT_VERSION);
	pq_sendint64(&buf, h->n);
	for (i = 0; i < h->n; i++)
	{
		pq_sendint64(&buf, h->entries[i].deal);
		pq_sendint64(&buf, h->entries[i].at);
		pq_sendbyte(&buf, (uint8) h->entries[i].position);
	}
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
	{
		if (h->name_len[p] == 0)
			continue;
		pq_sendbyte(&buf, (uint8) p);
		pq_sendbyte(&buf, h->name_len[p]);
		pq_sendbytes(&buf, h->names[p], h->name_len[p]);
	}
	pq_sendbyte(&buf, 0);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
report_bad_state(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("stage_velocity partial state is corrupt")));
}

Datum
velocity_history_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext context = fn_aggregate_context(fcinfo, "velocity_history_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	VelHistory *h;
	int64		n;
	int64		i;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (pq_getmsgbyte(&buf) != VEL_HISTORY_FORMAT_VERSION)
		report_bad_state();
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > VEL_HISTORY_MAX_ROWS || n > (buf.len - buf.cursor) / 17)
		report_bad_state();
	h = history_new(context);
	history_reserve(h, n);
	for (i = 0; i < n; i++)
	{
		VelEntry   *e = &h->entries[i];

		e->deal = pq_getmsgint64(&buf);
		e->at = pq_getmsgint64(&buf);
		e->position = pq_getmsgbyte(&buf);
		if (e->position < STAGE_MIN_POSITION || TIMESTAMP_NOT_FINITE(e->at))
			report_bad_state();
	}
	h->n = n;
	for (;;)
	{
		int			p = pq_getmsgbyte(&buf);
		int			len;

		if (p == 0)
			break;
		len = pq_getmsgbyte(&buf);
		history_name(h, context, p, pq_getmsgbytes(&buf, len), len);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(h);
}

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
	VelHistory *h = PG_ARGISNULL(0) ? NULL : (VelHistory *) PG_GETARG_POINTER(0);
	VelWork    *work = NULL;
	VelData		data;
	int64		i;
	int			p;

	fn_aggregate_context(fcinfo, "velocity_history_final");
	if (h == NULL || h->n == 0)
		PG_RETURN_NULL();
	qsort(h->entries, h->n, sizeof(VelEntry), entry_cmp);
	for (i = 0; i < h->n; i++)
	{
		const VelEntry *e = &h->entries[i];
		bool		closed = (i + 1 < h->n && h->entries[i + 1].deal == e->deal);
		int64		duration = 0;

		FN_CHECK_FOR_INTERRUPTS_EVERY(i);
		if (closed && pg_sub_s64_overflow(h->entries[i + 1].at, e->at, &duration))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("stage visit duration is out of range"),
					 errdetail("A visit lasts at most 292,000 years.")));
		work = vel_work_add(work, e->position, NULL, 0, closed, duration);
	}
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
		if (h->name_len[p] > 0)
			vel_work_name(work, p, h->names[p], h->name_len[p]);
	vel_work_data(work, &data);
	PG_RETURN_POINTER(vel_encode(&data));
}
