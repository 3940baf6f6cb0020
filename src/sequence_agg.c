/*
 * sequence_agg.c
 *		The aggregates sequence_match, sequence_count and
 *		sequence_match_times: their shared transitions (boolean conditions
 *		or an event and its steps' names, on timestamptz or bigint times),
 *		combine function and finals.
 *
 * The three aggregates of one form share the transition and state, as
 * ClickHouse's do: the pattern and the conditions are checked on every row
 * (they must not change within a group), the pattern compiled once per
 * call site and value.  The finals sort the events, make each row one
 * event with the set of the pattern's conditions it satisfies, and match
 * (sequence_match.c).
 */
#include "postgres.h"

#include "sequence_match.h"
#include "window_funnel.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sequence_trans);
PG_FUNCTION_INFO_V1(sequence_trans_bigint);
PG_FUNCTION_INFO_V1(sequence_trans_args);
PG_FUNCTION_INFO_V1(sequence_trans_bigint_args);
PG_FUNCTION_INFO_V1(sequence_trans_event);
PG_FUNCTION_INFO_V1(sequence_trans_bigint_event);
PG_FUNCTION_INFO_V1(sequence_combine);
PG_FUNCTION_INFO_V1(sequence_match_final);
PG_FUNCTION_INFO_V1(sequence_count_final);
PG_FUNCTION_INFO_V1(sequence_match_times_final);
PG_FUNCTION_INFO_V1(sequence_match_times_bigint_final);

/* How a row's conditions come: a boolean[], 1 to 8 boolean arguments, or an event and steps. */
typedef enum SeqForm
{
	SEQ_FORM_ARRAY,
	SEQ_FORM_ARGS,
	SEQ_FORM_NAMES
} SeqForm;

#define SEQ_CONDS_HINT "Pass the conditions as boolean arguments after the time, such as sequence_match('(?1)(?2)', ts, event = 'meeting', event = 'proposal')."

/* A call site's last pattern compiled for an axis and a number of conditions. */
typedef struct SeqPatternCache
{
	char	   *pattern;
	int			pattern_len;	/* -1 until a pattern was compiled */
	uint8		axis;
	int			nconds;
	SeqCompiled compiled;
	MemoryContext cxt;			/* holds pattern and compiled, reset for the next pattern */
} SeqPatternCache;

/* Kept by a transition's call site (fn_extra). */
typedef struct SeqCallCache
{
	SeqPatternCache pattern;
	WfStepNames names;			/* the event-name form's steps */
	bool		pattern_const;	/* the pattern, or the steps, is a constant of */
	bool		steps_const;	/* the Aggref: after the first row, the cached one */
} SeqCallCache;

/*
 * The pattern compiled for axis and nconds: the cached one when they and the
 * text are the cached ones (same_text: the caller knows the text is), else
 * compiled anew.  NULL, with seq_compile's account of why, when it does not
 * compile.
 */
static const SeqCompiled *
seq_cached_pattern(MemoryContext parent, SeqPatternCache *pc, const char *p, int len, uint8 axis,
				   int nconds, bool same_text, const char **detail, size_t *at, bool *too_big)
{
	MemoryContext old;

	if (pc->pattern_len == len && pc->axis == axis && pc->nconds == nconds &&
		(same_text || memcmp(pc->pattern, p, len) == 0))
		return &pc->compiled;
	pc->pattern_len = -1;
	if (pc->cxt == NULL)
		pc->cxt = AllocSetContextCreate(parent, "sequence pattern", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(pc->cxt);
	old = MemoryContextSwitchTo(pc->cxt);
	if (!seq_compile(p, len, axis, nconds, &pc->compiled, detail, at, too_big))
	{
		MemoryContextSwitchTo(old);
		return NULL;
	}
	pc->pattern = pnstrdup(p, len);
	pc->pattern_len = len;
	pc->axis = axis;
	pc->nconds = nconds;
	MemoryContextSwitchTo(old);
	return &pc->compiled;
}

static SeqCallCache *
seq_call_cache(FunctionCallInfo fcinfo, bool named)
{
	SeqCallCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SeqCallCache));
		cache->pattern.pattern_len = -1;
		cache->pattern_const = fn_aggregate_arg_const(fcinfo, 1);
		cache->steps_const = named && fn_aggregate_arg_const(fcinfo, 4);
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/* The pattern of this row compiled for nconds conditions: the cached one when they are the same. */
static const SeqCompiled *
seq_row_pattern(FunctionCallInfo fcinfo, SeqCallCache *cache, const text *pattern,
				uint8 axis, int nconds)
{
	const char *p = VARDATA_ANY(pattern);
	int			len = VARSIZE_ANY_EXHDR(pattern);
	const SeqCompiled *c;
	const char *detail;
	size_t		at;
	bool		too_big;

	c = seq_cached_pattern(fcinfo->flinfo->fn_mcxt, &cache->pattern, p, len, axis, nconds,
						   cache->pattern_const, &detail, &at, &too_big);
	if (c == NULL)
		seq_report_pattern(p, len, detail, at, too_big, "sequence");
	return c;
}

/* The number of conditions of the boolean form's array, checked. */
static int
seq_conds_length(ArrayType *conds)
{
	int			n = ARR_NDIM(conds) == 0 ? 0 : ARR_DIMS(conds)[0];

	if (ARR_NDIM(conds) > 1 || n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence conditions must be a non-empty one-dimensional array"),
				 errhint(SEQ_CONDS_HINT)));
	if (n > SEQ_MAX_CONDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sequence aggregates accept at most %d conditions", SEQ_MAX_CONDS),
				 errdetail("%d conditions were given.", n)));
	return n;
}

/* Raise the error of a state that is not of this row's call. */
static void
seq_check_state(const SeqState *st, uint8 axis, bool named, const text *pattern, int nconds,
				uint64 key)
{
	int			len = VARSIZE_ANY_EXHDR(pattern);

	if (unlikely(st->axis != axis || st->named != named))
		seq_report_kind(st, axis, named, "sequence_trans");
	if (unlikely(st->pattern_len != len || memcmp(st->pattern, VARDATA_ANY(pattern), len) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence pattern must be the same for all rows of a group"),
				 errdetail("A row has the pattern \"%.*s\", an earlier row \"%.*s\".",
						   Min(len, 100), VARDATA_ANY(pattern), Min(st->pattern_len, 100), st->pattern)));
	if (unlikely(st->nconds != nconds))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence conditions must be the same for all rows of a group"),
				 errdetail("A row has %d conditions, an earlier row %d.", nconds, st->nconds)));
	if (unlikely(st->steps_key != key))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence steps must be the same for all rows of a group"),
				 errdetail("A row has other steps than an earlier row.")));
}

/* After a row's events: a row satisfying only unnamed conditions is one event of condition 0. */
static inline SeqState *
seq_end_row(SeqState *st, FnStateHolder *holder, int64 ts, int64 before, bool any)
{
	if (any && st->nevents == before)
		st = seq_append(st, holder, ts, st->nrows, 0);
	if (st->nevents > before)
	{
		if (before > 0 && SEQ_EVENTS(st)[before - 1].ts > ts)
			st->sorted = false;
		st->nrows++;
	}
	return st;
}

/* Condition cond holds in the row: an event of it if the pattern names it; the row is an event. */
static inline SeqState *
seq_add_cond(SeqState *st, FnStateHolder *holder, const SeqCompiled *c, int64 ts, int cond,
			 bool *any)
{
	*any = true;
	if (c->slot_of[cond] >= 0)
		st = seq_append(st, holder, ts, st->nrows, (uint16) cond);
	return st;
}

/* The events of a row of the boolean form; NULL conditions are false. */
static SeqState *
seq_add_row(SeqState *st, FnStateHolder *holder, const SeqCompiled *c, int64 ts, ArrayType *conds)
{
	bits8	   *nulls = ARR_NULLBITMAP(conds);
	const bool *values = (const bool *) ARR_DATA_PTR(conds);
	int64		before = st->nevents;
	bool		any = false;
	int			k;

	for (k = 0; k < c->nconds; k++)
	{
		if (nulls != NULL && !(nulls[k / 8] & (1 << (k % 8))))
			continue;			/* NULL elements take no room in the data area */
		if (!*values++)
			continue;
		st = seq_add_cond(st, holder, c, ts, k + 1, &any);
	}
	return seq_end_row(st, holder, ts, before, any);
}

/* The events of a row of the forms with 1 to 8 conditions as arguments (no array per row). */
static SeqState *
seq_add_args_row(SeqState *st, FnStateHolder *holder, const SeqCompiled *c, int64 ts,
				 FunctionCallInfo fcinfo)
{
	int64		before = st->nevents;
	bool		any = false;
	int			k;

	for (k = 0; k < c->nconds; k++)
	{
		if (PG_ARGISNULL(3 + k) || !PG_GETARG_BOOL(3 + k))
			continue;
		st = seq_add_cond(st, holder, c, ts, k + 1, &any);
	}
	return seq_end_row(st, holder, ts, before, any);
}

/* The events of a row of the event-name form: the steps its event equals. */
static SeqState *
seq_add_event_row(SeqState *st, FnStateHolder *holder, const SeqCompiled *c, int64 ts,
				  const WfStepNames *names, const text *event)
{
	int64		before = st->nevents;
	bool		any = false;
	const char *name = VARDATA_ANY(event);
	int32		len = VARSIZE_ANY_EXHDR(event);
	int			k;

	for (k = 0; k < names->nsteps; k++)
	{
		if (names->lens[k] != len || memcmp(names->names[k], name, len) != 0)
			continue;
		st = seq_add_cond(st, holder, c, ts, k + 1, &any);
	}
	return seq_end_row(st, holder, ts, before, any);
}

/*
 * The shared transition: (state, pattern, ts, conds boolean[]), (state,
 * pattern, ts, cond1, ... condN) for N up to 8, or (state, pattern, ts,
 * event, steps text[]).  Rows with a NULL time or event are no events.
 */
static Datum
seq_transition(FunctionCallInfo fcinfo, uint8 axis, SeqForm form)
{
	FnStateHolder holder;
	SeqState   *st = fn_state_begin(fcinfo, FN_STATE_VALUE, "sequence_trans", &holder);
	bool		named = form == SEQ_FORM_NAMES;
	SeqCallCache *cache = seq_call_cache(fcinfo, named);
	const WfStepNames *names = NULL;
	ArrayType  *conds = NULL;
	const SeqCompiled *c;
	const text *pattern;
	int			nconds = 0;
	int64		ts;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sequence pattern must not be NULL"),
				 errhint("%s", SEQ_GRAMMAR_HINT)));
	pattern = PG_GETARG_TEXT_PP(1);
	if (named)
		names = cache->steps_const && cache->names.raw != NULL ? &cache->names :
			wf_step_names(fcinfo, &cache->names, 4, "sequence");
	else if (form == SEQ_FORM_ARGS)
		nconds = PG_NARGS() - 3;
	else if (PG_ARGISNULL(3))
	{
		/* VARIADIC NULL: the row is skipped, as one with a NULL time */
		if (st == NULL)
			PG_RETURN_NULL();
		return fn_state_result(&holder, st);
	}
	else
		conds = PG_GETARG_ARRAYTYPE_P(3);
	if (form != SEQ_FORM_ARGS)
		nconds = named ? names->nsteps : seq_conds_length(conds);
	c = seq_row_pattern(fcinfo, cache, pattern, axis, nconds);
	if (st == NULL)
		st = seq_state_new(holder.aggcontext, VARDATA_ANY(pattern), VARSIZE_ANY_EXHDR(pattern),
						   axis, named, nconds, named ? names->key : 0, 4);
	else
		seq_check_state(st, axis, named, pattern, nconds, named ? names->key : 0);
	if (PG_ARGISNULL(2) || (named && PG_ARGISNULL(3)))
		return fn_state_result(&holder, st);
	/* timestamptz and bigint are both int64 */
	ts = PG_GETARG_INT64(2);
	if (named)
		st = seq_add_event_row(st, &holder, c, ts, names, PG_GETARG_TEXT_PP(3));
	else if (form == SEQ_FORM_ARGS)
		st = seq_add_args_row(st, &holder, c, ts, fcinfo);
	else
		st = seq_add_row(st, &holder, c, ts, conds);
	return fn_state_result(&holder, st);
}

/* The transitions' entry points, one per form and axis. */
Datum sequence_trans(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_TIMESTAMPTZ, SEQ_FORM_ARRAY); }
Datum sequence_trans_bigint(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_BIGINT, SEQ_FORM_ARRAY); }
Datum sequence_trans_args(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_TIMESTAMPTZ, SEQ_FORM_ARGS); }
Datum sequence_trans_bigint_args(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_BIGINT, SEQ_FORM_ARGS); }
Datum sequence_trans_event(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_TIMESTAMPTZ, SEQ_FORM_NAMES); }
Datum sequence_trans_bigint_event(PG_FUNCTION_ARGS) { return seq_transition(fcinfo, WF_AXIS_BIGINT, SEQ_FORM_NAMES); }

static void *
seq_merge(void *a, const void *b, FnStateHolder *holder)
{
	return seq_combine(a, b, holder);
}

Datum
sequence_combine(PG_FUNCTION_ARGS)
{
	return fn_combine_values(fcinfo, "sequence_combine", seq_merge);
}

/* A final's call site keeps its last pattern (fn_extra): the groups of a query share it. */
static const SeqCompiled *
seq_final_pattern(FunctionCallInfo fcinfo, const SeqState *st, const char *fname)
{
	SeqPatternCache *cache = fcinfo->flinfo->fn_extra;
	const SeqCompiled *c;
	const char *detail;
	size_t		at;
	bool		too_big;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SeqPatternCache));
		cache->pattern_len = -1;
		fcinfo->flinfo->fn_extra = cache;
	}
	c = seq_cached_pattern(fcinfo->flinfo->fn_mcxt, cache, st->pattern, st->pattern_len, st->axis,
						   st->nconds, false, &detail, &at, &too_big);
	if (c == NULL)
		elog(ERROR, "%s: the state's pattern is not valid: %s", fname, detail);
	return c;
}

/*
 * A final function's state (NULL for none), its pattern compiled and its
 * events made one per row, in (ts, arrival) order; axis 0: either.
 */
static SeqState *
seq_final_events(FunctionCallInfo fcinfo, uint8 axis, const char *fname, SeqCompiled *c,
				 SeqEvents *ev)
{
	SeqState   *st;
	const WfEvent *e;
	int64	   *ts;
	uint64	   *masks;
	int64		n = -1;
	int64		k;

	/* it sorts the state in place: only an aggregate's own */
	fn_aggregate_context(fcinfo, fname);
	if (PG_ARGISNULL(0))
		return NULL;
	st = fn_state_value(PG_GETARG_DATUM(0));
	if (axis != 0 && st->axis != axis)
		seq_report_kind(st, axis, st->named, fname);
	*c = *seq_final_pattern(fcinfo, st, fname);
	if (!st->sorted)
	{
		wf_events_sort(SEQ_EVENTS(st), st->nevents);
		st->sorted = true;
	}
	ev->words = (c->pat.nslots + 63) / 64;
	/* one allocation: the times, then the masks */
	ts = palloc_extended(sizeof(int64) * ((int64) st->nrows * (1 + ev->words) + 1),
						 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	masks = (uint64 *) (ts + st->nrows);
	e = SEQ_EVENTS(st);
	for (k = 0; k < st->nevents; k++)
	{
		FN_CHECK_FOR_INTERRUPTS_EVERY(k);
		if (k == 0 || e[k].row != e[k - 1].row)
			ts[++n] = e[k].ts;
		if (e[k].step > 0)
		{
			int			slot = c->slot_of[e[k].step];

			masks[n * ev->words + slot / 64] |= UINT64CONST(1) << (slot % 64);
		}
	}
	Assert(n + 1 == st->nrows);
	ev->n = n + 1;
	ev->ts = ts;
	ev->masks = masks;
	return st;
}

Datum
sequence_match_final(PG_FUNCTION_ARGS)
{
	SeqCompiled c;
	SeqEvents	ev;
	SeqMatcher	m;

	bool		matched;

	if (seq_final_events(fcinfo, 0, "sequence_match_final", &c, &ev) == NULL)
		PG_RETURN_NULL();
	if (seq_match_forward(&c, &ev, &matched))
		PG_RETURN_BOOL(matched);
	seq_matcher_init(&m, &c, &ev, false);
	PG_RETURN_BOOL(seq_matches(&m));
}

Datum
sequence_count_final(PG_FUNCTION_ARGS)
{
	SeqCompiled c;
	SeqEvents	ev;
	SeqMatcher	m;

	if (seq_final_events(fcinfo, 0, "sequence_count_final", &c, &ev) == NULL)
		PG_RETURN_NULL();
	seq_matcher_init(&m, &c, &ev, true);
	PG_RETURN_INT64(seq_count(&m));
}

/* The times of the first match's (?N) events, as elemtype (timestamptz or int8); NULL without a match. */
static Datum
seq_times_result(FunctionCallInfo fcinfo, uint8 axis, Oid elemtype, const char *fname)
{
	SeqCompiled c;
	SeqEvents	ev;
	SeqMatcher	m;
	int64	   *positions;
	Datum	   *times;
	int64		end;
	int			natoms = 0;
	int			i;

	if (seq_final_events(fcinfo, axis, fname, &c, &ev) == NULL)
		PG_RETURN_NULL();
	for (i = 0; i < c.pat.nactions; i++)
		natoms += c.pat.actions[i].kind == SEQ_EVENT;
	positions = palloc(sizeof(int64) * Max(natoms, 1));
	seq_matcher_init(&m, &c, &ev, true);
	if (!seq_first_match(&m, 0, &end, positions))
		PG_RETURN_NULL();
	times = palloc(sizeof(Datum) * Max(natoms, 1));
	for (i = 0; i < natoms; i++)
		times[i] = Int64GetDatum(ev.ts[positions[i]]);
	PG_RETURN_ARRAYTYPE_P(construct_array(times, natoms, elemtype, sizeof(int64), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}

Datum
sequence_match_times_final(PG_FUNCTION_ARGS)
{
	return seq_times_result(fcinfo, WF_AXIS_TIMESTAMPTZ, TIMESTAMPTZOID, "sequence_match_times_final");
}

Datum
sequence_match_times_bigint_final(PG_FUNCTION_ARGS)
{
	return seq_times_result(fcinfo, WF_AXIS_BIGINT, INT8OID, "sequence_match_times_bigint_final");
}
