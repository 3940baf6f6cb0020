/*
 * velocity_sketch.c
 *		Bucket arithmetic, consistency checks and quantiles of the velocity
 *		sketch, without server dependencies.
 */
#include "velocity_sketch.h"

#include <math.h>

#include "stage_text.h"

VelU128
vel_u128_mul64(uint64_t a, uint64_t b)
{
	uint64_t	a_lo = a & 0xffffffffu;
	uint64_t	a_hi = a >> 32;
	uint64_t	b_lo = b & 0xffffffffu;
	uint64_t	b_hi = b >> 32;
	uint64_t	lo_lo = a_lo * b_lo;
	uint64_t	hi_lo = a_hi * b_lo;
	uint64_t	lo_hi = a_lo * b_hi;
	uint64_t	hi_hi = a_hi * b_hi;
	uint64_t	cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
	VelU128		r;

	r.hi = hi_hi + (hi_lo >> 32) + (cross >> 32);
	r.lo = (cross << 32) | (lo_lo & 0xffffffffu);
	return r;
}

int
vel_u128_cmp(VelU128 a, VelU128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

double
vel_u128_to_double(VelU128 a)
{
	return (double) a.hi * 18446744073709551616.0 + (double) a.lo;
}

static FnStatus
check_stage(const VelStageData *st, FnError *err)
{
	int64_t		total = 0;
	int			i;

	if (st->name_len > STAGE_MAX_NAME)
		return fn_fail(err, FN_TOO_LONG, STAGE_NAME_LIMIT);
	if (st->exits < 0 || st->open < 0)
		return fn_fail(err, FN_CORRUPT, "Visit counts cannot be negative.");
	if (st->exits > INT64_MAX - st->open)
		return fn_fail(err, FN_RANGE, "The number of visits is out of range for a 64-bit integer.");
	if (st->exits + st->open == 0)
		return fn_fail(err, FN_CORRUPT, "A stage is listed without any visit.");
	if (st->exits == 0)
	{
		if (st->nbuckets != 0 || st->sum.hi != 0 || st->sum.lo != 0)
			return fn_fail(err, FN_CORRUPT, "A stage without exits has durations.");
		return FN_OK;
	}
	if (st->min < 0 || st->max < st->min)
		return fn_fail(err, FN_CORRUPT, "The shortest and longest durations are inconsistent.");
	if (st->nbuckets < 1 || st->nbuckets > VEL_NBUCKETS)
		return fn_fail(err, FN_CORRUPT, "The number of duration buckets is out of range.");
	for (i = 0; i < st->nbuckets; i++)
	{
		if (st->bucket[i] >= VEL_NBUCKETS)
			return fn_fail(err, FN_CORRUPT, "A duration bucket is out of range.");
		if (i > 0 && st->bucket[i] <= st->bucket[i - 1])
			return fn_fail(err, FN_CORRUPT, "Duration buckets must be in ascending order.");
		if (st->count[i] <= 0)
			return fn_fail(err, FN_CORRUPT, "A duration bucket count must be positive.");
		if (st->count[i] > st->exits - total)
			return fn_fail(err, FN_CORRUPT, "The duration buckets hold more durations than the exits.");
		total += st->count[i];
	}
	if (total != st->exits)
		return fn_fail(err, FN_CORRUPT, "The duration buckets do not add up to the exits.");
	if (vel_bucket(st->min) != st->bucket[0] ||
		vel_bucket(st->max) != st->bucket[st->nbuckets - 1])
		return fn_fail(err, FN_CORRUPT, "The shortest or longest duration lies outside its bucket.");
	if (vel_u128_cmp(st->sum, vel_u128_mul64((uint64_t) st->exits, (uint64_t) st->min)) < 0 ||
		vel_u128_cmp(st->sum, vel_u128_mul64((uint64_t) st->exits, (uint64_t) st->max)) > 0)
		return fn_fail(err, FN_CORRUPT, "The sum of durations is inconsistent with their extremes.");
	return FN_OK;
}

FnStatus
vel_check(const VelData *data, FnError *err)
{
	int			i;

	if (data->nstages < 0 || data->nstages > STAGE_MAX_POSITION)
		return fn_fail(err, FN_CORRUPT, "A velocity holds at most " FN_STR(STAGE_MAX_POSITION) " stages.");
	for (i = 0; i < data->nstages; i++)
	{
		const VelStageData *st = &data->stages[i];

		if (st->position < STAGE_MIN_POSITION || st->position > STAGE_MAX_POSITION)
			return fn_fail(err, FN_RANGE, "A stage position is " STAGE_POSITION_RANGE ".");
		if (i > 0 && st->position <= data->stages[i - 1].position)
			return fn_fail(err, FN_CORRUPT, "Stages must be listed once each, by ascending position.");
		if (check_stage(st, err) != FN_OK)
			return err->status;
	}
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}

double
vel_stage_quantile(const VelStageData *st, double q)
{
	double		rank_d = ceil(q * (double) st->exits);
	int64_t		rank;
	int64_t		seen = 0;
	int64_t		width;
	int64_t		low;
	int64_t		high;
	int			i;

	/* the extremes are known exactly (compared as doubles: no overflow) */
	if (rank_d <= 1.0)
		return (double) st->min;
	if (rank_d >= (double) st->exits)
		return (double) st->max;
	rank = (int64_t) rank_d;
	for (i = 0; i < st->nbuckets - 1; i++)
	{
		seen += st->count[i];
		if (seen >= rank)
			break;
	}
	/* the midpoint of the part of the bucket that lies between the extremes */
	low = vel_bucket_low(st->bucket[i], &width);
	high = low + (width - 1);
	if (low < st->min)
		low = st->min;
	if (high > st->max)
		high = st->max;
	return (double) low + (double) (high - low) / 2.0;
}

double
vel_stage_mean(const VelStageData *st)
{
	return vel_u128_to_double(st->sum) / (double) st->exits;
}
