/*
 * window_funnel_steps.c
 *		The steps arrays of window_funnel: their length checked, and the
 *		event-name form's names parsed and fingerprinted once per call site,
 *		not on every row.
 *
 * A row matches step k when its event equals steps[k] byte for byte, as
 * texteq compares under any deterministic collation, without looking the
 * collation up.  The state keeps a 64-bit fingerprint of the steps (count,
 * then each name's length and bytes), so that steps differing between the
 * rows of a group, or between states being combined, are an error, as for
 * the window.
 */
#include "postgres.h"

#include "window_funnel.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define WF_NAMES_HINT "Pass the steps as a one-dimensional text array of event names, such as ARRAY['created', 'qualified', 'won']."

/* The fingerprint of the parsed names; never 0, which marks the boolean form. */
static uint64
wf_names_key(const WfStepNames *names)
{
	uint64		key = hash_bytes_uint32_extended((uint32) names->nsteps, 0);
	int			k;

	for (k = 0; k < names->nsteps; k++)
	{
		key = hash_bytes_uint32_extended((uint32) names->lens[k], key);
		key = hash_bytes_extended((const unsigned char *) names->names[k], names->lens[k], key);
	}
	return key == 0 ? 1 : key;
}

int
wf_steps_length(ArrayType *steps, const char *fname, const char *dims_hint, const char *empty_hint)
{
	int			nsteps;

	if (ARR_NDIM(steps) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s steps must be a one-dimensional array", fname),
				 errhint("%s", dims_hint)));
	nsteps = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
	if (nsteps == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least one step", fname),
				 empty_hint != NULL ? errhint("%s", empty_hint) : 0));
	if (nsteps > WF_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s accepts at most %d steps", fname, WF_MAX_STEPS),
				 errdetail("%d steps were given.", nsteps),
				 errhint("Split the funnel into stages of at most %d steps.", WF_MAX_STEPS)));
	return nsteps;
}

/* The names array, checked as the boolean form checks its steps, and for NULLs. */
static void
wf_names_check(ArrayType *steps, const char *fname)
{
	(void) wf_steps_length(steps, fname, WF_NAMES_HINT, WF_NAMES_HINT);
	if (ARR_HASNULL(steps) && array_contains_nulls(steps))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s steps must not contain NULL", fname),
				 errhint(WF_NAMES_HINT)));
}

/* Parse names->raw, a plain copy of the array in mcxt, into names. */
static void
wf_names_parse(WfStepNames *names, MemoryContext mcxt, const char *fname)
{
	ArrayType  *steps = (ArrayType *) names->raw;
	Datum	   *elems;
	int			nelems;
	int			k;
	MemoryContext old;

	wf_names_check(steps, fname);
	old = MemoryContextSwitchTo(mcxt);
	deconstruct_array(steps, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &nelems);
	if (names->names != NULL)
	{
		pfree(names->names);
		pfree(names->lens);
	}
	names->names = palloc(sizeof(char *) * nelems);
	names->lens = palloc(sizeof(int32) * nelems);
	for (k = 0; k < nelems; k++)
	{
		/* array elements are never compressed nor external: they point into raw */
		const struct varlena *t = (const struct varlena *) DatumGetPointer(elems[k]);

		names->names[k] = VARDATA_ANY(t);
		names->lens[k] = VARSIZE_ANY_EXHDR(t);
	}
	pfree(elems);
	MemoryContextSwitchTo(old);
	names->nsteps = nelems;
	names->key = wf_names_key(names);
}

const WfStepNames *
wf_step_names(FunctionCallInfo fcinfo, WfStepNames *names, int argno, const char *fname)
{
	struct varlena *arg;
	const char *payload;
	Size		len;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s steps must not be NULL", fname),
				 errhint(WF_NAMES_HINT)));
	arg = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	if (VARATT_IS_EXTENDED(arg) && !VARATT_IS_SHORT(arg))
		arg = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	/* compared without the header, which a short and a plain copy differ in */
	payload = VARDATA_ANY(arg);
	len = VARSIZE_ANY_EXHDR(arg);
	if (names->raw != NULL && VARSIZE(names->raw) - VARHDRSZ == len &&
		memcmp(VARDATA(names->raw), payload, len) == 0)
		return names;

	if (names->raw_cap < len + VARHDRSZ)
	{
		if (names->raw != NULL)
			pfree(names->raw);
		names->raw_cap = Max(len + VARHDRSZ, 64);
		names->raw = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, names->raw_cap);
	}
	SET_VARSIZE(names->raw, len + VARHDRSZ);
	memcpy(VARDATA(names->raw), payload, len);
	wf_names_parse(names, fcinfo->flinfo->fn_mcxt, fname);
	return names;
}
