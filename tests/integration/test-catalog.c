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
#include <string.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
