/*
 * stage.h
 *		The stage type: one step of a funnel, a position and an optional name.
 *
 * Stored as a varlena of bytes [version][position][name ...], so short
 * values keep a one-byte header on disk; no alignment is needed.
 */
#ifndef FUNNEL_STAGE_H
#define FUNNEL_STAGE_H

#include "module.h"
#include "fmgr.h"
#include "stage_text.h"

#define STAGE_FORMAT_VERSION 1
#define STAGE_HEADER_BYTES 2	/* version, position */

/* A stage read from a (possibly packed) datum; name is not NUL-terminated. */
typedef struct StageView
{
	int			position;
	const char *name;
	int			name_len;
} StageView;

/* Read a detoasted (packed is fine) stage, checking its format version. */
extern void stage_view(const struct varlena *value, StageView *view);

/* Build a stage value; the caller has validated position and name. */
extern struct varlena *stage_make(int position, const char *name, int name_len);

/* Order by position, then name bytes (memcmp), shorter name first on a tie. */
extern int	stage_view_cmp(const StageView *a, const StageView *b);

#define PG_GETARG_STAGE_VIEW(n, view) \
	stage_view((struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)), (view))

#endif							/* FUNNEL_STAGE_H */
