/*
 * attainment_cmp.c
 *		Equality and hashing of attainment values, so GROUP BY, DISTINCT,
 *		UNION and hash joins work on them.
 *
 * Two values are equal when they have the same days with rows and the same
 * sums on each, as numbers: like numeric, 4.0 equals 4, so a value is
 * compared and hashed in a normal form with only its days from the first to
 * the last with rows and the fewest decimals that hold every sum.
 */
#include "postgres.h"

#include "attainment.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(attainment_eq);
PG_FUNCTION_INFO_V1(attainment_ne);
PG_FUNCTION_INFO_V1(attainment_hash);
PG_FUNCTION_INFO_V1(attainment_hash_extended);

/* decimals of units (at scale) that are trailing zeros, at most scale */
static int
trailing_zeros(att_int128 units, int scale)
{
	int			n = 0;

	while (n < scale && units % att_pow10[n + 1] == 0)
		n++;
	return n;
}

/* The normal form of a value, a new palloc'ed copy the caller frees. */
static Attainment *
normal_form(Datum value)
{
	Attainment *stored = attainment_get(value);
	Attainment *a = attainment_trim(stored);
	int			drop = a->scale;
	int32		i;

	if ((Pointer) stored != DatumGetPointer(value))
		pfree(stored);

	for (i = 0; i < a->ndays && drop > 0; i++)
	{
		if (a->days[i].plan < 0)
			continue;
		drop = Min(drop, trailing_zeros(a->days[i].actual, drop));
		drop = Min(drop, trailing_zeros(a->days[i].plan, drop));
	}
	for (i = 0; i < a->ndays; i++)
	{
		/* attainment_get checked the days; only the actual of a day without rows is free */
		if (a->days[i].plan < 0)
		{
			a->days[i].actual = 0;
			continue;
		}
		a->days[i].actual /= att_pow10[drop];
		a->days[i].plan /= att_pow10[drop];
	}
	a->scale -= drop;
	return a;
}

static bool
attainment_equal(FunctionCallInfo fcinfo)
{
	Attainment *a = normal_form(PG_GETARG_DATUM(0));
	Attainment *b = normal_form(PG_GETARG_DATUM(1));
	bool		equal = VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;

	pfree(a);
	pfree(b);
	return equal;
}

Datum
attainment_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(attainment_equal(fcinfo));
}

Datum
attainment_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!attainment_equal(fcinfo));
}

/* With seed 0 the low 32 bits are the standard hash, as PostgreSQL requires. */
static uint64
attainment_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	Attainment *a = normal_form(PG_GETARG_DATUM(0));
	uint64		result = DatumGetUInt64(hash_any_extended((const unsigned char *) a,
														  (int) VARSIZE(a), seed));

	pfree(a);
	return result;
}

Datum
attainment_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) attainment_hash_seeded(fcinfo, 0));
}

Datum
attainment_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(attainment_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}
