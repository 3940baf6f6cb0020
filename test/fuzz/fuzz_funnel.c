/*
 * fuzz_funnel.c
 *		libFuzzer target for the text form of funnel.
 *
 * Properties: the parser never crashes or reads past the input; an accepted
 * funnel is in range (positions 1..255 once each, counts >= 1, total within
 * int64), formats to a canonical text that parses back to the same entries,
 * and formatting is a fixed point.
 */
#include "fuzz_alloc.h"
#include "funnel_value_text.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
format_table(const FunnelTable *t, FnBuf *out)
{
	FunnelEntry entries[FUNNEL_MAX_POSITION];
	int			n = 0;
	int			p;

	for (p = FUNNEL_MIN_POSITION; p <= FUNNEL_MAX_POSITION; p++)
		if (t->stopped[p] != 0)
		{
			entries[n].position = p;
			entries[n].stopped = t->stopped[p];
			entries[n].name = t->name[p];
			entries[n].name_len = t->name_len[p];
			n++;
		}
	fnbuf_init(out, 64);
	funnel_format(out, entries, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input = fuzz_cstring(data, size);
	FunnelTable *first = fn_alloc(sizeof(FunnelTable));
	FunnelTable *again = fn_alloc(sizeof(FunnelTable));
	FnError		err;
	FnBuf		canonical;
	FnBuf		reformatted;
	int64_t		total = 0;
	int			entries = 0;
	int			p;

	if (funnel_parse(input, strlen(input), first, &err) != FN_OK)
	{
		if (err.status == FN_OK || err.detail == NULL)
			fuzz_fail("a failed parse reports a status and a detail", input, NULL);
		fuzz_alloc_reset();
		return 0;
	}
	for (p = 0; p <= FUNNEL_MAX_POSITION; p++)
	{
		if (first->stopped[p] == 0)
			continue;
		if (p < FUNNEL_MIN_POSITION || first->stopped[p] < 1 || first->name_len[p] > FUNNEL_MAX_NAME)
			fuzz_fail("an accepted funnel is in range", input, NULL);
		total += first->stopped[p];
		entries++;
	}
	if (total != first->total || entries != first->entries)
		fuzz_fail("the totals of an accepted funnel add up", input, NULL);
	format_table(first, &canonical);
	if (funnel_parse(canonical.data, canonical.len, again, &err) != FN_OK)
		fuzz_fail("the canonical form parses", input, canonical.data);
	for (p = 0; p <= FUNNEL_MAX_POSITION; p++)
		if (again->stopped[p] != first->stopped[p] || again->name_len[p] != first->name_len[p] ||
			(first->name_len[p] > 0 && memcmp(again->name[p], first->name[p], first->name_len[p]) != 0))
			fuzz_fail("the canonical form reads back to the same funnel", input, canonical.data);
	format_table(again, &reformatted);
	if (strcmp(canonical.data, reformatted.data) != 0)
		fuzz_fail("formatting is a fixed point", canonical.data, reformatted.data);
	fuzz_alloc_reset();
	return 0;
}
