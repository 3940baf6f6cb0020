/*
 * funnel_value_text.h
 *		Text form of the funnel type, as server-independent C.
 *
 * Grammar (whitespace is allowed between any two tokens):
 *
 *		funnel   ::= "v" version "{" [ entry { "," entry } ] "}"
 *		entry    ::= position [ ":" name ] "=" count
 *
 * version is 1; position is an integer from 1 to 255, each at most once, in
 * any order; count is the number of clients who stopped at that position, an
 * integer of at least 1; name is a textbuf token (written bare, or in double
 * quotes with \" and \\ escapes when it is empty, has edge spaces or
 * contains '"', '\\', '=', ',' or '}'), up to 255 bytes; a missing or empty
 * name is a stage without a name.  The canonical form lists positions in
 * increasing order: 'v1 {1:lead=120, 2:qualified=64, 4=3, 6:won=10}'.
 *
 * Binary receive feeds its entries through funnel_table_add too, so both
 * inputs enforce the same rules.
 */
#ifndef FUNNEL_FUNNEL_VALUE_TEXT_H
#define FUNNEL_FUNNEL_VALUE_TEXT_H

#include "pure.h"
#include "textbuf.h"

#define FUNNEL_TEXT_VERSION 1
#define FUNNEL_MIN_POSITION 1
#define FUNNEL_MAX_POSITION 255
#define FUNNEL_MAX_NAME 255

/* delimiters that end a bare name in the text form */
#define FUNNEL_NAME_DELIMITERS "=,}"

/* One stage of a funnel as read or written: names are not NUL-terminated. */
typedef struct FunnelEntry
{
	int			position;
	int64_t		stopped;
	const char *name;
	size_t		name_len;		/* 0: no name */
} FunnelEntry;

/*
 * Entries collected by position while reading a funnel.  stopped[p] == 0
 * means position p is absent (a present position counts at least one
 * client); total is the sum of the counts, kept within int64 so that every
 * "reached" figure derived from the funnel fits as well.
 */
typedef struct FunnelTable
{
	int64_t		stopped[FUNNEL_MAX_POSITION + 1];
	const char *name[FUNNEL_MAX_POSITION + 1];
	size_t		name_len[FUNNEL_MAX_POSITION + 1];
	int64_t		total;
	int			entries;
} FunnelTable;

extern void funnel_table_init(FunnelTable *table);

/* Check one entry (range, count, name length, duplicate, total) and add it. */
extern FnStatus funnel_table_add(FunnelTable *table, int64_t position, int64_t stopped,
								 const char *name, size_t name_len, FnError *err);

/* Parse the text form into table (initialized here). */
extern FnStatus funnel_parse(const char *str, size_t len, FunnelTable *table, FnError *err);

/* Append the canonical text form of entries (in increasing position order). */
extern void funnel_format(FnBuf *buf, const FunnelEntry *entries, int n);

#endif							/* FUNNEL_FUNNEL_VALUE_TEXT_H */
