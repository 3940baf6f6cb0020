/*
 * flow.h
 *		The flow type: what moved through each stage in a period (the
 *		pipeline waterfall), and the pipeline_flow aggregates.
 *
 * Stored as a varlena of bytes, integers big-endian: version, the period's
 * flags, lower and upper (int8 each), the number of stages, then per stage
 * its position, name length and name, at_start, entered and exited (int8
 * each).  at_end is derived.  The aggregate states (pipeline_flow_state,
 * pipeline_flow_history) hold the same bytes in their external form.
 */
#ifndef FUNNEL_FLOW_H
#define FUNNEL_FLOW_H

#include "module.h"
#include "flow_text.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "stage_text.h"

#define FLOW_FORMAT_VERSION 1

/* Read a stored flow (detoasted, packed is fine); names point into it. */
extern void flow_decode(const struct varlena *value, FlowData *out);

/* The content of a flow's byte form; false with *detail set when invalid. */
extern bool flow_decode_bytes(const char *bytes, size_t len, FlowData *out, const char **detail);

/* Append the byte form of checked content. */
extern void flow_encode_bytes(const FlowData *data, StringInfo buf);

/* A stored flow of checked content. */
extern struct varlena *flow_encode(const FlowData *data);

#define PG_GETARG_FLOW(n, out) \
	flow_decode((struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)), (out))

/*
 * A tstzrange argument as a period: a clean error when it is empty (or
 * NULL), naming fname.  fcinfo caches the range type's entry.
 */
extern void flow_period_arg(FunctionCallInfo fcinfo, int argno, const char *fname, FlowPeriod *out);

/*
 * Raise the error of rows of one group of fname with different periods, or
 * (fname NULL) of adding flows of different periods.
 */
extern void flow_report_period_mismatch(const char *fname) pg_attribute_noreturn();


#endif							/* FUNNEL_FLOW_H */
