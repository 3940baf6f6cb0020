/*
 * velocity_work.c
 *		The working form of velocity, the stage_velocity aggregates' state
 *		(velocity_work.h): recording visits, merging values, growth, and
 *		checking a working form that did not come from our own state.
 *
 * The check returns a status that vel_decode (velocity.c) reports: this
 * file calls nothing of the velocity type's glue.
 */
#include "postgres.h"

#include "velocity_work.h"

#include "common/int.h"

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
		grown_cap(old->stage_cap, stages, old_size, VEL_WORK_RECORD, VEL_MAX_POSITION) : stages;
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

/* Offer a name to a stage: the bytewise-smallest non-empty name stays. */
static inline void
stage_offer_name(VelWorkStage *st, const char *name, int name_len)
{
	if (fn_name_wins(name, name_len, st->name, st->name_len))
	{
		memcpy(st->name, name, name_len);
		st->name_len = (uint8) name_len;
	}
}

void
vel_work_name(VelWork *work, int position, const char *name, int name_len)
{
	stage_offer_name(vel_work_stage(work, position), name, name_len);
}

static void
report_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("velocity visit count is out of range"),
			 errdetail("A stage counts at most 9223372036854775807 visits.")));
}

/*
 * The first visit of a stage, or the first closed one in a range of
 * buckets: work (NULL: none) with the stage's record, and for a closed
 * visit the page of bucket, grown in the current memory context if need be.
 * Out of line, so that the path of every other row stays short.
 */
static pg_noinline VelWork *
work_add_room(VelWork *work, int position, bool closed, int bucket)
{
	bool		new_stage = (work == NULL || work->record_of[position] == 0);
	VelWorkStage *st;

	/* a closed visit gets here only when its stage has no page for it */
	work = work_reserve(work, new_stage ? 1 : 0, closed ? 1 : 0);
	st = new_stage ? work_new_stage(work, position) : vel_work_stage(work, position);
	if (closed)
		(void) work_counters(work, st, bucket);
	return work;
}

VelWork *
vel_work_add(VelWork *work, int position, const char *name, int name_len,
			 bool closed, int64 duration)
{
	int			bucket = closed ? vel_bucket(duration) : 0;
	VelWorkStage *st;

	if (work == NULL || work->record_of[position] == 0 ||
		(closed && vel_work_stage(work, position)->page_of[bucket >> VEL_PAGE_BITS] == 0))
		work = work_add_room(work, position, closed, bucket);
	st = vel_work_stage(work, position);
	stage_offer_name(st, name, name_len);
	if (st->exits >= PG_INT64_MAX - st->open)
		report_count_overflow();
	if (!closed)
	{
		st->open++;
		return work;
	}
	vel_work_page(work, st->page_of[bucket >> VEL_PAGE_BITS])[bucket & (VEL_PAGE - 1)]++;
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
	for (p = STAGE_MIN_POSITION; p <= VEL_MAX_POSITION; p++)
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

/*
 * The page directory of a stage of a working form that did not come from
 * our own state: every entry names a pool page in use that no other entry
 * of any stage names (used marks them), and the stage's count is right.
 */
static bool
work_pages_valid(const VelWork *work, const VelWorkStage *st, bool *used)
{
	int			n = 0;
	int			page;

	for (page = 0; page < VEL_NPAGES; page++)
	{
		int			slot = st->page_of[page];

		if (slot == 0)
			continue;
		if (slot > work->npages || used[slot])
			return false;
		used[slot] = true;
		n++;
	}
	return n == st->npages;
}

/*
 * The directory of a working form that did not come from our own state: it
 * maps positions one to one onto the records in use, and the pages in use
 * belong to exactly one stage's range of buckets each (page_used marks
 * them, npages + 1 entries).
 */
static FnStatus
work_check_stages(const VelWork *work, bool *page_used, FnError *err)
{
	bool		record_used[VEL_MAX_POSITION + 1] = {false};
	int			nstages = 0;
	int64		npages = 0;
	int			p;

	for (p = 0; p <= VEL_MAX_POSITION; p++)
	{
		int			record = work->record_of[p];
		const VelWorkStage *st;

		if (record == 0)
			continue;
		if (p == 0 || record > work->nstages || record_used[record])
			return fn_fail(err, FN_CORRUPT, "The stage directory is malformed.");
		record_used[record] = true;
		nstages++;
		st = vel_work_stage(work, p);
		if (st->position != p)
			return fn_fail(err, FN_CORRUPT, "A stage record is malformed.");
		if (!work_pages_valid(work, st, page_used))
			return fn_fail(err, FN_CORRUPT, "A stage's page directory is malformed.");
		npages += st->npages;
	}
	if (nstages != work->nstages || npages != work->npages)
		return fn_fail(err, FN_CORRUPT, "The stage directory is malformed.");
	return FN_OK;
}

/*
 * The structure of a working form that did not come from our own state:
 * its size matches its capacities, and its directory is sound.  Nothing
 * past the value is read.
 */
FnStatus
vel_work_check(const VelWork *work, FnError *err)
{
	Size		size = VARSIZE(work);
	bool	   *page_used;
	FnStatus	status;

	if (size < VEL_WORK_HEADER)
		return fn_fail(err, FN_CORRUPT, "The velocity is truncated.");
	if (work->stage_cap > VEL_MAX_POSITION || work->nstages > work->stage_cap ||
		work->page_cap > VEL_POOL_MAX || work->npages > work->page_cap ||
		size != VEL_WORK_SIZE(work->stage_cap, work->page_cap))
		return fn_fail(err, FN_CORRUPT, "The velocity's size does not match its capacity.");
	page_used = palloc0(work->npages + 1);
	status = work_check_stages(work, page_used, err);
	pfree(page_used);
	return status;
}
