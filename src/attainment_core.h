/*
 * attainment_core.h
 *		Plan attainment as server-independent C: exact per-day sums.
 *
 * An attainment keeps, for every day of a window, the exact sum of the
 * actuals and of the plans of that day's rows, as 128-bit integers counting
 * units of 10^-scale (fixed point).  The scale is the largest number of
 * decimals any input needed, so every sum is exact.  A day without rows is
 * marked by a plan of -1 (plans are never negative), so no bitmap is needed.
 *
 * Days are numbered like PostgreSQL's date: days since 2000-01-01.
 */
#ifndef FUNNEL_ATTAINMENT_CORE_H
#define FUNNEL_ATTAINMENT_CORE_H

#include "pure.h"
#include "textbuf.h"

#ifndef __SIZEOF_INT128__
#error "funnel needs a compiler with 128-bit integers (GCC or Clang on a 64-bit platform)"
#endif

/*
 * 8-byte alignment like PostgreSQL's own int128, so values can live in a
 * MAXALIGNed varlena (a typedef may lower the alignment).
 */
typedef __int128 att_int128 __attribute__((aligned(8)));

/* Most decimals an input may need (after dropping trailing zeros). */
#define ATT_MAX_SCALE 18
/* Every value, per-day sum and total has at most 38 significant digits. */
#define ATT_MAX_DIGITS 38
/* Days from a value's first to its last day with rows, inclusive (100 years). */
#define ATT_MAX_SPAN 36525
#define ATT_SPAN_LIMIT "An attainment spans at most " FN_STR(ATT_MAX_SPAN) " days from its first to its last day."
/* Supported days: 0001-01-01 .. 9999-12-31, as days since 2000-01-01. */
#define ATT_MIN_DAY (-730119)
#define ATT_MAX_DAY 2921939

/* plan of a day without rows */
#define ATT_NO_ROWS ((att_int128) -1)

typedef struct AttDay
{
	att_int128	actual;
	att_int128	plan;			/* ATT_NO_ROWS: no rows that day */
} AttDay;

/* A window of days; the days array is owned by whoever built the view. */
typedef struct AttView
{
	int			scale;
	int32_t		first_day;		/* day of days[0] */
	int32_t		ndays;
	AttDay	   *days;
} AttView;

typedef struct AttSummary
{
	att_int128	actual;			/* totals, in units of 10^-scale */
	att_int128	plan;
	att_int128	shortfall;		/* sum of plan - actual over missed days */
	int32_t		days;
	int32_t		days_met;
	int32_t		days_missed;
	int32_t		longest_miss_streak;
	int32_t		current_streak; /* > 0: met days, < 0: missed days */
	int32_t		first_day;		/* first and last day with rows */
	int32_t		last_day;
} AttSummary;

/* 10^n for 0 <= n <= 38 */
extern const att_int128 att_pow10[ATT_MAX_DIGITS + 1];

/* |v| < 10^38 */
static inline bool
att_in_range(att_int128 v)
{
	return v < att_pow10[ATT_MAX_DIGITS] && v > -att_pow10[ATT_MAX_DIGITS];
}

/* *acc += v, FN_RANGE beyond 38 digits */
static inline FnStatus
att_add(att_int128 *acc, att_int128 v, FnError *err)
{
	att_int128	sum;

	if (__builtin_add_overflow(*acc, v, &sum) || !att_in_range(sum))
		return fn_fail(err, FN_RANGE,
					   "A sum of an attainment has more than 38 significant digits.");
	*acc = sum;
	return FN_OK;
}

/* *v *= 10^n, FN_RANGE beyond 38 digits */
static inline FnStatus
att_scale_up(att_int128 *v, int n, FnError *err)
{
	att_int128	r;

	if (n == 0 || *v == 0)
		return FN_OK;
	if (n > ATT_MAX_DIGITS ||
		__builtin_mul_overflow(*v, att_pow10[n], &r) || !att_in_range(r))
		return fn_fail(err, FN_RANGE,
					   "A value of an attainment has more than 38 significant digits at its scale.");
	*v = r;
	return FN_OK;
}

/* Multiply every day with rows by 10^(to - from); to >= from. */
extern FnStatus att_rescale(AttDay *days, int32_t ndays, int from, int to, FnError *err);

/* First and last slot with rows; false when there is none. */
extern bool att_row_range(const AttView *v, int32_t *lo, int32_t *hi);

/*
 * Add the days of src into dst (whose window must cover src's days with
 * rows), scaling src's values up by 10^shift.
 */
extern FnStatus att_merge(AttView *dst, const AttView *src, int shift, FnError *err);

/* Totals, days met and missed, streaks, shortfall. */
extern FnStatus att_summarize(const AttView *v, AttSummary *s, FnError *err);

/* A fixed-point value as a decimal with exactly scale decimals. */
extern void att_format_units(FnBuf *buf, att_int128 units, int scale);

/* A day as YYYY-MM-DD (the supported range has four-digit years). */
extern void att_format_date(FnBuf *buf, int32_t day);

/* Days since 2000-01-01 of a calendar date (proleptic Gregorian). */
extern int32_t att_date_to_day(int year, int month, int mday);

#endif							/* FUNNEL_ATTAINMENT_CORE_H */
