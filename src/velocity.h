/*
 * velocity.h
 *		The velocity type: time in stage per stage, mergeable.
 *
 * A velocity value has two forms that share the leading version and form
 * bytes (velocity_pack.h).  The packed form is compact and canonical: every
 * function that returns a velocity returns it.  The working form is the
 * aggregate state, laid out for updates in place: per position an offset to
 * a fixed record with the counts and the bucket counters in pages of
 * VEL_PAGE buckets, allocated on first use (so a stage costs memory in
 * proportion to the distinct ranges of durations it saw, at most about
 * 60 kB).  A stage that runs out of pages is given half as many again by
 * rebuilding the value, a logarithmic number of times.  Every reader accepts
 * both forms; the aggregates' final function packs.
 */
#ifndef FUNNEL_VELOCITY_H
#define FUNNEL_VELOCITY_H

#include "funnel.h"
#include "fmgr.h"
#include "stage.h"
#include "velocity_pack.h"
#include "velocity_sketch.h"

#define VEL_PAGE_BITS 5
#define VEL_PAGE (1 << VEL_PAGE_BITS)
#define VEL_NPAGES (VEL_NBUCKETS / VEL_PAGE)

typedef struct VelWorkStage
{
	int64		exits;
	int64		open;
	VelU128		sum;
	int64		min;
	int64		max;
	uint8		npages;			/* pages in use */
	uint8		page_cap;		/* pages allocated */
	uint8		position;
	uint8		name_len;
	char		name[255];
	uint8		page_of[VEL_NPAGES];	/* by bucket / VEL_PAGE: 1 + its page, 0 = none */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* page_cap pages of VEL_PAGE counters */
} VelWorkStage;

typedef struct VelWork
{
	int32		vl_len_;
	uint8		version;		/* VEL_FORMAT_VERSION */
	uint8		form;			/* VEL_FORM_WORKING */
	uint16		nstages;
	uint32		offset[256];	/* by position: byte offset of its record, 0 = absent */
} VelWork;

#define VEL_WORK_HEADER MAXALIGN(sizeof(VelWork))
#define VEL_WORK_STAGE_SIZE(pages) \
	(offsetof(VelWorkStage, counts) + (Size) (pages) * VEL_PAGE * sizeof(int64))
#define VEL_WORK_STAGE(w, position) ((VelWorkStage *) ((char *) (w) + (w)->offset[position]))

/*
 * Read any form into the neutral form, checked; corrupt values raise
 * ERRCODE_DATA_CORRUPTED.  Names point into the value.
 */
extern void vel_decode(struct varlena *value, VelData *out);

/* The packed form of a checked velocity. */
extern struct varlena *vel_encode(const VelData *data);

/* The neutral form of a working state (no checks: it is our own). */
extern void vel_work_data(const VelWork *work, VelData *out);

/*
 * Record one visit (closed: with a duration in microseconds) in a working
 * state, NULL for a new one.  Returns the state, rebuilt in the current
 * memory context when it had to grow; the caller's one is then untouched.
 */
extern VelWork *vel_work_add(VelWork *work, int position, const char *name, int name_len,
							 bool closed, int64 duration);

/* Offer a name for an existing stage: the bytewise-smallest non-empty name stays. */
extern void vel_work_name(VelWork *work, int position, const char *name, int name_len);

/* Add a checked velocity to a working state (NULL for a new one); may rebuild. */
extern VelWork *vel_work_merge(VelWork *work, const VelData *data);

#define PG_GETARG_VELOCITY(n) ((struct varlena *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* FUNNEL_VELOCITY_H */
