/*
 * attainment_core.c
 *		Exact per-day arithmetic and the attainment summary, as plain C.
 */
#include "attainment_core.h"

#include <string.h>

#define E19 ((att_int128) 10000000000000000000ULL)

const att_int128 att_pow10[ATT_MAX_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL,
	10000000000000LL, 100000000000000LL, 1000000000000000LL,
	10000000000000000LL, 100000000000000000LL, 1000000000000000000LL,
	E19, E19 * 10, E19 * 100, E19 * 1000, E19 * 10000, E19 * 100000,
	E19 * 1000000, E19 * 10000000, E19 * 100000000, E19 * 1000000000LL,
	E19 * 10000000000LL, E19 * 100000000000LL, E19 * 1000000000000LL,
	E19 * 10000000000000LL, E19 * 100000000000000LL,
	E19 * 1000000000000000LL, E19 * 10000000000000000LL,
	E19 * 100000000000000000LL, E19 * 1000000000000000000LL,
	E19 * E19
};

FnStatus
att_rescale(AttDay *days, int32_t ndays, int from, int to, FnError *err)
{
	int32_t		i;

	for (i = 0; i < ndays; i++)
	{
		if (days[i].plan < 0)
			continue;
		if (att_scale_up(&days[i].actual, to - from, err) != FN_OK ||
			att_scale_up(&days[i].plan, to - from, err) != FN_OK)
			return err->status;
	}
	return FN_OK;
}

bool
att_row_range(const AttView *v, int32_t *lo, int32_t *hi)
{
	int32_t		a = 0;
	int32_t		b = v->ndays - 1;

	while (a < v->ndays && v->days[a].plan < 0)
		a++;
	if (a == v->ndays)
		return false;
	while (v->days[b].plan < 0)
		b--;
	*lo = a;
	*hi = b;
	return true;
}

static FnStatus
corrupt(FnError *err)
{
	return fn_fail(err, FN_CORRUPT, "A day of the attainment value has a negative plan.");
}

FnStatus
att_merge(AttView *dst, const AttView *src, int shift, FnError *err)
{
	int32_t		offset = src->first_day - dst->first_day;
	int32_t		i;

	for (i = 0; i < src->ndays; i++)
	{
		AttDay		day = src->days[i];
		AttDay	   *to;

		if (day.plan < 0)
		{
			if (day.plan != ATT_NO_ROWS)
				return corrupt(err);
			continue;
		}
		if (att_scale_up(&day.actual, shift, err) != FN_OK ||
			att_scale_up(&day.plan, shift, err) != FN_OK)
			return err->status;
		to = &dst->days[offset + i];
		if (to->plan < 0)
			*to = day;
		else if (att_add(&to->actual, day.actual, err) != FN_OK ||
				 att_add(&to->plan, day.plan, err) != FN_OK)
			return err->status;
	}
	return FN_OK;
}

/*
 * Streaks run over the days that have rows: a day without rows (a weekend,
 * a holiday) is not a day of the plan and neither breaks nor extends a run.
 */
FnStatus
att_summarize(const AttView *v, AttSummary *s, FnError *err)
{
	int32_t		i;
	int32_t		miss_run = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < v->ndays; i++)
	{
		const AttDay *d = &v->days[i];

		if (d->plan < 0)
		{
			if (d->plan != ATT_NO_ROWS)
				return corrupt(err);
			continue;
		}
		if (s->days == 0)
			s->first_day = v->first_day + i;
		s->last_day = v->first_day + i;
		s->days++;
		if (att_add(&s->actual, d->actual, err) != FN_OK ||
			att_add(&s->plan, d->plan, err) != FN_OK)
			return err->status;
		if (d->actual >= d->plan)
		{
			s->days_met++;
			miss_run = 0;
			s->current_streak = s->current_streak > 0 ? s->current_streak + 1 : 1;
		}
		else
		{
			att_int128	gap;

			s->days_missed++;
			if (++miss_run > s->longest_miss_streak)
				s->longest_miss_streak = miss_run;
			s->current_streak = s->current_streak < 0 ? s->current_streak - 1 : -1;
			if (__builtin_sub_overflow(d->plan, d->actual, &gap) ||
				att_add(&s->shortfall, gap, err) != FN_OK)
				return fn_fail(err, FN_RANGE,
							   "A sum of an attainment has more than 38 significant digits.");
		}
	}
	return FN_OK;
}

void
att_format_units(FnBuf *buf, att_int128 units, int scale)
{
	char		digits[ATT_MAX_DIGITS + 2];
	int			n = 0;
	unsigned __int128 magnitude;
	uint64_t	low;

	magnitude = units < 0 ? (unsigned __int128) 0 - (unsigned __int128) units
		: (unsigned __int128) units;
	/* peel 19 digits at a time so most values take the 64-bit path */
	while (magnitude > UINT64_MAX)
	{
		int			k;

		low = (uint64_t) (magnitude % 10000000000000000000ULL);
		magnitude /= 10000000000000000000ULL;
		for (k = 0; k < 19; k++)
		{
			digits[n++] = (char) ('0' + low % 10);
			low /= 10;
		}
	}
	low = (uint64_t) magnitude;
	do
	{
		digits[n++] = (char) ('0' + low % 10);
		low /= 10;
	} while (low > 0);
	while (n <= scale)
		digits[n++] = '0';
	if (units < 0)
		fnbuf_putc(buf, '-');
	while (n > 0)
	{
		if (n == scale)
			fnbuf_putc(buf, '.');
		fnbuf_putc(buf, digits[--n]);
	}
}

/*
 * Civil-calendar conversions after Howard Hinnant's days_from_civil: exact
 * for the proleptic Gregorian calendar PostgreSQL uses.
 */
int32_t
att_date_to_day(int year, int month, int mday)
{
	int			y = year - (month <= 2);
	int			era = (y >= 0 ? y : y - 399) / 400;
	int			yoe = y - era * 400;
	int			doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* 10957: days from 1970-01-01 to 2000-01-01 */
	return era * 146097 + doe - 719468 - 10957;
}

void
att_format_date(FnBuf *buf, int32_t day)
{
	int			z = day + 10957 + 719468;
	int			era = (z >= 0 ? z : z - 146096) / 146097;
	int			doe = z - era * 146097;
	int			yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int			doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int			mp = (5 * doy + 2) / 153;
	int			mday = doy - (153 * mp + 2) / 5 + 1;
	int			month = mp < 10 ? mp + 3 : mp - 9;
	int			year = yoe + era * 400 + (month <= 2);
	char		text[11];

	text[0] = (char) ('0' + year / 1000 % 10);
	text[1] = (char) ('0' + year / 100 % 10);
	text[2] = (char) ('0' + year / 10 % 10);
	text[3] = (char) ('0' + year % 10);
	text[4] = '-';
	text[5] = (char) ('0' + month / 10);
	text[6] = (char) ('0' + month % 10);
	text[7] = '-';
	text[8] = (char) ('0' + mday / 10);
	text[9] = (char) ('0' + mday % 10);
	fnbuf_append(buf, text, 10);
}
