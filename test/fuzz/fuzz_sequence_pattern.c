/*
 * fuzz_sequence_pattern.c
 *		libFuzzer target for the pattern of sequence_match, sequence_count
 *		and sequence_match_times (seq_pattern_parse).
 *
 * Properties: the parser never crashes or reads past the input (an
 * exact-size copy, as text datums come); an accepted pattern is well formed
 * (an implicit .* first, no two time conditions in a row, conditions in
 * range with consistent slots, quoted limits inside the input, no white
 * space outside quotes); it prints to a canonical text that parses to the
 * same actions, a fixed point; the pattern twice in a row parses to its
 * actions twice (or fails only for a time condition after a time
 * condition); a rejection names a detail and a position inside the faulty
 * item, at a character's first byte.  A recognizer of the grammar written
 * here, as a state machine, must accept exactly what the parser accepts,
 * with the same items.
 */
#include "fuzz_alloc.h"
#include "sequence_pattern.h"

#include <stdio.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An item as the recognizer sees it. */
typedef struct RecItem
{
	uint8_t		kind;			/* SeqActionKind */
	uint8_t		op;				/* SEQ_TIME */
	bool		quoted;			/* SEQ_TIME */
	int64_t		number;			/* SEQ_EVENT: N; SEQ_TIME unquoted: V */
	size_t		at;
} RecItem;

typedef enum RecState
{
	R_ITEM,						/* before an item */
	R_DOT,						/* after "." */
	R_OPEN,						/* after "(" */
	R_QMARK,					/* after "(?" */
	R_EVENT_SIGN,				/* after "(?+" */
	R_EVENT_DIGITS,
	R_TIME,						/* after "(?t"; from here on rec_time's states */
	R_TIME_LTGT,				/* after "(?t<" or "(?t>" */
	R_TIME_EQ,					/* after "(?t=" */
	R_VALUE,					/* before V */
	R_VALUE_SIGN,
	R_VALUE_DIGITS,
	R_QUOTE_FIRST,				/* after the opening quote */
	R_QUOTE,
	R_QUOTE_END					/* after the closing quote */
} RecState;

static const char *const op_text[] = {"<", "<=", ">", ">=", "=="};

/* Whether the n digits at d, as a decimal number, are at most limit (digits too). */
static bool
digits_at_most(const char *d, size_t n, const char *limit)
{
	size_t		limit_len = strlen(limit);

	while (n > 0 && *d == '0')
	{
		d++;
		n--;
	}
	if (n != limit_len)
		return n < limit_len;
	return memcmp(d, limit, n) <= 0;
}

static int64_t
digits_value(const char *d, size_t n)
{
	uint64_t	v = 0;

	while (n-- > 0)
		v = v * 10 + (uint64_t) (*d++ - '0');
	return (int64_t) v;
}

/* Whether the digits at d make a condition number: 1 to SEQ_MAX_CONDS. */
static bool
event_number_ok(const char *d, size_t n)
{
	return digits_at_most(d, n, FN_STR(SEQ_MAX_CONDS)) && !digits_at_most(d, n, "0");
}

/* The recognizer's machine. */
typedef struct Rec
{
	RecState	st;
	bool		after_time;		/* the last item is a time condition */
	size_t		digits;			/* where the current number's digits start */
	RecItem    *items;
	int			nitems;
	size_t		item_at;		/* where the current item starts */
} Rec;

typedef enum RecStep
{
	STEP_NEXT,					/* the byte is taken */
	STEP_AGAIN,					/* the byte is for the new state */
	STEP_ACCEPT,
	STEP_DEAD
} RecStep;

/* One byte (c, or the end of the input) outside a time condition. */
static RecStep
rec_item(Rec *r, const char *s, size_t i, bool end, char c)
{
	RecItem    *cur = r->nitems > 0 ? &r->items[r->nitems - 1] : NULL;
	bool		digit = !end && c >= '0' && c <= '9';

	switch (r->st)
	{
		case R_ITEM:
			if (end)
				return STEP_ACCEPT;
			cur = &r->items[r->nitems++];
			memset(cur, 0, sizeof(RecItem));
			cur->at = r->item_at = i;
			r->st = c == '.' ? R_DOT : R_OPEN;
			return (c == '.' || c == '(') ? STEP_NEXT : STEP_DEAD;
		case R_DOT:
			r->after_time = false;
			r->st = R_ITEM;
			cur->kind = (!end && c == '*') ? SEQ_STAR : SEQ_ANY;
			return cur->kind == SEQ_STAR ? STEP_NEXT : STEP_AGAIN;
		case R_OPEN:
			r->st = R_QMARK;
			return (!end && c == '?') ? STEP_NEXT : STEP_DEAD;
		case R_QMARK:
			cur->kind = SEQ_EVENT;
			r->digits = i;
			if (!end && c == 't' && !r->after_time)
			{
				cur->kind = SEQ_TIME;
				r->st = R_TIME;
			}
			else if (!end && c == '+')
			{
				r->digits = i + 1;
				r->st = R_EVENT_SIGN;
			}
			else if (digit)
				r->st = R_EVENT_DIGITS;
			else
				return STEP_DEAD;
			return STEP_NEXT;
		case R_EVENT_SIGN:
			r->st = R_EVENT_DIGITS;
			return digit ? STEP_NEXT : STEP_DEAD;
		case R_EVENT_DIGITS:
			if (digit)
				return STEP_NEXT;
			if (end || c != ')' || !event_number_ok(s + r->digits, i - r->digits))
				return STEP_DEAD;
			cur->number = digits_value(s + r->digits, i - r->digits);
			r->after_time = false;
			r->st = R_ITEM;
			return STEP_NEXT;
		default:
			return STEP_DEAD;	/* a time condition's state: rec_time's, never here */
	}
}

/* One byte (c, or the end of the input) inside a time condition, after "(?t". */
static RecStep
rec_time(Rec *r, const char *s, size_t i, bool end, char c)
{
	RecItem    *cur = r->nitems > 0 ? &r->items[r->nitems - 1] : NULL;
	bool		digit = !end && c >= '0' && c <= '9';

	switch (r->st)
	{
		case R_TIME:
			if (end || (c != '<' && c != '>' && c != '='))
				return STEP_DEAD;
			cur->op = c == '<' ? SEQ_LT : c == '>' ? SEQ_GT : SEQ_EQ;
			r->st = c == '=' ? R_TIME_EQ : R_TIME_LTGT;
			return STEP_NEXT;
		case R_TIME_LTGT:
			r->st = R_VALUE;
			if (end || c != '=')
				return STEP_AGAIN;
			cur->op = cur->op == SEQ_LT ? SEQ_LE : SEQ_GE;
			return STEP_NEXT;
		case R_TIME_EQ:
			r->st = R_VALUE;
			return (!end && c == '=') ? STEP_NEXT : STEP_DEAD;
		case R_VALUE:
			r->digits = i + (!end && c == '+');
			r->st = (!end && c == '\'') ? R_QUOTE_FIRST : (!end && c == '+') ? R_VALUE_SIGN : R_VALUE_DIGITS;
			cur->quoted = r->st == R_QUOTE_FIRST;
			return (digit || (!end && (c == '\'' || c == '+'))) ? STEP_NEXT : STEP_DEAD;
		case R_VALUE_SIGN:
			r->st = R_VALUE_DIGITS;
			return digit ? STEP_NEXT : STEP_DEAD;
		case R_VALUE_DIGITS:
			if (digit)
				return STEP_NEXT;
			if (end || c != ')' || !digits_at_most(s + r->digits, i - r->digits, "9223372036854775807"))
				return STEP_DEAD;
			cur->number = digits_value(s + r->digits, i - r->digits);
			break;
		case R_QUOTE_FIRST:
		case R_QUOTE:
			if (end || (r->st == R_QUOTE_FIRST && c == '\''))
				return STEP_DEAD;
			r->st = c == '\'' ? R_QUOTE_END : R_QUOTE;
			return STEP_NEXT;
		case R_QUOTE_END:
			if (end || c != ')')
				return STEP_DEAD;
			break;
		default:
			return STEP_DEAD;	/* an item's state: rec_item's, never here */
	}
	r->after_time = true;
	r->st = R_ITEM;
	return STEP_NEXT;
}

/*
 * Recognize s[0..len) with the grammar's state machine; the items into
 * items (room for len of them).  On rejection *dead is where the machine
 * stopped (len at the end of the input) and *item_at where its item began.
 */
static bool
recognize(const char *s, size_t len, RecItem *items, int *nitems, size_t *dead, size_t *item_at)
{
	Rec			r = {R_ITEM, false, 0, items, 0, 0};
	size_t		i = 0;
	RecStep		step;

	do
	{
		bool		end = i == len;
		char		c = end ? '\0' : s[i];

		step = r.st >= R_TIME ? rec_time(&r, s, i, end, c) : rec_item(&r, s, i, end, c);
		if (step == STEP_NEXT)
			i++;
	} while (step == STEP_NEXT || step == STEP_AGAIN);
	*nitems = r.nitems;
	*dead = i;
	*item_at = r.item_at;
	return step == STEP_ACCEPT;
}

/* Whether s[0..len) is well-formed UTF-8 (shortest forms, no surrogates, up to U+10FFFF). */
static bool
valid_utf8(const uint8_t *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		uint8_t		c = s[i];
		size_t		n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 :
			c >= 0xF0 && c <= 0xF4 ? 4 : 0;
		uint8_t		lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
		uint8_t		hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
		size_t		k;

		if (n == 0 || i + n > len)
			return false;
		for (k = 1; k < n; k++)
			if (s[i + k] < (k == 1 ? lo : 0x80) || s[i + k] > (k == 1 ? hi : 0xBF))
				return false;
		i += n;
	}
	return true;
}

/* The properties of an accepted pattern on its own. */
static void
check_accepted(const char *input, size_t len, const char *shown, const SeqPattern *pat)
{
	static bool seen[SEQ_MAX_CONDS + 1];
	int32_t		max_cond = 0;
	int			next_slot = 0;
	size_t		outside = 0;
	int			i;

	if (pat->nactions < 1 || (size_t) pat->nactions > len + 1 || pat->actions[0].kind != SEQ_STAR)
		fuzz_fail("a pattern starts with the implicit .* and has at most one action a byte", shown, NULL);
	for (i = 1; i < pat->nactions; i++)
	{
		const SeqAction *a = &pat->actions[i];
		size_t		at = (size_t) a->at;

		if (a->at < 0 || at >= len || (i > 1 && a->at <= pat->actions[i - 1].at) ||
			input[at] != (a->kind == SEQ_STAR || a->kind == SEQ_ANY ? '.' : '('))
			fuzz_fail("each action starts at its own byte, in order", shown, NULL);
		if (a->kind == SEQ_TIME)
		{
			if (a->op > SEQ_EQ || pat->actions[i - 1].kind == SEQ_TIME)
				fuzz_fail("a time condition has an operator and does not follow one", shown, NULL);
			if (a->quote_at < 0 ? (a->quote_at != -1 || a->value < 0) :
				(a->quote_len < 1 || (size_t) a->quote_at <= at ||
				 (size_t) a->quote_at + a->quote_len + 1 >= len ||
				 input[a->quote_at - 1] != '\'' || input[a->quote_at + a->quote_len] != '\'' ||
				 input[a->quote_at + a->quote_len + 1] != ')' ||
				 memchr(input + a->quote_at, '\'', a->quote_len) != NULL))
				fuzz_fail("a time limit is a non-negative number or a quoted span inside the input", shown, NULL);
			if (a->quote_at >= 0)
			{
				/* white space is allowed only inside the quotes */
				for (; outside < (size_t) a->quote_at; outside++)
					if (fn_is_space(input[outside]))
						fuzz_fail("no white space outside quotes", shown, NULL);
				outside = (size_t) a->quote_at + a->quote_len;
			}
		}
		else if (a->kind == SEQ_EVENT)
		{
			if (a->cond < 1 || a->cond > SEQ_MAX_CONDS || a->slot < 0 || a->slot >= pat->nslots ||
				pat->slot_cond[a->slot] != a->cond || a->slot > next_slot)
				fuzz_fail("an event's condition is in range and its slot names it", shown, NULL);
			if (a->slot == next_slot)
			{
				if (seen[a->cond])
					fuzz_fail("slots number distinct conditions in order of first use", shown, NULL);
				seen[a->cond] = true;
				next_slot++;
			}
			if (a->cond > max_cond)
				max_cond = a->cond;
		}
		else if (a->kind != SEQ_STAR && a->kind != SEQ_ANY)
			fuzz_fail("an action has a known kind", shown, NULL);
	}
	for (; outside < len; outside++)
		if (fn_is_space(input[outside]))
			fuzz_fail("no white space outside quotes", shown, NULL);
	for (i = 0; i < pat->nslots && i < next_slot; i++)
		seen[pat->slot_cond[i]] = false;
	if (pat->nslots != next_slot || pat->max_cond != max_cond)
		fuzz_fail("nslots and max_cond summarize the actions", shown, NULL);
}

/* Append n bytes at p to out (room enough) at *len. */
static void
append(char *out, size_t *len, const char *p, size_t n)
{
	memcpy(out + *len, p, n);
	*len += n;
}

/* The canonical text of pat (parsed from input): no '+', no leading zeros. */
static char *
print_pattern(const SeqPattern *pat, const char *input, size_t *len)
{
	size_t		room = 1;
	char	   *out;
	char		number[32];
	int			i;

	for (i = 1; i < pat->nactions; i++)
		room += 32 + (pat->actions[i].quote_at >= 0 ? (size_t) pat->actions[i].quote_len : 0);
	out = fn_alloc(room);
	*len = 0;
	for (i = 1; i < pat->nactions; i++)
	{
		const SeqAction *a = &pat->actions[i];

		if (a->kind == SEQ_STAR || a->kind == SEQ_ANY)
			append(out, len, ".*", a->kind == SEQ_STAR ? 2 : 1);
		else if (a->kind == SEQ_EVENT)
			append(out, len, number, (size_t) snprintf(number, sizeof(number), "(?%d)", (int) a->cond));
		else
		{
			append(out, len, "(?t", 3);
			append(out, len, op_text[a->op], strlen(op_text[a->op]));
			if (a->quote_at >= 0)
			{
				/* the quoted bytes as they are: they may hold a NUL */
				append(out, len, "'", 1);
				append(out, len, input + a->quote_at, (size_t) a->quote_len);
				append(out, len, "'", 1);
			}
			else
				append(out, len, number, (size_t) snprintf(number, sizeof(number), "%lld", (long long) a->value));
			append(out, len, ")", 1);
		}
	}
	return out;
}

/* Whether action x of a (text ta) and action y of b (text tb) are the same, positions aside. */
static bool
same_action(const SeqAction *x, const char *ta, const SeqAction *y, const char *tb)
{
	if (x->kind != y->kind)
		return false;
	if (x->kind == SEQ_EVENT)
		return x->cond == y->cond && x->slot == y->slot;
	if (x->kind != SEQ_TIME)
		return true;
	if (x->op != y->op || (x->quote_at < 0) != (y->quote_at < 0))
		return false;
	if (x->quote_at < 0)
		return x->value == y->value;
	return x->quote_len == y->quote_len &&
		memcmp(ta + x->quote_at, tb + y->quote_at, x->quote_len) == 0;
}

/* The recognizer's items are the parser's actions. */
static void
check_items(const SeqPattern *pat, const RecItem *items, int nitems, const char *shown)
{
	int			i;

	if (nitems != pat->nactions - 1)
		fuzz_fail("the recognizer finds as many items as the parser", shown, NULL);
	for (i = 0; i < nitems; i++)
	{
		const SeqAction *a = &pat->actions[i + 1];
		const RecItem *r = &items[i];

		if (r->kind != a->kind || r->at != (size_t) a->at ||
			(a->kind == SEQ_EVENT && r->number != a->cond) ||
			(a->kind == SEQ_TIME && (r->op != a->op || r->quoted != (a->quote_at >= 0) ||
									 (!r->quoted && r->number != a->value))))
			fuzz_fail("the recognizer's items are the parser's actions", shown, NULL);
	}
}

/* The canonical text parses to the same actions, and prints the same again. */
static void
check_round_trip(const char *input, const SeqPattern *pat, const char *shown)
{
	SeqPattern	again;
	FnError		err;
	size_t		at;
	size_t		len;
	size_t		len2;
	char	   *canonical = print_pattern(pat, input, &len);
	char	   *reprinted;
	int			i;

	if (seq_pattern_parse(canonical, len, &again, &err, &at) != FN_OK)
		fuzz_fail("the canonical text parses", shown, canonical);
	if (again.nactions != pat->nactions || again.nslots != pat->nslots ||
		again.max_cond != pat->max_cond)
		fuzz_fail("the canonical text has the same actions", shown, canonical);
	for (i = 0; i < pat->nactions; i++)
		if (!same_action(&pat->actions[i], input, &again.actions[i], canonical))
			fuzz_fail("the canonical text has the same actions", shown, canonical);
	reprinted = print_pattern(&again, canonical, &len2);
	if (len2 != len || memcmp(reprinted, canonical, len) != 0)
		fuzz_fail("printing is a fixed point", canonical, reprinted);
}

/*
 * The pattern twice in a row: its actions twice, or a rejection at the
 * second copy's first item when a time condition would follow one.
 */
static void
check_doubled(const char *input, size_t len, const SeqPattern *pat, const char *shown)
{
	char	   *twice = fn_alloc(2 * len);
	SeqPattern	both;
	FnError		err;
	size_t		at;
	int			n = pat->nactions - 1;
	bool		clash = n > 0 && pat->actions[1].kind == SEQ_TIME && pat->actions[n].kind == SEQ_TIME;
	int			i;

	if (n == 0 || 2 * len > SEQ_MAX_PATTERN)
		return;
	memcpy(twice, input, len);
	memcpy(twice + len, input, len);
	if (seq_pattern_parse(twice, 2 * len, &both, &err, &at) != FN_OK)
	{
		if (!clash || at != len || err.status != FN_SYNTAX)
			fuzz_fail("a pattern twice is rejected only for two time conditions in a row", shown, err.detail);
		return;
	}
	if (clash || both.nactions != 2 * n + 1 || both.nslots != pat->nslots || both.max_cond != pat->max_cond)
		fuzz_fail("a pattern twice has its actions twice", shown, NULL);
	for (i = 1; i <= 2 * n; i++)
		if (!same_action(&pat->actions[(i - 1) % n + 1], input, &both.actions[i], twice) ||
			both.actions[i].at != pat->actions[(i - 1) % n + 1].at + (i > n ? (int32_t) len : 0))
			fuzz_fail("a pattern twice has its actions twice", shown, NULL);
}

/* The limit on the pattern's bytes, once: the fuzzer's inputs are shorter. */
static void
check_limit_once(void)
{
	static bool done;
	char	   *dots;
	SeqPattern	pat;
	FnError		err;
	size_t		at;

	if (done)
		return;
	done = true;
	dots = fn_alloc(SEQ_MAX_PATTERN + 1);
	memset(dots, '.', SEQ_MAX_PATTERN + 1);
	if (seq_pattern_parse(dots, SEQ_MAX_PATTERN, &pat, &err, &at) != FN_OK ||
		pat.nactions != SEQ_MAX_PATTERN + 1)
		fuzz_fail("a pattern of the limit's bytes parses", "(" FN_STR(SEQ_MAX_PATTERN) " dots)", NULL);
	if (seq_pattern_parse(dots, SEQ_MAX_PATTERN + 1, &pat, &err, &at) != FN_TOO_BIG ||
		err.status != FN_TOO_BIG || err.detail == NULL || at > SEQ_MAX_PATTERN + 1)
		fuzz_fail("a pattern over the limit is too big", "(" FN_STR(SEQ_MAX_PATTERN) " dots and one)", NULL);
	fuzz_alloc_reset();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input;
	char	   *shown;
	RecItem    *items;
	int			nitems;
	size_t		dead = 0;
	size_t		item_at = 0;
	bool		recognized;
	SeqPattern	pat;
	FnError		err = {FN_OK, NULL};
	size_t		at = (size_t) -1;
	FnStatus	status;

	check_limit_once();
	/* an exact-size copy without a terminator, as text datums come */
	input = fn_alloc(size);
	memcpy(input, data, size);
	shown = fuzz_cstring(data, size);
	items = fn_alloc(sizeof(RecItem) * (size + 1));
	/* the recognizer knows no length limit: the parser's is checked below */
	recognized = size <= SEQ_MAX_PATTERN && recognize(input, size, items, &nitems, &dead, &item_at);
	status = seq_pattern_parse(input, size, &pat, &err, &at);
	if (status != FN_OK)
	{
		if (err.status != status || err.detail == NULL || at > size ||
			status != (size > SEQ_MAX_PATTERN ? FN_TOO_BIG : FN_SYNTAX))
			fuzz_fail("a rejection is FN_SYNTAX (FN_TOO_BIG over the limit) with a detail and a position", shown, err.detail);
		if (recognized)
			fuzz_fail("the recognizer accepts what the parser rejects", shown, err.detail);
		if (size <= SEQ_MAX_PATTERN && (at < item_at || at > dead))
			fuzz_fail("the position of a rejection is inside the faulty item", shown, err.detail);
		/* the server counts characters up to it */
		if (at < size && (data[at] & 0xC0) == 0x80 && valid_utf8(data, size))
			fuzz_fail("the position of a rejection is at a character's first byte", shown, err.detail);
		fuzz_alloc_reset();
		return 0;
	}
	if (!recognized)
		fuzz_fail("the parser accepts what the recognizer rejects", shown, NULL);
	check_accepted(input, size, shown, &pat);
	check_items(&pat, items, nitems, shown);
	check_round_trip(input, &pat, shown);
	check_doubled(input, size, &pat, shown);
	fuzz_alloc_reset();
	return 0;
}
