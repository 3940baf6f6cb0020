/*
 * stage_cmp.c
 *		Comparison and hashing of stage values: the btree and hash operator
 *		classes, min/max.
 */
#include "postgres.h"

#include "stage.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(stage_cmp);
PG_FUNCTION_INFO_V1(stage_eq);
PG_FUNCTION_INFO_V1(stage_ne);
PG_FUNCTION_INFO_V1(stage_lt);
PG_FUNCTION_INFO_V1(stage_le);
PG_FUNCTION_INFO_V1(stage_gt);
PG_FUNCTION_INFO_V1(stage_ge);
PG_FUNCTION_INFO_V1(stage_hash);
PG_FUNCTION_INFO_V1(stage_hash_extended);
PG_FUNCTION_INFO_V1(stage_smaller);
PG_FUNCTION_INFO_V1(stage_larger);

int
stage_view_cmp(const StageView *a, const StageView *b)
{
	int			r;

	if (a->position != b->position)
		return a->position < b->position ? -1 : 1;
	r = memcmp(a->name, b->name, Min(a->name_len, b->name_len));
	if (r != 0)
		return r < 0 ? -1 : 1;
	if (a->name_len != b->name_len)
		return a->name_len < b->name_len ? -1 : 1;
	return 0;
}

/*
 * Sorts and index builds call the comparison in long-lived contexts: free
 * the copies of stages stored compressed (wide rows), or a sort leaks
 * memory per comparison.
 */
static int
stage_cmp_args(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	StageView	va;
	StageView	vb;
	int			r;

	stage_view(a, &va);
	stage_view(b, &vb);
	r = stage_view_cmp(&va, &vb);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return r;
}

Datum
stage_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(stage_cmp_args(fcinfo));
}

Datum
stage_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) == 0);
}

Datum
stage_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) != 0);
}

Datum
stage_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) < 0);
}

Datum
stage_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) <= 0);
}

Datum
stage_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) > 0);
}

Datum
stage_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(stage_cmp_args(fcinfo) >= 0);
}

/*
 * Hash position and name bytes: equal stages have identical bytes.  With
 * seed 0 the low 32 bits are the standard hash, as PostgreSQL requires.
 */
static uint64
stage_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	struct varlena *value = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	StageView	view;
	uint64		result;

	stage_view(value, &view);
	result = DatumGetUInt64(hash_any_extended((const unsigned char *) VARDATA_ANY(value) + 1,
											  VARSIZE_ANY_EXHDR(value) - 1, seed));
	PG_FREE_IF_COPY(value, 0);
	return result;
}

Datum
stage_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) stage_hash_seeded(fcinfo, 0));
}

Datum
stage_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(stage_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}

Datum
stage_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(stage_cmp_args(fcinfo) <= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

Datum
stage_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(stage_cmp_args(fcinfo) >= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}
