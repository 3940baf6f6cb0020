/*
 * funnel_value_text.c
 *		Parse and format the text form of funnel without server dependencies.
 */
#include "funnel_value_text.h"

#include <string.h>

#include "stage_text.h"

void
funnel_table_init(FunnelTable *table)
{
	memset(table, 0, sizeof(FunnelTable));
}

FnStatus
funnel_table_add(FunnelTable *table, int64_t position, int64_t stopped,
				 const char *name, size_t name_len, FnError *err)
{
	if (position < FUNNEL_MIN_POSITION || position > FUNNEL_MAX_POSITION)
		return fn_fail(err, FN_RANGE, "A stage position is " STAGE_POSITION_RANGE ".");
	if (stopped < 1)
		return fn_fail(err, FN_RANGE,
					   "A stage count is a positive integer; stages where no client stopped are left out.");
	if (name_len > FUNNEL_MAX_NAME)
		return fn_fail(err, FN_TOO_LONG, STAGE_NAME_LIMIT);
	if (table->stopped[position] != 0)
		return fn_fail(err, FN_SYNTAX, "A stage position occurs more than once.");
	if (stopped > INT64_MAX - table->total)
		return fn_fail(err, FN_RANGE, "The total count of a funnel exceeds the 64-bit integer range.");
	table->stopped[position] = stopped;
	table->name[position] = name;
	table->name_len[position] = name_len;
	table->total += stopped;
	table->entries++;
	return FN_OK;
}

/* Replace the generic integer-scan complaint with one naming what is expected. */
static FnStatus
scan_integer(FnScan *scan, int64_t *out, const char *what, FnError *err)
{
	FnStatus	status = fnscan_int64(scan, out, err);

	if (status == FN_SYNTAX)
		return fn_fail(err, FN_SYNTAX, what);
	return status;
}

static FnStatus
parse_entry(FnScan *scan, FunnelTable *table, FnError *err)
{
	int64_t		position;
	int64_t		stopped;
	char	   *name = NULL;
	size_t		name_len = 0;

	if (scan_integer(scan, &position,
					 "A stage position, " STAGE_POSITION_RANGE ", is expected.", err) != FN_OK)
		return err->status;
	if (fnscan_accept(scan, ':') &&
		fnscan_token(scan, FUNNEL_NAME_DELIMITERS, FUNNEL_MAX_NAME,
					 &name, &name_len, err) != FN_OK)
	{
		if (err->status == FN_TOO_LONG)
			err->detail = STAGE_NAME_LIMIT;
		return err->status;
	}
	if (!fnscan_accept(scan, '='))
		return fn_fail(err, FN_SYNTAX, "Each stage is followed by \"=\" and its count.");
	if (scan_integer(scan, &stopped, "A stage count, a positive integer, is expected.", err) != FN_OK)
		return err->status;
	return funnel_table_add(table, position, stopped, name, name_len, err);
}

FnStatus
funnel_parse(const char *str, size_t len, FunnelTable *table, FnError *err)
{
	FnScan		scan;
	FnStatus	status;
	int64_t		version;

	funnel_table_init(table);
	fnscan_init(&scan, str, len);
	if (!fnscan_accept(&scan, 'v'))
		return fn_fail(err, FN_SYNTAX, "A funnel starts with its format version, \"v1\".");
	status = fnscan_int64(&scan, &version, err);
	if (status == FN_SYNTAX)
		return fn_fail(err, FN_SYNTAX, "A funnel starts with its format version, \"v1\".");
	if (status != FN_OK || version != FUNNEL_TEXT_VERSION)
		return fn_fail(err, FN_SYNTAX, "Only version 1 of the funnel text form is supported.");
	if (!fnscan_accept(&scan, '{'))
		return fn_fail(err, FN_SYNTAX, "The stages follow the version in braces: \"v1 {1:lead=10}\".");
	if (!fnscan_accept(&scan, '}'))
	{
		for (;;)
		{
			if (parse_entry(&scan, table, err) != FN_OK)
				return err->status;
			if (fnscan_accept(&scan, '}'))
				break;
			if (!fnscan_accept(&scan, ','))
				return fn_fail(err, FN_SYNTAX, "Stages are separated by \",\" and closed by \"}\".");
		}
	}
	if (!fnscan_at_end(&scan))
		return fn_fail(err, FN_SYNTAX, "Nothing may follow the closing brace.");
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}

void
funnel_format(FnBuf *buf, const FunnelEntry *entries, int n)
{
	int			i;

	fnbuf_puts(buf, "v1 {");
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			fnbuf_append(buf, ", ", 2);
		fnbuf_int64(buf, entries[i].position);
		if (entries[i].name_len > 0)
		{
			fnbuf_putc(buf, ':');
			fnbuf_token(buf, entries[i].name, entries[i].name_len, FUNNEL_NAME_DELIMITERS);
		}
		fnbuf_putc(buf, '=');
		fnbuf_int64(buf, entries[i].stopped);
	}
	fnbuf_putc(buf, '}');
}
