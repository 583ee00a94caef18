/*
 * test-browse.c — the history browser's model: pages, the cursor, the
 * search (title or peer, any case; Esc goes back), the pager view and
 * the export's file name, and when to load the next page; a cursor that
 * does not move back ends the pages (a search would load them forever).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "browse.h"

static json_t *
page(int first, int n, int next)
{
	json_t *r = json_object(), *a = json_array();

	for (int i = 0; i < n; i++) {
		char title[64], peer[32];

		snprintf(title, sizeof title, "%s %d", (first + i) % 3 == 0 ?
		    "Design a URL shortener" : "Tell me about a conflict",
		    first + i);
		snprintf(peer, sizeof peer, "%s", (first + i) % 2 ? "Bob" :
		    "carol");
		json_array_append_new(a, json_pack("{s:i,s:{s:s},s:{s:s},"
		    "s:s,s:s}", "session_id", 100 - first - i, "question",
		    "title", title, "peer", "username", peer, "role",
		    "candidate", "reason", "completed"));
	}
	json_object_set_new(r, "sessions", a);
	if (next)
		json_object_set_new(r, "next", json_integer(next));
	return r;
}

static void
keys(struct browse *b, const char *s)
{
	for (; *s; s++)
		browse_key(b, (unsigned char)*s);
}

static void
test_cursor_moves_back(void **state)
{
	struct browse b;
	json_t *p;

	browse_init(&b);
	p = page(0, 2, 90);
	browse_add_page(&b, p);
	json_decref(p);
	assert_int_equal(b.next, 90);
	p = page(2, 2, 80);
	browse_add_page(&b, p);
	json_decref(p);
	assert_int_equal(b.next, 80);
	/* The same cursor again, or a later one: no more pages. */
	p = page(4, 2, 80);
	browse_add_page(&b, p);
	json_decref(p);
	assert_int_equal(b.next, 0);
	/* A search asks for more only while there is a next page. */
	b.search = strdup("nothing");
	assert_non_null(b.search);
	assert_int_equal(browse_key(&b, VM_KEY_DOWN), BROWSE_NONE);
	b.next = 70;
	assert_int_equal(browse_key(&b, VM_KEY_DOWN), BROWSE_MORE);
	browse_free(&b);
}

static void
test_list_and_pages(void **state)
{
	struct browse b;
	json_t *p = page(0, 10, 90);

	browse_init(&b);
	browse_add_page(&b, p);
	json_decref(p);
	b.page = 20;
	assert_int_equal(b.n_shown, 10);
	/* The next page loads when the cursor nears the end. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(browse_key(&b, VM_KEY_DOWN), BROWSE_NONE);
	assert_int_equal(browse_key(&b, VM_KEY_DOWN), BROWSE_MORE);
	assert_int_equal(b.cursor, 5);
	p = page(10, 5, 0);
	browse_add_page(&b, p);
	json_decref(p);
	assert_int_equal(b.n_shown, 15);
	assert_int_equal(b.cursor, 5);
	assert_int_equal(browse_key(&b, VM_KEY_DOWN), BROWSE_NONE);
	browse_key(&b, VM_KEY_END);
	assert_int_equal(b.cursor, 14);
	browse_key(&b, VM_KEY_DOWN);
	assert_int_equal(b.cursor, 14);
	browse_key(&b, 'g');
	assert_int_equal(b.cursor, 0);
	assert_int_equal(browse_key(&b, 'q'), BROWSE_QUIT);
	browse_free(&b);
}

static void
test_search(void **state)
{
	struct browse b;
	json_t *p = page(0, 9, 0);

	browse_init(&b);
	browse_add_page(&b, p);
	json_decref(p);
	browse_key(&b, '/');
	assert_int_equal(b.mode, BROWSE_SEARCH);
	keys(&b, "SHORT");
	/* The list follows the typing: 0, 3, 6. */
	assert_int_equal(b.n_shown, 3);
	browse_key(&b, VM_KEY_ENTER);
	assert_int_equal(b.mode, BROWSE_LIST);
	assert_string_equal(b.search, "SHORT");
	/* By peer, and Esc in the input goes back to the search before. */
	browse_key(&b, '/');
	browse_key(&b, VM_KEY_CTRL_U);
	keys(&b, "bob");
	assert_int_equal(b.n_shown, 4);
	browse_key(&b, VM_KEY_ESC);
	assert_int_equal(b.n_shown, 3);
	/* Esc in the list clears it. */
	browse_key(&b, VM_KEY_ESC);
	assert_null(b.search);
	assert_int_equal(b.n_shown, 9);
	/* Nothing matches: said. */
	browse_key(&b, '/');
	keys(&b, "zzz");
	browse_key(&b, VM_KEY_ENTER);
	assert_int_equal(b.n_shown, 0);
	assert_non_null(strstr(b.status, "no session matches"));
	assert_int_equal(browse_key(&b, VM_KEY_ENTER), BROWSE_NONE);
	browse_free(&b);
}

static void
test_pager_and_export(void **state)
{
	struct browse b;
	json_t *p = page(0, 3, 0);

	browse_init(&b);
	browse_add_page(&b, p);
	json_decref(p);
	browse_key(&b, VM_KEY_DOWN);
	assert_int_equal(browse_key(&b, VM_KEY_ENTER), BROWSE_OPEN);
	browse_open(&b, 99, "Session 99\nline\n");
	assert_int_equal(b.mode, BROWSE_PAGER);
	browse_key(&b, VM_KEY_PGDN);
	assert_true(b.report_top > 0);
	browse_key(&b, 'e');
	assert_int_equal(b.mode, BROWSE_EXPORT);
	assert_string_equal(browse_export_name(&b),
	    "mockint-session-99.md");
	browse_key(&b, VM_KEY_CTRL_W);
	keys(&b, "x.csv");
	assert_int_equal(browse_key(&b, VM_KEY_ENTER), BROWSE_EXPORT_FILE);
	assert_string_equal(browse_export_name(&b), "x.csv");
	assert_int_equal(b.mode, BROWSE_PAGER);
	browse_key(&b, 'q');
	assert_int_equal(b.mode, BROWSE_LIST);
	browse_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_pages),
		cmocka_unit_test(test_cursor_moves_back),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_pager_and_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
