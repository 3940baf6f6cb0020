/*
 * flow_text.c
 *		Check, parse and format the flow type without server dependencies.
 */
#include "flow_text.h"

#include <string.h>

#include "stage_text.h"

/* a stage token ends where its parenthesis opens */
#define FLOW_STAGE_DELIMITERS "()"

static FnStatus
check_period(const FlowPeriod *p, FnError *err)
{
	if (p->flags & ~FLOW_PERIOD_FLAGS)
		return fn_fail(err, FN_CORRUPT, "The period has unknown flags.");
	if (((p->flags & FLOW_LOWER_INF) && (p->flags & FLOW_LOWER_INC)) ||
		((p->flags & FLOW_UPPER_INF) && (p->flags & FLOW_UPPER_INC)))
		return fn_fail(err, FN_CORRUPT, "An unbounded side of the period cannot be inclusive.");
	if (((p->flags & FLOW_LOWER_INF) && p->lower != 0) ||
		((p->flags & FLOW_UPPER_INF) && p->upper != 0))
		return fn_fail(err, FN_CORRUPT, "An unbounded side of the period has a bound.");
	if (!fn_timestamptz_ok(p->lower) || !fn_timestamptz_ok(p->upper))
		return fn_fail(err, FN_CORRUPT, "A period bound is out of range for timestamptz.");
	if ((p->flags & (FLOW_LOWER_INF | FLOW_UPPER_INF)) == 0 &&
		(p->lower > p->upper ||
		 (p->lower == p->upper &&
		  (p->flags & (FLOW_LOWER_INC | FLOW_UPPER_INC)) != (FLOW_LOWER_INC | FLOW_UPPER_INC))))
		return fn_fail(err, FN_CORRUPT, "The period is empty.");
	return FN_OK;
}

FnStatus
flow_check(const FlowData *data, FnError *err)
{
	int			s;

	if (check_period(&data->period, err) != FN_OK)
		return err->status;
	if (data->nstages < 0 || data->nstages > STAGE_MAX_POSITION)
		return fn_fail(err, FN_CORRUPT, "A flow holds at most " FN_STR(STAGE_MAX_POSITION) " stages.");
	for (s = 0; s < data->nstages; s++)
	{
		const FlowStage *st = &data->stages[s];
		const FlowCounts *c = &st->counts;

		if (st->position < STAGE_MIN_POSITION || st->position > STAGE_MAX_POSITION)
			return fn_fail(err, FN_CORRUPT, "A stage position is " STAGE_POSITION_RANGE ".");
		if (s > 0 && st->position <= data->stages[s - 1].position)
			return fn_fail(err, FN_CORRUPT, "Stages must be in ascending position, each once.");
		if (st->name_len > STAGE_MAX_NAME)
			return fn_fail(err, FN_CORRUPT, STAGE_NAME_LIMIT);
		if (c->at_start < 0 || c->entered < 0 || c->exited < 0)
			return fn_fail(err, FN_CORRUPT, "A stage's counts cannot be negative.");
		/* at_end = at_start + entered - exited, which must be a count too */
		if (c->at_start > INT64_MAX - c->entered)
			return fn_fail(err, FN_RANGE, "A stage's at_start + entered is out of range for a 64-bit integer.");
		if (c->exited > c->at_start + c->entered)
			return fn_fail(err, FN_CORRUPT,
						   "A stage cannot lose more visits than it had at the start and entered.");
	}
	return FN_OK;
}

FnStatus
flow_split(const char *str, size_t len, const char **period, size_t *period_len,
		   const char **rest, FnError *err)
{
	FnScan		scan;
	bool		quoted = false;

	fnscan_init(&scan, str, len);
	if (!fnscan_accept_word(&scan, FLOW_TEXT_VERSION))
		return fn_fail(err, FN_SYNTAX, "A flow starts with its format version \"v1\".");
	fnscan_skip_space(&scan);
	if (scan.p == scan.end || (*scan.p != '[' && *scan.p != '('))
		return fn_fail(err, FN_SYNTAX,
					   "The format version is followed by the period, a tstzrange such as [2026-01-01,2026-02-01).");
	*period = scan.p;
	/* the range ends at its first closing bracket outside double quotes */
	for (scan.p++; scan.p < scan.end; scan.p++)
	{
		if (quoted && *scan.p == '\\' && scan.p + 1 < scan.end)
			scan.p++;
		else if (*scan.p == '"')
			quoted = !quoted;
		else if (!quoted && (*scan.p == ']' || *scan.p == ')'))
			break;
	}
	if (scan.p == scan.end)
		return fn_fail(err, FN_SYNTAX, "The period ends with \"]\" or \")\".");
	scan.p++;
	*period_len = (size_t) (scan.p - *period);
	*rest = scan.p;
	return FN_OK;
}

static FnStatus
scan_count(FnScan *scan, int64_t *out, FnError *err)
{
	if (fnscan_int64(scan, out, err) != FN_OK)
		return err->status;
	if (*out < 0)
		return fn_fail(err, FN_SYNTAX, "A stage's counts cannot be negative.");
	return FN_OK;
}

static FnStatus
parse_stage(FnScan *scan, FlowStage *st, FnError *err)
{
	char	   *token;
	size_t		token_len;
	StageText	stage;
	int64_t		at_end;

	if (fnscan_token(scan, FLOW_STAGE_DELIMITERS, STAGE_TEXT_MAX - 1, &token, &token_len, err) != FN_OK)
		return err->status;
	if (strlen(token) != token_len)
		return fn_fail(err, FN_SYNTAX, "A stage name cannot contain a zero byte.");
	if (stage_parse(token, &stage, err) != FN_OK)
		return err->status;
	st->position = stage.position;
	st->name = stage.name;
	st->name_len = stage.name_len;
	if (fnscan_expect(scan, '(', "A stage is followed by its four counts in parentheses.", err) != FN_OK ||
		scan_count(scan, &st->counts.at_start, err) != FN_OK ||
		fnscan_expect(scan, ',', "The counts are at_start, entered, exited and at_end, separated by \",\".", err) != FN_OK ||
		scan_count(scan, &st->counts.entered, err) != FN_OK ||
		fnscan_expect(scan, ',', "The counts are at_start, entered, exited and at_end, separated by \",\".", err) != FN_OK ||
		scan_count(scan, &st->counts.exited, err) != FN_OK ||
		fnscan_expect(scan, ',', "The counts are at_start, entered, exited and at_end, separated by \",\".", err) != FN_OK ||
		scan_count(scan, &at_end, err) != FN_OK ||
		fnscan_expect(scan, ')', "A stage's counts end with \")\".", err) != FN_OK)
		return err->status;
	if (st->counts.at_start <= INT64_MAX - st->counts.entered &&
		st->counts.exited <= st->counts.at_start + st->counts.entered &&
		at_end != flow_at_end(&st->counts))
		return fn_fail(err, FN_SYNTAX, "A stage's at_end must equal at_start + entered - exited.");
	return FN_OK;
}

FnStatus
flow_parse_stages(const char *str, size_t len, FlowData *data, FnError *err)
{
	FnScan		scan;

	fnscan_init(&scan, str, len);
	data->nstages = 0;
	data->stages = fn_alloc(STAGE_MAX_POSITION * sizeof(FlowStage));
	while (!fnscan_at_end(&scan))
	{
		if (data->nstages == STAGE_MAX_POSITION)
			return fn_fail(err, FN_SYNTAX, "A flow holds at most " FN_STR(STAGE_MAX_POSITION) " stages.");
		if (parse_stage(&scan, &data->stages[data->nstages], err) != FN_OK)
			return err->status;
		data->nstages++;
	}
	if (flow_check(data, err) != FN_OK)
	{
		/* in text, an inconsistent value is malformed input */
		if (err->status == FN_CORRUPT)
			err->status = FN_SYNTAX;
		return err->status;
	}
	return FN_OK;
}

void
flow_format_stages(const FlowData *data, FnBuf *buf)
{
	char		stage[STAGE_TEXT_MAX];
	int			s;

	for (s = 0; s < data->nstages; s++)
	{
		const FlowStage *st = &data->stages[s];
		size_t		len = stage_format(st->position, st->name, st->name_len, stage);

		fnbuf_putc(buf, ' ');
		fnbuf_token(buf, stage, len, FLOW_STAGE_DELIMITERS);
		fnbuf_putc(buf, '(');
		fnbuf_int64(buf, st->counts.at_start);
		fnbuf_putc(buf, ',');
		fnbuf_int64(buf, st->counts.entered);
		fnbuf_putc(buf, ',');
		fnbuf_int64(buf, st->counts.exited);
		fnbuf_putc(buf, ',');
		fnbuf_int64(buf, flow_at_end(&st->counts));
		fnbuf_putc(buf, ')');
	}
}
