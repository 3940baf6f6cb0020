/*
 * fuzz_flow.c
 *		libFuzzer target for the text form of flow (the part plain C reads:
 *		the version, where the period ends, and the stages).
 *
 * Properties: the parser never crashes or reads past the input; a failed
 * parse reports a status and a detail; an accepted flow passes flow_check,
 * its at_end counts are balanced, and its canonical stages parse back to
 * the same text.  The period text itself is read by tstzrange's input in
 * the server; here every accepted flow gets a fixed valid period.
 */
#include "flow_text.h"
#include "fuzz_alloc.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const FlowPeriod fuzz_period = {0, 86400000000, FLOW_LOWER_INC};

static void
format(const FlowData *flow, FnBuf *buf)
{
	fnbuf_init(buf, 64);
	fnbuf_puts(buf, FLOW_TEXT_VERSION " [x,y)");
	flow_format_stages(flow, buf);
}

/* Parse text as a whole flow; FN_OK with *flow filled, else the status. */
static FnStatus
parse(const char *text, FlowData *flow, FnError *err)
{
	const char *period;
	size_t		period_len;
	const char *rest;

	if (flow_split(text, strlen(text), &period, &period_len, &rest, err) != FN_OK)
		return err->status;
	if (period_len < 2 || (period[period_len - 1] != ')' && period[period_len - 1] != ']'))
		fuzz_fail("the period ends with its closing bracket", text, period);
	flow->period = fuzz_period;
	return flow_parse_stages(rest, strlen(rest), flow, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input = fuzz_cstring(data, size);
	FlowData	first;
	FlowData	again;
	FnError		err;
	FnBuf		canonical;
	FnBuf		reformatted;
	int			i;

	if (parse(input, &first, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	if (flow_check(&first, &err) != FN_OK)
		fuzz_fail("an accepted flow passes flow_check", input, err.detail);
	for (i = 0; i < first.nstages; i++)
		if (flow_at_end(&first.stages[i].counts) < 0)
			fuzz_fail("at_end is a count", input, NULL);
	format(&first, &canonical);
	if (parse(canonical.data, &again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical.data);
	format(&again, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("the canonical form reads back to the same flow", canonical.data, reformatted.data);
	fuzz_alloc_reset();
	return 0;
}
