/*
 * stage_text.c
 *		Parse and format the text form of stage without server dependencies.
 */
#include "stage_text.h"

#include <string.h>

FnStatus
stage_parse(const char *str, StageText *out, FnError *err)
{
	const char *p = str;
	const char *colon;
	bool		negative = false;
	long		position = 0;
	int			digits = 0;

	while (fn_is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		negative = (*p++ == '-');
	while (*p >= '0' && *p <= '9')
	{
		/* saturate: anything this long is out of range anyway */
		if (position <= STAGE_MAX_POSITION)
			position = position * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (digits == 0)
		return fn_fail(err, FN_SYNTAX,
					   "A stage starts with its position, " STAGE_POSITION_RANGE ".");
	while (fn_is_space(*p))
		p++;
	if (*p != '\0' && *p != ':')
		return fn_fail(err, FN_SYNTAX,
					   "The position must be followed by \":\" and the stage name, or end the value.");
	if (negative || position < STAGE_MIN_POSITION || position > STAGE_MAX_POSITION)
		return fn_fail(err, FN_RANGE, "A stage position is " STAGE_POSITION_RANGE ".");

	colon = p;
	out->position = (int) position;
	out->name = (*colon == ':') ? colon + 1 : colon;
	out->name_len = strlen(out->name);
	if (out->name_len > STAGE_MAX_NAME)
		return fn_fail(err, FN_TOO_LONG, STAGE_NAME_LIMIT);
	err->status = FN_OK;
	err->detail = NULL;
	return FN_OK;
}

size_t
stage_format(int position, const char *name, size_t name_len, char *buf)
{
	size_t		len = 0;
	char		digits[4];
	int			ndigits = 0;

	do
	{
		digits[ndigits++] = (char) ('0' + position % 10);
		position /= 10;
	} while (position > 0 && ndigits < 3);
	while (ndigits > 0)
		buf[len++] = digits[--ndigits];
	if (name_len > 0)
	{
		buf[len++] = ':';
		memcpy(buf + len, name, name_len);
		len += name_len;
	}
	buf[len] = '\0';
	return len;
}
