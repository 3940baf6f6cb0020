/*
 * velocity_text.c
 *		Parse and format the text form of velocity without server
 *		dependencies.
 */
#include "velocity_text.h"

#include <string.h>

#include "stage_text.h"

/* a stage token ends where its parenthesis opens */
#define VEL_STAGE_DELIMITERS "()"

static FnStatus
scan_u64(FnScan *scan, uint64_t *out, FnError *err)
{
	uint64_t	value = 0;
	int			digits = 0;

	fnscan_skip_space(scan);
	while (scan->p < scan->end && *scan->p >= '0' && *scan->p <= '9')
	{
		unsigned	d = (unsigned) (*scan->p++ - '0');

		if (value > (UINT64_MAX - d) / 10)
			return fn_fail(err, FN_RANGE, "A number in a velocity is out of range.");
		value = value * 10 + d;
		digits++;
	}
	if (digits == 0)
		return fn_fail(err, FN_SYNTAX, "An unsigned integer is expected.");
	*out = value;
	return FN_OK;
}

static FnStatus
scan_count(FnScan *scan, int64_t *out, FnError *err)
{
	uint64_t	value;

	if (scan_u64(scan, &value, err) != FN_OK)
		return err->status;
	if (value > (uint64_t) INT64_MAX)
		return fn_fail(err, FN_RANGE, "A number in a velocity is out of range for a 64-bit integer.");
	*out = (int64_t) value;
	return FN_OK;
}

static FnStatus
scan_u128(FnScan *scan, VelU128 *out, FnError *err)
{
	VelU128		value = {0, 0};
	int			digits = 0;

	fnscan_skip_space(scan);
	while (scan->p < scan->end && *scan->p >= '0' && *scan->p <= '9')
	{
		VelU128		low = vel_u128_mul64(value.lo, 10);
		uint64_t	d = (uint64_t) (*scan->p++ - '0');

		if (value.hi > UINT64_MAX / 10)
			return fn_fail(err, FN_RANGE, "A sum in a velocity is out of range.");
		low.hi += value.hi * 10;
		if (low.hi < value.hi * 10)
			return fn_fail(err, FN_RANGE, "A sum in a velocity is out of range.");
		value = low;
		if (!vel_u128_add(&value, (VelU128) {0, d}))
			return fn_fail(err, FN_RANGE, "A sum in a velocity is out of range.");
		digits++;
	}
	if (digits == 0)
		return fn_fail(err, FN_SYNTAX, "An unsigned integer is expected.");
	*out = value;
	return FN_OK;
}

/* The bucket list after ";" up to and including ")". */
static FnStatus
parse_buckets(FnScan *scan, VelStageData *st, FnError *err)
{
	int			cap = 16;

	st->bucket = fn_alloc(cap * sizeof(uint16_t));
	st->count = fn_alloc(cap * sizeof(int64_t));
	st->nbuckets = 0;
	do
	{
		uint64_t	bucket;
		int64_t		count = 1;

		if (scan_u64(scan, &bucket, err) != FN_OK)
			return err->status;
		if (bucket >= VEL_NBUCKETS)
			return fn_fail(err, FN_SYNTAX, "A duration bucket is out of range.");
		if (fnscan_accept(scan, ':') && scan_count(scan, &count, err) != FN_OK)
			return err->status;
		/* ascending buckets bound the list, and with it the memory */
		if (st->nbuckets > 0 && bucket <= st->bucket[st->nbuckets - 1])
			return fn_fail(err, FN_SYNTAX, "Duration buckets must be in ascending order.");
		if (st->nbuckets == cap)
		{
			uint16_t   *bucket_grown = fn_alloc(2 * cap * sizeof(uint16_t));
			int64_t    *count_grown = fn_alloc(2 * cap * sizeof(int64_t));

			memcpy(bucket_grown, st->bucket, cap * sizeof(uint16_t));
			memcpy(count_grown, st->count, cap * sizeof(int64_t));
			st->bucket = bucket_grown;
			st->count = count_grown;
			cap *= 2;
		}
		st->bucket[st->nbuckets] = (uint16_t) bucket;
		st->count[st->nbuckets] = count;
		st->nbuckets++;
	} while (fnscan_accept(scan, ','));
	return fnscan_expect(scan, ')', "A stage's duration buckets end with \")\".", err);
}

static FnStatus
parse_stage(FnScan *scan, VelStageData *st, FnError *err)
{
	char	   *token;
	size_t		token_len;
	StageText	stage;
	uint64_t	value;

	if (fnscan_token(scan, VEL_STAGE_DELIMITERS, STAGE_TEXT_MAX - 1,
					 &token, &token_len, err) != FN_OK)
		return err->status;
	if (strlen(token) != token_len)
		return fn_fail(err, FN_SYNTAX, "A stage name cannot contain a zero byte.");
	if (stage_parse(token, &stage, err) != FN_OK)
		return err->status;
	memset(st, 0, sizeof(*st));
	st->position = stage.position;
	st->name = stage.name;
	st->name_len = stage.name_len;

	if (fnscan_expect(scan, '(', "A stage is followed by its counts in parentheses.", err) != FN_OK ||
		scan_count(scan, &st->exits, err) != FN_OK ||
		fnscan_expect(scan, ',', "The exits are followed by \",\" and the open visits.", err) != FN_OK ||
		scan_count(scan, &st->open, err) != FN_OK)
		return err->status;
	if (fnscan_accept(scan, ')'))
	{
		if (st->exits != 0)
			return fn_fail(err, FN_SYNTAX,
						   "A stage with exits lists their sum, shortest, longest and buckets.");
		return FN_OK;
	}
	if (fnscan_expect(scan, ',', "The open visits are followed by \",\" and the sum of durations.", err) != FN_OK ||
		scan_u128(scan, &st->sum, err) != FN_OK ||
		fnscan_expect(scan, ',', "The sum is followed by \",\" and the shortest duration.", err) != FN_OK ||
		scan_u64(scan, &value, err) != FN_OK)
		return err->status;
	if (value > (uint64_t) INT64_MAX)
		return fn_fail(err, FN_RANGE, "A duration is out of range.");
	st->min = (int64_t) value;
	if (fnscan_expect(scan, ',', "The shortest duration is followed by \",\" and the longest.", err) != FN_OK ||
		scan_u64(scan, &value, err) != FN_OK)
		return err->status;
	if (value > (uint64_t) INT64_MAX)
		return fn_fail(err, FN_RANGE, "A duration is out of range.");
	st->max = (int64_t) value;
	if (fnscan_expect(scan, ';', "The longest duration is followed by \";\" and the buckets.", err) != FN_OK)
		return err->status;
	return parse_buckets(scan, st, err);
}

FnStatus
vel_parse(const char *str, size_t len, VelData *out, FnError *err)
{
	FnScan		scan;
	int			cap = 8;

	fnscan_init(&scan, str, len);
	if (!fnscan_accept_word(&scan, VEL_TEXT_VERSION))
		return fn_fail(err, FN_SYNTAX, "A velocity starts with its format version \"v1\".");
	if (scan.p < scan.end && *scan.p != ' ' && *scan.p != '\t' && *scan.p != '\n' && *scan.p != '\r')
		return fn_fail(err, FN_SYNTAX, "The format version is followed by a space.");

	out->nstages = 0;
	out->stages = fn_alloc(cap * sizeof(VelStageData));
	while (!fnscan_at_end(&scan))
	{
		if (out->nstages == STAGE_MAX_POSITION)
			return fn_fail(err, FN_SYNTAX, "A velocity holds at most " FN_STR(STAGE_MAX_POSITION) " stages.");
		if (out->nstages == cap)
		{
			VelStageData *grown = fn_alloc(2 * cap * sizeof(VelStageData));

			memcpy(grown, out->stages, cap * sizeof(VelStageData));
			out->stages = grown;
			cap *= 2;
		}
		if (parse_stage(&scan, &out->stages[out->nstages], err) != FN_OK)
			return err->status;
		out->nstages++;
	}
	if (vel_check(out, err) != FN_OK)
	{
		/* in text, an inconsistent value is malformed input */
		if (err->status == FN_CORRUPT)
			err->status = FN_SYNTAX;
		return err->status;
	}
	return FN_OK;
}

static void
format_u128(FnBuf *buf, VelU128 value)
{
	char		digits[40];
	int			n = 0;

	/* divide by ten in 32-bit limbs so no 128-bit arithmetic is needed */
	do
	{
		uint32_t	limb[4] = {(uint32_t) (value.hi >> 32), (uint32_t) value.hi,
		(uint32_t) (value.lo >> 32), (uint32_t) value.lo};
		uint64_t	rem = 0;
		int			i;

		for (i = 0; i < 4; i++)
		{
			uint64_t	cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t) (cur / 10);
			rem = cur % 10;
		}
		digits[n++] = (char) ('0' + rem);
		value.hi = ((uint64_t) limb[0] << 32) | limb[1];
		value.lo = ((uint64_t) limb[2] << 32) | limb[3];
	} while (value.hi != 0 || value.lo != 0);
	while (n > 0)
		fnbuf_putc(buf, digits[--n]);
}

void
vel_format(const VelData *data, FnBuf *buf)
{
	char		stage[STAGE_TEXT_MAX];
	int			s;

	fnbuf_puts(buf, VEL_TEXT_VERSION);
	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *st = &data->stages[s];
		size_t		len = stage_format(st->position, st->name, st->name_len, stage);
		int			i;

		fnbuf_putc(buf, ' ');
		fnbuf_token(buf, stage, len, VEL_STAGE_DELIMITERS);
		fnbuf_putc(buf, '(');
		fnbuf_int64(buf, st->exits);
		fnbuf_putc(buf, ',');
		fnbuf_int64(buf, st->open);
		if (st->exits > 0)
		{
			fnbuf_putc(buf, ',');
			format_u128(buf, st->sum);
			fnbuf_putc(buf, ',');
			fnbuf_int64(buf, st->min);
			fnbuf_putc(buf, ',');
			fnbuf_int64(buf, st->max);
			fnbuf_putc(buf, ';');
			for (i = 0; i < st->nbuckets; i++)
			{
				if (i > 0)
					fnbuf_putc(buf, ',');
				fnbuf_int64(buf, st->bucket[i]);
				if (st->count[i] != 1)
				{
					fnbuf_putc(buf, ':');
					fnbuf_int64(buf, st->count[i]);
				}
			}
		}
		fnbuf_putc(buf, ')');
	}
}
