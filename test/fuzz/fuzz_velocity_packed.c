/*
 * fuzz_velocity_packed.c
 *		libFuzzer target for the packed (stored) form of velocity, which
 *		every function reading a stored value checks with vel_unpack.
 *
 * Properties: vel_unpack never reads past the bytes; a form it accepts
 * passes vel_check, formats to text that parses back to the same velocity
 * (unless a name holds a NUL byte, which only corruption produces), and packs again to a form that unpacks to the same velocity (varints
 * written with redundant continuation bytes are accepted, so the bytes may
 * differ: no operator compares velocity bytes, and the server only writes
 * the minimal form).
 */
#include "fuzz_alloc.h"
#include "velocity_pack.h"
#include "velocity_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so reading one byte too far is caught */
	uint8_t    *in = fn_alloc(size);
	VelData		v;
	VelData		again;
	FnError		err;
	FnBuf		text;
	FnBuf		retext;
	uint8_t    *out;
	size_t		len;
	int			i;

	memcpy(in, data, size);
	if (vel_unpack(in, size, &v, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a rejected form reports a status and a detail", "(binary)", NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (vel_check(&v, &err) != FN_OK)
		fuzz_fail("an accepted packed form passes vel_check", "(binary)", err.detail);
	for (i = 0; i < v.nstages; i++)
		if (v.stages[i].exits > 0)
		{
			(void) vel_stage_quantile(&v.stages[i], 0.9);
			(void) vel_stage_mean(&v.stages[i]);
		}
	fnbuf_init(&text, 64);
	vel_format(&v, &text);
	len = vel_pack_size(&v);
	out = fn_alloc(len);
	vel_pack(&v, out);
	if (len > size)
		fuzz_fail("the minimal packed form is no longer than an accepted one", text.data, NULL);
	if (vel_unpack(out, len, &again, &err) != FN_OK)
		fuzz_fail("a packed form unpacks", text.data, err.detail);
	fnbuf_init(&retext, 64);
	vel_format(&again, &retext);
	if (strcmp(text.data, retext.data) != 0)
		fuzz_fail("a packed form reads back to the same velocity", text.data, retext.data);
	/* a stored name may hold NUL bytes (only corruption makes one), which text cannot carry */
	if (strlen(text.data) == text.len)
	{
		if (vel_parse(text.data, text.len, &again, &err) != FN_OK)
			fuzz_fail("the text of an accepted packed form parses", text.data, err.detail);
		fnbuf_init(&retext, 64);
		vel_format(&again, &retext);
		if (strcmp(text.data, retext.data) != 0)
			fuzz_fail("the text of an accepted packed form reads back to the same velocity",
					  text.data, retext.data);
	}
	fuzz_alloc_reset();
	return 0;
}
