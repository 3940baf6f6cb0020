/*
 * funnel_value_cmp.c
 *		Comparison and hashing of funnel values, so that GROUP BY, DISTINCT,
 *		count(DISTINCT), UNION, ORDER BY and joins work on stored funnels.
 *
 * Two funnels are equal when they count the same clients at the same
 * positions under the same names, i.e. when their text forms are equal.
 * Funnels have no natural order; the btree order is an arbitrary but stable
 * one, entry by entry in position order: position, then count, then name
 * bytes, a funnel that runs out of entries first.  Aggregate results may
 * carry spare name space and unreferenced name bytes, so everything here
 * works on the counted entries, never on the raw bytes.
 */
#include "postgres.h"

#include "funnel_value.h"

#include "common/hashfn.h"
#include "lib/stringinfo.h"

PG_FUNCTION_INFO_V1(funnel_cmp);
PG_FUNCTION_INFO_V1(funnel_eq);
PG_FUNCTION_INFO_V1(funnel_ne);
PG_FUNCTION_INFO_V1(funnel_lt);
PG_FUNCTION_INFO_V1(funnel_le);
PG_FUNCTION_INFO_V1(funnel_gt);
PG_FUNCTION_INFO_V1(funnel_ge);
PG_FUNCTION_INFO_V1(funnel_hash);
PG_FUNCTION_INFO_V1(funnel_hash_extended);

static int
funnel_compare(const FunnelData *a, const FunnelData *b)
{
	FunnelEntry ea[FUNNEL_MAX_POSITION];
	FunnelEntry eb[FUNNEL_MAX_POSITION];
	int			na = funnel_entries(a, ea);
	int			nb = funnel_entries(b, eb);
	int			i;

	for (i = 0; i < na && i < nb; i++)
	{
		int			r;

		if (ea[i].position != eb[i].position)
			return ea[i].position < eb[i].position ? -1 : 1;
		if (ea[i].stopped != eb[i].stopped)
			return ea[i].stopped < eb[i].stopped ? -1 : 1;
		r = memcmp(ea[i].name, eb[i].name, Min(ea[i].name_len, eb[i].name_len));
		if (r != 0)
			return r < 0 ? -1 : 1;
		if (ea[i].name_len != eb[i].name_len)
			return ea[i].name_len < eb[i].name_len ? -1 : 1;
	}
	if (na != nb)
		return na < nb ? -1 : 1;
	return 0;
}

/*
 * Sorts and index builds call the comparison in long-lived contexts, and a
 * small funnel is stored with a short header that detoasting copies away:
 * free the copies, or a sort leaks memory per comparison.
 */
static int
funnel_cmp_args(FunctionCallInfo fcinfo)
{
	FunnelData *a = PG_GETARG_FUNNEL(0);
	FunnelData *b = PG_GETARG_FUNNEL(1);
	int			r = funnel_compare(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return r;
}

/* The counted entries as bytes: position, count, name length, name. */
static void
funnel_hash_bytes(const FunnelData *f, StringInfo buf)
{
	FunnelEntry entries[FUNNEL_MAX_POSITION];
	int			n = funnel_entries(f, entries);
	int			i;

	initStringInfo(buf);
	for (i = 0; i < n; i++)
	{
		uint8		position = (uint8) entries[i].position;
		uint8		name_len = (uint8) entries[i].name_len;

		appendBinaryStringInfo(buf, (const char *) &position, 1);
		appendBinaryStringInfo(buf, (const char *) &entries[i].stopped, sizeof(int64));
		appendBinaryStringInfo(buf, (const char *) &name_len, 1);
		appendBinaryStringInfo(buf, entries[i].name, entries[i].name_len);
	}
}

Datum
funnel_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(funnel_cmp_args(fcinfo));
}

Datum
funnel_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) == 0);
}

Datum
funnel_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) != 0);
}

Datum
funnel_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) < 0);
}

Datum
funnel_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) <= 0);
}

Datum
funnel_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) > 0);
}

Datum
funnel_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(funnel_cmp_args(fcinfo) >= 0);
}

/*
 * Hash functions free what they allocate too: index builds call them.  With
 * seed 0 the low 32 bits are the standard hash, as PostgreSQL requires.
 */
static uint64
funnel_hash_seeded(FunctionCallInfo fcinfo, uint64 seed)
{
	FunnelData *f = PG_GETARG_FUNNEL(0);
	StringInfoData buf;
	uint64		result;

	funnel_hash_bytes(f, &buf);
	result = DatumGetUInt64(hash_any_extended((const unsigned char *) buf.data, buf.len, seed));
	pfree(buf.data);
	PG_FREE_IF_COPY(f, 0);
	return result;
}

Datum
funnel_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) funnel_hash_seeded(fcinfo, 0));
}

Datum
funnel_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(funnel_hash_seeded(fcinfo, PG_GETARG_INT64(1)));
}
