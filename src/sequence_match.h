/*
 * sequence_match.h
 *		Matching a compiled pattern against a group's events
 *		(sequence_match.c), with the answers of ClickHouse's backtracking
 *		search in O(n x k) time.
 */
#ifndef FUNNEL_SEQUENCE_MATCH_H
#define FUNNEL_SEQUENCE_MATCH_H

#include "sequence_state.h"

/* The events of a group in order: times, and per event words of bits, one per slot. */
typedef struct SeqEvents
{
	int64		n;
	const int64 *ts;
	const uint64 *masks;		/* masks[e * words + slot / 64] */
	int			words;
} SeqEvents;

typedef struct SeqMatcher
{
	const SeqCompiled *c;
	const SeqEvents *ev;
	int			k;				/* actions */
	bool	   *empty_rest;		/* [i]: actions i.. may match at the end of the events */
	bool	   *kept;			/* [i]: action i - 1 is a .* or time condition: its stops are kept */
	int32	  **next;			/* after ==: next[i][e], the first s >= e where actions i.. match, n if none */
	uint64	  **stops;			/* after other .* and time conditions, for walks: bit e, actions i.. match from e */
	bool		first_ok;		/* actions 0.. match from event 0 */
} SeqMatcher;

/* What matching may keep per group: beyond it, 54000. */
#define SEQ_MAX_MATCH_BYTES ((Size) 1 << 30)

/*
 * Prepare m for c over ev: one backward pass.  With walks, keep what
 * seq_first_match needs (a bit per event for each .* and time condition,
 * 4 bytes after ==); without, m only answers seq_matches.
 */
extern void seq_matcher_init(SeqMatcher *m, const SeqCompiled *c, const SeqEvents *ev, bool walks);

/*
 * Whether a pattern of fewer than 64 actions, no time condition and at
 * most 64 conditions matches, in one forward pass over the events with the
 * automaton's states as bits, stopping at the first match (ClickHouse's
 * newest sequenceMatch does so): false when the pattern is not such.
 */
extern bool seq_match_forward(const SeqCompiled *c, const SeqEvents *ev, bool *matched);

/* Whether the pattern matches the events (ClickHouse's sequenceMatch). */
extern bool seq_matches(const SeqMatcher *m);

/*
 * The first match from event start, in the backtracking search's order:
 * false if none; else *end, where the search stops (after the last event
 * it consumed), and positions[j] the event of the pattern's j-th (?N).
 */
extern bool seq_first_match(const SeqMatcher *m, int64 start, int64 *end, int64 *positions);

/* The number of matches as ClickHouse's sequenceCount counts them. */
extern int64 seq_count(const SeqMatcher *m);

#endif							/* FUNNEL_SEQUENCE_MATCH_H */
