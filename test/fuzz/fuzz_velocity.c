/*
 * fuzz_velocity.c
 *		libFuzzer target for the text form of velocity.
 *
 * Properties: the parser never crashes or reads past the input; an accepted
 * velocity passes vel_check, its quantiles and mean are computed without
 * undefined behaviour, its canonical text parses back to the same value
 * (the same canonical text and the same packed bytes), and the packed form
 * unpacks to it again.
 */
#include "fuzz_alloc.h"
#include "velocity_pack.h"
#include "velocity_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *
packed(const VelData *v, size_t *len)
{
	uint8_t    *out;

	*len = vel_pack_size(v);
	out = fn_alloc(*len);
	vel_pack(v, out);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input = fuzz_cstring(data, size);
	VelData		first;
	VelData		again;
	VelData		unpacked;
	FnError		err;
	FnBuf		canonical;
	FnBuf		reformatted;
	uint8_t    *bytes1;
	uint8_t    *bytes2;
	size_t		len1;
	size_t		len2;
	int			i;

	if (vel_parse(input, strlen(input), &first, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (vel_check(&first, &err) != FN_OK)
		fuzz_fail("an accepted velocity passes vel_check", input, err.detail);
	for (i = 0; i < first.nstages; i++)
		if (first.stages[i].exits > 0)
		{
			(void) vel_stage_quantile(&first.stages[i], 0.0);
			(void) vel_stage_quantile(&first.stages[i], 0.5);
			(void) vel_stage_quantile(&first.stages[i], 1.0);
			(void) vel_stage_mean(&first.stages[i]);
		}
	fnbuf_init(&canonical, 64);
	vel_format(&first, &canonical);
	if (vel_parse(canonical.data, canonical.len, &again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical.data);
	fnbuf_init(&reformatted, 64);
	vel_format(&again, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("the canonical form reads back to the same velocity", canonical.data, reformatted.data);
	bytes1 = packed(&first, &len1);
	bytes2 = packed(&again, &len2);
	if (len1 != len2 || memcmp(bytes1, bytes2, len1) != 0)
		fuzz_fail("a text round trip keeps the packed bytes", input, canonical.data);
	if (vel_unpack(bytes1, len1, &unpacked, &err) != FN_OK)
		fuzz_fail("the packed form unpacks", input, err.detail);
	fnbuf_init(&reformatted, 64);
	vel_format(&unpacked, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("the packed form reads back to the same velocity", canonical.data, reformatted.data);
	fuzz_alloc_reset();
	return 0;
}
