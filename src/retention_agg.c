/*
 * retention_agg.c
 *		retention(VARIADIC conds boolean[]) -> int[], ClickHouse's retention:
 *		element 1 is 1 when some row of the group satisfies condition 1,
 *		element k > 1 is 1 when some row satisfies condition 1 and some row
 *		(perhaps another) condition k.
 *
 * The state is an int[] of 0 and 1, one per condition: whether some row
 * satisfied it, OR-ed by the combine function.  A plain array is a value
 * type, so Citus distributes the aggregate; as any int[] may be passed as
 * the state of an aggregate of one's own, every function checks it.
 */
#include "postgres.h"

#include "module.h"
#include "sequence_pattern.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

PG_FUNCTION_INFO_V1(retention_trans);
PG_FUNCTION_INFO_V1(retention_combine);
PG_FUNCTION_INFO_V1(retention_final);

#define RET_CONDS_HINT "Pass the conditions as boolean arguments, such as retention(month = 0, month = 1, month = 2)."

/* The conditions of a row (not NULL), checked: their number. */
static int
ret_conds_length(FunctionCallInfo fcinfo, ArrayType **conds)
{
	int			n;

	*conds = PG_GETARG_ARRAYTYPE_P(1);
	n = ARR_NDIM(*conds) == 0 ? 0 : ARR_DIMS(*conds)[0];
	if (ARR_NDIM(*conds) > 1 || n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention conditions must be a non-empty one-dimensional array"),
				 errhint(RET_CONDS_HINT)));
	if (n > SEQ_MAX_CONDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("retention accepts at most %d conditions", SEQ_MAX_CONDS),
				 errdetail("%d conditions were given.", n)));
	return n;
}

/* Raise the error of states or rows with different numbers of conditions. */
static void
ret_check_length(const ArrayType *st, int nconds)
{
	if (ARR_DIMS(st)[0] != nconds)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention conditions must be the same for all rows of a group"),
				 errdetail("A row or state has %d conditions, another %d.", nconds, ARR_DIMS(st)[0])));
}

/* A state argument, checked: an int[] of 0 and 1 from 1, and of nconds elements if nconds > 0. */
static ArrayType *
ret_state_arg(FunctionCallInfo fcinfo, int argno, int nconds)
{
	ArrayType  *st = PG_GETARG_ARRAYTYPE_P(argno);
	int			n = ARR_NDIM(st) == 1 ? ARR_DIMS(st)[0] : 0;
	const int32 *v = (const int32 *) ARR_DATA_PTR(st);
	int			k;
	bool		ok = ARR_NDIM(st) == 1 && ARR_ELEMTYPE(st) == INT4OID && !ARR_HASNULL(st) &&
		ARR_LBOUND(st)[0] == 1 && n <= SEQ_MAX_CONDS;

	for (k = 0; ok && k < n; k++)
		ok = v[k] == 0 || v[k] == 1;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid retention state"),
				 errdetail("A retention state is a one-dimensional integer array of 0 and 1, one element per condition.")));
	if (nconds > 0)
		ret_check_length(st, nconds);
	return st;
}

/* An array of n zeros. */
static ArrayType *
ret_new_state(int n)
{
	Datum	   *zeros = palloc0(sizeof(Datum) * n);

	return construct_array(zeros, n, INT4OID, sizeof(int32), true, TYPALIGN_INT);
}

Datum
retention_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = fn_aggregate_context(fcinfo, "retention_trans");
	ArrayType  *conds;
	int			n;
	ArrayType  *st;
	bits8	   *nulls;
	const bool *values;
	int32	   *seen;
	int			k;

	/* VARIADIC NULL: the row is skipped, as a strict function's would be */
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(ret_state_arg(fcinfo, 0, 0));
	}
	n = ret_conds_length(fcinfo, &conds);
	nulls = ARR_NULLBITMAP(conds);
	values = (const bool *) ARR_DATA_PTR(conds);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		st = ret_new_state(n);
		MemoryContextSwitchTo(old);
	}
	else
		st = ret_state_arg(fcinfo, 0, n);
	/* the state is the aggregate's own (or a detoasted copy): set in place */
	seen = (int32 *) ARR_DATA_PTR(st);
	for (k = 0; k < n; k++)
	{
		if (nulls != NULL && !(nulls[k / 8] & (1 << (k % 8))))
			continue;			/* NULL elements take no room in the data area */
		if (*values++)
			seen[k] = 1;
	}
	PG_RETURN_ARRAYTYPE_P(st);
}

Datum
retention_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	ArrayType  *b;
	int32	   *seen;
	const int32 *more;
	int			k;

	(void) fn_aggregate_context(fcinfo, "retention_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(ret_state_arg(fcinfo, 0, 0));
	}
	b = ret_state_arg(fcinfo, 1, 0);
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(b);
	a = ret_state_arg(fcinfo, 0, ARR_DIMS(b)[0]);
	seen = (int32 *) ARR_DATA_PTR(a);
	more = (const int32 *) ARR_DATA_PTR(b);
	for (k = 0; k < ARR_DIMS(b)[0]; k++)
		seen[k] |= more[k];
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
retention_final(PG_FUNCTION_ARGS)
{
	ArrayType  *st;
	const int32 *seen;
	Datum	   *out;
	int			n;
	int			k;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = ret_state_arg(fcinfo, 0, 0);
	n = ARR_DIMS(st)[0];
	seen = (const int32 *) ARR_DATA_PTR(st);
	out = palloc(sizeof(Datum) * Max(n, 1));
	for (k = 0; k < n; k++)
		out[k] = Int32GetDatum(seen[0] & seen[k]);
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}
