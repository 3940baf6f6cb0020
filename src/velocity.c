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

/* Page capacity after growth: half as many again, so rebuilds are rare. */
static int
grown_pages(int cap, int need)
{
	int			grown = cap + Max(2, cap / 2);

	return Min(Max(grown, need), VEL_NPAGES);
}

/*
 * A copy of old (NULL: empty) in the current memory context in which the
 * stage at position exists with room for pages pages (at least its pages in
 * use).
 */
static VelWork *
work_rebuild(const VelWork *old, int position, int pages)
{
	Size		size = VEL_WORK_HEADER;
	VelWork    *work;
	int			p;

	for (p = 1; p <= 255; p++)
	{
		if (p == position)
			size += VEL_WORK_STAGE_SIZE(pages);
		else if (old != NULL && old->offset[p] != 0)
			size += VEL_WORK_STAGE_SIZE(VEL_WORK_STAGE(old, p)->page_cap);
	}
	work = palloc0(size);
	SET_VARSIZE(work, size);
	work->version = VEL_FORMAT_VERSION;
	work->form = VEL_FORM_WORKING;
	size = VEL_WORK_HEADER;
	for (p = 1; p <= 255; p++)
	{
		const VelWorkStage *src = (old != NULL && old->offset[p] != 0) ? VEL_WORK_STAGE(old, p) : NULL;
		VelWorkStage *dst;

		if (p != position && src == NULL)
			continue;
		work->offset[p] = (uint32) size;
		work->nstages++;
		dst = VEL_WORK_STAGE(work, p);
		if (p != position)
		{
			memcpy(dst, src, VEL_WORK_STAGE_SIZE(src->page_cap));
			size += VEL_WORK_STAGE_SIZE(src->page_cap);
			continue;
		}
		if (src != NULL)
			memcpy(dst, src, VEL_WORK_STAGE_SIZE(src->npages));
		else
			dst->position = (uint8) p;
		dst->page_cap = (uint8) pages;
		size += VEL_WORK_STAGE_SIZE(pages);
	}
	return work;
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
	VelWorkStage *st = VEL_WORK_STAGE(work, position);

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
	VelWorkStage *st;
	int			bucket;
	int			slot;

	if (work == NULL || work->offset[position] == 0)
		work = work_rebuild(work, position, closed ? 1 : 0);
	vel_work_name(work, position, name, name_len);
	st = VEL_WORK_STAGE(work, position);
	if (st->exits >= PG_INT64_MAX - st->open)
		report_count_overflow();
	if (!closed)
	{
		st->open++;
		return work;
	}
	bucket = vel_bucket(duration);
	slot = st->page_of[bucket >> VEL_PAGE_BITS];
	if (slot == 0)
	{
		if (st->npages == st->page_cap)
		{
			work = work_rebuild(work, position, grown_pages(st->page_cap, st->npages + 1));
			st = VEL_WORK_STAGE(work, position);
		}
		/* spare pages are zero: palloc0 at the rebuild that made them */
		slot = ++st->npages;
		st->page_of[bucket >> VEL_PAGE_BITS] = (uint8) slot;
	}
	st->counts[(slot - 1) * VEL_PAGE + (bucket & (VEL_PAGE - 1))]++;
	if (st->exits == 0 || duration < st->min)
		st->min = duration;
	if (st->exits == 0 || duration > st->max)
		st->max = duration;
	st->exits++;
	vel_u128_add64(&st->sum, (uint64) duration);
	return work;
}

VelWork *
vel_work_merge(VelWork *work, const VelData *data)
{
	int			s;

	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *src = &data->stages[s];
		int			position = src->position;
		VelWorkStage *st = (work != NULL && work->offset[position] != 0) ?
			VEL_WORK_STAGE(work, position) : NULL;
		int			need = st != NULL ? st->npages : 0;
		int			last_page = -1;
		int			i;

		/* pages this stage lacks (buckets ascend, so pages do) */
		for (i = 0; i < src->nbuckets; i++)
		{
			int			page = src->bucket[i] >> VEL_PAGE_BITS;

			if (page != last_page && (st == NULL || st->page_of[page] == 0))
				need++;
			last_page = page;
		}
		if (st == NULL || need > st->page_cap)
			work = work_rebuild(work, position,
								st == NULL ? need : grown_pages(st->page_cap, need));
		vel_work_name(work, position, src->name, (int) src->name_len);
		st = VEL_WORK_STAGE(work, position);

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
		{
			int			page = src->bucket[i] >> VEL_PAGE_BITS;
			int			slot = st->page_of[page];

			if (slot == 0)
			{
				slot = ++st->npages;
				st->page_of[page] = (uint8) slot;
			}
			st->counts[(slot - 1) * VEL_PAGE + (src->bucket[i] & (VEL_PAGE - 1))] += src->count[i];
		}
	}
	return work;
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
		int			n = 0;
		int			page;
		int			i;

		if (work->offset[p] == 0)
			continue;
		st = VEL_WORK_STAGE(work, p);
		dst = &out->stages[out->nstages++];
		dst->position = p;
		dst->name = st->name;
		dst->name_len = st->name_len;
		dst->exits = st->exits;
		dst->open = st->open;
		dst->sum = st->sum;
		dst->min = st->min;
		dst->max = st->max;
		for (i = 0; i < st->npages * VEL_PAGE; i++)
			n += (st->counts[i] != 0);
		dst->nbuckets = n;
		dst->bucket = palloc(Max(n, 1) * sizeof(uint16_t));
		dst->count = palloc(Max(n, 1) * sizeof(int64_t));
		n = 0;
		for (page = 0; page < VEL_NPAGES; page++)
		{
			const int64 *counts;

			if (st->page_of[page] == 0)
				continue;
			counts = st->counts + (st->page_of[page] - 1) * VEL_PAGE;
			for (i = 0; i < VEL_PAGE; i++)
			{
				if (counts[i] == 0)
					continue;
				dst->bucket[n] = (uint16_t) (page * VEL_PAGE + i);
				dst->count[n] = counts[i];
				n++;
			}
		}
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

/* The structure of a working form that did not come from our own state. */
static void
work_check(const VelWork *work)
{
	Size		size = VARSIZE(work);
	int			nstages = 0;
	int			p;

	if (size < VEL_WORK_HEADER)
		report_corrupt("The velocity is truncated.");
	for (p = 1; p <= 255; p++)
	{
		Size		offset = work->offset[p];
		const VelWorkStage *st;
		bool		used[VEL_NPAGES + 1] = {false};
		int			page;

		if (offset == 0)
			continue;
		if (offset < VEL_WORK_HEADER || offset % MAXIMUM_ALIGNOF != 0 ||
			offset > size - offsetof(VelWorkStage, counts))
			report_corrupt("A stage record lies outside the velocity.");
		st = VEL_WORK_STAGE(work, p);
		if (st->position != p || st->npages > st->page_cap || st->page_cap > VEL_NPAGES ||
			VEL_WORK_STAGE_SIZE(st->page_cap) > size - offset)
			report_corrupt("A stage record is malformed.");
		/* every page in use belongs to exactly one range of buckets */
		for (page = 0; page < VEL_NPAGES; page++)
		{
			int			slot = st->page_of[page];

			if (slot == 0)
				continue;
			if (slot > st->npages || used[slot])
				report_corrupt("A stage's page directory is malformed.");
			used[slot] = true;
		}
		for (page = 1; page <= st->npages; page++)
			if (!used[page])
				report_corrupt("A stage's page directory is malformed.");
		nstages++;
	}
	if (work->offset[0] != 0 || nstages != work->nstages)
		report_corrupt("The stage directory is malformed.");
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
