/*
 * velocity.c
 *		fmgr glue of the velocity type: I/O, the working form, the
 *		stage_velocity aggregates and merging.
 */
#include "velocity.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "textbuf.h"
#include "velocity_text.h"

PG_FUNCTION_INFO_V1(velocity_in);
PG_FUNCTION_INFO_V1(velocity_out);
PG_FUNCTION_INFO_V1(velocity_recv);
PG_FUNCTION_INFO_V1(velocity_send);
PG_FUNCTION_INFO_V1(velocity_trans);
PG_FUNCTION_INFO_V1(velocity_merge);
PG_FUNCTION_INFO_V1(velocity_final);

/* ---- the working form ---- */

/*
 * A capacity of at least need for one part of a value of size bytes, in
 * units of unit bytes.  The part grows by at least the whole value, so
 * that every growth doubles the value: with one growth of the small part
 * (records, or a pool still small) copying the big one, growing parts by
 * their own size alone would not amortize.
 */
static int
grown_cap(int cap, int need, Size size, Size unit, int limit)
{
	Size		grown = (Size) cap + Max((Size) cap, size / unit);

	if (need <= cap)
		return cap;
	return (int) Min(Max((Size) need, grown), (Size) limit);
}

/*
 * A copy of old (NULL: empty) in the current memory context with room for
 * at least stages stage records and pages pool pages.  Only the parts in
 * use are copied; the spare room is zeroed, which a newly taken page relies
 * on and which keeps the bytes of a state deterministic.
 */
static VelWork *
work_grow(const VelWork *old, int stages, int pages)
{
	Size		old_size = old != NULL ? VARSIZE(old) : 0;
	int			stage_cap = old != NULL ?
		grown_cap(old->stage_cap, stages, old_size, VEL_WORK_RECORD, 255) : stages;
	int			page_cap = old != NULL ?
		grown_cap(old->page_cap, pages, old_size, VEL_WORK_PAGE_SIZE, VEL_POOL_MAX) : pages;
	int			nstages = old != NULL ? old->nstages : 0;
	int			npages = old != NULL ? old->npages : 0;
	Size		size = VEL_WORK_SIZE(stage_cap, page_cap);
	VelWork    *work = palloc(size);
	char	   *records = (char *) work + VEL_WORK_HEADER;
	char	   *pool = (char *) work + VEL_WORK_POOL(stage_cap);

	if (old != NULL)
	{
		memcpy(work, old, sizeof(VelWork));
		memcpy(records, (const char *) old + VEL_WORK_HEADER, (Size) nstages * VEL_WORK_RECORD);
		memcpy(pool, (const char *) old + VEL_WORK_POOL(old->stage_cap),
			   (Size) npages * VEL_WORK_PAGE_SIZE);
	}
	else
	{
		memset(work, 0, sizeof(VelWork));
		work->version = VEL_FORMAT_VERSION;
		work->form = VEL_FORM_WORKING;
	}
	/* the padding after the header, and the spare records and pages */
	memset((char *) work + sizeof(VelWork), 0, VEL_WORK_HEADER - sizeof(VelWork));
	memset(records + (Size) nstages * VEL_WORK_RECORD, 0, (Size) (stage_cap - nstages) * VEL_WORK_RECORD);
	memset(pool + (Size) npages * VEL_WORK_PAGE_SIZE, 0, (Size) (page_cap - npages) * VEL_WORK_PAGE_SIZE);
	SET_VARSIZE(work, size);
	work->stage_cap = (uint16) stage_cap;
	work->page_cap = (uint32) page_cap;
	return work;
}

/*
 * work (NULL: a new one) with room for stages more stage records and pages
 * more pool pages, grown in the current memory context if need be (the
 * caller's value is then untouched).
 */
static VelWork *
work_reserve(VelWork *work, int stages, int pages)
{
	if (work == NULL)
		return work_grow(NULL, stages, pages);
	if (work->nstages + stages > work->stage_cap || work->npages + pages > work->page_cap)
		return work_grow(work, work->nstages + stages, work->npages + pages);
	return work;
}

/* A new, empty stage at position; work has room for its record. */
static VelWorkStage *
work_new_stage(VelWork *work, int position)
{
	VelWorkStage *st;

	Assert(work->nstages < work->stage_cap && work->record_of[position] == 0);
	work->record_of[position] = (uint8) ++work->nstages;
	st = vel_work_stage(work, position);
	memset(st, 0, sizeof(VelWorkStage));
	st->position = (uint8) position;
	return st;
}

/*
 * The counters of the page of st that holds bucket, taken from the pool if
 * it has none yet; work has room for it.  Spare pool pages are zero.
 */
static inline int64 *
work_counters(VelWork *work, VelWorkStage *st, int bucket)
{
	int			slot = st->page_of[bucket >> VEL_PAGE_BITS];

	if (slot == 0)
	{
		Assert(work->npages < work->page_cap);
		slot = (int) ++work->npages;
		st->npages++;
		st->page_of[bucket >> VEL_PAGE_BITS] = (uint16) slot;
	}
	return vel_work_page(work, slot);
}

/* bytewise-smallest non-empty name wins, so merges do not depend on order */
static inline bool
name_replaces(const char *name, int len, const VelWorkStage *st)
{
	int			r;

	if (len == 0)
		return false;
	if (st->name_len == 0)
		return true;
	r = memcmp(name, st->name, Min(len, (int) st->name_len));
	return r < 0 || (r == 0 && len < st->name_len);
}

void
vel_work_name(VelWork *work, int position, const char *name, int name_len)
{
	VelWorkStage *st = vel_work_stage(work, position);

	if (name_replaces(name, name_len, st))
	{
		memcpy(st->name, name, name_len);
		st->name_len = (uint8) name_len;
	}
}

static void
report_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("velocity visit count is out of range"),
			 errdetail("A stage counts at most 9223372036854775807 visits.")));
}

VelWork *
vel_work_add(VelWork *work, int position, const char *name, int name_len,
			 bool closed, int64 duration)
{
	bool		new_stage = (work == NULL || work->record_of[position] == 0);
	int			bucket = closed ? vel_bucket(duration) : 0;
	bool		new_page;
	VelWorkStage *st;

	new_page = closed &&
		(new_stage || vel_work_stage(work, position)->page_of[bucket >> VEL_PAGE_BITS] == 0);
	work = work_reserve(work, new_stage ? 1 : 0, new_page ? 1 : 0);
	st = new_stage ? work_new_stage(work, position) : vel_work_stage(work, position);
	vel_work_name(work, position, name, name_len);
	if (st->exits >= PG_INT64_MAX - st->open)
		report_count_overflow();
	if (!closed)
	{
		st->open++;
		return work;
	}
	work_counters(work, st, bucket)[bucket & (VEL_PAGE - 1)]++;
	if (st->exits == 0 || duration < st->min)
		st->min = duration;
	if (st->exits == 0 || duration > st->max)
		st->max = duration;
	st->exits++;
	vel_u128_add64(&st->sum, (uint64) duration);
	return work;
}

/* Stage records and pool pages that merging data into work (NULL: none) adds. */
static void
merge_needs(const VelWork *work, const VelData *data, int *stages, int *pages)
{
	int			s;

	*stages = 0;
	*pages = 0;
	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *src = &data->stages[s];
		const VelWorkStage *st = NULL;
		int			last_page = -1;
		int			i;

		if (work != NULL && work->record_of[src->position] != 0)
			st = vel_work_stage(work, src->position);
		else
			(*stages)++;
		/* buckets ascend, so pages do: each is counted once */
		for (i = 0; i < src->nbuckets; i++)
		{
			int			page = src->bucket[i] >> VEL_PAGE_BITS;

			if (page != last_page && (st == NULL || st->page_of[page] == 0))
				(*pages)++;
			last_page = page;
		}
	}
}

VelWork *
vel_work_merge(VelWork *work, const VelData *data)
{
	int			stages;
	int			pages;
	int			s;

	/*
	 * Room for every stage first, so that the value grows at most once; the
	 * empty velocity 'v1' merged into nothing is an empty state, not NULL.
	 */
	merge_needs(work, data, &stages, &pages);
	work = work_reserve(work, stages, pages);
	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *src = &data->stages[s];
		VelWorkStage *st;
		int			i;

		st = work->record_of[src->position] == 0 ? work_new_stage(work, src->position) :
			vel_work_stage(work, src->position);
		vel_work_name(work, src->position, src->name, (int) src->name_len);
		if (pg_add_s64_overflow(st->exits, src->exits, &st->exits) ||
			pg_add_s64_overflow(st->open, src->open, &st->open) ||
			st->exits > PG_INT64_MAX - st->open ||
			!vel_u128_add(&st->sum, src->sum))
			report_count_overflow();
		if (src->exits == 0)
			continue;
		if (st->exits == src->exits || src->min < st->min)
			st->min = src->min;
		if (st->exits == src->exits || src->max > st->max)
			st->max = src->max;
		for (i = 0; i < src->nbuckets; i++)
			work_counters(work, st, src->bucket[i])[src->bucket[i] & (VEL_PAGE - 1)] += src->count[i];
	}
	return work;
}

/* Non-empty buckets of a stage; with out arrays, also their numbers and counts. */
static int
stage_buckets(const VelWork *work, const VelWorkStage *st, uint16_t *bucket, int64_t *count)
{
	int			n = 0;
	int			page;
	int			i;

	for (page = 0; page < VEL_NPAGES; page++)
	{
		const int64 *counts;

		if (st->page_of[page] == 0)
			continue;
		counts = vel_work_page(work, st->page_of[page]);
		for (i = 0; i < VEL_PAGE; i++)
		{
			if (counts[i] == 0)
				continue;
			if (bucket != NULL)
			{
				bucket[n] = (uint16_t) (page * VEL_PAGE + i);
				count[n] = counts[i];
			}
			n++;
		}
	}
	return n;
}

void
vel_work_data(const VelWork *work, VelData *out)
{
	int			p;

	out->nstages = 0;
	out->stages = palloc(Max(work->nstages, 1) * sizeof(VelStageData));
	for (p = 1; p <= 255; p++)
	{
		const VelWorkStage *st;
		VelStageData *dst;
		int			n;

		if (work->record_of[p] == 0)
			continue;
		st = vel_work_stage(work, p);
		dst = &out->stages[out->nstages++];
		dst->position = p;
		dst->name = st->name;
		dst->name_len = st->name_len;
		dst->exits = st->exits;
		dst->open = st->open;
		dst->sum = st->sum;
		dst->min = st->min;
		dst->max = st->max;
		n = stage_buckets(work, st, NULL, NULL);
		dst->nbuckets = n;
		dst->bucket = palloc(Max(n, 1) * sizeof(uint16_t));
		dst->count = palloc(Max(n, 1) * sizeof(int64_t));
		stage_buckets(work, st, dst->bucket, dst->count);
	}
}

/* ---- reading and writing values ---- */

static void
report_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("velocity value is corrupt"),
			 errdetail("%s", detail),
			 errhint("The value was written by a newer release of funnel, or is damaged.")));
}

/*
 * The page directory of a stage of a working form that did not come from
 * our own state: every entry names a pool page in use that no other entry
 * of any stage names (used marks them), and the stage's count is right.
 */
static void
work_check_pages(const VelWork *work, const VelWorkStage *st, bool *used)
{
	int			n = 0;
	int			page;

	for (page = 0; page < VEL_NPAGES; page++)
	{
		int			slot = st->page_of[page];

		if (slot == 0)
			continue;
		if (slot > work->npages || used[slot])
			report_corrupt("A stage's page directory is malformed.");
		used[slot] = true;
		n++;
	}
	if (n != st->npages)
		report_corrupt("A stage's page directory is malformed.");
}

/*
 * The structure of a working form that did not come from our own state:
 * its size matches its capacities, the directory maps positions one to one
 * onto the records in use, and the pages in use belong to exactly one
 * stage's range of buckets each.  Nothing past the value is read.
 */
static void
work_check(const VelWork *work)
{
	Size		size = VARSIZE(work);
	bool		record_used[256] = {false};
	bool	   *page_used;
	int			nstages = 0;
	int64		npages = 0;
	int			p;

	if (size < VEL_WORK_HEADER)
		report_corrupt("The velocity is truncated.");
	if (work->stage_cap > 255 || work->nstages > work->stage_cap ||
		work->page_cap > VEL_POOL_MAX || work->npages > work->page_cap ||
		size != VEL_WORK_SIZE(work->stage_cap, work->page_cap))
		report_corrupt("The velocity's size does not match its capacity.");
	page_used = palloc0(work->npages + 1);
	for (p = 0; p <= 255; p++)
	{
		int			record = work->record_of[p];
		const VelWorkStage *st;

		if (record == 0)
			continue;
		if (p == 0 || record > work->nstages || record_used[record])
			report_corrupt("The stage directory is malformed.");
		record_used[record] = true;
		nstages++;
		st = vel_work_stage(work, p);
		if (st->position != p)
			report_corrupt("A stage record is malformed.");
		work_check_pages(work, st, page_used);
		npages += st->npages;
	}
	if (nstages != work->nstages || npages != work->npages)
		report_corrupt("The stage directory is malformed.");
	pfree(page_used);
}

void
vel_decode(struct varlena *value, VelData *out)
{
	const uint8 *data = (const uint8 *) VARDATA_ANY(value);
	Size		len = VARSIZE_ANY_EXHDR(value);
	FnError		err;

	if (len < 1 || data[0] != VEL_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored velocity value has unsupported format version %d",
						len > 0 ? data[0] : -1),
				 errhint("The value was written by a newer release of funnel, or is corrupt.")));
	if (len < 2)
		report_corrupt("The velocity is truncated.");
	if (data[1] == VEL_FORM_WORKING)
	{
		const VelWork *work = (const VelWork *) value;

		/* the record layout needs a 4-byte header and aligned memory */
		if (VARATT_IS_SHORT(value) || (uintptr_t) value % MAXIMUM_ALIGNOF != 0)
		{
			VelWork    *copy = palloc(VARHDRSZ + len);

			SET_VARSIZE(copy, VARHDRSZ + len);
			memcpy((char *) copy + VARHDRSZ, data, len);
			work = copy;
		}
		work_check(work);
		vel_work_data(work, out);
		if (vel_check(out, &err) != FN_OK)
			report_corrupt(err.detail);
		return;
	}
	if (vel_unpack(data, len, out, &err) != FN_OK)
		report_corrupt(err.detail);
}

struct varlena *
vel_encode(const VelData *data)
{
	Size		size = VARHDRSZ + vel_pack_size(data);
	struct varlena *result = palloc(size);

	SET_VARSIZE(result, size);
	vel_pack(data, (uint8_t *) VARDATA(result));
	return result;
}

static struct varlena *
work_pack(const VelWork *work)
{
	VelData		data;

	vel_work_data(work, &data);
	return vel_encode(&data);
}

Datum
velocity_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	VelData		data;
	FnError		err;
	int			s;

	if (vel_parse(str, strlen(str), &data, &err) != FN_OK)
		fn_report_parse_error(&err, "velocity", str);
	for (s = 0; s < data.nstages; s++)
		pg_verifymbstr(data.stages[s].name, (int) data.stages[s].name_len, false);
	PG_RETURN_POINTER(vel_encode(&data));
}

Datum
velocity_out(PG_FUNCTION_ARGS)
{
	VelData		data;
	FnBuf		buf;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	fnbuf_init(&buf, 64 + 32 * data.nstages);
	vel_format(&data, &buf);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, number of stages byte, then per stage its
 * position byte, name length (int4) and name in the client encoding, exits
 * and open (int8) and, when there are exits, the sum's high and low halves,
 * shortest and longest (int8), the number of buckets (int4) and each
 * bucket's number (int4) and count (int8).  Checked like text input.
 */
Datum
velocity_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	VelData		data;
	FnError		err;
	int			s;

	if (pq_getmsgbyte(buf) != VEL_FORMAT_VERSION)
	{
		fn_fail(&err, FN_CORRUPT, "The binary velocity format version is not supported.");
		fn_report_recv_error(&err, "velocity");
	}
	data.nstages = pq_getmsgbyte(buf);
	data.stages = palloc0(Max(data.nstages, 1) * sizeof(VelStageData));
	for (s = 0; s < data.nstages; s++)
	{
		VelStageData *st = &data.stages[s];
		int			name_len;
		int			i;

		st->position = pq_getmsgbyte(buf);
		name_len = pq_getmsgint(buf, 4);
		if (name_len < 0 || name_len > buf->len - buf->cursor)
		{
			fn_fail(&err, FN_CORRUPT, "A stage name length is out of range.");
			fn_report_recv_error(&err, "velocity");
		}
		st->name = pq_getmsgtext(buf, name_len, &name_len);
		st->name_len = name_len;
		st->exits = pq_getmsgint64(buf);
		st->open = pq_getmsgint64(buf);
		if (st->exits <= 0)
			continue;
		st->sum.hi = (uint64) pq_getmsgint64(buf);
		st->sum.lo = (uint64) pq_getmsgint64(buf);
		st->min = pq_getmsgint64(buf);
		st->max = pq_getmsgint64(buf);
		st->nbuckets = pq_getmsgint(buf, 4);
		/* each bucket takes 12 bytes: bound the allocation by the message */
		if (st->nbuckets < 1 || st->nbuckets > VEL_NBUCKETS ||
			st->nbuckets > (buf->len - buf->cursor) / 12)
		{
			fn_fail(&err, FN_CORRUPT, "The number of duration buckets is out of range.");
			fn_report_recv_error(&err, "velocity");
		}
		st->bucket = palloc(st->nbuckets * sizeof(uint16_t));
		st->count = palloc(st->nbuckets * sizeof(int64_t));
		for (i = 0; i < st->nbuckets; i++)
		{
			int32		bucket = pq_getmsgint(buf, 4);

			if (bucket < 0 || bucket >= VEL_NBUCKETS)
			{
				fn_fail(&err, FN_CORRUPT, "A duration bucket is out of range.");
				fn_report_recv_error(&err, "velocity");
			}
			st->bucket[i] = (uint16_t) bucket;
			st->count[i] = pq_getmsgint64(buf);
		}
	}
	if (vel_check(&data, &err) != FN_OK)
		fn_report_recv_error(&err, "velocity");
	PG_RETURN_POINTER(vel_encode(&data));
}

Datum
velocity_send(PG_FUNCTION_ARGS)
{
	VelData		data;
	StringInfoData buf;
	int			s;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VEL_FORMAT_VERSION);
	pq_sendbyte(&buf, (uint8) data.nstages);
	for (s = 0; s < data.nstages; s++)
	{
		const VelStageData *st = &data.stages[s];
		char	   *name = pnstrdup(st->name, st->name_len);
		char	   *converted = pg_server_to_client(name, (int) st->name_len);
		int			i;

		pq_sendbyte(&buf, (uint8) st->position);
		pq_sendint32(&buf, (int32) strlen(converted));
		pq_sendbytes(&buf, converted, (int) strlen(converted));
		pq_sendint64(&buf, st->exits);
		pq_sendint64(&buf, st->open);
		if (st->exits == 0)
			continue;
		pq_sendint64(&buf, (int64) st->sum.hi);
		pq_sendint64(&buf, (int64) st->sum.lo);
		pq_sendint64(&buf, st->min);
		pq_sendint64(&buf, st->max);
		pq_sendint32(&buf, st->nbuckets);
		for (i = 0; i < st->nbuckets; i++)
		{
			pq_sendint32(&buf, st->bucket[i]);
			pq_sendint64(&buf, st->count[i]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---- aggregates ---- */

/*
 * The state argument as a working form that may be changed: in an aggregate
 * our own state is updated in place; anywhere else the input is copied.
 */
static VelWork *
state_arg(FunctionCallInfo fcinfo, bool in_agg)
{
	VelData		data;

	if (PG_ARGISNULL(0))
		return NULL;
	if (in_agg)
	{
		VelWork    *work = (VelWork *) PG_GETARG_POINTER(0);

		if (!VARATT_IS_EXTENDED(work) && work->form == VEL_FORM_WORKING)
			return work;
	}
	vel_decode(PG_GETARG_VELOCITY(0), &data);
	return vel_work_merge(NULL, &data);
}

static void
check_finite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("stage visit times must be finite"),
				 errdetail("A visit entered or left at %s.", timestamptz_to_str(t))));
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
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		if (in_agg)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_POINTER(PG_GETARG_VELOCITY(0));
	}
	entered = PG_GETARG_TIMESTAMPTZ(2);
	check_finite(entered);
	if (closed)
	{
		TimestampTz left = PG_GETARG_TIMESTAMPTZ(3);

		check_finite(left);
		if (left < entered)
		{
			/* timestamptz_to_str returns a static buffer: copy each */
			char	   *left_str = pstrdup(timestamptz_to_str(left));
			char	   *entered_str = pstrdup(timestamptz_to_str(entered));

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stage visit leaves before it enters"),
					 errdetail("left_at %s is earlier than entered_at %s.", left_str, entered_str)));
		}
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
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		if (in_agg)
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		PG_RETURN_POINTER(PG_GETARG_VELOCITY(0));
	}
	if (PG_ARGISNULL(0) && !in_agg)
		PG_RETURN_POINTER(PG_GETARG_VELOCITY(1));
	vel_decode(PG_GETARG_VELOCITY(1), &data);
	work = vel_work_merge(state_arg(fcinfo, in_agg), &data);
	if (!in_agg)
		PG_RETURN_POINTER(work_pack(work));
	PG_RETURN_POINTER(work);
}

/* Final function: the packed form of the state. */
Datum
velocity_final(PG_FUNCTION_ARGS)
{
	struct varlena *value = PG_GETARG_VELOCITY(0);
	VelData		data;

	if (VARSIZE_ANY_EXHDR(value) >= 2 && ((uint8 *) VARDATA_ANY(value))[1] == VEL_FORM_PACKED)
		PG_RETURN_POINTER(value);
	vel_decode(value, &data);
	PG_RETURN_POINTER(vel_encode(&data));
}
