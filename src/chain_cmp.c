/*
 * chain_cmp.c
 *		Comparison and hashing of contact_chain values: the btree and hash
 *		operator classes.
 */
#include "postgres.h"

#include "chain.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(contact_chain_cmp);
PG_FUNCTION_INFO_V1(contact_chain_eq);
PG_FUNCTION_INFO_V1(contact_chain_ne);
PG_FUNCTION_INFO_V1(contact_chain_lt);
PG_FUNCTION_INFO_V1(contact_chain_le);
PG_FUNCTION_INFO_V1(contact_chain_gt);
PG_FUNCTION_INFO_V1(contact_chain_ge);
PG_FUNCTION_INFO_V1(contact_chain_hash);
PG_FUNCTION_INFO_V1(contact_chain_hash_extended);

/*
 * Sorts and index builds call the comparison in long-lived contexts: free
 * the detoasted copies of long (compressed) chains, or a sort leaks memory
 * per comparison.
 */
static int
chain_cmp_args(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	ChainReader ra;
	ChainReader rb;
	int			r;

	chain_open_value(a, &ra);
	chain_open_value(b, &rb);
	r = chain_cmp(ra, rb);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return r;
}

Datum
contact_chain_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(chain_cmp_args(fcinfo));
}

Datum
contact_chain_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) == 0);
}

Datum
contact_chain_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) != 0);
}

Datum
contact_chain_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) < 0);
}

Datum
contact_chain_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) <= 0);
}

Datum
contact_chain_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) > 0);
}

Datum
contact_chain_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(chain_cmp_args(fcinfo) >= 0);
}

/*
 * Hash the entries (not the version or the native-order count): equal
 * chains have identical entries, and the entries alone determine the chain.
 */
static uint64
chain_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	struct varlena *value = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	ChainReader reader;
	uint64		result;

	chain_open_value(value, &reader);
	result = DatumGetUInt64(hash_any_extended(reader.p, reader.end - reader.p, seed));
	PG_FREE_IF_COPY(value, 0);
	return result;
}

/* With seed 0 the low 32 bits are the standard hash, as PostgreSQL requires. */
Datum
contact_chain_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) chain_hash_seeded(fcinfo, 0));
}

Datum
contact_chain_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(chain_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}
