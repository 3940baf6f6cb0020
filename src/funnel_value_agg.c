/*
 * funnel_value_agg.c
 *		funnel_conversion aggregates and the two-argument merge.
 *
 * The state type is funnel itself (Citus ships partial states through its
 * text form).  Called as an aggregate, the transition functions update the
 * state in place; they only allocate when a row brings a position outside
 * the state's range or a name that needs more room, and then return the
 * grown copy, which the executor moves into the aggregate context.  Only a
 * state they marked themselves is updated in place (funnel_is_state); any
 * other state argument, and every one outside an aggregate, is read through
 * the checked accessor and copied, never written.
 */
#include "postgres.h"

#include "funnel_value.h"

#include "stage.h"

PG_FUNCTION_INFO_V1(funnel_stage_trans);
PG_FUNCTION_INFO_V1(funnel_merge_trans);
PG_FUNCTION_INFO_V1(funnel_final);
PG_FUNCTION_INFO_V1(funnel_merge);

/* name room a new or grown state starts with beyond its current names */
#define FUNNEL_STATE_ROOM 64

/* A row whose position is outside the state's range or whose name differs. */
static FunnelData *
add_stage_slow(FunnelData *state, int position, const char *name, Size name_len)
{
	if (position < FUNNEL_MIN_POSITION || name_len > FUNNEL_MAX_NAME)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored stage value is corrupt"),
				 errdetail("Its position is missing or 0, or its name is longer than " FN_STR(STAGE_MAX_NAME) " bytes.")));
	if (state == NULL)
		state = funnel_alloc(position, 1, name_len + FUNNEL_STATE_ROOM);
	else if (position < state->first || position > funnel_last(state))
		state = funnel_copy(state, position, position, name_len + FUNNEL_STATE_ROOM);
	Assert(position >= state->first && position <= funnel_last(state));
	state->slots[position - state->first].stopped++;
	return funnel_offer_name(state, position, name, name_len);
}

/*
 * The state argument, writable: our own state in an aggregate, otherwise a
 * checked copy with room for a name (and, adding_client, for one more
 * client in its count).
 */
static FunnelData *
state_arg(FunctionCallInfo fcinfo, bool in_agg, bool adding_client)
{
	FunnelData *state = (FunnelData *) PG_GETARG_POINTER(0);

	if (in_agg && funnel_is_state(state))
		return state;
	state = funnel_copy(PG_GETARG_FUNNEL(0), 0, 0, FUNNEL_STATE_ROOM);
	if (adding_client && funnel_total(state) == PG_INT64_MAX)
		funnel_count_overflow();
	return state;
}

/*
 * A marked state counts fewer clients than this when marked, so that the
 * hot path of funnel_stage_trans may add one per row to it unchecked: no
 * group has 2^62 rows.  A state that started from an initcond or a stored
 * funnel may count more; it stays unmarked and every row copies and
 * checks it (state_arg).
 */
#define FUNNEL_STATE_MARK_TOTAL (INT64CONST(1) << 62)

/*
 * A transition's result; in an aggregate it is marked as our own state,
 * unless its total leaves too little room for counting in place.
 */
static Datum
state_result(FunnelData *state, bool in_agg)
{
	if (in_agg)
		state->reserved = funnel_total(state) < FUNNEL_STATE_MARK_TOTAL ? FUNNEL_STATE_MARK : 0;
	PG_RETURN_POINTER(state);
}

/*
 * funnel_conversion(stage) transition.  The hot path reads the packed
 * stage bytes where they lie and, when the position is in range and the
 * name is the one already kept, only increments a counter: a marked
 * state leaves room for every row (FUNNEL_STATE_MARK_TOTAL), any other was
 * checked by state_arg.
 */
Datum
funnel_stage_trans(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	struct varlena *raw;
	const uint8 *data;
	Size		len;
	int			position;
	const char *name;
	Size		name_len;
	FunnelData *state;
	unsigned int index;

	if (PG_ARGISNULL(1))
		FN_RETURN_STATE_UNCHANGED(in_agg, PG_GETARG_FUNNEL);
	raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(1));
	if (unlikely(VARATT_IS_COMPRESSED(raw) || VARATT_IS_EXTERNAL(raw)))
		raw = pg_detoast_datum_packed(raw);
	data = (const uint8 *) VARDATA_ANY(raw);
	len = VARSIZE_ANY_EXHDR(raw);
	if (unlikely(len < STAGE_HEADER_BYTES || data[0] != STAGE_FORMAT_VERSION))
	{
		StageView	view;

		stage_view(raw, &view); /* reports the damage */
	}
	position = data[1];
	name = (const char *) data + STAGE_HEADER_BYTES;
	name_len = len - STAGE_HEADER_BYTES;

	if (PG_ARGISNULL(0))
		return state_result(add_stage_slow(NULL, position, name, name_len), in_agg);
	state = state_arg(fcinfo, in_agg, true);
	index = (unsigned int) (position - state->first);
	if (likely(index < state->nslots))
	{
		FunnelSlot *slot = &state->slots[index];

		if (likely(slot->name_len == name_len &&
				   memcmp(funnel_names(state) + slot->name_off, name, name_len) == 0))
		{
			slot->stopped++;
			/* a marked state stays marked: one more row (FUNNEL_STATE_MARK_TOTAL) */
			if (state->reserved == FUNNEL_STATE_MARK)
				PG_RETURN_POINTER(state);
			return state_result(state, in_agg);
		}
	}
	return state_result(add_stage_slow(state, position, name, name_len), in_agg);
}

/*
 * funnel_conversion(funnel) transition, and the combine function of both
 * aggregates: add the counts, keep the chosen name per position.
 */
Datum
funnel_merge_trans(PG_FUNCTION_ARGS)
{
	bool		in_agg = AggCheckCallContext(fcinfo, NULL);
	FunnelData *input;

	if (PG_ARGISNULL(1))
		FN_RETURN_STATE_UNCHANGED(in_agg, PG_GETARG_FUNNEL);
	input = PG_GETARG_FUNNEL(1);
	if (PG_ARGISNULL(0))
		return state_result(funnel_copy(input, 0, 0, FUNNEL_STATE_ROOM), in_agg);
	return state_result(funnel_merge_into(state_arg(fcinfo, in_agg, false), input), in_agg);
}

/* The stored result: the state without spare room (never modifies the state). */
Datum
funnel_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(funnel_canonical(PG_GETARG_FUNNEL(0)));
}

/* funnel_merge(a, b) and a + b: NULL is the identity. */
Datum
funnel_merge(PG_FUNCTION_ARGS)
{
	FunnelData *merged;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(funnel_canonical(PG_GETARG_FUNNEL(1)));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(funnel_canonical(PG_GETARG_FUNNEL(0)));
	merged = funnel_merge_into(funnel_copy(PG_GETARG_FUNNEL(0), 0, 0, 0), PG_GETARG_FUNNEL(1));
	PG_RETURN_POINTER(funnel_canonical(merged));
}
