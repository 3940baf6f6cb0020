/*
 * sequence_pattern.c
 *		Parse a sequence pattern (sequence_pattern.h), as plain C.
 *
 * ClickHouse's parser, byte for byte: no white space, numbers of decimal
 * digits with an optional "+", and the first fault reported with its
 * offset.  Unlike ClickHouse, a number too large is an error (ClickHouse
 * wraps it), and a time limit may be an interval in quotes, which the
 * server side converts.
 */
#include "sequence_pattern.h"

/* A decimal number at text[*p], with an optional '+'; false when there is none or it overflows. */
static bool
seq_parse_number(const char *text, size_t len, size_t *p, int64_t *value)
{
	size_t		q = *p;
	int64_t		v = 0;

	if (q < len && text[q] == '+')
		q++;
	if (q >= len || text[q] < '0' || text[q] > '9')
		return false;
	for (; q < len && text[q] >= '0' && text[q] <= '9'; q++)
	{
		int			digit = text[q] - '0';

		if (v > (INT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*p = q;
	*value = v;
	return true;
}

static FnStatus
seq_fail_at(FnError *err, size_t *at, size_t where, const char *detail)
{
	*at = where;
	return fn_fail(err, FN_SYNTAX, detail);
}

/* The operator at text[*p] into a->op. */
static bool
seq_parse_op(const char *text, size_t len, size_t *p, SeqAction *a)
{
	size_t		q = *p;
	bool		eq = q + 1 < len && text[q + 1] == '=';

	if (q >= len)
		return false;
	if (text[q] == '<')
		a->op = eq ? SEQ_LE : SEQ_LT;
	else if (text[q] == '>')
		a->op = eq ? SEQ_GE : SEQ_GT;
	else if (text[q] == '=' && eq)
		a->op = SEQ_EQ;
	else
		return false;
	*p = q + ((eq || a->op == SEQ_EQ) ? 2 : 1);
	return true;
}

/* "(?t OP V)" from text[p], p at the "(". */
static FnStatus
seq_parse_time(const char *text, size_t len, size_t *p, SeqAction *a, FnError *err, size_t *at)
{
	size_t		q = *p + 3;

	a->kind = SEQ_TIME;
	if (!seq_parse_op(text, len, &q, a))
		return seq_fail_at(err, at, q, "An unknown time condition: the operators are <, <=, >, >= and ==.");
	if (q < len && text[q] == '\'')
	{
		size_t		close = q + 1;

		while (close < len && text[close] != '\'')
			close++;
		if (close >= len)
			return seq_fail_at(err, at, q, "The quoted time limit has no closing quote.");
		if (close == q + 1)
			return seq_fail_at(err, at, q, "The quoted time limit is empty.");
		a->quote_at = (int32_t) (q + 1);
		a->quote_len = (int32_t) (close - q - 1);
		q = close + 1;
	}
	else if (!seq_parse_number(text, len, &q, &a->value))
		return seq_fail_at(err, at, q, "The time limit must be a non-negative whole number, or an interval in quotes.");
	if (q >= len || text[q] != ')')
		return seq_fail_at(err, at, q, "A closing parenthesis was expected.");
	*p = q + 1;
	return FN_OK;
}

/* "(?N)" from text[p], p at the "(". */
static FnStatus
seq_parse_event(const char *text, size_t len, size_t *p, SeqAction *a, FnError *err, size_t *at)
{
	size_t		q = *p + 2;
	int64_t		n;

	a->kind = SEQ_EVENT;
	if (!seq_parse_number(text, len, &q, &n))
	{
		size_t		digit = q + (q < len && text[q] == '+');

		/* digits that overflow are a number out of range, not a missing one */
		if (digit >= len || text[digit] < '0' || text[digit] > '9')
			return seq_fail_at(err, at, q, "A condition number was expected.");
		n = 0;
	}
	if (n < 1 || n > SEQ_MAX_CONDS)
		return seq_fail_at(err, at, *p + 2, "The condition number is out of range: conditions are numbered from 1 to at most " FN_STR(SEQ_MAX_CONDS) ".");
	if (q >= len || text[q] != ')')
		return seq_fail_at(err, at, q, "A closing parenthesis was expected.");
	a->cond = (int32_t) n;
	*p = q + 1;
	return FN_OK;
}

/* Number the distinct conditions of the pattern's events: slots, in order of first use. */
static void
seq_assign_slots(SeqPattern *out)
{
	int32_t    *slot_of;
	int			i;

	out->max_cond = 0;
	for (i = 0; i < out->nactions; i++)
		if (out->actions[i].kind == SEQ_EVENT && out->actions[i].cond > out->max_cond)
			out->max_cond = out->actions[i].cond;
	slot_of = fn_alloc(sizeof(int32_t) * (out->max_cond + 1));
	for (i = 0; i <= out->max_cond; i++)
		slot_of[i] = -1;
	out->slot_cond = fn_alloc(sizeof(int32_t) * (out->nactions + 1));
	out->nslots = 0;
	for (i = 0; i < out->nactions; i++)
	{
		SeqAction  *a = &out->actions[i];

		if (a->kind != SEQ_EVENT)
			continue;
		if (slot_of[a->cond] < 0)
		{
			slot_of[a->cond] = out->nslots;
			out->slot_cond[out->nslots++] = a->cond;
		}
		a->slot = slot_of[a->cond];
	}
}

FnStatus
seq_pattern_parse(const char *text, size_t len, SeqPattern *out, FnError *err, size_t *at)
{
	size_t		p = 0;

	memset(out, 0, sizeof(SeqPattern));
	if (len > SEQ_MAX_PATTERN)
	{
		*at = SEQ_MAX_PATTERN;
		return fn_fail(err, FN_TOO_BIG, "A pattern has at most " FN_STR(SEQ_MAX_PATTERN) " bytes.");
	}
	out->actions = fn_alloc(sizeof(SeqAction) * (len + 1));
	memset(out->actions, 0, sizeof(SeqAction) * (len + 1));
	out->actions[0].kind = SEQ_STAR;
	out->actions[0].quote_at = -1;
	out->nactions = 1;
	while (p < len)
	{
		SeqAction  *a = &out->actions[out->nactions];
		FnStatus	status = FN_OK;

		a->quote_at = -1;
		a->at = (int32_t) p;
		if (text[p] == '.')
		{
			bool		star = p + 1 < len && text[p + 1] == '*';

			a->kind = star ? SEQ_STAR : SEQ_ANY;
			p += star ? 2 : 1;
		}
		else if (text[p] != '(')
			return seq_fail_at(err, at, p, "An item starts with ( or a dot.");
		else if (p + 1 >= len || text[p + 1] != '?')
			return seq_fail_at(err, at, p + 1, "A question mark was expected after the opening parenthesis.");
		else if (p + 2 < len && text[p + 2] == 't')
		{
			if (out->actions[out->nactions - 1].kind == SEQ_TIME)
				return seq_fail_at(err, at, p, "A time condition must follow an event, a dot or .*, not another time condition.");
			status = seq_parse_time(text, len, &p, a, err, at);
		}
		else
			status = seq_parse_event(text, len, &p, a, err, at);
		if (status != FN_OK)
			return status;
		out->nactions++;
	}
	seq_assign_slots(out);
	return FN_OK;
}
