/*
 * driver.c — a main() for the fuzz targets without libFuzzer: every file
 * named on the command line, or found in a directory named there, is read
 * and handed to LLVMFuzzerTestOneInput once. This is how the seed corpus
 * and the regression inputs run as ordinary ctest tests under any
 * compiler (gcc with ASan + UBSan in `make test`); the fuzzing itself
 * needs clang (tests/fuzz/run.sh).
 *
 * Each input is passed in a heap block of exactly its size, so a read one
 * byte past the end is an ASan report, as under libFuzzer. Files whose
 * names start with '.' are skipped (they keep empty directories in git).
 * A path that does not exist is an error: a typo must not pass as "no
 * inputs, no failures".
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Optional, as in libFuzzer; no target defines it today. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t inputs;

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *exact;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "fuzz-driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				fprintf(stderr, "fuzz-driver: out of memory\n");
				exit(2);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz-driver: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	exact = malloc(len > 0 ? len : 1);
	if (exact == NULL) {
		fprintf(stderr, "fuzz-driver: out of memory\n");
		exit(2);
	}
	if (len > 0)
		memcpy(exact, buf, len);
	free(buf);
	/* Named first, so that a crash's report says which input it was. */
	fprintf(stderr, "fuzz-driver: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput((const uint8_t *)exact, len);
	free(exact);
	inputs++;
	return 0;
}

static int
skip_name(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int
run_dir(const char *dir)
{
	struct dirent **names;
	int n, rc = 0;

	/* Sorted, so that runs are reproducible and logs comparable. */
	n = scandir(dir, &names, skip_name, alphasort);
	if (n < 0) {
		fprintf(stderr, "fuzz-driver: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *path;
		struct stat st;

		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) < 0) {
			fprintf(stderr, "fuzz-driver: out of memory\n");
			exit(2);
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (run_dir(path) != 0)
				rc = -1;
		} else if (run_file(path) != 0)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "fuzz-driver: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) != 0 :
		    run_file(argv[i]) != 0)
			rc = 1;
	}
	fprintf(stderr, "fuzz-driver: %zu inputs, %s\n", inputs,
	    rc == 0 ? "no failures" : "errors above");
	return rc;
}
