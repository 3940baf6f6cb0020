/*
 * agg_state.c
 *		Growing value-type aggregate states: allocation, growth, and the hex
 *		text form shared by their types (see agg_state.h).
 */
#include "postgres.h"

#include "agg_state.h"

#include "libpq/pqformat.h"
#include "utils/memutils.h"

void *
fn_state_new(Size size, FnStateKind kind, MemoryContext aggcontext)
{
	void	   *state;

	Assert(size >= VARHDRSZ);
	if (kind == FN_STATE_INTERNAL)
		state = MemoryContextAllocZero(aggcontext, size);
	else
		state = palloc0(size);
	SET_VARSIZE(state, size);
	return state;
}

/*
 * A value state of at least this many bytes grows in an expanded object: a
 * memory context per group costs about a kilobyte, little beside the state,
 * and the many small groups of a hash aggregate stay plain.
 */
#define FN_STATE_EXPAND_AT (64 * 1024)

static Size
fn_expanded_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(((FnExpandedState *) eohptr)->state);
}

/* The flat form is the state as it is, room included, as datumCopy of a plain state gives. */
static void
fn_expanded_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	FnExpandedState *e = (FnExpandedState *) eohptr;

	Assert(allocated_size == VARSIZE(e->state));
	memcpy(result, e->state, allocated_size);
}

static const ExpandedObjectMethods fn_expanded_methods = {
	fn_expanded_flat_size,
	fn_expanded_flatten
};

/* The expanded object of ours that datum points to, else NULL. */
static inline FnExpandedState *
fn_expanded_of(Datum datum)
{
	varatt_expanded ptr;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(datum)))
		return NULL;
	/* DatumGetEOHP, inline: a transition of a large state calls this on every row */
	memcpy(&ptr, VARDATA_EXTERNAL(DatumGetPointer(datum)), sizeof(ptr));
	return ptr.eohptr->eoh_methods == &fn_expanded_methods ? (FnExpandedState *) ptr.eohptr : NULL;
}

void *
fn_state_begin_extended(Datum datum, FnStateHolder *holder)
{
	Assert(holder->kind == FN_STATE_VALUE);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(datum)))
		holder->expanded = fn_expanded_of(datum);
	if (holder->expanded != NULL)
		return holder->expanded->state;
	/* only a state of the executor's own may change; any other is copied first */
	return PG_DETOAST_DATUM_COPY(datum);
}

void *
fn_state_value(Datum datum)
{
	FnExpandedState *e = fn_expanded_of(datum);

	return e != NULL ? e->state : PG_DETOAST_DATUM(datum);
}

/*
 * A new expanded object under the aggregate context holding the first used
 * bytes of state in size bytes.  The executor keeps it as the group's state
 * (its context is a child of the aggregate context) and frees state.
 */
static void *
fn_state_expand(const void *state, Size used, Size size, FnStateHolder *holder)
{
	MemoryContext context = AllocSetContextCreate(holder->aggcontext, "funnel aggregate state",
												  ALLOCSET_SMALL_SIZES);
	FnExpandedState *e = MemoryContextAlloc(context, sizeof(FnExpandedState));

	EOH_init_header(&e->hdr, &fn_expanded_methods, context);
	e->state = MemoryContextAlloc(context, size);
	memcpy(e->state, state, used);
	holder->expanded = e;
	return e->state;
}

void *
fn_state_grow(void *state, Size used, Size need, Size max, FnStateHolder *holder)
{
	Size		have = VARSIZE(state);
	Size		size;
	char	   *grown;

	/* callers bound their row counts below the 1 GB varlena limit */
	Assert(used <= have && need > have && need <= max && max <= MaxAllocSize);
	size = Min(Max(need, have * 2), max);
	if (holder->kind == FN_STATE_INTERNAL || holder->expanded != NULL)
		grown = repalloc(state, size);	/* in the aggregate or the object's context */
	else if (size >= FN_STATE_EXPAND_AT && holder->aggcontext != NULL)
		grown = fn_state_expand(state, used, size, holder);
	else
	{
		/* the old state stays: the executor frees it once it has copied this one */
		grown = palloc(size);
		memcpy(grown, state, used);
	}
	memset(grown + used, 0, size - used);
	SET_VARSIZE(grown, size);
	if (holder->expanded != NULL)
		holder->expanded->state = grown;
	return grown;
}

char *
fn_state_hex_out(const StringInfo bytes)
{
	static const char digits[] = "0123456789abcdef";
	char	   *result = palloc(2 + (Size) bytes->len * 2 + 1);
	char	   *out = result;
	int			i;

	*out++ = '\\';
	*out++ = 'x';
	for (i = 0; i < bytes->len; i++)
	{
		unsigned char c = (unsigned char) bytes->data[i];

		*out++ = digits[c >> 4];
		*out++ = digits[c & 0xf];
	}
	*out = '\0';
	return result;
}

static inline int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
fn_state_hex_in(const char *str, StringInfo out, Node *escontext, const char *type_name)
{
	size_t		len = strlen(str);
	size_t		i;

	if (len < 2 || str[0] != '\\' || str[1] != 'x' || len % 2 != 0)
	{
		errsave(escontext,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", type_name),
				 errdetail("A %s is written as \\x followed by an even number of hexadecimal digits.",
						   type_name)));
		return false;
	}
	enlargeStringInfo(out, (int) ((len - 2) / 2));
	for (i = 2; i < len; i += 2)
	{
		int			hi = hex_value(str[i]);
		int			lo = hex_value(str[i + 1]);

		if (hi < 0 || lo < 0)
		{
			errsave(escontext,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s", type_name),
					 errdetail("\"%.*s\" is not a pair of hexadecimal digits.", 2, str + i)));
			return false;
		}
		out->data[out->len++] = (char) (hi << 4 | lo);
	}
	out->data[out->len] = '\0';
	return true;
}

void
fn_state_report_bad(Node *escontext, bool from_text, const char *type_name, const char *detail)
{
	if (from_text)
		errsave(escontext,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", type_name),
				 errdetail("%s", detail)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external binary value for type %s", type_name),
				 errdetail("%s", detail)));
}

/* A value from its byte form, raising (recv) or saving (text) its errors. */
static Datum
fn_state_from_bytes(FunctionCallInfo fcinfo, const FnStateIO *io, const char *data, size_t len,
					bool from_text)
{
	const char *detail = NULL;
	void	   *state = io->decode(data, len, &detail);

	if (state == NULL)
	{
		fn_state_report_bad(fcinfo->context, from_text, io->type_name, detail);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(state);
}

Datum
fn_combine_values(FunctionCallInfo fcinfo, const char *fname, FnStateMerge merge)
{
	FnStateHolder holder;
	void	   *a = fn_state_begin(fcinfo, FN_STATE_VALUE, fname, &holder);
	void	   *b = PG_ARGISNULL(1) ? NULL : fn_state_value(PG_GETARG_DATUM(1));
	Datum		result;

	if (fn_combine_one_side(fcinfo, &holder, a, b, &result))
		return result;
	return fn_state_result(&holder, merge(a, b, &holder));
}

Datum
fn_state_io_in(FunctionCallInfo fcinfo, const FnStateIO *io)
{
	StringInfoData bytes;

	initStringInfo(&bytes);
	if (!fn_state_hex_in(PG_GETARG_CSTRING(0), &bytes, fcinfo->context, io->type_name))
		PG_RETURN_NULL();
	return fn_state_from_bytes(fcinfo, io, bytes.data, bytes.len, true);
}

Datum
fn_state_io_out(FunctionCallInfo fcinfo, const FnStateIO *io)
{
	StringInfoData bytes;

	initStringInfo(&bytes);
	io->encode(fn_state_value(PG_GETARG_DATUM(0)), &bytes);
	PG_RETURN_CSTRING(fn_state_hex_out(&bytes));
}

Datum
fn_state_io_recv(FunctionCallInfo fcinfo, const FnStateIO *io)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *data = buf->data + buf->cursor;
	size_t		len = buf->len - buf->cursor;

	buf->cursor = buf->len;
	return fn_state_from_bytes(fcinfo, io, data, len, false);
}

Datum
fn_state_io_send(FunctionCallInfo fcinfo, const FnStateIO *io)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	io->encode(fn_state_value(PG_GETARG_DATUM(0)), &buf);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
