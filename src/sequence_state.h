/*
 * sequence_state.h
 *		The state of sequence_match, sequence_count and sequence_match_times
 *		(the type sequence_state) and its pattern compiled for a call
 *		(sequence_state.c, the state's one owner).
 *
 * One varlena: the header, the pattern's text, then window_funnel's
 * buffered events (WfEvent: time, row, condition), one per condition the
 * pattern names that a row satisfies, or one "no condition" event (0) for
 * a row satisfying only conditions the pattern does not name: as in
 * ClickHouse, every row satisfying some condition of the call is an event
 * of the sequence, and only the pattern's conditions tell events apart.
 */
#ifndef FUNNEL_SEQUENCE_STATE_H
#define FUNNEL_SEQUENCE_STATE_H

#include "window_funnel_state.h"
#include "sequence_pattern.h"

/* The byte form's version. */
#define SEQ_FORMAT_VERSION 1

typedef struct SeqState
{
	int32		vl_len_;		/* varlena header: the allocated size */
	uint8		axis;			/* WF_AXIS_* */
	bool		named;			/* the event-name form */
	bool		sorted;			/* events in (ts, row, cond) order */
	int32		nconds;			/* the call's conditions, >= 1 */
	uint64		steps_key;		/* event-name form: fingerprint of the steps; else 0 */
	uint32		nrows;			/* rows that are events */
	int32		pattern_len;
	int64		nevents;
	char		pattern[FLEXIBLE_ARRAY_MEMBER];	/* then, MAXALIGNed, the events */
} SeqState;

#define SEQ_EVENTS_AT(pattern_len) MAXALIGN(offsetof(SeqState, pattern) + (pattern_len))
#define SEQ_EVENTS(st) ((WfEvent *) ((char *) (st) + SEQ_EVENTS_AT((st)->pattern_len)))
#define SEQ_ROOM(st) ((int64) ((VARSIZE(st) - SEQ_EVENTS_AT((st)->pattern_len)) / sizeof(WfEvent)))

/*
 * A pattern compiled for a call: parsed, each time limit in the axis's unit
 * (limits[i] for action i, saturated at the int64 maximum), and each
 * condition's slot (slot_of[c], -1 for a condition the pattern does not name).
 */
typedef struct SeqCompiled
{
	SeqPattern	pat;
	int64	   *limits;
	int32	   *slot_of;		/* 0 .. nconds */
	int			nconds;
	uint8		axis;
} SeqCompiled;

/*
 * Compile a pattern for nconds conditions on axis: false, with *detail and
 * *at (the offset of the fault) set, when it is not valid; *too_big tells
 * the 54000 case.  Memory in the current context.
 */
extern bool seq_compile(const char *text, int len, uint8 axis, int nconds, SeqCompiled *out,
						const char **detail, size_t *at, bool *too_big);

/* Raise the error of a pattern that seq_compile refused (22023, 54000). */
extern void seq_report_pattern(const char *text, int len, const char *detail, size_t at,
							   bool too_big, const char *fname) pg_attribute_noreturn();

/* A state without events, with room for room of them. */
extern SeqState *seq_state_new(MemoryContext aggcontext, const char *pattern, int pattern_len,
							   uint8 axis, bool named, int nconds, uint64 steps_key, int64 room);

/* st with room for more events, perhaps moved (agg_state.h). */
extern SeqState *seq_state_grow(SeqState *st, FnStateHolder *holder, int64 more);

/* a with b's rows added after its own, perhaps moved; of one call, else 22023. */
extern SeqState *seq_combine(SeqState *a, const SeqState *b, FnStateHolder *holder);

/* Raise the error of a state from another form or axis (axis 0: either). */
extern void seq_report_kind(const SeqState *st, uint8 axis, bool named, const char *fname) pg_attribute_noreturn();

/* Store one event: inline, the transitions call it per condition a row satisfies. */
static inline SeqState *
seq_append(SeqState *st, FnStateHolder *holder, int64 ts, uint32 row, uint16 cond)
{
	WfEvent    *e;

	if (unlikely(st->nevents >= SEQ_ROOM(st)))
		st = seq_state_grow(st, holder, 1);
	e = &SEQ_EVENTS(st)[st->nevents++];
	e->ts = ts;
	e->row = row;
	e->step = cond;
	return st;
}

#endif							/* FUNNEL_SEQUENCE_STATE_H */
