/*
 * sequence_state.c
 *		The state of the sequence aggregates (sequence_state.h): its pattern
 *		compiled for a call, a new state, room for more, two states
 *		combined, the byte form and the sequence_state type's I/O.
 *
 * The byte form: version, axis, named, nconds, steps_key, nrows, nevents,
 * the pattern's length and bytes, then per event its time, row and
 * condition.  A state's bytes are user input (any role can pass a state of
 * its own making to the transition, combine and final functions), so the
 * decoder accepts only what the transitions can produce: a pattern valid
 * for the state's conditions and axis, events of conditions the pattern
 * names (or 0), rows as wf_events_rows_valid checks them.
 */
#include "postgres.h"

#include "sequence_state.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sequence_state_in);
PG_FUNCTION_INFO_V1(sequence_state_out);
PG_FUNCTION_INFO_V1(sequence_state_recv);
PG_FUNCTION_INFO_V1(sequence_state_send);

#define SEQ_STATE_TYPE "sequence_state"
#define SEQ_BYTES_HEADER (1 + 1 + 1 + 4 + 8 + 4 + 8 + 4)
#define SEQ_BYTES_EVENT (8 + 4 + 2)

/* The time limit of action a (0 < index) in the axis's unit; false with *detail when it is not valid. */
static bool
seq_compile_limit(const char *text, const SeqAction *a, uint8 axis, int64 *limit,
				  const char **detail)
{
	Interval	iv;
	char	   *quoted;

	if (a->quote_at < 0)
	{
		if (axis == WF_AXIS_BIGINT)
			*limit = a->value;
		else if (a->value > PG_INT64_MAX / USECS_PER_SEC)
			*limit = PG_INT64_MAX;
		else
			*limit = a->value * USECS_PER_SEC;
		return true;
	}
	if (axis != WF_AXIS_TIMESTAMPTZ)
	{
		*detail = "A time limit in quotes is an interval, for timestamptz times; on bigint times give a number.";
		return false;
	}
	quoted = pnstrdup(text + a->quote_at, a->quote_len);
	if (!fn_interval_from_text(quoted, &iv))
	{
		*detail = "The time limit in quotes is not an interval.";
		return false;
	}
	*limit = fn_interval_usecs(&iv);
	if (*limit < 0)
	{
		*detail = "The time limit must not be negative.";
		return false;
	}
	return true;
}

/* Consecutive .* match as one (their stops range over the same events): the matcher keeps one. */
static void
seq_merge_stars(SeqCompiled *out)
{
	SeqAction  *actions = out->pat.actions;
	int			kept = 1;
	int			i;

	for (i = 1; i < out->pat.nactions; i++)
	{
		if (actions[i].kind == SEQ_STAR && actions[kept - 1].kind == SEQ_STAR)
			continue;
		actions[kept] = actions[i];
		out->limits[kept++] = out->limits[i];
	}
	out->pat.nactions = kept;
}

bool
seq_compile(const char *text, int len, uint8 axis, int nconds, SeqCompiled *out,
			const char **detail, size_t *at, bool *too_big)
{
	FnError		err;
	int			i;

	*too_big = false;
	if (seq_pattern_parse(text, len, &out->pat, &err, at) != FN_OK)
	{
		*too_big = err.status == FN_TOO_BIG;
		*detail = err.detail;
		return false;
	}
	out->axis = axis;
	out->nconds = nconds;
	out->limits = palloc0(sizeof(int64) * out->pat.nactions);
	out->slot_of = palloc(sizeof(int32) * (nconds + 1));
	for (i = 0; i <= nconds; i++)
		out->slot_of[i] = -1;
	for (i = 1; i < out->pat.nactions; i++)
	{
		const SeqAction *a = &out->pat.actions[i];

		*at = a->at;
		if (a->kind == SEQ_EVENT && a->cond > nconds)
		{
			*at = a->at + 2;
			*detail = psprintf("The pattern names condition %d, but the call has %d condition%s.",
							   a->cond, nconds, nconds == 1 ? "" : "s");
			return false;
		}
		if (a->kind == SEQ_EVENT)
			out->slot_of[a->cond] = a->slot;
		if (a->kind == SEQ_TIME && !seq_compile_limit(text, a, axis, &out->limits[i], detail))
			return false;
	}
	seq_merge_stars(out);
	return true;
}

void
seq_report_pattern(const char *text, int len, const char *detail, size_t at, bool too_big,
				   const char *fname)
{
	if (too_big)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s pattern is too long", fname),
				 errdetail("The pattern has %d bytes; the limit is %d.", len, SEQ_MAX_PATTERN)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s pattern at position %d", fname,
					pg_mbstrlen_with_len(text, (int) Min(at, (size_t) len)) + 1),
			 errdetail("%s", detail),
			 errhint("%s", SEQ_GRAMMAR_HINT)));
}

SeqState *
seq_state_new(MemoryContext aggcontext, const char *pattern, int pattern_len, uint8 axis,
			  bool named, int nconds, uint64 steps_key, int64 room)
{
	SeqState   *st = fn_state_new(SEQ_EVENTS_AT(pattern_len) + sizeof(WfEvent) * room,
								  FN_STATE_VALUE, aggcontext);

	st->axis = axis;
	st->named = named;
	st->sorted = true;
	st->nconds = nconds;
	st->steps_key = steps_key;
	st->pattern_len = pattern_len;
	memcpy(st->pattern, pattern, pattern_len);
	return st;
}

SeqState *
seq_state_grow(SeqState *st, FnStateHolder *holder, int64 more)
{
	Size		at = SEQ_EVENTS_AT(st->pattern_len);
	int64		need = st->nevents + more;

	if (need > WF_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sequence group has too many events"),
				 errdetail("The limit is %d events per group, one per condition of the pattern a row satisfies.",
						   WF_MAX_EVENTS),
				 errhint("Group by a finer key, or filter out rows that satisfy no condition.")));
	return fn_state_reserve(st, at + sizeof(WfEvent) * st->nevents, at + sizeof(WfEvent) * need,
							at + sizeof(WfEvent) * WF_MAX_EVENTS, holder);
}

void
seq_report_kind(const SeqState *st, uint8 axis, bool named, const char *fname)
{
	if (axis != 0 && st->axis != axis)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s cannot read a state of %s times", fname,
						st->axis == WF_AXIS_BIGINT ? "bigint" : "timestamptz"),
				 errhint("Use the aggregate of the same time type as the state's.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s cannot read a state of the %s form", fname,
					named ? "boolean conditions'" : "event-name"),
			 errhint("Use the aggregate of the same form as the state's.")));
}

/* Raise the error of two states of different calls. */
static void
seq_check_same_call(const SeqState *a, const SeqState *b)
{
	if (a->axis != b->axis || a->named != b->named)
		seq_report_kind(b, a->axis, a->named, "sequence_combine");
	if (a->pattern_len != b->pattern_len || memcmp(a->pattern, b->pattern, a->pattern_len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence pattern must be the same for all rows of a group"),
				 errdetail("Two states of one group have the patterns \"%.*s\" and \"%.*s\".",
						   Min(a->pattern_len, 100), a->pattern, Min(b->pattern_len, 100), b->pattern)));
	if (a->nconds != b->nconds)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence conditions must be the same for all rows of a group"),
				 errdetail("Two states of one group have %d and %d conditions.", a->nconds, b->nconds)));
	if (a->steps_key != b->steps_key)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence steps must be the same for all rows of a group"),
				 errdetail("Two states of one group have different steps.")));
}

SeqState *
seq_combine(SeqState *a, const SeqState *b, FnStateHolder *holder)
{
	seq_check_same_call(a, b);
	if (b->nevents == 0)
		return a;
	if (a->nevents + b->nevents > SEQ_ROOM(a))
		a = seq_state_grow(a, holder, b->nevents);
	a->sorted = wf_events_merge(SEQ_EVENTS(a), a->nevents, a->nrows, a->sorted,
								SEQ_EVENTS(b), b->nevents, b->sorted);
	a->nevents += b->nevents;
	a->nrows += b->nrows;
	return a;
}

static void
seq_encode(const void *state, StringInfo buf)
{
	const SeqState *st = state;

	enlargeStringInfo(buf, SEQ_BYTES_HEADER + st->pattern_len + SEQ_BYTES_EVENT * st->nevents);
	pq_sendbyte(buf, SEQ_FORMAT_VERSION);
	pq_sendbyte(buf, st->axis);
	pq_sendbyte(buf, st->named ? 1 : 0);
	pq_sendint32(buf, st->nconds);
	pq_sendint64(buf, st->steps_key);
	pq_sendint32(buf, st->nrows);
	pq_sendint64(buf, st->nevents);
	pq_sendint32(buf, st->pattern_len);
	pq_sendbytes(buf, st->pattern, st->pattern_len);
	wf_events_send(buf, SEQ_EVENTS(st), st->nevents);
}

/* The events of a decoded state, checked against its compiled pattern; false if one is not valid. */
static bool
seq_decode_events(FnReader *r, SeqState *st, const SeqCompiled *c, int64 nevents)
{
	WfEvent    *ev = SEQ_EVENTS(st);
	int64		k;

	for (k = 0; k < nevents; k++)
	{
		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		ev[k].ts = (int64) fn_read_uint(r, 8);
		ev[k].row = (uint32) fn_read_uint(r, 4);
		ev[k].step = (uint16) fn_read_uint(r, 2);
		if (ev[k].step > st->nconds || (ev[k].step > 0 && c->slot_of[ev[k].step] < 0) ||
			(st->axis == WF_AXIS_TIMESTAMPTZ && !fn_timestamptz_ok(ev[k].ts)))
			return false;
		if (k > 0 && wf_event_before(&ev[k], ev[k - 1].ts, ev[k - 1].row, ev[k - 1].step))
			st->sorted = false;
	}
	st->nevents = nevents;
	return r->ok && wf_events_rows_valid(ev, nevents, st->nrows);
}

static void *
seq_decode(const char *data, size_t len, const char **detail)
{
	FnReader	r;
	uint8		axis;
	uint8		named;
	int32		nconds;
	uint64		key;
	uint32		nrows;
	int64		nevents;
	int32		plen;
	const char *pattern;
	SeqCompiled c;
	size_t		at;
	bool		too_big;
	SeqState   *st;

	if (!fn_reader_start(&r, data, len, SEQ_FORMAT_VERSION))
	{
		*detail = "The state format version is not supported.";
		return NULL;
	}
	axis = (uint8) fn_read_uint(&r, 1);
	named = (uint8) fn_read_uint(&r, 1);
	nconds = (int32) fn_read_uint(&r, 4);
	key = fn_read_uint(&r, 8);
	nrows = (uint32) fn_read_uint(&r, 4);
	nevents = (int64) fn_read_uint(&r, 8);
	plen = (int32) fn_read_uint(&r, 4);
	*detail = "The state's header is inconsistent.";
	if (!r.ok || (axis != WF_AXIS_TIMESTAMPTZ && axis != WF_AXIS_BIGINT) ||
		nconds < 1 || nconds > SEQ_MAX_CONDS || named > 1 || (named == 1) != (key != 0) ||
		plen < 0 || plen > SEQ_MAX_PATTERN || nevents < 0 || nevents > WF_MAX_EVENTS ||
		nrows > nevents || (pattern = fn_read_bytes(&r, plen)) == NULL ||
		fn_reader_left(&r) != (size_t) nevents * SEQ_BYTES_EVENT)
		return NULL;
	if (!seq_compile(pattern, plen, axis, nconds, &c, detail, &at, &too_big))
	{
		*detail = "The state's pattern is not valid for its conditions and time type.";
		return NULL;
	}
	st = seq_state_new(NULL, pattern, plen, axis, named == 1, nconds, key, nevents);
	st->nrows = nrows;
	if (!seq_decode_events(&r, st, &c, nevents))
	{
		*detail = "The state's events are inconsistent.";
		return NULL;
	}
	return st;
}

static const FnStateIO seq_state_io = {SEQ_STATE_TYPE, seq_encode, seq_decode};

FN_STATE_IO_FUNCTIONS(sequence_state, seq_state_io)
