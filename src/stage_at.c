/*
 * stage_at.c
 *		stage_at(s stage, entered_at timestamptz, at timestamptz): the stage
 *		a deal was in at a moment, from its entered-only history, and its
 *		value-type state stage_at_state.
 *
 * The result is the stage entered last at or before at (at equal times the
 * higher stage, in stage order), NULL when none.  at must be the same in
 * every row of a group.  The state has a fixed size: at, and the best entry
 * so far (its time and its stage's bytes), updated in place.
 *
 * The byte form: version, flags (bit 0: at is set, bit 1: an entry is
 * kept), at, the entry's time, its stage's position, name length and name.
 * The text form is that in hex.
 */
#include "postgres.h"

#include "agg_state.h"
#include "stage.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(stage_at_trans);
PG_FUNCTION_INFO_V1(stage_at_combine);
PG_FUNCTION_INFO_V1(stage_at_final);
PG_FUNCTION_INFO_V1(stage_at_state_in);
PG_FUNCTION_INFO_V1(stage_at_state_out);
PG_FUNCTION_INFO_V1(stage_at_state_recv);
PG_FUNCTION_INFO_V1(stage_at_state_send);

#define STAGE_AT_FORMAT_VERSION 1
#define STAGE_AT_HAS_AT 0x01
#define STAGE_AT_HAS_ENTRY 0x02

typedef struct StageAtState
{
	int32		vl_len_;
	uint8		flags;
	uint8		position;		/* the kept entry's stage */
	uint8		name_len;
	int64		at;
	int64		entered_at;
	char		name[STAGE_MAX_NAME];
} StageAtState;

#define STAGE_AT_HINT "Pass the moment as a constant, such as timestamptz '2026-06-30'."

/* Whether the entry (entered_at, s) comes after the state's kept one. */
static bool
stage_at_later(const StageAtState *st, int64 entered_at, const StageView *s)
{
	StageView	kept;

	if (!(st->flags & STAGE_AT_HAS_ENTRY) || entered_at > st->entered_at)
		return true;
	if (entered_at < st->entered_at)
		return false;
	kept.position = st->position;
	kept.name = st->name;
	kept.name_len = st->name_len;
	return stage_view_cmp(s, &kept) > 0;
}

static void
stage_at_keep(StageAtState *st, int64 entered_at, const StageView *s)
{
	st->flags |= STAGE_AT_HAS_ENTRY;
	st->entered_at = entered_at;
	st->position = (uint8) s->position;
	st->name_len = (uint8) s->name_len;
	memcpy(st->name, s->name, s->name_len);
}

/* The moment of a row or of another state: the group's, or the first. */
static void
stage_at_set_at(StageAtState *st, int64 at)
{
	if (!(st->flags & STAGE_AT_HAS_AT))
	{
		st->at = at;
		st->flags |= STAGE_AT_HAS_AT;
	}
	else if (st->at != at)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage_at moment must be the same for every row of a group"),
				 errhint(STAGE_AT_HINT)));
}

/*
 * Transition: rows with a NULL stage or entered_at are skipped; a NULL
 * moment is an error, as it gives no answer.
 */
Datum
stage_at_trans(PG_FUNCTION_ARGS)
{
	FnStateHolder holder;
	StageAtState *st = fn_state_begin(fcinfo, FN_STATE_VALUE, "stage_at_trans", &holder);
	StageView	s;
	int64		entered_at;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("stage_at moment must not be NULL"),
				 errhint(STAGE_AT_HINT)));
	if (st == NULL)
		st = fn_state_new(sizeof(StageAtState), FN_STATE_VALUE, holder.aggcontext);
	stage_at_set_at(st, PG_GETARG_TIMESTAMPTZ(3));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return fn_state_result(&holder, st);
	entered_at = PG_GETARG_TIMESTAMPTZ(2);
	PG_GETARG_STAGE_VIEW(1, &s);
	if (entered_at <= st->at && stage_at_later(st, entered_at, &s))
		stage_at_keep(st, entered_at, &s);
	return fn_state_result(&holder, st);
}

/* Combine: the same moment, the later entry (a fixed size: a never grows). */
static void *
stage_at_merge(void *state, const void *other, FnStateHolder *holder)
{
	StageAtState *a = state;
	const StageAtState *b = other;
	StageView	s;

	if (b->flags & STAGE_AT_HAS_AT)
		stage_at_set_at(a, b->at);
	s.position = b->position;
	s.name = b->name;
	s.name_len = b->name_len;
	if ((b->flags & STAGE_AT_HAS_ENTRY) && stage_at_later(a, b->entered_at, &s))
		stage_at_keep(a, b->entered_at, &s);
	return a;
}

Datum
stage_at_combine(PG_FUNCTION_ARGS)
{
	return fn_combine_values(fcinfo, "stage_at_combine", stage_at_merge);
}

Datum
stage_at_final(PG_FUNCTION_ARGS)
{
	StageAtState *st = PG_ARGISNULL(0) ? NULL : (StageAtState *) fn_state_value(PG_GETARG_DATUM(0));

	if (st == NULL || !(st->flags & STAGE_AT_HAS_ENTRY))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(stage_make(st->position, st->name, st->name_len));
}

static void
stage_at_encode(const void *state, StringInfo buf)
{
	const StageAtState *st = (const StageAtState *) state;

	pq_sendbyte(buf, STAGE_AT_FORMAT_VERSION);
	pq_sendbyte(buf, st->flags);
	pq_sendint64(buf, st->at);
	pq_sendint64(buf, st->entered_at);
	pq_sendbyte(buf, st->position);
	pq_sendbyte(buf, st->name_len);
	pq_sendbytes(buf, st->name, st->name_len);
}

/*
 * Whether a decoded state is one the transitions could have made: the
 * first row sets the moment, so every state has one; an entry is kept only
 * at or before it; without an entry the rest is zero.
 */
static bool
stage_at_state_ok(const StageAtState *st, const char *name)
{
	if ((st->flags & ~(STAGE_AT_HAS_AT | STAGE_AT_HAS_ENTRY)) || !(st->flags & STAGE_AT_HAS_AT) ||
		!fn_timestamptz_ok(st->at))
		return false;
	if (!(st->flags & STAGE_AT_HAS_ENTRY))
		return st->entered_at == 0 && st->position == 0 && st->name_len == 0;
	return st->entered_at <= st->at && fn_timestamptz_ok(st->entered_at) &&
		st->position >= STAGE_MIN_POSITION && pg_verifymbstr(name, st->name_len, true);
}

static void *
stage_at_decode(const char *data, size_t len, const char **detail)
{
	FnReader	r;
	StageAtState *st = fn_state_new(sizeof(StageAtState), FN_STATE_VALUE, NULL);
	const char *name;

	if (!fn_reader_start(&r, data, len, STAGE_AT_FORMAT_VERSION))
	{
		*detail = "The state format version is not supported.";
		return NULL;
	}
	st->flags = (uint8) fn_read_uint(&r, 1);
	st->at = (int64) fn_read_uint(&r, 8);
	st->entered_at = (int64) fn_read_uint(&r, 8);
	st->position = (uint8) fn_read_uint(&r, 1);
	st->name_len = (uint8) fn_read_uint(&r, 1);
	name = fn_read_bytes(&r, st->name_len);
	if (!r.ok || fn_reader_left(&r) != 0 || !stage_at_state_ok(st, name))
	{
		*detail = "The state is inconsistent.";
		return NULL;
	}
	memcpy(st->name, name, st->name_len);
	return st;
}

static const FnStateIO stage_at_state_io = {"stage_at_state", stage_at_encode, stage_at_decode};

FN_STATE_IO_FUNCTIONS(stage_at_state, stage_at_state_io)
