/*
 * velocity_sketch.h
 *		Time in stage: exact counts, sums and extremes plus a mergeable
 *		histogram of the durations, as server-independent C.
 *
 * A duration is a whole number of microseconds from 0 to INT64_MAX (about
 * 292,000 years).  Durations below 256 us have a bucket each; above that,
 * every power of two is split into 128 equal buckets, so a bucket is never
 * wider than 1/128 of its lower bound and its midpoint is within 1/256
 * (0.39%) of every duration in it.  The buckets are fixed, so merging two
 * sketches adds their counts: the merge of sketches is exactly the sketch of
 * the union, in any order.
 *
 * Quantiles use percentile_disc's rank, max(1, ceil(q * n)), and return the
 * midpoint of the bucket holding that rank (of its part between the exact
 * shortest and longest duration, which are returned for the first and last
 * rank); bucketing is the only error.
 */
#ifndef FUNNEL_VELOCITY_SKETCH_H
#define FUNNEL_VELOCITY_SKETCH_H

#include "pure.h"

#define VEL_SUB_BITS 7
#define VEL_SUB (1 << VEL_SUB_BITS)
/* buckets 0..255 are exact; the octave [2^e, 2^(e+1)) for e = 8..62 has VEL_SUB each */
#define VEL_NBUCKETS ((63 - VEL_SUB_BITS + 1) * VEL_SUB)

/* Microseconds in a day, for reports in days. */
#define VEL_USECS_PER_DAY 86400000000.0

/* An exact sum of durations: 2^64 durations of up to 2^63 us fit. */
typedef struct VelU128
{
	uint64_t	hi;
	uint64_t	lo;
} VelU128;

static inline void
vel_u128_add64(VelU128 *a, uint64_t v)
{
	a->lo += v;
	a->hi += (a->lo < v);
}

/* false on overflow (a is then unspecified) */
static inline bool
vel_u128_add(VelU128 *a, VelU128 b)
{
	uint64_t	hi = a->hi + b.hi;

	if (hi < a->hi)
		return false;
	a->lo += b.lo;
	if (a->lo < b.lo)
	{
		if (hi == UINT64_MAX)
			return false;
		hi++;
	}
	a->hi = hi;
	return true;
}

extern VelU128 vel_u128_mul64(uint64_t a, uint64_t b);
extern int	vel_u128_cmp(VelU128 a, VelU128 b);
extern double vel_u128_to_double(VelU128 a);

static inline int
vel_log2_floor(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
	return 63 - __builtin_clzll(v);
#else
	int			e = 0;

	while (v >>= 1)
		e++;
	return e;
#endif
}

/* The bucket of a duration (0 <= us). */
static inline int
vel_bucket(int64_t us)
{
	uint64_t	v = (uint64_t) us;
	int			shift;

	if (v < 2 * VEL_SUB)
		return (int) v;
	shift = vel_log2_floor(v) - VEL_SUB_BITS;
	return (shift + 1) * VEL_SUB + (int) ((v >> shift) - VEL_SUB);
}

/* The smallest duration in a bucket, and how many whole microseconds it spans. */
static inline int64_t
vel_bucket_low(int bucket, int64_t *width)
{
	int			shift;

	if (bucket < 2 * VEL_SUB)
	{
		*width = 1;
		return bucket;
	}
	shift = bucket / VEL_SUB - 1;
	*width = (int64_t) 1 << shift;
	return (int64_t) (VEL_SUB + bucket % VEL_SUB) << shift;
}

/*
 * One stage of a velocity, in the neutral form that every representation
 * (text, binary, stored, aggregate state) is read into and written from.
 */
typedef struct VelStageData
{
	int			position;
	const char *name;			/* not NUL-terminated; smallest non-empty name seen */
	size_t		name_len;
	int64_t		exits;			/* visits with a known duration */
	int64_t		open;			/* visits still open */
	VelU128		sum;			/* sum of the exits' durations, us */
	int64_t		min;			/* shortest and longest duration, us (exits > 0) */
	int64_t		max;
	int			nbuckets;		/* non-empty buckets */
	uint16_t   *bucket;			/* ascending bucket numbers */
	int64_t    *count;			/* their counts, each > 0 */
} VelStageData;

typedef struct VelData
{
	int			nstages;
	VelStageData *stages;		/* ascending positions */
} VelData;

/*
 * Check that a velocity is consistent: ascending positions 1..255, names of
 * at most 255 bytes, at least one visit per stage, counts that add up to the
 * exits, extremes inside the first and last bucket, a sum between
 * exits * min and exits * max.  FN_CORRUPT (or FN_RANGE) otherwise.
 */
extern FnStatus vel_check(const VelData *data, FnError *err);

/*
 * The estimate, in microseconds, of the duration at percentile_disc's rank
 * max(1, ceil(q * exits)); the caller checks 0 <= q <= 1 and exits > 0.
 */
extern double vel_stage_quantile(const VelStageData *stage, double q);

/* Mean duration in microseconds (exits > 0). */
extern double vel_stage_mean(const VelStageData *stage);

#endif							/* FUNNEL_VELOCITY_SKETCH_H */
