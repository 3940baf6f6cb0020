/*
 * sequence_pattern.h
 *		The pattern of sequence_match, sequence_count and
 *		sequence_match_times, as plain C (sequence_pattern.c): ClickHouse's
 *		sequenceMatch grammar parsed into a list of actions.
 *
 *	pattern := item*                  no white space anywhere
 *	item    := "(?" N ")"             one event satisfying condition N
 *	         | "(?t" OP V ")"         a condition on the time since the base
 *	         | ".*" | "."             any number of events, one event
 *	OP      := "<" | "<=" | ">" | ">=" | "=="
 *	V       := digits | "'" interval "'"
 *
 * As in ClickHouse, every pattern starts with an implicit ".*" (action 0),
 * so it matches anywhere in the events, and two time conditions may not
 * follow each other.
 */
#ifndef FUNNEL_SEQUENCE_PATTERN_H
#define FUNNEL_SEQUENCE_PATTERN_H

#include "pure.h"

/* Documented limits: the pattern's bytes, and the conditions of a call. */
#define SEQ_MAX_PATTERN 32768
#define SEQ_MAX_CONDS 1024

#define SEQ_GRAMMAR_HINT "A pattern is a run, without spaces, of (?N) (an event satisfying condition N), . (one event), .* (any number of events) and (?t<V), (?t<=V), (?t>V), (?t>=V), (?t==V) (the time since the previous event, V in seconds or the unit of bigint times, or an interval in quotes such as '2 days'), as in ClickHouse's sequenceMatch."

typedef enum SeqActionKind
{
	SEQ_STAR,					/* .* (action 0 is always one) */
	SEQ_ANY,					/* . */
	SEQ_EVENT,					/* (?N) */
	SEQ_TIME					/* (?t OP V) */
} SeqActionKind;

typedef enum SeqTimeOp
{
	SEQ_LT,
	SEQ_LE,
	SEQ_GT,
	SEQ_GE,
	SEQ_EQ
} SeqTimeOp;

typedef struct SeqAction
{
	uint8_t		kind;			/* SeqActionKind */
	uint8_t		op;				/* SEQ_TIME: SeqTimeOp */
	int32_t		cond;			/* SEQ_EVENT: the condition, from 1 */
	int32_t		slot;			/* SEQ_EVENT: its place among the pattern's conditions */
	int64_t		value;			/* SEQ_TIME with a number: V */
	int32_t		quote_at;		/* SEQ_TIME with a quoted V: its offset, else -1 */
	int32_t		quote_len;
	int32_t		at;				/* offset of the item in the pattern */
} SeqAction;

typedef struct SeqPattern
{
	int			nactions;		/* with the implicit .* */
	SeqAction  *actions;
	int			nslots;			/* distinct conditions the pattern names */
	int32_t	   *slot_cond;		/* slot -> condition, in order of first use */
	int32_t		max_cond;		/* the largest condition named, 0 for none */
} SeqPattern;

/*
 * Parse len bytes of text into *out (arrays from fn_alloc).  On error:
 * FN_SYNTAX (or FN_TOO_BIG over SEQ_MAX_PATTERN bytes) with err->detail
 * and *at, the offset where the fault is.
 */
extern FnStatus seq_pattern_parse(const char *text, size_t len, SeqPattern *out,
								  FnError *err, size_t *at);

/*
 * Whether actions from..nactions-1 can all match no events at the end of
 * the events: ClickHouse accepts .*, <, <= and >= 0 there.
 */
static inline bool
seq_action_matches_empty(const SeqAction *a, int64_t limit)
{
	return a->kind == SEQ_STAR ||
		(a->kind == SEQ_TIME && (a->op == SEQ_LT || a->op == SEQ_LE ||
								 (a->op == SEQ_GE && limit == 0)));
}

#endif							/* FUNNEL_SEQUENCE_PATTERN_H */
