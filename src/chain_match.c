/*
 * chain_match.c
 *		Conformance of an actual contact chain with a prescribed one:
 *		@>, <@, chain_conformance, chain_next, chain_extra.
 *
 * Kinds are compared bytewise.  The ordered-subsequence test and the next
 * prescribed contact use one greedy left-to-right pass, which is exact for
 * subsequence matching; the longest common subsequence uses the classic
 * dynamic programme, one row at a time.
 */
#include "postgres.h"

#include "chain.h"

#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(contact_chain_contains);
PG_FUNCTION_INFO_V1(contact_chain_contained);
PG_FUNCTION_INFO_V1(chain_conformance);
PG_FUNCTION_INFO_V1(chain_next);
PG_FUNCTION_INFO_V1(chain_extra);

static inline bool
kind_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/*
 * Match prescribed against actual greedily, in order.  Returns true when
 * all of prescribed was matched; otherwise *next is the first kind left.
 */
static bool
greedy_match(ChainReader actual, ChainReader prescribed, ChainKind *next)
{
	const char *kind;
	size_t		len;

	if (!chain_read(&prescribed, &next->data, &next->len))
		return true;
	while (chain_read(&actual, &kind, &len))
	{
		if (kind_eq(kind, len, next->data, next->len) &&
			!chain_read(&prescribed, &next->data, &next->len))
			return true;
	}
	return false;
}

/*
 * Length of the longest common subsequence, in O(len(a) * len(p)) time and
 * O(len(p)) memory: row[j] is the LCS of the part of a read so far and the
 * first j kinds of p.
 */
static uint32
chain_lcs(ChainReader a, ChainReader p)
{
	uint32		np = p.left;
	ChainKind  *pk;
	uint32	   *row;
	const char *kind;
	size_t		len;
	uint32		result;

	if (np == 0 || a.left == 0)
		return 0;
	pk = chain_kinds_array(p);
	row = palloc0(sizeof(uint32) * (np + 1));
	while (chain_read(&a, &kind, &len))
	{
		uint32		diag = 0;	/* row[j - 1] before this kind of a */
		uint32		j;

		CHECK_FOR_INTERRUPTS();
		for (j = 1; j <= np; j++)
		{
			uint32		up = row[j];

			if (kind_eq(kind, len, pk[j - 1].data, pk[j - 1].len))
				row[j] = diag + 1;
			else if (row[j - 1] > row[j])
				row[j] = row[j - 1];
			diag = up;
		}
	}
	result = row[np];
	pfree(row);
	pfree(pk);
	return result;
}

/* The two chains of a call; the actual one is argument actual_arg, the other the prescribed. */
static void
chain_args(FunctionCallInfo fcinfo, int actual_arg, ChainReader *actual, ChainReader *prescribed)
{
	PG_GETARG_CHAIN(actual_arg, actual);
	PG_GETARG_CHAIN(1 - actual_arg, prescribed);
}

/* Whether the prescribed chain is an ordered subsequence of the actual one. */
static bool
chain_contains(FunctionCallInfo fcinfo, int actual_arg)
{
	ChainReader actual;
	ChainReader prescribed;
	ChainKind	next;

	chain_args(fcinfo, actual_arg, &actual, &prescribed);
	return greedy_match(actual, prescribed, &next);
}

/* actual @> prescribed */
Datum
contact_chain_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_contains(fcinfo, 0));
}

/* prescribed <@ actual */
Datum
contact_chain_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_contains(fcinfo, 1));
}

/* LCS(actual, prescribed) / chain_length(prescribed); 1.0 for an empty prescription */
Datum
chain_conformance(PG_FUNCTION_ARGS)
{
	ChainReader actual;
	ChainReader prescribed;

	chain_args(fcinfo, 0, &actual, &prescribed);
	if (prescribed.left == 0)
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8((double) chain_lcs(actual, prescribed) / prescribed.left);
}

/* The next prescribed contact after the greedy match, NULL when none is left. */
Datum
chain_next(PG_FUNCTION_ARGS)
{
	ChainReader actual;
	ChainReader prescribed;
	ChainKind	next;

	chain_args(fcinfo, 0, &actual, &prescribed);
	if (greedy_match(actual, prescribed, &next))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(next.data, (int) next.len));
}

/* Contacts of actual beyond the longest common subsequence. */
Datum
chain_extra(PG_FUNCTION_ARGS)
{
	ChainReader actual;
	ChainReader prescribed;

	chain_args(fcinfo, 0, &actual, &prescribed);
	PG_RETURN_INT32((int32) (actual.left - chain_lcs(actual, prescribed)));
}
