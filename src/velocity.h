/*
 * velocity.h
 *		The velocity type: time in stage per stage, mergeable.
 *
 * A velocity value has two forms that share the leading version and form
 * bytes (velocity_pack.h).  The packed form is compact and canonical: every
 * function that returns a velocity returns it.  The working form is the
 * aggregate state, laid out for updates in place (velocity_work.h).  Every
 * reader accepts both forms, through vel_decode; the aggregates' final
 * function packs.
 */
#ifndef FUNNEL_VELOCITY_H
#define FUNNEL_VELOCITY_H

#include "module.h"
#include "fmgr.h"
#include "stage.h"
#include "velocity_pack.h"
#include "velocity_sketch.h"

/* stage positions and name bytes, as for stage */
#define VEL_MAX_POSITION STAGE_MAX_POSITION
#define VEL_MAX_NAME STAGE_MAX_NAME

/*
 * Read any form into the neutral form, checked; corrupt values raise
 * ERRCODE_DATA_CORRUPTED.  Names point into the value.
 */
extern void vel_decode(struct varlena *value, VelData *out);

/* The packed form of a checked velocity. */
extern struct varlena *vel_encode(const VelData *data);

#define PG_GETARG_VELOCITY(n) ((struct varlena *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* FUNNEL_VELOCITY_H */
