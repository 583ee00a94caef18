/*
 * fuzz.h — what the fuzz targets share: the libFuzzer entry point's
 * prototype (the targets build with -Wmissing-prototypes) and the check
 * that turns a broken invariant into a crash, so that libFuzzer (or the
 * replay driver) stops on it and keeps the input, exactly as for a
 * sanitizer report.
 */
#ifndef MOCKINT_FUZZ_H
#define MOCKINT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Not assert(): the checks must stay on whatever NDEBUG says, and the
 * report names the invariant, not just the line.
 */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond))						\
			fuzz_fail(__FILE__, __LINE__, #cond);		\
	} while (0)

static inline _Noreturn void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line,
	    what);
	abort();
}

#endif
