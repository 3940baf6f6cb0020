/*
 * attainment_text.c
 *		Parse and format the text form of attainment without server
 *		dependencies.
 */
#include "attainment_text.h"

#include <string.h>

void
attainment_format(const AttView *v, FnBuf *buf)
{
	bool		in_run = false;
	int32_t		i;

	fnbuf_puts(buf, "v1");
	for (i = 0; i < v->ndays; i++)
	{
		const AttDay *d = &v->days[i];

		if (d->plan < 0)
		{
			in_run = false;
			continue;
		}
		if (in_run)
			fnbuf_putc(buf, ',');
		else
		{
			fnbuf_putc(buf, ' ');
			att_format_date(buf, v->first_day + i);
			fnbuf_putc(buf, ':');
			in_run = true;
		}
		att_format_units(buf, d->actual, v->scale);
		fnbuf_putc(buf, '/');
		att_format_units(buf, d->plan, v->scale);
	}
}

static bool
is_digit(const FnScan *s)
{
	return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

/* n decimal digits as an int; false if any is missing */
static bool
scan_digits(FnScan *s, int n, int *out)
{
	int			v = 0;

	while (n-- > 0)
	{
		if (!is_digit(s))
			return false;
		v = v * 10 + (*s->p++ - '0');
	}
	*out = v;
	return true;
}

static FnStatus
scan_date(FnScan *s, int32_t *day, FnError *err)
{
	static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			year;
	int			month;
	int			mday;
	bool		leap;

	if (!scan_digits(s, 4, &year) || !fnscan_accept(s, '-') ||
		!scan_digits(s, 2, &month) || !fnscan_accept(s, '-') ||
		!scan_digits(s, 2, &mday))
		return fn_fail(err, FN_SYNTAX, "A segment starts with a day written YYYY-MM-DD.");
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (year < 1 || month < 1 || month > 12 || mday < 1 || mday > month_days[month - 1] ||
		(month == 2 && mday == 29 && !leap))
		return fn_fail(err, FN_RANGE,
					   "A day is a valid calendar date from 0001-01-01 to 9999-12-31.");
	*day = att_date_to_day(year, month, mday);
	return FN_OK;
}

/* -?digits(.digits)? as units of 10^-decimals */
static FnStatus
scan_decimal(FnScan *s, att_int128 *units, int *decimals, FnError *err)
{
	bool		negative = false;
	att_int128	v = 0;
	int			significant = 0;
	int			frac = 0;
	bool		in_fraction = false;

	if (s->p < s->end && *s->p == '-')
	{
		negative = true;
		s->p++;
	}
	if (!is_digit(s))
		return fn_fail(err, FN_SYNTAX, "A day is written actual/plan, two decimal numbers.");
	for (;;)
	{
		if (is_digit(s))
		{
			int			d = *s->p++ - '0';

			if (in_fraction && ++frac > ATT_MAX_SCALE)
				return fn_fail(err, FN_RANGE, "A value has at most 18 decimals.");
			if (v != 0 || d != 0)
			{
				if (++significant > ATT_MAX_DIGITS)
					return fn_fail(err, FN_RANGE, "A value has at most 38 significant digits.");
				v = v * 10 + d;
			}
		}
		else if (!in_fraction && s->p < s->end && *s->p == '.')
		{
			s->p++;
			in_fraction = true;
			if (!is_digit(s))
				return fn_fail(err, FN_SYNTAX, "A decimal point is followed by digits.");
		}
		else
			break;
	}
	*units = negative ? -v : v;
	*decimals = frac;
	return FN_OK;
}

FnStatus
attainment_parse(const char *str, size_t len, size_t prefix, AttView *out, FnError *err)
{
	FnScan		s;
	const char *q;
	int32_t		capacity = 0;
	int32_t		n = 0;
	int32_t    *offsets;
	AttDay	   *values;
	int32_t		first_day = 0;
	int32_t		next_day = 0;
	int			scale = 0;
	int64_t		version;
	char	   *block;
	int32_t		ndays;
	int32_t		i;

	/* every day with rows has exactly one '/', which bounds the work ahead */
	for (q = memchr(str, '/', len); q; q = memchr(q + 1, '/', len - (q + 1 - str)))
	{
		if (++capacity > ATT_MAX_SPAN)
			return fn_fail(err, FN_TOO_BIG,
						   ATT_SPAN_LIMIT);
	}

	fnscan_init(&s, str, len);
	if (!fnscan_accept(&s, 'v'))
		return fn_fail(err, FN_SYNTAX, "An attainment starts with its format version, \"v1\".");
	if (!is_digit(&s) || fnscan_int64(&s, &version, err) != FN_OK || version != ATT_TEXT_VERSION)
		return fn_fail(err, FN_SYNTAX, "The attainment text format version is not supported.");
	/* a day is stored only after its '/' is read, so capacity 0 stores none */
	offsets = fn_alloc(sizeof(int32_t) * (capacity + 1));
	values = fn_alloc(sizeof(AttDay) * (capacity + 1));
	while (!fnscan_at_end(&s))
	{
		int32_t		day;

		if (s.p == str || !fn_is_space(s.p[-1]))
			return fn_fail(err, FN_SYNTAX, "Segments are separated by spaces.");
		if (scan_date(&s, &day, err) != FN_OK)
			return err->status;
		if (n > 0 && day < next_day)
			return fn_fail(err, FN_SYNTAX,
						   "Segments are in ascending order of days and do not overlap.");
		if (n == 0)
			first_day = day;
		if (s.p >= s.end || *s.p++ != ':')
			return fn_fail(err, FN_SYNTAX, "A segment's first day is followed by \":\".");
		for (;;)
		{
			AttDay		v;
			int			dec_actual;
			int			dec_plan;
			int			needed;

			if ((int64_t) day - first_day >= ATT_MAX_SPAN)
				return fn_fail(err, FN_TOO_BIG,
							   ATT_SPAN_LIMIT);
			if (day > ATT_MAX_DAY)
				return fn_fail(err, FN_RANGE,
							   "A day is a valid calendar date from 0001-01-01 to 9999-12-31.");
			if (scan_decimal(&s, &v.actual, &dec_actual, err) != FN_OK)
				return err->status;
			if (s.p >= s.end || *s.p++ != '/')
				return fn_fail(err, FN_SYNTAX, "A day is written actual/plan, two decimal numbers.");
			if (scan_decimal(&s, &v.plan, &dec_plan, err) != FN_OK)
				return err->status;
			if (v.plan < 0)
				return fn_fail(err, FN_RANGE, "A plan is never negative.");
			/* a value with more decimals raises the scale of the days before it */
			needed = dec_actual > dec_plan ? dec_actual : dec_plan;
			if (needed > scale)
			{
				if (att_rescale(values, n, scale, needed, err) != FN_OK)
					return err->status;
				scale = needed;
			}
			if (att_scale_up(&v.actual, scale - dec_actual, err) != FN_OK ||
				att_scale_up(&v.plan, scale - dec_plan, err) != FN_OK)
				return err->status;
			offsets[n] = day - first_day;
			values[n++] = v;
			day++;
			if (s.p < s.end && *s.p == ',')
			{
				s.p++;
				continue;
			}
			break;
		}
		next_day = day;
		if (s.p < s.end && !fn_is_space(*s.p))
			return fn_fail(err, FN_SYNTAX, "A day is written actual/plan, two decimal numbers.");
	}

	if (n == 0)
		return fn_fail(err, FN_SYNTAX, "An attainment has at least one day with rows.");
	ndays = offsets[n - 1] + 1;
	block = fn_alloc(prefix + sizeof(AttDay) * ndays);
	out->days = (AttDay *) (block + prefix);
	for (i = 0; i < ndays; i++)
	{
		out->days[i].actual = 0;
		out->days[i].plan = ATT_NO_ROWS;
	}
	for (i = 0; i < n; i++)
		out->days[offsets[i]] = values[i];
	out->scale = scale;
	out->first_day = first_day;
	out->ndays = ndays;
	return FN_OK;
}
