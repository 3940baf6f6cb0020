/*
 * stats.h
 *		The statistics of funnel_compare as server-independent C: the
 *		standard normal quantile, Wilson's score interval of a proportion and
 *		the pooled two-proportion z-test.
 *
 * Counts are int64 (a funnel's); the arithmetic is in double.
 */
#ifndef FUNNEL_STATS_H
#define FUNNEL_STATS_H

#include "pure.h"

/*
 * The standard normal quantile: z with P(Z <= z) = p, for 0 < p < 1
 * (-/+ infinity for p <= 0 and p >= 1).  Wichura's algorithm AS 241
 * (PPND16), relative error about 1e-16.
 */
extern double fn_normal_quantile(double p);

/*
 * Wilson's score interval at z of the proportion successes / trials
 * (0 <= successes <= trials, trials > 0); an infinite z gives [0, 1].
 */
extern void fn_wilson_interval(int64_t successes, int64_t trials, double z,
							   double *low, double *high);

/*
 * The two-sided p-value of the pooled two-proportion z-test of x1 / n1
 * against x2 / n2 (0 <= x <= n, n > 0): 1 when the pooled proportion is 0
 * or 1.
 */
extern double fn_two_proportion_p(int64_t x1, int64_t n1, int64_t x2, int64_t n2);

#endif							/* FUNNEL_STATS_H */
