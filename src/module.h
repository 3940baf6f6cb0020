/*
 * module.h
 *		Declarations shared by the fmgr glue of every funnel type.
 */
#ifndef MODULE_H
#define MODULE_H

#include "compat.h"
#include "pure.h"

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "nodes/nodes.h"
#include "miscadmin.h"

/* funnel.min_conversion: the conversion norm that reports flag (DOMAIN rule 5) */
extern double funnel_min_conversion;

/*
 * Report the error a failed parse asks for: the SQLSTATE follows the status,
 * the message names the type and quotes the input.  Through errsave, so it
 * returns only when escontext (an input function's fcinfo->context) is a
 * soft-error context, which then holds the error.
 */
extern void fn_report_parse_error(Node *escontext, const FnError *err,
								  const char *type_name, const char *input);

/*
 * Whether str is valid in the server encoding; if not, the server's error,
 * saved into a soft-error context escontext or raised.
 */
extern bool fn_verify_encoding(Node *escontext, const char *str, size_t len);

/* The same for a binary value received through recv. */
extern void fn_report_recv_error(const FnError *err, const char *type_name)
			pg_attribute_noreturn();

/*
 * The first call of a set-returning function of a row type: its context,
 * with the result's tuple descriptor blessed.
 */
extern struct FuncCallContext *fn_srf_first_call(FunctionCallInfo fcinfo);

/*
 * A set-returning function of a row type over rows known at its first
 * call: load (called once, in the function's multi-call memory) returns
 * them and their number; row fills the values and nulls of row i (up to
 * FN_SRF_MAX_COLUMNS columns).
 */
#define FN_SRF_MAX_COLUMNS 16
typedef void *(*FnSrfLoad) (FunctionCallInfo fcinfo, uint64 *nrows);
typedef void (*FnSrfRow) (void *rows, uint64 i, Datum *values, bool *nulls);
extern Datum fn_srf_rows(FunctionCallInfo fcinfo, FnSrfLoad load, FnSrfRow row);

/*
 * Raise the error for a stored value whose format version byte (-1: none)
 * this release does not read.
 */
extern void fn_report_stored_version(const char *type_name, int version) pg_attribute_noreturn();

/*
 * Answer cancel once every 65536 iterations of a loop that may run millions
 * of times.
 */
#define FN_INTERRUPT_MASK 0xffff
#define FN_CHECK_FOR_INTERRUPTS_EVERY(i) \
	do { \
		if (((i) & FN_INTERRUPT_MASK) == 0) \
			CHECK_FOR_INTERRUPTS(); \
	} while (0)

/*
 * Add amount units of work to *work, checking for interrupts each time the
 * count passes a multiple of FN_INTERRUPT_MASK + 1: for loops whose index
 * jumps or whose iterations cost more than a constant, where an index
 * check may never fire.
 */
static inline void
fn_check_for_interrupts_after(uint64 *work, uint64 amount)
{
	uint64		before = *work;

	*work += amount;
	if ((before ^ *work) > FN_INTERRUPT_MASK)
		CHECK_FOR_INTERRUPTS();
}

/*
 * The aggregate memory context of an aggregate support function whose state
 * only an aggregate can hold; called anywhere else it raises a clean error
 * naming the function.
 */
extern pg_noinline void fn_not_aggregate(const char *fname) pg_attribute_noreturn();

/*
 * Whether argument argno of a transition function (0 is the state) is a
 * constant of its aggregate call, so that a call site may read it once.
 */
extern bool fn_aggregate_arg_const(FunctionCallInfo fcinfo, int argno);

/* inline: the transition functions call it on every row */
static inline MemoryContext
fn_aggregate_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext context;

	if (unlikely(!AggCheckCallContext(fcinfo, &context)))
		fn_not_aggregate(fname);
	return context;
}

/*
 * Return from a transition function of a value-type state (argument 0)
 * whose row adds nothing: NULL for no state; in an aggregate the state as
 * it came; called directly, the state read through the type's checked
 * accessor getarg (PG_GETARG_FUNNEL...), so a damaged value is reported.
 */
#define FN_RETURN_STATE_UNCHANGED(in_agg, getarg) \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		if (in_agg) \
			PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
		PG_RETURN_POINTER(getarg(0)); \
	} while (0)

/*
 * An interval in microseconds, computed as EXTRACT(EPOCH FROM iv) does: a
 * month is 30 days, a year 365.25 days, a day 24 hours.  Intervals beyond
 * the int64 range (about 292,000 years) give the int64 maximum; a negative
 * result is -1.  The window of window_funnel, a time limit of a sequence
 * pattern.
 */
extern int64 fn_interval_usecs(const Interval *iv);

/* Raise the error of a stage visit time that is infinite (22008). */
extern void fn_check_visit_time(TimestampTz t);

/* Raise the error of a stage visit that leaves before it enters (22023). */
extern void fn_report_visit_order(TimestampTz entered, TimestampTz left) pg_attribute_noreturn();

#endif							/* MODULE_H */
