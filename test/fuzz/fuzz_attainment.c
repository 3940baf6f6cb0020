/*
 * fuzz_attainment.c
 *		libFuzzer target for the text form of attainment.
 *
 * Properties: the parser never crashes or reads past the input; an accepted
 * attainment has a window within the documented limits, summarises without
 * error or undefined behaviour, formats to a canonical text that parses back
 * to the same days, scale and sums, and formatting is a fixed point.
 */
#include "fuzz_alloc.h"
#include "attainment_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input = fuzz_cstring(data, size);
	AttView		first;
	AttView		again;
	AttSummary	summary;
	FnError		err;
	FnBuf		canonical;
	FnBuf		reformatted;
	int32_t		lo;
	int32_t		hi;
	int32_t		lo2;
	int32_t		hi2;

	if (attainment_parse(input, strlen(input), 16, &first, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (first.scale < 0 || first.scale > ATT_MAX_SCALE || first.ndays < 0 ||
		first.ndays > ATT_MAX_SPAN ||
		(first.ndays > 0 && (first.first_day < ATT_MIN_DAY ||
							 first.first_day + first.ndays - 1 > ATT_MAX_DAY)))
		fuzz_fail("an accepted attainment is within the limits", input, NULL);
	/* totals beyond 38 digits are a clean range error of the reports */
	if (att_summarize(&first, &summary, &err) != FN_OK && err.status != FN_RANGE)
		fuzz_fail("an accepted attainment summarises", input, err.detail);
	fnbuf_init(&canonical, 64);
	attainment_format(&first, &canonical);
	if (attainment_parse(canonical.data, canonical.len, 0, &again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical.data);
	if (again.scale != first.scale)
		fuzz_fail("the canonical form keeps the scale", input, canonical.data);
	if (att_row_range(&first, &lo, &hi) != att_row_range(&again, &lo2, &hi2))
		fuzz_fail("the canonical form keeps the days with rows", input, canonical.data);
	fnbuf_init(&reformatted, 64);
	attainment_format(&again, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("formatting is a fixed point", canonical.data, reformatted.data);
	fuzz_alloc_reset();
	return 0;
}
