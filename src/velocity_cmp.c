/*
 * velocity_cmp.c
 *		Equality and hashing of velocity values, so GROUP BY, DISTINCT,
 *		UNION and hash joins work on them.
 *
 * Both sides are compared and hashed through the packed form written from
 * their checked contents: one encoding per value, whether an argument came
 * packed or in the working form (a partial aggregate state).
 */
#include "postgres.h"

#include "velocity.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(velocity_eq);
PG_FUNCTION_INFO_V1(velocity_ne);
PG_FUNCTION_INFO_V1(velocity_hash);
PG_FUNCTION_INFO_V1(velocity_hash_extended);

/*
 * The canonical packed form of an argument, checked, a palloc'ed copy the
 * caller frees; what decoding allocates is freed here (hash joins and hash
 * aggregation call these functions once per row).
 */
static struct varlena *
canonical(FunctionCallInfo fcinfo, int n)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "velocity comparison",
												  ALLOCSET_SMALL_SIZES);
	MemoryContext caller = MemoryContextSwitchTo(scratch);
	VelData		data;
	struct varlena *result;

	vel_decode(PG_GETARG_VELOCITY(n), &data);
	MemoryContextSwitchTo(caller);
	result = vel_encode(&data);
	MemoryContextDelete(scratch);
	return result;
}

static bool
velocity_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = canonical(fcinfo, 0);
	struct varlena *b = canonical(fcinfo, 1);
	bool		equal = VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;

	pfree(a);
	pfree(b);
	return equal;
}

Datum
velocity_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(velocity_equal(fcinfo));
}

Datum
velocity_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!velocity_equal(fcinfo));
}

/* With seed 0 the low 32 bits are the standard hash, as PostgreSQL requires. */
static uint64
velocity_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	struct varlena *v = canonical(fcinfo, 0);
	uint64		result = DatumGetUInt64(hash_any_extended((const unsigned char *) VARDATA(v),
														  (int) VARSIZE(v) - VARHDRSZ, seed));

	pfree(v);
	return result;
}

Datum
velocity_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) velocity_hash_seeded(fcinfo, 0));
}

Datum
velocity_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(velocity_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}
