/*
 * stage_text.h
 *		Text form of stage, as server-independent C.
 */
#ifndef FUNNEL_STAGE_TEXT_H
#define FUNNEL_STAGE_TEXT_H

#include "pure.h"

#define STAGE_MIN_POSITION 1
#define STAGE_MAX_POSITION 255
#define STAGE_MAX_NAME 255

/* the limits as message text */
#define STAGE_POSITION_RANGE "an integer from " FN_STR(STAGE_MIN_POSITION) " to " FN_STR(STAGE_MAX_POSITION)
#define STAGE_NAME_LIMIT "A stage name is at most " FN_STR(STAGE_MAX_NAME) " bytes long."

/* longest text form: "255:" plus the longest name plus a terminator */
#define STAGE_TEXT_MAX (4 + STAGE_MAX_NAME + 1)

typedef struct StageText
{
	int			position;
	const char *name;			/* points into the parsed string */
	size_t		name_len;		/* 0: a stage without a name */
} StageText;

/* Parse "3:proposal" or "3"; the name is everything after the first ':'. */
extern FnStatus stage_parse(const char *str, StageText *out, FnError *err);

/* Write the canonical text form into buf (STAGE_TEXT_MAX bytes); returns its length. */
extern size_t stage_format(int position, const char *name, size_t name_len, char *buf);

#endif							/* FUNNEL_STAGE_TEXT_H */
