/*
 * property.h
 *		What the randomized property tests attainment_text.c and chain_text.c
 *		share: a seeded random number generator, and the count and report of
 *		failed properties.  Each program includes it from one file only, so
 *		its state is static.
 */
#ifndef FUZZ_PROPERTY_H
#define FUZZ_PROPERTY_H

#include <stdint.h>
#include <stdio.h>

static uint64_t rng_state;		/* main seeds it */
static long failures;

/* a number in [0, n): a 64-bit LCG step, its high bits */
static inline uint32_t
rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t) ((rng_state >> 33) % n);
}

/* count a failed property; the first ten are reported with their input */
static inline void
fail(const char *what, const char *input, size_t len)
{
	failures++;
	if (failures <= 10)
	{
		fprintf(stderr, "FAIL: %s on input [", what);
		fwrite(input, 1, len, stderr);
		fprintf(stderr, "]\n");
	}
}

#endif							/* FUZZ_PROPERTY_H */
