/*
 * compat.h
 *		The one place for PostgreSQL version differences (13 to 18).
 */
#ifndef FUNNEL_COMPAT_H
#define FUNNEL_COMPAT_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#if PG_VERSION_NUM < 130000
#error "funnel requires PostgreSQL 13 or later"
#endif

/* PG 16 moved the varlena size macros' home and renamed a few helpers. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/* PG 18 added PG_MODULE_MAGIC_EXT with name and version. */
#if PG_VERSION_NUM >= 180000
#define FUNNEL_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "funnel", .version = FUNNEL_VERSION)
#else
#define FUNNEL_MODULE_MAGIC PG_MODULE_MAGIC
#endif


/*
 * PG 16 gave input functions a soft-error context (fcinfo->context), which
 * errsave() fills instead of raising; before it, every error is raised.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define FN_SOFT_CONTEXT(escontext) ((escontext) != NULL && IsA(escontext, ErrorSaveContext))
#else
#define errsave(context, ...) ereport(ERROR, __VA_ARGS__)
#define FN_SOFT_CONTEXT(escontext) false
#endif

/*
 * PG 18 replaced pg_attribute_noreturn(), written after a declaration, by
 * pg_noreturn, written before it; GCC's attribute (clang has it too) still
 * goes after one.
 */
#ifndef pg_attribute_noreturn
#define pg_attribute_noreturn() __attribute__((noreturn))
#endif

/*
 * Interval text into *out, false when it is not valid: PG 16's soft errors,
 * before them a caught error (interval_in allocates and raises nothing else).
 */
static inline bool
fn_interval_from_text(char *str, Interval *out)
{
	Datum		result = (Datum) 0;
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};

	if (!DirectInputFunctionCallSafe(interval_in, str, InvalidOid, -1,
									 (Node *) &escontext, &result))
		return false;
#else
	MemoryContext cxt = CurrentMemoryContext;
	bool		ok = true;

	PG_TRY();
	{
		result = DirectFunctionCall3(interval_in, CStringGetDatum(str),
									 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		ok = false;
	}
	PG_END_TRY();
	if (!ok)
		return false;
#endif
	*out = *DatumGetIntervalP(result);
	return true;
}

/*
 * A type's input function on str into *out: on PG 16 a soft error into
 * escontext returns false; before it, errors are raised.
 */
static inline bool
fn_input_call(Oid type, char *str, Node *escontext, Datum *out)
{
	Oid			typinput;
	Oid			typioparam;

	getTypeInputInfo(type, &typinput, &typioparam);
#if PG_VERSION_NUM >= 160000
	{
		FmgrInfo	flinfo;

		fmgr_info(typinput, &flinfo);
		return InputFunctionCallSafe(&flinfo, str, typioparam, -1, escontext, out);
	}
#else
	*out = OidInputFunctionCall(typinput, str, typioparam, -1);
	return true;
#endif
}

/* PG 16 gave make_range a soft-error context. */
#if PG_VERSION_NUM >= 160000
#define FN_MAKE_RANGE(typcache, lower, upper) make_range((typcache), (lower), (upper), false, NULL)
#else
#define FN_MAKE_RANGE(typcache, lower, upper) make_range((typcache), (lower), (upper), false)
#endif

/* PG 15 replaced EmitWarningsOnPlaceholders with MarkGUCPrefixReserved. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

#endif							/* FUNNEL_COMPAT_H */
