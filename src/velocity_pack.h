/*
 * velocity_pack.h
 *		The stored (packed) form of velocity, as server-independent C.
 *
 * A velocity value is a varlena whose data starts with a format version
 * byte and a form byte.  The packed form, what every function returns and
 * what tables hold, continues with the number of stages and, per stage by
 * ascending position: position, name length, name bytes, then as unsigned
 * LEB128 varints exits and open visits and, when there are exits, the sum
 * (high and low 64 bits), the shortest duration, longest minus shortest,
 * the number of non-empty buckets and per bucket its distance from the
 * previous one (the first: its number) and its count.  The working form
 * (an aggregate's state, see velocity.h) shares the two leading bytes.
 */
#ifndef FUNNEL_VELOCITY_PACK_H
#define FUNNEL_VELOCITY_PACK_H

#include "velocity_sketch.h"

#define VEL_FORMAT_VERSION 1
#define VEL_FORM_PACKED 0
/*
 * 1 was the working form of 0.1, whose stages each held their own pages;
 * it is a transient form (never returned, never stored by our aggregates),
 * so a new layout takes a new value and an old one reads as corrupt.
 */
#define VEL_FORM_WORKING 2

/* Bytes the packed form of a checked velocity takes (version byte included). */
extern size_t vel_pack_size(const VelData *data);

/* Write it; out has vel_pack_size bytes. */
extern void vel_pack(const VelData *data, uint8_t *out);

/*
 * Read and check a packed form (starting at its version byte); names point
 * into in.  FN_CORRUPT on any inconsistency.
 */
extern FnStatus vel_unpack(const uint8_t *in, size_t len, VelData *out, FnError *err);

#endif							/* FUNNEL_VELOCITY_PACK_H */
