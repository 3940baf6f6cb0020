/*
 * attainment_text.c
 *		Randomized property test of the attainment text form and per-day
 *		arithmetic (src/attainment_text.c, src/attainment_core.c), built as
 *		plain C with the sanitizers.
 *
 * For random text: a successful parse gives a well-formed window (days with
 * rows at both ends, plans not negative, values within 38 digits, inside
 * the supported days and span) whose canonical text parses back to the
 * identical window and formats to the identical text; a failed parse
 * reports one of the documented statuses with a detail.
 * For random windows: the text round-trips exactly, merging into an empty
 * window at a higher scale equals rescaling, and the summary agrees with a
 * naive recount.
 *
 * usage: attainment_text [iterations [seed]]
 */
#include "attainment_text.h"

#include "fuzz_alloc.h"
#include "property.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long parsed;				/* random texts that parsed */
static long windows;			/* random windows checked */

static bool
put(char *out, size_t *len, size_t cap, const char *piece)
{
	size_t		n = strlen(piece);

	if (*len + n >= cap)
		return false;
	memcpy(out + *len, piece, n);
	*len += n;
	return true;
}

/*
 * Random text: mostly well-formed segments in ascending order of days, with
 * now and then a wrong number, a wrong date, a missing separator or noise.
 */
static size_t
random_text(char *out, size_t cap)
{
	static const char *actuals[] = {
		"0", "1", "12", "-3", "2.5", "0.25", "-0.000000000000000001", "00012.50", "-0",
		"12345678901234567890.5", "3.000"
	};
	static const char *plans[] = {"0", "1", "10", "2.5", "0.125", "000.0", "1000000", "-0"};
	static const char *bad[] = {
		"7.", ".5", "1e3", "100000000000000000000000000000000000000", "1.1234567890123456789",
		"+1", "--1", "", "x", "-1", "99999999999999999999999999999999999999"
	};
	static const char *bad_dates[] = {
		"2026-02-29", "0000-01-01", "2026-13-01", "2026-1-05", "20260105", "9999-12-31"
	};
	static const char *noise[] = {" ", "  ", "\t", ",", "/", ":", "v", "x", "\n", ",,", "-"};
	size_t		len = 0;
	uint32_t	segments = rnd(20) ? 1 + rnd(3) : 0;
	uint32_t	s;
	int32_t		day = ATT_MIN_DAY + (int32_t) rnd(ATT_MAX_DAY - ATT_MIN_DAY);

	/* append a piece while it fits; the text stays NUL-terminated */
#define PUT(str) do { if (!put(out, &len, cap, (str))) goto done; } while (0)
#define NUMBER(list) PUT(rnd(30) ? list[rnd(sizeof(list) / sizeof(list[0]))] \
						 : bad[rnd(sizeof(bad) / sizeof(bad[0]))])

	if (rnd(50) != 0)
		PUT(rnd(50) ? "v1" : "v2");
	for (s = 0; s < segments; s++)
	{
		uint32_t	days = 1 + rnd(6);
		uint32_t	d;

		PUT(rnd(30) ? " " : "");
		if (rnd(40) == 0)
			PUT(bad_dates[rnd(sizeof(bad_dates) / sizeof(bad_dates[0]))]);
		else
		{
			FnBuf		date;

			/* usually later than the last segment, sometimes far or earlier */
			day += rnd(20) ? (int32_t) rnd(10) : (int32_t) rnd(40000) - 2000;
			if (day < ATT_MIN_DAY || day > ATT_MAX_DAY)
				day = ATT_MIN_DAY + (int32_t) rnd(1000);
			fnbuf_init(&date, 16);
			att_format_date(&date, day);
			PUT(date.data);
			day += (int32_t) days;
		}
		PUT(rnd(40) ? ":" : "");
		for (d = 0; d < days; d++)
		{
			if (d > 0)
				PUT(rnd(40) ? "," : "");
			NUMBER(actuals);
			PUT(rnd(40) ? "/" : "");
			NUMBER(plans);
		}
		if (rnd(40) == 0)
			PUT(noise[rnd(sizeof(noise) / sizeof(noise[0]))]);
	}
done:
#undef NUMBER
#undef PUT
	out[len] = '\0';
	return len;
}

static bool
same_view(const AttView *a, const AttView *b)
{
	return a->scale == b->scale && a->first_day == b->first_day && a->ndays == b->ndays &&
		memcmp(a->days, b->days, sizeof(AttDay) * a->ndays) == 0;
}

static bool
well_formed(const AttView *v)
{
	int32_t		i;

	if (v->ndays < 1 || v->ndays > ATT_MAX_SPAN || v->scale < 0 || v->scale > ATT_MAX_SCALE ||
		v->first_day < ATT_MIN_DAY || v->first_day + v->ndays - 1 > ATT_MAX_DAY ||
		v->days[0].plan < 0 || v->days[v->ndays - 1].plan < 0)
		return false;
	for (i = 0; i < v->ndays; i++)
	{
		const AttDay *d = &v->days[i];

		if (d->plan < 0 ? d->plan != ATT_NO_ROWS || d->actual != 0
			: !att_in_range(d->plan) || !att_in_range(d->actual))
			return false;
	}
	return true;
}

/* format, parse back, format again: identical window and text */
static void
check_round_trip(const AttView *v, const char *input, size_t input_len)
{
	FnBuf		text;
	FnBuf		text2;
	AttView		back;
	FnError		err;

	fnbuf_init(&text, 64);
	attainment_format(v, &text);
	if (attainment_parse(text.data, text.len, 16, &back, &err) != FN_OK)
	{
		fail("canonical text does not parse", input, input_len);
		return;
	}
	if (!same_view(v, &back))
		fail("canonical text parses to another attainment", input, input_len);
	fnbuf_init(&text2, 64);
	attainment_format(&back, &text2);
	if (text2.len != text.len || memcmp(text2.data, text.data, text.len) != 0)
		fail("canonical text is not stable", input, input_len);
}

static void
check_text(const char *text, size_t len)
{
	AttView		v;
	FnError		err;
	FnStatus	status = attainment_parse(text, len, 16, &v, &err);

	if (status != FN_OK)
	{
		if (status != FN_SYNTAX && status != FN_RANGE && status != FN_TOO_BIG)
			fail("unexpected parse status", text, len);
		if (err.detail == NULL)
			fail("parse error without detail", text, len);
		return;
	}
	parsed++;
	if (!well_formed(&v))
		fail("parsed attainment is not well-formed", text, len);
	check_round_trip(&v, text, len);
}

static att_int128
random_units(void)
{
	static const int64_t small[] = {0, 1, 2, 3, 5, 10, 100, 12345};
	att_int128	v;

	switch (rnd(4))
	{
		case 0:
			v = small[rnd(8)];
			break;
		case 1:
			v = (att_int128) rnd(1000000) * rnd(1000000);
			break;
		case 2:
			v = att_pow10[rnd(ATT_MAX_DIGITS)] * (1 + rnd(9));
			break;
		default:
			v = (att_int128) rnd(100);
	}
	if (!att_in_range(v))
		v = att_pow10[ATT_MAX_DIGITS] - 1;
	return v;
}

/* A random well-formed window, then its properties. */
static void
check_window(void)
{
	AttView		v;
	AttView		merged;
	AttSummary	s;
	FnError		err;
	int32_t		i;
	int			shift;
	int32_t		days = 0,
				met = 0,
				run = 0,
				longest = 0,
				streak = 0;

	v.scale = (int) rnd(ATT_MAX_SCALE + 1);
	v.ndays = 1 + (int32_t) (rnd(500) == 0 ? rnd(ATT_MAX_SPAN) : rnd(40));
	v.first_day = ATT_MIN_DAY + (int32_t) rnd(ATT_MAX_DAY - ATT_MIN_DAY - v.ndays + 2);
	v.days = fn_alloc(sizeof(AttDay) * v.ndays);
	for (i = 0; i < v.ndays; i++)
	{
		bool		rows = i == 0 || i == v.ndays - 1 || rnd(3) != 0;

		v.days[i].actual = rows ? random_units() * (rnd(4) == 0 ? -1 : 1) : 0;
		v.days[i].plan = rows ? random_units() : ATT_NO_ROWS;
	}
	windows++;
	if (!well_formed(&v))
		fail("generated window is not well-formed", "", 0);
	check_round_trip(&v, "(random window)", 15);

	/* merging into an empty window at a higher scale equals rescaling */
	shift = (int) rnd(ATT_MAX_SCALE - v.scale + 1);
	merged.scale = v.scale + shift;
	merged.first_day = v.first_day;
	merged.ndays = v.ndays;
	merged.days = fn_alloc(sizeof(AttDay) * v.ndays);
	for (i = 0; i < v.ndays; i++)
	{
		merged.days[i].actual = 0;
		merged.days[i].plan = ATT_NO_ROWS;
	}
	if (att_merge(&merged, &v, shift, &err) == FN_OK)
	{
		if (att_rescale(v.days, v.ndays, v.scale, v.scale + shift, &err) != FN_OK)
			fail("merge succeeded where rescale failed", "", 0);
		else
		{
			v.scale += shift;
			if (!same_view(&merged, &v))
				fail("merge into an empty window differs from rescaling", "", 0);
		}
	}
	else if (err.status != FN_RANGE)
		fail("unexpected merge status", "", 0);

	/* the summary against a naive recount of days and streaks */
	if (att_summarize(&v, &s, &err) != FN_OK)
	{
		if (err.status != FN_RANGE)
			fail("unexpected summary status", "", 0);
		return;
	}
	for (i = 0; i < v.ndays; i++)
	{
		if (v.days[i].plan < 0)
			continue;
		days++;
		if (v.days[i].actual >= v.days[i].plan)
		{
			met++;
			run = 0;
			streak = streak > 0 ? streak + 1 : 1;
		}
		else
		{
			run++;
			longest = run > longest ? run : longest;
			streak = streak < 0 ? streak - 1 : -1;
		}
	}
	if (s.days != days || s.days_met != met || s.days_missed != days - met ||
		s.longest_miss_streak != longest || s.current_streak != streak ||
		s.first_day != v.first_day || s.last_day != v.first_day + v.ndays - 1)
		fail("summary differs from a recount", "", 0);
}

int
main(int argc, char **argv)
{
	long		iterations = argc > 1 ? atol(argv[1]) : 100000;
	char		text[4096];
	long		i;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	for (i = 0; i < iterations; i++)
	{
		size_t		len = random_text(text, sizeof(text));

		check_text(text, len);
		if (i % 4 == 0)
			check_window();
		fuzz_alloc_reset();
	}

	/* the span limit, at and past it, and a value longer than any span */
	{
		FnBuf		many;
		AttView		v;
		FnError		err;

		for (i = 0; i < 2; i++)
		{
			long		k;

			fnbuf_init(&many, 16);
			fnbuf_puts(&many, "v1 2000-01-01:");
			for (k = 0; k < ATT_MAX_SPAN + i; k++)
				fnbuf_puts(&many, k ? ",1/1" : "1/1");
			if ((attainment_parse(many.data, many.len, 16, &v, &err) == FN_OK) != (i == 0) ||
				(i == 1 && err.status != FN_TOO_BIG))
				fail("span limit", "", 0);
			fuzz_alloc_reset();
		}
	}

	printf("%ld cases (%ld texts parsed, %ld random windows), %ld failures\n",
		   iterations, parsed, windows, failures);
	return failures == 0 ? 0 : 1;
}
