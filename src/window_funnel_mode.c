/*
 * window_funnel_mode.c
 *		Parse the mode list of window_funnel without server dependencies:
 *		ClickHouse's option names and the funnel items.
 */
#include "window_funnel_mode.h"

#include <string.h>

static const struct
{
	const char *name;
	uint32_t	flag;
}			wf_modes[] =
{
	{"strict_deduplication", WF_MODE_STRICT_DEDUPLICATION},
	{"strict_order", WF_MODE_STRICT_ORDER},
	{"strict_increase", WF_MODE_STRICT_INCREASE},
	{"strict_once", WF_MODE_STRICT_ONCE},
	{"allow_reentry", WF_MODE_ALLOW_REENTRY},
};

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
name_equals(const char *token, size_t len, const char *name)
{
	size_t		i;

	if (strlen(name) != len)
		return false;
	for (i = 0; i < len; i++)
		if (lower(token[i]) != name[i])
			return false;
	return true;
}

/* The words of one item: blank-separated, at most WF_ITEM_WORDS of them. */
#define WF_ITEM_WORDS 6

typedef struct WfWords
{
	int			count;
	const char *word[WF_ITEM_WORDS];
	size_t		len[WF_ITEM_WORDS];
	const char *end;			/* the end of the item */
} WfWords;

static void
split_words(const char *str, size_t len, WfWords *w)
{
	size_t		pos = 0;

	memset(w, 0, sizeof(*w));
	w->end = str + len;
	while (pos < len && w->count < WF_ITEM_WORDS)
	{
		size_t		start;

		while (pos < len && fn_is_space(str[pos]))
			pos++;
		if (pos == len)
			break;
		start = pos;
		while (pos < len && !fn_is_space(str[pos]))
			pos++;
		w->word[w->count] = str + start;
		w->len[w->count] = pos - start;
		w->count++;
	}
}

/* A condition number: decimal digits, 1 to 65535. */
static bool
parse_cond(const char *str, size_t len, uint16_t *value)
{
	uint32_t	v = 0;
	size_t		i;

	if (len == 0 || len > 5)
		return false;
	for (i = 0; i < len; i++)
	{
		if (str[i] < '0' || str[i] > '9')
			return false;
		v = v * 10 + (uint32_t) (str[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*value = (uint16_t) v;
	return true;
}

bool
wf_parse_within_units(const char *str, size_t len, int64_t *value)
{
	int64_t		v = 0;
	size_t		i;

	while (len > 0 && fn_is_space(str[len - 1]))
		len--;
	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
	{
		if (str[i] < '0' || str[i] > '9')
			return false;
		if (v > (INT64_MAX - (str[i] - '0')) / 10)
			return false;
		v = v * 10 + (str[i] - '0');
	}
	*value = v;
	return true;
}

/* exclude E, exclude E between I and J */
static FnStatus
parse_exclude(const WfWords *w, WfItem *item, FnError *err)
{
	item->kind = WF_ITEM_EXCLUDE;
	if (w->count == 2 && parse_cond(w->word[1], w->len[1], &item->cond))
		return FN_OK;
	if (w->count == 6 && parse_cond(w->word[1], w->len[1], &item->cond) &&
		name_equals(w->word[2], w->len[2], "between") &&
		parse_cond(w->word[3], w->len[3], &item->from) &&
		name_equals(w->word[4], w->len[4], "and") &&
		parse_cond(w->word[5], w->len[5], &item->to))
	{
		if (item->from >= item->to)
			return fn_fail(err, FN_SYNTAX, "The first step of an exclusion must come before its last step.");
		return FN_OK;
	}
	return fn_fail(err, FN_SYNTAX, "An exclusion is written exclude E or exclude E between I and J, with condition numbers from 1.");
}

/* step K within W: W is the rest of the item */
static FnStatus
parse_within(const WfWords *w, WfItem *item, const char **text, size_t *text_len, FnError *err)
{
	item->kind = WF_ITEM_WITHIN;
	if (w->count < 4 || !parse_cond(w->word[1], w->len[1], &item->cond) ||
		!name_equals(w->word[2], w->len[2], "within"))
		return fn_fail(err, FN_SYNTAX, "A step window is written step K within W, with a step number K from 1.");
	if (item->cond == 1)
		return fn_fail(err, FN_SYNTAX, "Step 1 has no previous step to be within a time of.");
	*text = w->word[3];
	*text_len = (size_t) (w->end - w->word[3]);
	return FN_OK;
}

/* An item that is not an option name: into items; bad names the item. */
static FnStatus
parse_item(const char *str, size_t len, uint32_t *flags, WfModeItems *items, FnError *err)
{
	WfWords		w;
	WfItem		item = {0};
	const char *wtext = NULL;
	size_t		wlen = 0;
	FnStatus	status;

	split_words(str, len, &w);
	if (w.count == 1 && name_equals(w.word[0], w.len[0], "any_order"))
	{
		*flags |= WF_MODE_ANY_ORDER;
		return FN_OK;
	}
	if (name_equals(w.word[0], w.len[0], "exclude") || name_equals(w.word[0], w.len[0], "optional") ||
		name_equals(w.word[0], w.len[0], "step"))
		*flags |= WF_MODE_ITEMS;	/* even when malformed: its error shows the grammar */
	if (name_equals(w.word[0], w.len[0], "exclude"))
		status = parse_exclude(&w, &item, err);
	else if (name_equals(w.word[0], w.len[0], "optional"))
	{
		item.kind = WF_ITEM_OPTIONAL;
		status = (w.count == 2 && parse_cond(w.word[1], w.len[1], &item.cond)) ? FN_OK :
			fn_fail(err, FN_SYNTAX, "An optional step is written optional K, with a step number K from 1.");
	}
	else if (name_equals(w.word[0], w.len[0], "step"))
		status = parse_within(&w, &item, &wtext, &wlen, err);
	else
		return fn_fail(err, FN_SYNTAX,
					   name_equals(str, len, "strict") ?
					   "The mode \"strict\" was renamed strict_deduplication." :
					   "It is not a window_funnel mode or funnel item.");
	if (status != FN_OK)
		return status;
	if (items == NULL || items->count == WF_MAX_ITEMS)
		return fn_fail(err, FN_TOO_BIG, "A mode has at most " FN_STR(WF_MAX_ITEMS) " items.");
	items->items[items->count] = item;
	items->within_text[items->count] = wtext;
	items->within_len[items->count] = wlen;
	items->count++;
	return FN_OK;
}

/* One comma-separated name or item of str[start, end). */
static FnStatus
parse_one(const char *str, size_t start, size_t end, uint32_t *flags, WfModeItems *items,
		  FnError *err)
{
	size_t		i;

	if (end == start)
		return fn_fail(err, FN_SYNTAX, "A mode name is missing before or after a comma.");
	for (i = 0; i < sizeof(wf_modes) / sizeof(wf_modes[0]); i++)
	{
		if (name_equals(str + start, end - start, wf_modes[i].name))
		{
			*flags |= wf_modes[i].flag;
			return FN_OK;
		}
	}
	return parse_item(str + start, end - start, flags, items, err);
}

FnStatus
wf_mode_parse(const char *str, size_t len, uint32_t *flags, WfModeItems *items,
			  const char **bad, size_t *bad_len, FnError *err)
{
	size_t		pos = 0;
	uint32_t	result = 0;
	bool		any_text = false;

	for (pos = 0; pos < len; pos++)
		if (!fn_is_space(str[pos]))
			any_text = true;
	*flags = 0;
	if (items != NULL)
		items->count = 0;
	if (!any_text)
	{
		err->status = FN_OK;
		err->detail = NULL;
		return FN_OK;
	}

	pos = 0;
	for (;;)
	{
		size_t		start;
		size_t		end;

		while (pos < len && fn_is_space(str[pos]))
			pos++;
		start = pos;
		while (pos < len && str[pos] != ',')
			pos++;
		end = pos;
		while (end > start && fn_is_space(str[end - 1]))
			end--;
		*bad = str + start;
		*bad_len = end - start;
		if (parse_one(str, start, end, &result, items, err) != FN_OK)
		{
			*flags = result;
			return err->status;
		}
		if (pos == len)
			break;
		pos++;					/* the comma */
	}
	*flags = result;
	*bad = str;
	*bad_len = 0;
	return wf_mode_check(result, err);
}

FnStatus
wf_mode_check(uint32_t flags, FnError *err)
{
	if (flags & ~(uint32_t) WF_MODE_ALL)
		return fn_fail(err, FN_SYNTAX, "The mode has unknown flags.");
	if ((flags & WF_MODE_ALLOW_REENTRY) && !(flags & WF_MODE_STRICT_ORDER))
		return fn_fail(err, FN_SYNTAX, "allow_reentry only changes strict_order, so it needs strict_order too.");
	if ((flags & WF_MODE_ANY_ORDER) && flags != WF_MODE_ANY_ORDER)
		return fn_fail(err, FN_SYNTAX, "any_order combines with no other mode or item.");
	if ((flags & WF_MODE_ITEMS) && (flags & WF_MODE_CLICKHOUSE_ONLY))
		return fn_fail(err, FN_SYNTAX, "The funnel items combine only with strict_increase, not with strict_order, strict_deduplication, strict_once or allow_reentry.");
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}

int
wf_items_steps(const WfItem *items, int count, int nconds)
{
	int			i;
	int			nexclude = 0;

	for (i = 0; i < count; i++)
		if (items[i].kind == WF_ITEM_EXCLUDE)
			nexclude++;
	return nconds - nexclude;
}

/* Whether items before i already name cond in the same role. */
static bool
item_repeats(const WfItem *items, int i)
{
	int			j;

	for (j = 0; j < i; j++)
		if (items[j].kind == items[i].kind && items[j].cond == items[i].cond)
			return true;
	return false;
}

FnStatus
wf_items_check(const WfItem *items, int count, int nconds, int *bad, FnError *err)
{
	int			nsteps = wf_items_steps(items, count, nconds);
	int			i;

	for (i = 0; i < count; i++)
	{
		*bad = i;
		if (item_repeats(items, i))
			return fn_fail(err, FN_SYNTAX, "A condition is named by two items of the same kind.");
	}
	for (i = 0; i < count; i++)
	{
		const WfItem *it = &items[i];

		*bad = i;
		if (it->kind == WF_ITEM_EXCLUDE)
		{
			if (it->cond > nconds)
				return fn_fail(err, FN_SYNTAX, "The exclusion names a condition the call does not have.");
			if (it->cond <= nsteps)
				return fn_fail(err, FN_SYNTAX, "The exclusion condition comes before a step: the exclusion conditions are the last ones, after all steps.");
			if (it->to > nsteps || (it->to == 0 && nsteps < 2))
				return fn_fail(err, FN_SYNTAX, "The exclusion's steps must be steps of the call, the first before the last.");
		}
		else if (it->cond > nsteps)
			return fn_fail(err, FN_SYNTAX, "The item names a step the call does not have.");
		else if (it->kind == WF_ITEM_OPTIONAL && (it->cond == 1 || it->cond == nsteps))
			return fn_fail(err, FN_SYNTAX, "The first and the last step cannot be optional.");
		else if (it->kind == WF_ITEM_WITHIN && it->within < 0)
			return fn_fail(err, FN_SYNTAX, "A step window must not be negative.");
	}
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}
