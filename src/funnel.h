/*
 * funnel.h
 *		Declarations shared by the fmgr glue of every funnel type.
 */
#ifndef FUNNEL_H
#define FUNNEL_H

#include "compat.h"
#include "pure.h"

/* funnel.min_conversion: the conversion norm that reports flag (DOMAIN rule 5) */
extern double funnel_min_conversion;

/*
 * Raise the error a failed parse asks for: the SQLSTATE follows the status,
 * the message names the type and quotes the input.
 */
extern void fn_report_parse_error(const FnError *err, const char *type_name,
								  const char *input) pg_attribute_noreturn();

/* The same for a binary value received through recv. */
extern void fn_report_recv_error(const FnError *err, const char *type_name)
			pg_attribute_noreturn();

#endif							/* FUNNEL_H */
