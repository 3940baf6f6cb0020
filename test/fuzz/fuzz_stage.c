/*
 * fuzz_stage.c
 *		libFuzzer target for the text form of stage.
 *
 * Properties: the parser never crashes or reads past the input; an accepted
 * value is in range, formats to a canonical form that parses back to the
 * same value, and formatting is a fixed point.
 */
#include "fuzz_alloc.h"
#include "stage_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input = fuzz_cstring(data, size);
	StageText	first;
	StageText	again;
	FnError		err;
	char		canonical[STAGE_TEXT_MAX];
	char		reformatted[STAGE_TEXT_MAX];

	if (stage_parse(input, &first, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (first.position < STAGE_MIN_POSITION || first.position > STAGE_MAX_POSITION ||
		first.name_len > STAGE_MAX_NAME)
		fuzz_fail("an accepted stage is in range", input, NULL);
	stage_format(first.position, first.name, first.name_len, canonical);
	if (stage_parse(canonical, &again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical);
	if (again.position != first.position || again.name_len != first.name_len ||
		memcmp(again.name, first.name, first.name_len) != 0)
		fuzz_fail("the canonical form reads back to the same stage", input, canonical);
	stage_format(again.position, again.name, again.name_len, reformatted);
	if (strcmp(canonical, reformatted) != 0)
		fuzz_fail("formatting is a fixed point", canonical, reformatted);
	fuzz_alloc_reset();
	return 0;
}
