/*
 * fuzz_alloc.c
 *		The server maps fn_alloc to palloc and frees a whole memory context at
 *		once; here every block is remembered and freed after each input, so
 *		AddressSanitizer sees use-after-free and leaks stay bounded.
 */
#include "fuzz_alloc.h"
#include "pure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void **blocks;
static size_t nblocks;
static size_t capblocks;

void *
fn_alloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	if (nblocks == capblocks)
	{
		capblocks = capblocks ? capblocks * 2 : 64;
		blocks = realloc(blocks, capblocks * sizeof(void *));
		if (blocks == NULL)
			abort();
	}
	blocks[nblocks++] = p;
	return p;
}

void
fuzz_alloc_reset(void)
{
	while (nblocks > 0)
		free(blocks[--nblocks]);
}

char *
fuzz_cstring(const uint8_t *data, size_t size)
{
	char	   *s = fn_alloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *what, const char *input, const char *got)
{
	fprintf(stderr, "fuzz property violated: %s\n  input: \"%s\"\n  got:   \"%s\"\n",
			what, input, got ? got : "(null)");
	abort();
}
