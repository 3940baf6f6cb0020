/*
 * velocity.h
 *		The velocity type: time in stage per stage, mergeable.
 *
 * A velocity value has two forms that share the leading version and form
 * bytes (velocity_pack.h).  The packed form is compact and canonical: every
 * function that returns a velocity returns it.  The working form is the
 * aggregate state, laid out for updates in place: a header with a directory
 * of stages by position, then room for stage_cap fixed stage records, then
 * a pool of page_cap pages of VEL_PAGE bucket counters.  A stage takes a
 * page from the pool on the first duration in its range, so it costs memory
 * in proportion to the distinct ranges of durations it saw.  When either
 * part is full the whole value is reallocated, that part growing by at
 * least the size of the whole value (the executor copies a state whose
 * pointer changes, so growing in place is not possible; doubling the value
 * each time makes a page or stage cost amortized constant time however many
 * stages it has), and a merge reserves room for all its stages at once.
 * Every reader accepts both forms; the aggregates' final function packs.
 */
#ifndef FUNNEL_VELOCITY_H
#define FUNNEL_VELOCITY_H

#include "module.h"
#include "fmgr.h"
#include "stage.h"
#include "velocity_pack.h"
#include "velocity_sketch.h"

#define VEL_PAGE_BITS 5
#define VEL_PAGE (1 << VEL_PAGE_BITS)
#define VEL_NPAGES (VEL_NBUCKETS / VEL_PAGE)

/* stage positions and name bytes, as for stage */
#define VEL_MAX_POSITION STAGE_MAX_POSITION
#define VEL_MAX_NAME STAGE_MAX_NAME

/* pages the pool can ever need: every range of buckets of every stage */
#define VEL_POOL_MAX (VEL_MAX_POSITION * VEL_NPAGES)

typedef struct VelWorkStage
{
	int64		exits;
	int64		open;
	VelU128		sum;
	int64		min;
	int64		max;
	uint16		npages;			/* pool pages this stage uses */
	uint8		position;
	uint8		name_len;
	char		name[VEL_MAX_NAME];
	uint16		page_of[VEL_NPAGES];	/* by bucket / VEL_PAGE: 1 + its pool page, 0 = none */
} VelWorkStage;

typedef struct VelWork
{
	int32		vl_len_;
	uint8		version;		/* VEL_FORMAT_VERSION */
	uint8		form;			/* VEL_FORM_WORKING */
	uint16		nstages;		/* stage records in use */
	uint16		stage_cap;		/* stage records allocated */
	uint32		npages;			/* pool pages in use */
	uint32		page_cap;		/* pool pages allocated */
	uint8		record_of[VEL_MAX_POSITION + 1];	/* by position: 1 + its record, 0 = absent */
} VelWork;

#define VEL_WORK_HEADER MAXALIGN(sizeof(VelWork))
#define VEL_WORK_RECORD MAXALIGN(sizeof(VelWorkStage))
#define VEL_WORK_PAGE_SIZE (VEL_PAGE * sizeof(int64))
#define VEL_WORK_POOL(stage_cap) (VEL_WORK_HEADER + (Size) (stage_cap) * VEL_WORK_RECORD)
#define VEL_WORK_SIZE(stage_cap, page_cap) \
	(VEL_WORK_POOL(stage_cap) + (Size) (page_cap) * VEL_WORK_PAGE_SIZE)

/* The record of a stage that exists. */
static inline VelWorkStage *
vel_work_stage(const VelWork *work, int position)
{
	return (VelWorkStage *) ((char *) work + VEL_WORK_HEADER +
							 (Size) (work->record_of[position] - 1) * VEL_WORK_RECORD);
}

/* The counters of a pool page, by its directory entry (1 + page). */
static inline int64 *
vel_work_page(const VelWork *work, int slot)
{
	return (int64 *) ((char *) work + VEL_WORK_POOL(work->stage_cap) +
					  (Size) (slot - 1) * VEL_WORK_PAGE_SIZE);
}

/*
 * Whether a state argument is one of our own working states, to update in
 * place: the executor copies whatever a transition or a moving aggregate's
 * inverse returns into the aggregate context as it is (short or compressed
 * header, TOAST pointer), so the context alone proves nothing.  The header
 * is checked in O(1); only this code writes the working form, and
 * vel_decode checks one that comes from anywhere else in full.
 */
static inline bool
vel_work_is_state(const VelWork *work)
{
	return VARATT_IS_4B_U(work) &&
		(uintptr_t) work % MAXIMUM_ALIGNOF == 0 &&
		VARSIZE(work) >= VEL_WORK_HEADER &&
		work->version == VEL_FORMAT_VERSION &&
		work->form == VEL_FORM_WORKING &&
		work->stage_cap <= VEL_MAX_POSITION && work->nstages <= work->stage_cap &&
		work->page_cap <= VEL_POOL_MAX && work->npages <= work->page_cap &&
		VARSIZE(work) == VEL_WORK_SIZE(work->stage_cap, work->page_cap);
}

/* The structure of a working form that did not come from our own state. */
extern void vel_work_check(const VelWork *work);

/* Raise the error for a damaged velocity, with its detail. */
extern void vel_report_corrupt(const char *detail) pg_attribute_noreturn();

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

/* Add a checked velocity to a working state (NULL for a new one); grows at most once. */
extern VelWork *vel_work_merge(VelWork *work, const VelData *data);

#define PG_GETARG_VELOCITY(n) ((struct varlena *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* FUNNEL_VELOCITY_H */
