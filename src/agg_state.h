/*
 * agg_state.h
 *		Value-type aggregate states that grow: one varlena each, filled in
 *		place, and their byte and text forms.
 *
 * Citus distributes an aggregate only when its state is a value type (not
 * internal): the states of window_funnel, contact_chain_agg and the
 * entered-only stage_velocity are such types from 0.2.  A state's VARSIZE
 * is its allocated size, its own header says how much of it is used, and
 * a transition adds rows in the room left, returning the same pointer, which
 * the executor keeps.  A state that needs more room is made anew, twice as
 * large, in the current (per-row) memory: the executor copies a state
 * returned under a new pointer into the aggregate context and frees the old
 * one.  A state that outgrows FN_STATE_EXPAND_AT moves instead into an
 * expanded object (utils/expandeddatum.h) in a memory context of its own
 * under the aggregate context: the executor (and Citus) keep such a state
 * without copying it, so from there it grows in place with repalloc, as an
 * internal state does, and a group of millions of rows is not copied twice
 * at every doubling.  Readers get the flat state from either form with
 * fn_state_value.  The 0.1 entry points (state internal, which the executor
 * never copies) hold the same layout and grow it in the aggregate context.
 *
 * A state's external form is its byte form (network byte order, a format
 * version byte first) for send and receive, and \x and that in hex for text,
 * as bytea prints: fast both ways, and round-trips exactly.
 */
#ifndef FUNNEL_AGG_STATE_H
#define FUNNEL_AGG_STATE_H

#include "module.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/expandeddatum.h"

/* Who owns a state, and so how it grows. */
typedef enum FnStateKind
{
	FN_STATE_VALUE,				/* a value type: the executor copies new states */
	FN_STATE_INTERNAL			/* internal (0.1): grown in the aggregate context */
} FnStateKind;

/* A value state in an expanded object: the flat state lives in its context. */
typedef struct FnExpandedState
{
	ExpandedObjectHeader hdr;
	void	   *state;
} FnExpandedState;

/*
 * Where a transition or combine function's state lives, and so how it
 * grows: its kind, the aggregate context (NULL for a state being read from
 * its external form, which stays plain), and the expanded object holding
 * it, if any.
 */
typedef struct FnStateHolder
{
	FnStateKind kind;
	MemoryContext aggcontext;
	FnExpandedState *expanded;
} FnStateHolder;

/* A zeroed state of size bytes (header included), VARSIZE set. */
extern void *fn_state_new(Size size, FnStateKind kind, MemoryContext aggcontext);

/* fn_state_begin for a state that is not a plain varlena: expanded, or toasted. */
extern void *fn_state_begin_extended(Datum datum, FnStateHolder *holder);

/*
 * Fill holder for a transition or combine function (fname, for its error
 * outside an aggregate) and return its state argument 0 in flat form, NULL
 * when null.  The state may be changed in place: the executor owns it.
 * Inline: every row calls it.
 */
static inline void *
fn_state_begin(FunctionCallInfo fcinfo, FnStateKind kind, const char *fname,
			   FnStateHolder *holder)
{
	Datum		datum;

	holder->kind = kind;
	holder->aggcontext = fn_aggregate_context(fcinfo, fname);
	holder->expanded = NULL;
	if (PG_ARGISNULL(0))
		return NULL;
	datum = PG_GETARG_DATUM(0);
	if (kind == FN_STATE_INTERNAL || !VARATT_IS_EXTENDED(DatumGetPointer(datum)))
		return DatumGetPointer(datum);
	return fn_state_begin_extended(datum, holder);
}

/* What a transition or combine function returns for state. */
static inline Datum
fn_state_result(const FnStateHolder *holder, void *state)
{
	if (holder->expanded != NULL && holder->expanded->state == state)
		return EOHPGetRWDatum(&holder->expanded->hdr);
	return PointerGetDatum(state);
}

/*
 * The answer of a value state's combine function when a or b is NULL (the
 * other, b itself as a group's first state, which the executor copies; NULL
 * for both): true with *result set, false when both are states.
 */
static inline bool
fn_combine_one_side(FunctionCallInfo fcinfo, const FnStateHolder *holder, void *a, void *b,
					Datum *result)
{
	if (a != NULL && b != NULL)
		return false;
	if (b != NULL)
		*result = PointerGetDatum(b);
	else if (a != NULL)
		*result = fn_state_result(holder, a);
	else
	{
		fcinfo->isnull = true;
		*result = (Datum) 0;
	}
	return true;
}

/*
 * The flat state of a non-null state datum, to read (a final, combine's
 * second argument, output): an expanded one's own, else detoasted.
 */
extern void *fn_state_value(Datum datum);

/*
 * The combine function of a value state, named fname: with both states
 * there, merge adds b's rows to a (b is only read) and returns the state,
 * a or a larger one grown through holder; otherwise fn_combine_one_side's
 * answer.
 */
typedef void *(*FnStateMerge) (void *a, const void *b, FnStateHolder *holder);
extern Datum fn_combine_values(FunctionCallInfo fcinfo, const char *fname, FnStateMerge merge);

/*
 * state itself when it has need bytes in all, else a larger state (of at
 * most max bytes, need <= max) holding its first used bytes; VARSIZE set,
 * the room beyond used zeroed.
 */
extern void *fn_state_grow(void *state, Size used, Size need, Size max, FnStateHolder *holder);

/* Inline: a transition reserves room on every row, and almost always has it. */
static inline void *
fn_state_reserve(void *state, Size used, Size need, Size max, FnStateHolder *holder)
{
	if (likely(need <= VARSIZE(state)))
		return state;
	return fn_state_grow(state, used, need, max, holder);
}

/* The text form of a state's byte form: \x and the bytes in hex. */
extern char *fn_state_hex_out(const StringInfo bytes);

/*
 * The bytes of a state's text form into out; false, with the error saved
 * into escontext, on malformed text.
 */
extern bool fn_state_hex_in(const char *str, StringInfo out, Node *escontext,
							const char *type_name);

/* A bounds-checked reader of a byte form: reads past its end set ok false and give 0. */
typedef struct FnReader
{
	const unsigned char *p;
	const unsigned char *end;
	bool		ok;
} FnReader;

static inline void
fn_reader_init(FnReader *r, const char *data, size_t len)
{
	r->p = (const unsigned char *) data;
	r->end = r->p + len;
	r->ok = true;
}

/* Start reading a byte form: false when its version byte is not version. */
static inline bool
fn_reader_start(FnReader *r, const char *data, size_t len, int version)
{
	fn_reader_init(r, data, len);
	return r->end > r->p && *r->p++ == version;
}

static inline bool
fn_reader_need(FnReader *r, size_t n)
{
	if (!r->ok || (size_t) (r->end - r->p) < n)
		r->ok = false;
	return r->ok;
}

static inline uint64
fn_read_uint(FnReader *r, int bytes)
{
	uint64		v = 0;
	int			i;

	if (!fn_reader_need(r, bytes))
		return 0;
	for (i = 0; i < bytes; i++)
		v = (v << 8) | *r->p++;
	return v;
}

static inline const char *
fn_read_bytes(FnReader *r, size_t n)
{
	const char *p = (const char *) r->p;

	if (!fn_reader_need(r, n))
		return NULL;
	r->p += n;
	return p;
}

static inline size_t
fn_reader_left(const FnReader *r)
{
	return r->ok ? (size_t) (r->end - r->p) : 0;
}

/* Raise or save the error of an invalid byte form, from text input (escontext) or receive. */
extern void fn_state_report_bad(Node *escontext, bool from_text, const char *type_name,
								const char *detail);

/*
 * A state type's input and output: its name, the writer of its byte form,
 * and the reader of a plain value from it, which returns NULL with *detail
 * set when the bytes are not a valid state.
 */
typedef struct FnStateIO
{
	const char *type_name;
	void		(*encode) (const void *state, StringInfo buf);
	void	   *(*decode) (const char *data, size_t len, const char **detail);
} FnStateIO;

/* The type's in, out, recv and send functions, given their fcinfo. */
extern Datum fn_state_io_in(FunctionCallInfo fcinfo, const FnStateIO *io);
extern Datum fn_state_io_out(FunctionCallInfo fcinfo, const FnStateIO *io);
extern Datum fn_state_io_recv(FunctionCallInfo fcinfo, const FnStateIO *io);
extern Datum fn_state_io_send(FunctionCallInfo fcinfo, const FnStateIO *io);

/* Define prefix_in, _out, _recv and _send (declared by PG_FUNCTION_INFO_V1) over io. */
#define FN_STATE_IO_FUNCTIONS(prefix, io) \
	Datum prefix##_in(PG_FUNCTION_ARGS) { return fn_state_io_in(fcinfo, &(io)); } \
	Datum prefix##_out(PG_FUNCTION_ARGS) { return fn_state_io_out(fcinfo, &(io)); } \
	Datum prefix##_recv(PG_FUNCTION_ARGS) { return fn_state_io_recv(fcinfo, &(io)); } \
	Datum prefix##_send(PG_FUNCTION_ARGS) { return fn_state_io_send(fcinfo, &(io)); }

#endif							/* FUNNEL_AGG_STATE_H */
