/*
 * fuzz_wf_mode.c
 *		libFuzzer target for the mode argument of window_funnel.
 *
 * Properties: the parser never crashes or reads past the input (which is
 * not NUL-terminated); an accepted mode has only known flags; a rejected one
 * points at its offending name inside the input.
 */
#include "fuzz_alloc.h"
#include "window_funnel_mode.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy without a terminator, as text datums come */
	char	   *input = fn_alloc(size);
	uint32_t	flags = 0;
	const char *bad = NULL;
	size_t		bad_len = 0;
	FnError		err;
	static WfModeItems items;

	memcpy(input, data, size);
	if (wf_mode_parse(input, size, &flags, &items, &bad, &bad_len, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL || bad == NULL ||
			bad < input || bad + bad_len > input + size)
			fuzz_fail("a rejected mode names its offending part", "(mode)", NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if ((flags & ~(uint32_t) WF_MODE_ALL) != 0)
		fuzz_fail("an accepted mode has only known flags", "(mode)", NULL);
	if (wf_mode_check(flags, &err) != FN_OK && (err.status == FN_OK || err.detail == NULL))
		fuzz_fail("a rejected combination reports a detail", "(mode)", NULL);
	fuzz_alloc_reset();
	return 0;
}
