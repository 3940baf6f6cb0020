/*
 * chain.h
 *		The contact_chain type: an ordered sequence of contact kinds.
 *
 * A varlena holding the body described in chain_text.h.  The body is read
 * with memcpy, so packed (unaligned) values need no copy; storage is
 * extended, so long chains are compressed and toasted.
 */
#ifndef FUNNEL_CHAIN_H
#define FUNNEL_CHAIN_H

#include "module.h"
#include "fmgr.h"
#include "chain_text.h"

/* One kind of a chain, pointing into its value. */
typedef struct ChainKind
{
	const char *data;
	size_t		len;
} ChainKind;

/* Check a detoasted (packed is fine) chain and open a reader on it; XX001 if corrupt. */
extern void chain_open_value(const struct varlena *value, ChainReader *reader);

#define PG_GETARG_CHAIN(n, reader) \
	chain_open_value((struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)), (reader))

/* Start a buffer whose finished contents are a contact_chain varlena. */
extern void chain_build_begin(FnBuf *buf, ChainWriter *w, size_t capacity);
extern struct varlena *chain_build_finish(FnBuf *buf, ChainWriter *w);

/* Add a kind, raising 22P02 (empty), 22001 (too long) or 54000 (too many). */
extern void chain_add_kind(ChainWriter *w, const char *kind, size_t len);

/*
 * The ereport for a FnError from chain_writer_add outside text input,
 * quoting the offending kind (kind is unused for FN_TOO_BIG).
 */
extern void chain_report_error(const FnError *err, const char *kind, size_t len)
			pg_attribute_noreturn();

/* The kinds of a chain as an array of reader->left entries (palloc'ed). */
extern ChainKind *chain_kinds_array(ChainReader reader);

#endif							/* FUNNEL_CHAIN_H */
