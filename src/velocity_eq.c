/*
 * velocity_eq.c
 *		Equality and hashing of velocity values, so GROUP BY, DISTINCT,
 *		UNION and hash joins work on them.
 *
 * Both sides are compared and hashed through the packed form written from
 * their checked contents: one encoding per value, whether an argument came
 * packed or in the working form (a partial aggregate state).
 */
#include "velocity.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(velocity_eq);
PG_FUNCTION_INFO_V1(velocity_ne);
PG_FUNCTION_INFO_V1(velocity_hash);
PG_FUNCTION_INFO_V1(velocity_hash_extended);

/* The canonical packed form of an argument, checked. */
static struct varlena *
canonical(FunctionCallInfo fcinfo, int n)
{
	VelData		data;

	vel_decode(PG_GETARG_VELOCITY(n), &data);
	return vel_encode(&data);
}

static bool
velocity_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = canonical(fcinfo, 0);
	struct varlena *b = canonical(fcinfo, 1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
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

Datum
velocity_hash(PG_FUNCTION_ARGS)
{
	struct varlena *v = canonical(fcinfo, 0);

	return hash_any((const unsigned char *) VARDATA_ANY(v), (int) VARSIZE_ANY_EXHDR(v));
}

Datum
velocity_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *v = canonical(fcinfo, 0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(v), (int) VARSIZE_ANY_EXHDR(v),
							 PG_GETARG_INT64(1));
}
