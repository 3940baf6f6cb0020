/*
 * Preloaded after the sanitizer runtimes by test/asan, into a server that is
 * not built for them.
 *
 * The ASan runtime starts on the first malloc, which in the server comes from
 * a library constructor (p11-kit's newlocale) that holds glibc's locale lock.
 * The runtime then looks up swift_demangle, and dlerror() translates the
 * message of the failed lookup, which takes the same lock again and breaks
 * it: the server hangs at its first setlocale.  Defining the symbol makes the
 * lookup succeed; ASan calls it only for Swift names, NULL meaning "not
 * demangled".
 *
 * The UBSan runtime reads its options on its first report, from
 * /proc/self/environ, which by then the server has overwritten with its
 * process title; it asks __ubsan_default_options() first, so that returns
 * UBSAN_OPTIONS as it was when the postmaster started.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

char	   *swift_demangle(const char *name, size_t length, char *out, size_t *outlen, unsigned flags);
const char *__ubsan_default_options(void);

static const char *ubsan_options = "";

char *
swift_demangle(const char *name, size_t length, char *out, size_t *outlen, unsigned flags)
{
	return NULL;
}

__attribute__((constructor)) static void
keep_ubsan_options(void)
{
	const char *options = getenv("UBSAN_OPTIONS");

	if (options != NULL)
		ubsan_options = strdup(options);
}

const char *
__ubsan_default_options(void)
{
	return ubsan_options;
}
