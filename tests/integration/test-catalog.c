/*
 * test-catalog.c — questions.list: the bank's questions as people browse
 * them (metadata only: never an answer or a checklist), filtered by
 * category in any spelling and by difficulty.
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

static json_t *
list(struct hclient *c, const char *category, const char *difficulty)
{
	json_t *f = json_object();

	if (category != NULL)
		json_object_set_new(f, "category", json_string(category));
	if (difficulty != NULL)
		json_object_set_new(f, "difficulty", json_string(difficulty));
	return hc_ok(c, "questions.list", f);
}

static void
test_list(void **state)
{
	struct hclient *c = h_user(h_srv, "q_browse", NULL, 0);
	json_t *all = list(c, NULL, NULL), *sd, *e, *hard, *none;
	static const char *const allowed[] = { "id", "title", "category",
		"category_key", "difficulty", "round", NULL };
	size_t i, n_sd = 0, n_hard = 0;
	const char *key;
	json_t *v;

	assert_true(json_array_size(json_object_get(all, "questions")) >= 20);
	assert_true(json_is_false(json_object_get(all, "more")));
	json_array_foreach(json_object_get(all, "questions"), i, e) {
		/* Metadata only: nothing a candidate must not see. */
		json_object_foreach(e, key, v) {
			int ok = 0;

			for (int k = 0; allowed[k] != NULL; k++)
				ok |= strcmp(allowed[k], key) == 0;
			if (!ok)
				fail_msg("questions.list shows \"%s\"", key);
		}
		if (strcmp(h_str(e, "category_key"), "system_design") == 0)
			n_sd++;
		if (strcmp(h_str(e, "difficulty"), "hard") == 0)
			n_hard++;
	}
	assert_true(n_sd > 0 && n_hard > 0);
	/* Any spelling of a category the bank knows. */
	sd = list(c, "System Design", NULL);
	assert_int_equal(json_array_size(json_object_get(sd, "questions")),
	    n_sd);
	json_array_foreach(json_object_get(sd, "questions"), i, e)
		assert_string_equal(h_str(e, "category_key"), "system_design");
	json_decref(sd);
	hard = list(c, NULL, "hard");
	assert_int_equal(json_array_size(json_object_get(hard, "questions")),
	    n_hard);
	json_decref(hard);
	none = list(c, "Underwater Basket Weaving", NULL);
	assert_int_equal(json_array_size(json_object_get(none, "questions")),
	    0);
	json_decref(none);
	hc_error(c, "questions.list", json_pack("{s:s}", "difficulty",
	    "brutal"), "bad_request");
	json_decref(all);
	hc_free(c);
}

/* A bank whose titles are long: the reply stops at 64 KiB of entries and
 * says there is more, rather than pass what a connection may queue. */
static void
test_list_bounded_in_bytes(void **state)
{
	char dir[] = "/tmp/mockint-test-XXXXXX", bank[64], path[128];
	char title[1001];
	struct hserver *s;
	struct hclient *c;
	json_t *r;
	char *text;

	assert_non_null(mkdtemp(dir));
	snprintf(bank, sizeof bank, "%s/bank", dir);
	assert_int_equal(mkdir(bank, 0700), 0);
	memset(title, 'T', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	for (int i = 0; i < 200; i++) {
		FILE *f;

		snprintf(path, sizeof path, "%s/q%03d.txt", bank, i);
		assert_non_null(f = fopen(path, "w"));
		fprintf(f, "%s %d\nId: long-%03d\nCategory: Behavioral\n"
		    "Difficulty: easy\nTell me about a time.\n"
		    "Quick Answer: A story.\nSolution\nSTAR.\n", title, i, i);
		assert_int_equal(fclose(f), 0);
	}
	s = hs_start_questions(dir, bank);
	c = h_user(s, "q_long", NULL, 0);
	r = list(c, NULL, NULL);
	text = json_dumps(r, JSON_COMPACT);
	assert_true(json_is_true(json_object_get(r, "more")));
	assert_true(json_array_size(json_object_get(r, "questions")) > 0);
	assert_true(json_array_size(json_object_get(r, "questions")) < 200);
	assert_true(strlen(text) <= 64 * 1024 + 64);
	free(text);
	json_decref(r);
	hc_free(c);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_bounded_in_bytes),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
