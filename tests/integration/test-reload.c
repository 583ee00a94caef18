/*
 * test-reload.c — SIGHUP reads the question bank again: new and changed
 * questions are served to new sessions and questions.list; a live session
 * keeps the question it was asked, word for word; a bank with an error is
 * refused whole and the old one stays in service.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "harness.h"

#define WAIT_MS	10000

static const char question_a[] =
    "Explain caching to a product manager\n"
    "Id: explain-caching\n"
    "Category: Technical Communication\n"
    "Difficulty: medium\n"
    "Explain what a cache is and why prices are sometimes stale.\n"
    "Quick Answer: %s\n"
    "Solution\n"
    "Start with the bottom line, then an analogy.\n";

static const char question_b[] =
    "Tell me about a conflict\n"
    "Id: conflict-story\n"
    "Category: Behavioral\n"
    "Difficulty: easy\n"
    "Tell me about a time you disagreed with a teammate.\n"
    "Quick Answer: A specific story, what they did, what changed.\n"
    "Solution\n"
    "Situation, task, action, result.\n";

static void
write_file(const char *dir, const char *name, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

/* The titles questions.list shows, one per line, in file order. */
static char *
titles(struct hclient *c)
{
	json_t *r = hc_ok(c, "questions.list", json_object()), *e;
	char *out = calloc(1, 4096);
	size_t i;

	assert_non_null(out);
	json_array_foreach(json_object_get(r, "questions"), i, e) {
		strncat(out, h_str(e, "title"), 4000 - strlen(out));
		strcat(out, "\n");
	}
	json_decref(r);
	return out;
}

/* Wait until questions.list shows want (the reload is asynchronous). */
static void
wait_titles(struct hclient *c, const char *want)
{
	long t0 = h_mono_ms();
	char *got = NULL;

	do {
		free(got);
		got = titles(c);
		if (strcmp(got, want) == 0)
			break;
		h_sleep(20);
	} while (h_mono_ms() - t0 < WAIT_MS);
	assert_string_equal(got, want);
	free(got);
}

/* Wait until the server's log holds needle. */
static void
wait_log(const struct hserver *s, const char *needle)
{
	long t0 = h_mono_ms();
	char buf[65536];

	while (h_mono_ms() - t0 < WAIT_MS) {
		FILE *f = fopen(s->log, "r");
		size_t n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;

		if (f != NULL)
			fclose(f);
		buf[n] = '\0';
		if (strstr(buf, needle) != NULL)
			return;
		h_sleep(20);
	}
	hs_dump_log(s);
	fail_msg("the log never said \"%s\"", needle);
}

/* The interviewer's view of session id's question. */
static json_t *
asked(struct hclient *iv, long long id)
{
	json_t *r = hc_ok(iv, "session.get", json_pack("{s:I}",
	    "session_id", (json_int_t)id));
	json_t *q = json_object_get(json_object_get(r, "session"),
	    "question");

	assert_non_null(q);
	json_incref(q);
	json_decref(r);
	return q;
}

static void
test_reload(void **state)
{
	char dir[] = "/tmp/mockint-test-XXXXXX", bank[64];
	struct hserver *s;
	struct hclient *iv, *cd, *iv2, *cd2;
	long long id, id2;
	json_t *q;

	assert_non_null(mkdtemp(dir));
	snprintf(bank, sizeof bank, "%s/bank", dir);
	assert_int_equal(mkdir(bank, 0700), 0);
	write_file(bank, "a.txt", question_a, "A fast copy.");
	s = hs_start_questions(dir, bank);
	iv = h_user(s, "rl_iv", NULL, 0);
	cd = h_user(s, "rl_cd", NULL, 0);
	wait_titles(iv, "Explain caching to a product manager\n");
	id = h_pair(iv, cd);
	q = asked(iv, id);
	assert_string_equal(h_str(q, "quick_answer"), "A fast copy.");
	json_decref(q);

	/* A changed question and a new one. */
	write_file(bank, "a.txt", question_a, "Freshness traded for speed.");
	write_file(bank, "b.txt", "%s", question_b);
	assert_int_equal(kill(s->pid, SIGHUP), 0);
	wait_titles(iv, "Explain caching to a product manager\n"
	    "Tell me about a conflict\n");
	/* The live session keeps what its interviewer has been reading. */
	q = asked(iv, id);
	assert_string_equal(h_str(q, "quick_answer"), "A fast copy.");
	json_decref(q);
	/* A new session draws from the new bank. */
	iv2 = h_user(s, "rl_iv2", NULL, 0);
	cd2 = h_user(s, "rl_cd2", NULL, 0);
	id2 = h_pair(iv2, cd2);
	q = asked(iv2, id2);
	if (strcmp(h_str(q, "id"), "explain-caching") == 0)
		assert_string_equal(h_str(q, "quick_answer"),
		    "Freshness traded for speed.");
	else
		assert_string_equal(h_str(q, "id"), "conflict-story");
	json_decref(q);

	/* One bad file: the whole new bank is refused, the old one stays,
	 * and the server goes on serving. */
	write_file(bank, "c.txt", "Untitled\nDifficulty: brutal\n");
	write_file(bank, "b.txt", "Never served\n%s", strchr(question_b,
	    '\n') + 1);
	assert_int_equal(kill(s->pid, SIGHUP), 0);
	wait_log(s, "the old bank stays");
	wait_titles(iv, "Explain caching to a product manager\n"
	    "Tell me about a conflict\n");

	hc_free(iv);
	hc_free(cd);
	hc_free(iv2);
	hc_free(cd2);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
