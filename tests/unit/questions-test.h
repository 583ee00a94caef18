/*
 * questions-test.h — what the question parser's two test files share: a
 * minimal valid question, reading fixtures, and checking reports. Test
 * code only; each test file includes it once.
 */
#ifndef MOCKINT_QUESTIONS_TEST_H
#define MOCKINT_QUESTIONS_TEST_H

#define MINIMAL \
	"A minimal question\n" \
	"Category: Coding\n" \
	"Difficulty: easy\n" \
	"Write a function.\n" \
	"Quick Answer: Write it.\n" \
	"Solution\n"

static inline char *
read_all(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	*len = 0;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static inline char *
fixture(const char *name, size_t *len)
{
	const char	*src = getenv("MOCKINT_SOURCE_DIR");
	char		 path[4096];
	char		*buf;

	snprintf(path, sizeof path, "%s/tests/fixtures/questions/%s",
	    src != NULL ? src : ".", name);
	buf = read_all(path, len);
	if (buf == NULL)
		fail_msg("cannot read fixture %s (is MOCKINT_SOURCE_DIR set?)",
		    path);
	return buf;
}

static inline struct question *
parse_str(const char *s, struct questions_problems *pr)
{
	return questions_parse(s, strlen(s), "t.txt", pr);
}

static inline void
assert_problem(const struct questions_problems *pr, size_t i, unsigned line,
    enum questions_severity sev, const char *reason)
{
	if (i >= pr->n)
		fail_msg("expected problem %zu (%u: %s), have %zu", i, line,
		    reason, pr->n);
	assert_string_equal(pr->v[i].reason, reason);
	assert_int_equal(pr->v[i].line, line);
	assert_int_equal(pr->v[i].severity, sev);
	assert_string_equal(pr->v[i].file, "t.txt");
}

#endif
