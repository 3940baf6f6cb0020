/*
 * velocity_text.h
 *		Text form of velocity, as server-independent C.
 *
 *   v1 1:lead(8,2,123456789,1000,99999;3000:2,3010,3011:5) 2:qualified(0,3)
 *
 * "v1" names the format (and the bucket layout of velocity_sketch.h).  Then,
 * by ascending position, each stage as its stage text form (quoted when it
 * contains a parenthesis, a double quote, a backslash or edge spaces) and in
 * parentheses: exits, open visits, and when there are exits the sum of their
 * durations, the shortest and the longest (all in microseconds), then after
 * ";" the non-empty buckets in ascending order, each as number[:count] with
 * the count omitted when it is 1.  Every number is an integer, so the form
 * round-trips exactly.
 */
#ifndef FUNNEL_VELOCITY_TEXT_H
#define FUNNEL_VELOCITY_TEXT_H

#include "textbuf.h"
#include "velocity_sketch.h"

#define VEL_TEXT_VERSION "v1"

/*
 * Parse and check a velocity text form; names point into fn_alloc'ed copies
 * and are not checked for encoding.
 */
extern FnStatus vel_parse(const char *str, size_t len, VelData *out, FnError *err);

/* Append the canonical text form of a checked velocity. */
extern void vel_format(const VelData *data, FnBuf *buf);

#endif							/* FUNNEL_VELOCITY_TEXT_H */
