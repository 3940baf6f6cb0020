/*
 * bar.c
 *		bar(x, min, max, width): ClickHouse's bar, x drawn on the scale
 *		[min, max] as full blocks and one partial block in eighths.
 *
 * As ClickHouse computes it: x is clamped to [min, max], the bar is
 * (x - min) * width / (max - min) characters long, cut down to whole
 * eighths (never rounded up), so max draws exactly width full blocks and a
 * value just above min may draw nothing.  A NaN x draws nothing.
 */
#include "postgres.h"

#include "bar.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(bar);

/* U+2588 full block, then U+258F .. U+2589: 1/8 to 7/8 of a block (UTF-8) */
#define BAR_FULL "\xe2\x96\x88"
#define BAR_CHAR_BYTES 3
static const char *const bar_eighths[8] = {
	"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
	"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89"
};

void
fn_bar_check_width(int width)
{
	if (width < 1 || width > FN_BAR_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bar width %d is out of range", width),
				 errdetail("A bar is 1 to %d characters wide.", FN_BAR_MAX_WIDTH)));
}

static void
bar_check_scale(double min, double max)
{
	if (!isfinite(min) || !isfinite(max))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bar scale [%g, %g] is not finite", min, max),
				 errdetail("The bar of max is the full width; it needs finite bounds.")));
	if (max <= min)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bar max %g is not greater than min %g", max, min),
				 errdetail("The bar of max is the full width and the bar of min is empty.")));
}

/* the bar's length in eighths of a character: 0 .. 8 * width */
static int
bar_eighths_of(double x, double min, double max, int width)
{
	double		offset = x - min;
	double		span = max - min;
	double		chars;

	if (isnan(x) || x <= min)
		return 0;
	if (x >= max)
		return 8 * width;
	/* bounds far apart: halved, the differences are finite */
	if (isinf(span))
	{
		offset = x * 0.5 - min * 0.5;
		span = max * 0.5 - min * 0.5;
	}
	/* ClickHouse's order of operations, so integral scales agree exactly */
	chars = offset * width / span;
	if (isinf(chars))
		chars = offset / span * width;
	return Min((int) floor(chars * 8.0), 8 * width);
}

text *
fn_bar(double x, double min, double max, int width)
{
	int			eighths;
	char	   *utf8;
	char	   *p;
	char	   *drawn;
	int			i;

	fn_bar_check_width(width);
	bar_check_scale(min, max);
	eighths = bar_eighths_of(x, min, max, width);
	p = utf8 = palloc((eighths / 8 + 1) * BAR_CHAR_BYTES + 1);
	for (i = 0; i < eighths / 8; i++)
	{
		memcpy(p, BAR_FULL, BAR_CHAR_BYTES);
		p += BAR_CHAR_BYTES;
	}
	p += strlen(strcpy(p, bar_eighths[eighths % 8]));
	/* 22P05 in an encoding without the block characters */
	drawn = pg_any_to_server(utf8, p - utf8, PG_UTF8);
	return cstring_to_text(drawn);
}

/* bar(x, min, max, width DEFAULT 80): STRICT */
Datum
bar(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(fn_bar(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
							PG_GETARG_FLOAT8(2), PG_GETARG_INT32(3)));
}
