/*
 * attainment_agg.c
 *		The plan_attainment aggregates: per-row transition, merge of stored
 *		values, combine for parallel and distributed plans, final trim.
 *
 * The state is an attainment value updated in place in the aggregate
 * context.  When a row falls outside the state's window of days, a larger
 * copy is made in the per-call memory context and returned; the executor
 * copies it into the aggregate context and frees the old state.  Growth
 * doubles the window, so copies are amortized away.
 */
#include "postgres.h"

#include "attainment.h"

#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(attainment_trans);
PG_FUNCTION_INFO_V1(attainment_combine);
PG_FUNCTION_INFO_V1(attainment_final);

/* first window of a new state, in days */
#define ATT_INITIAL_DAYS 16

/*
 * A numeric read in place from its stored form, so no row allocates.  The
 * on-disk numeric format is fixed (pg_upgrade keeps data files), see
 * numeric.c: a 16-bit header, then base-10000 digits as int16 from the
 * first (weight) down.  A short-header datum is not aligned, hence memcpy.
 */
#define NUM_SIGN_MASK 0xC000
#define NUM_NEG 0x4000
#define NUM_SHORT 0x8000
#define NUM_SPECIAL 0xC000
#define NUM_NAN 0xC000
#define NUM_SHORT_SIGN_MASK 0x2000
#define NUM_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUM_SHORT_WEIGHT_MASK 0x003F

typedef struct AttNumeric
{
	const char *digits;			/* int16 base-10000 digits, maybe unaligned */
	int			ndigits;		/* up to the last nonzero one */
	int			weight;			/* of digits[0], in powers of 10000 */
	bool		negative;
	int			decimals;		/* decimals needed without trailing zeros */
	int			trailing;		/* trailing decimal zeros of the last digit, when it
								 * is after the point */
} AttNumeric;

static inline int
digit_at(const AttNumeric *n, int i)
{
	int16		d;

	memcpy(&d, n->digits + 2 * i, sizeof(d));
	return d;
}

static void
read_numeric(Datum value, const char *what, AttNumeric *n)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(value);
	const char *data = VARDATA_ANY(v);
	int			len = VARSIZE_ANY_EXHDR(v);
	uint16		header;
	int			header_bytes;
	int			fraction_digits;

	memcpy(&header, data, sizeof(header));
	if ((header & NUM_SIGN_MASK) == NUM_SPECIAL)
		ereport(ERROR,
				(header == NUM_NAN ?
				 errcode(ERRCODE_INVALID_PARAMETER_VALUE) :
				 errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s of plan_attainment must be a finite number", what),
				 errdetail("NaN and infinity have no exact sum.")));
	if (header & NUM_SHORT)
	{
		n->negative = (header & NUM_SHORT_SIGN_MASK) != 0;
		n->weight = (header & NUM_SHORT_WEIGHT_SIGN_MASK) ?
			(~NUM_SHORT_WEIGHT_MASK | (header & NUM_SHORT_WEIGHT_MASK)) :
			(header & NUM_SHORT_WEIGHT_MASK);
		header_bytes = 2;
	}
	else
	{
		int16		weight;

		memcpy(&weight, data + 2, sizeof(weight));
		n->negative = (header & NUM_SIGN_MASK) == NUM_NEG;
		n->weight = weight;
		header_bytes = 4;
	}
	n->digits = data + header_bytes;
	n->ndigits = (len - header_bytes) / 2;
	while (n->ndigits > 0 && digit_at(n, n->ndigits - 1) == 0)
		n->ndigits--;
	n->decimals = 0;
	n->trailing = 0;
	if (n->ndigits == 0)
	{
		n->negative = false;
		return;
	}
	fraction_digits = n->ndigits - 1 - n->weight;
	if (fraction_digits > 0)
	{
		int			last = digit_at(n, n->ndigits - 1);

		while (last % 10 == 0)
		{
			last /= 10;
			n->trailing++;
		}
		n->decimals = 4 * fraction_digits - n->trailing;
	}
	if (n->decimals > ATT_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s of plan_attainment has more than %d decimals", what, ATT_MAX_SCALE),
				 errdetail("Sums are exact, with at most %d decimals.", ATT_MAX_SCALE),
				 errhint("Round the input, e.g. round(x, 6).")));
}

/* The value in units of 10^-scale (scale >= n->decimals). */
static att_int128
numeric_units(const AttNumeric *n, int scale)
{
	att_int128	v = 0;
	int			fraction_digits = n->ndigits - 1 - n->weight;
	int			i;
	FnError		err;

	if (n->ndigits == 0)
		return 0;
	/* 10000^10 has 41 digits: no need to look further */
	if (n->weight >= 10)
		goto range;
	for (i = 0; i < n->ndigits; i++)
	{
		int			d = digit_at(n, i);
		int			shift = 4;

		if (i == n->ndigits - 1 && fraction_digits > 0)
		{
			shift = 4 - n->trailing;
			d /= (int) att_pow10[n->trailing];
		}
		if (att_scale_up(&v, shift, &err) != FN_OK)
			goto range;
		v += d;
	}
	if (fraction_digits < 0 && att_scale_up(&v, -4 * fraction_digits, &err) != FN_OK)
		goto range;
	if (att_scale_up(&v, scale - n->decimals, &err) != FN_OK || !att_in_range(v))
		goto range;
	return n->negative ? -v : v;

range:
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value of plan_attainment out of range"),
			 errdetail("Sums are exact with up to 38 significant digits, at most 18 of them decimals.")));
	pg_unreachable();
}

static void
check_day(DateADT day)
{
	if (DATE_NOT_FINITE(day) || day < ATT_MIN_DAY || day > ATT_MAX_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("day %s is out of range for plan_attainment",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)))),
				 errdetail("Days are dates from 0001-01-01 to 9999-12-31.")));
}

/* A new state with no rows, marked as our own, in the current memory context. */
static Attainment *
state_new(int32 ndays, int scale, int32 first_day)
{
	Attainment *state = attainment_alloc(ndays, scale, first_day);

	state->reserved = ATT_STATE_MARK;
	return state;
}

/*
 * Return a state whose window covers the days lo..hi: a itself when it
 * does, else a new copy with headroom on the side that grew.
 */
static Attainment *
cover(Attainment *a, int32 lo, int32 hi)
{
	AttView		view;
	int32		rlo;
	int32		rhi;
	int64		need;
	int32		capacity;
	int32		first;
	Attainment *result;

	if (lo >= a->first_day && hi <= a->first_day + a->ndays - 1)
		return a;
	attainment_view(a, &view);
	if (!att_row_range(&view, &rlo, &rhi))
		elog(ERROR, "attainment state without rows");
	lo = Min(lo, a->first_day + rlo);
	hi = Max(hi, a->first_day + rhi);
	need = (int64) hi - lo + 1;
	if (need > ATT_MAX_SPAN)
		attainment_span_error(need);
	capacity = (int32) Min(Max(need, 2 * (int64) a->ndays), ATT_MAX_SPAN);
	first = lo < a->first_day ? hi - capacity + 1 : lo;
	/* keep the window inside the supported days; it still covers lo..hi */
	first = Max(first, ATT_MIN_DAY);
	first = Min(first, ATT_MAX_DAY - capacity + 1);
	result = state_new(capacity, a->scale, first);
	Assert(lo >= first && hi <= first + capacity - 1);
	memcpy(result->days + (a->first_day + rlo - first), a->days + rlo,
		   sizeof(AttDay) * (rhi - rlo + 1));
	return result;
}

static void
rescale(Attainment *a, int scale)
{
	FnError		err;

	if (att_rescale(a->days, a->ndays, a->scale, scale, &err) != FN_OK)
		attainment_raise(&err);
	a->scale = (uint8) scale;
}

/*
 * A writable copy of a value as a state, in the current memory context (the
 * executor moves a returned copy into the aggregate context).
 */
static Attainment *
state_copy(const Attainment *a)
{
	Attainment *copy = palloc(VARSIZE(a));

	memcpy(copy, a, VARSIZE(a));
	copy->reserved = ATT_STATE_MARK;
	return copy;
}

/*
 * The state argument, writable: in an aggregate our own state as it is,
 * anything else (any call outside an aggregate, a value a moving
 * aggregate's inverse returned) read through the checked accessor and
 * copied.  NULL for a NULL argument.
 */
static Attainment *
state_arg(FunctionCallInfo fcinfo, bool in_agg)
{
	if (PG_ARGISNULL(0))
		return NULL;
	if (in_agg && attainment_is_state((Attainment *) PG_GETARG_POINTER(0)))
		return (Attainment *) PG_GETARG_POINTER(0);
	return state_copy(PG_GETARG_ATTAINMENT(0));
}

/*
 * What a support function returns: the state itself in an aggregate; a
 * stored value outside one, trimmed like the final function's result.
 */
static Datum
state_result(FunctionCallInfo fcinfo, Attainment *state, bool in_agg)
{
	Attainment *result;

	if (state == NULL)
		PG_RETURN_NULL();
	if (in_agg)
		PG_RETURN_POINTER(state);
	result = attainment_trim(state);
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(result);
}

/* plan_attainment(actual numeric, plan numeric, day date): one row */
Datum
attainment_trans(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	Attainment *state = state_arg(fcinfo, in_agg);
	AttNumeric	actual;
	AttNumeric	plan;
	DateADT		day;
	int			scale;
	AttDay	   *slot;
	att_int128	actual_units;
	att_int128	plan_units;
	FnError		err;

	/* rows with a NULL actual, plan or day are skipped */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return state_result(fcinfo, state, in_agg);
	read_numeric(PG_GETARG_DATUM(1), "actual", &actual);
	read_numeric(PG_GETARG_DATUM(2), "plan", &plan);
	if (plan.negative)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("plan of plan_attainment must not be negative"),
				 errdetail("The plan is %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(2))))));
	day = PG_GETARG_DATEADT(3);
	check_day(day);
	scale = Max(actual.decimals, plan.decimals);

	if (state == NULL)
		state = state_new(ATT_INITIAL_DAYS, scale, Min(day, ATT_MAX_DAY - ATT_INITIAL_DAYS + 1));
	else
	{
		if (scale > state->scale)
			rescale(state, scale);
		state = cover(state, day, day);
	}
	Assert(day >= state->first_day && day - state->first_day < state->ndays);
	actual_units = numeric_units(&actual, state->scale);
	plan_units = numeric_units(&plan, state->scale);
	slot = &state->days[day - state->first_day];
	if (slot->plan < 0)
	{
		slot->actual = actual_units;
		slot->plan = plan_units;
	}
	else if (att_add(&slot->actual, actual_units, &err) != FN_OK ||
			 att_add(&slot->plan, plan_units, &err) != FN_OK)
		attainment_raise(&err);
	return state_result(fcinfo, state, in_agg);
}

/*
 * Combine two states (parallel and distributed plans), and the transition
 * of plan_attainment(attainment), which merges stored rollups.
 */
Datum
attainment_combine(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	Attainment *state = state_arg(fcinfo, in_agg);
	Attainment *other;
	AttView		sview;
	AttView		oview;
	int32		lo;
	int32		hi;
	FnError		err;

	if (PG_ARGISNULL(1))
		return state_result(fcinfo, state, in_agg);
	other = PG_GETARG_ATTAINMENT(1);
	if (state == NULL)
		return state_result(fcinfo, state_copy(other), in_agg);

	attainment_view(other, &oview);
	if (!att_row_range(&oview, &lo, &hi))
		elog(ERROR, "attainment value without rows");
	if (other->scale > state->scale)
		rescale(state, other->scale);
	state = cover(state, other->first_day + lo, other->first_day + hi);
	attainment_view(state, &sview);
	if (att_merge(&sview, &oview, state->scale - other->scale, &err) != FN_OK)
		attainment_raise(&err);
	return state_result(fcinfo, state, in_agg);
}

/* Trim the headroom so stored results hold only their days. */
Datum
attainment_final(PG_FUNCTION_ARGS)
{
	Attainment *state = (Attainment *) PG_GETARG_POINTER(0);
	Attainment *result;

	if (!AggCheckCallContext(fcinfo, NULL) || !attainment_is_state(state))
		state = PG_GETARG_ATTAINMENT(0);
	result = attainment_trim(state);
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(result);
}
