/*
 * flow_cmp.c
 *		Equality and hashing of flow values, so GROUP BY, DISTINCT, UNION
 *		and hash joins work on them.
 *
 * Two flows are equal when they have the same period (bounds and their
 * inclusivity, as tstzrange's own equality) and the same stages, names and
 * counts.  The stored form of a valid flow is unique (an unbounded side
 * holds no bound, stages ascend), so a checked value is compared and hashed
 * by its bytes.
 */
#include "postgres.h"

#include "flow.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(flow_eq);
PG_FUNCTION_INFO_V1(flow_ne);
PG_FUNCTION_INFO_V1(flow_hash);
PG_FUNCTION_INFO_V1(flow_hash_extended);

/* Argument n, detoasted and checked, as its stored bytes. */
static const struct varlena *
checked_arg(FunctionCallInfo fcinfo, int n)
{
	struct varlena *value = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n));
	FlowData	data;

	flow_decode(value, &data);
	pfree(data.stages);
	return value;
}

static bool
flow_equal(FunctionCallInfo fcinfo)
{
	const struct varlena *a = checked_arg(fcinfo, 0);
	const struct varlena *b = checked_arg(fcinfo, 1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

Datum
flow_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(flow_equal(fcinfo));
}

Datum
flow_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!flow_equal(fcinfo));
}

/* With seed 0 the low 32 bits are the standard hash, as PostgreSQL requires. */
static uint64
flow_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	const struct varlena *v = checked_arg(fcinfo, 0);

	return DatumGetUInt64(hash_any_extended((const unsigned char *) VARDATA_ANY(v),
											(int) VARSIZE_ANY_EXHDR(v), seed));
}

Datum
flow_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) flow_hash_seeded(fcinfo, 0));
}

Datum
flow_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(flow_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}
