/*
 * fuzz_alloc.h
 *		fn_alloc for the fuzz harnesses: malloc-backed, released per input.
 */
#ifndef FUZZ_ALLOC_H
#define FUZZ_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* Free everything fn_alloc handed out since the last reset. */
extern void fuzz_alloc_reset(void);

/* A NUL-terminated malloc'ed copy of the fuzz input (freed by reset). */
extern char *fuzz_cstring(const uint8_t *data, size_t size);

/* Stop the run with a message when a property of the parser is violated. */
extern void fuzz_fail(const char *what, const char *input, const char *got)
			__attribute__((noreturn));

#endif							/* FUZZ_ALLOC_H */
