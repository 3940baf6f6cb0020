/*
 * window_funnel_mode.c
 *		Parse the mode list of window_funnel without server dependencies.
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

FnStatus
wf_mode_parse(const char *str, size_t len, uint32_t *flags,
			  const char **bad, size_t *bad_len, FnError *err)
{
	size_t		pos = 0;
	uint32_t	result = 0;
	bool		any_text = false;

	for (pos = 0; pos < len; pos++)
		if (!fn_is_space(str[pos]))
			any_text = true;
	*flags = 0;
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
		size_t		i;
		bool		known = false;

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
		if (end == start)
			return fn_fail(err, FN_SYNTAX, "A mode name is missing before or after a comma.");
		for (i = 0; i < sizeof(wf_modes) / sizeof(wf_modes[0]); i++)
		{
			if (name_equals(str + start, end - start, wf_modes[i].name))
			{
				result |= wf_modes[i].flag;
				known = true;
				break;
			}
		}
		if (!known)
			return fn_fail(err, FN_SYNTAX,
						   name_equals(str + start, end - start, "strict") ?
						   "The mode \"strict\" was renamed strict_deduplication." :
						   "It is not a window_funnel mode.");
		if (pos == len)
			break;
		pos++;					/* the comma */
	}
	*flags = result;
	return wf_mode_check(result, err);
}

FnStatus
wf_mode_check(uint32_t flags, FnError *err)
{
	if (flags & ~(uint32_t) WF_MODE_ALL)
		return fn_fail(err, FN_SYNTAX, "The mode has unknown flags.");
	if ((flags & WF_MODE_ALLOW_REENTRY) && !(flags & WF_MODE_STRICT_ORDER))
		return fn_fail(err, FN_SYNTAX, "allow_reentry only changes strict_order, so it needs strict_order too.");
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}
