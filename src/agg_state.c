/*
 * agg_state.c
 *		Growing value-type aggregate states: allocation, growth, and the hex
 *		text form shared by their types (see agg_state.h).
 */
#include "postgres.h"

#include "agg_state.h"

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

void *
fn_state_grow(void *state, Size used, Size need, Size max, FnStateKind kind,
			  MemoryContext aggcontext)
{
	Size		have = VARSIZE(state);
	Size		size;
	char	   *grown;

	/* callers bound their row counts below the 1 GB varlena limit */
	Assert(used <= have && need > have && need <= max && max <= MaxAllocSize);
	size = Min(Max(need, have * 2), max);
	if (kind == FN_STATE_INTERNAL)
		grown = repalloc(state, size);
	else
	{
		/* the old state stays: the executor frees it once it has copied this one */
		grown = palloc(size);
		memcpy(grown, state, used);
	}
	memset(grown + used, 0, size - used);
	SET_VARSIZE(grown, size);
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
