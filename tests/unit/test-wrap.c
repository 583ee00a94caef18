/*
 * test-wrap.c — the interview screen's word wrapping: breaks at spaces,
 * hard breaks for long words, hanging indents, '\n', UTF-8 widths, and
 * never a line wider than the pane (nor an endless loop on a pane
 * narrower than one character).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"
#include "wrap.h"

static void
expect(const struct wrap_doc *d, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= d->n)
			fail_msg("line %zu missing (want '%s')", i, want[i]);
		assert_string_equal(d->v[i].text, want[i]);
	}
	assert_int_equal(d->n, i);
}

static void
test_breaks_at_spaces(void **state)
{
	struct wrap_doc d = { .width = 10 };
	const char *const want[] = { "the quick", "brown fox", "jumps", NULL };

	wrap_text(&d, "the quick brown fox jumps", 7, 0);
	expect(&d, want);
	assert_int_equal(d.v[0].attr, 7);
	wrap_free(&d);
}

static void
test_long_words_newlines_and_hang(void **state)
{
	struct wrap_doc d = { .width = 8 }, h = { .width = 10 };
	const char *const want[] = { "abcdefgh", "ijkl", "", NULL };
	const char *const want_h[] = { "[3] one", "    two", "    three",
		NULL };

	wrap_text(&d, "abcdefghijkl\n", 0, 0);
	expect(&d, want);
	wrap_free(&d);
	wrap_text(&h, "[3] one two three", 0, 4);
	expect(&h, want_h);
	wrap_free(&h);
}

static void
test_utf8_widths(void **state)
{
	struct wrap_doc d = { .width = 6 };
	/* é is one column, 日本 two each: widths, not bytes, decide. */
	const char *const want[] = { "café é", "日本語", "x", NULL };

	wrap_text(&d, "café é 日本語x", 0, 0);
	expect(&d, want);
	for (size_t i = 0; i < d.n; i++)
		assert_true(fmt_width(d.v[i].text) <= 6);
	wrap_free(&d);
}

static void
test_narrower_than_a_character(void **state)
{
	struct wrap_doc d = { .width = 1 };
	const char *const want[] = { "日", "本", NULL };

	wrap_text(&d, "日本", 0, 0);
	expect(&d, want);
	wrap_free(&d);
	d.width = 0;
	wrap_text(&d, "ab", 0, 0);
	assert_int_equal(d.n, 2);
	wrap_free(&d);
}

static void
test_pad_and_fmt(void **state)
{
	struct wrap_doc d = { .width = 40 };
	char buf[64];

	wrap_fmt(&d, 0, 0, "%s: %d", "score", 4);
	assert_string_equal(d.v[0].text, "score: 4");
	wrap_blank(&d);
	assert_string_equal(d.v[1].text, "");
	wrap_free(&d);
	assert_string_equal(fmt_pad("ab", 4, buf, sizeof buf), "ab  ");
	assert_string_equal(fmt_pad("日本語", 5, buf, sizeof buf), "日本…");
	assert_string_equal(fmt_pad("abcdef", 4, buf, sizeof buf), "abc…");
	assert_string_equal(fmt_pad("abcd", 4, buf, sizeof buf), "abcd");
	assert_int_equal(fmt_width("日本語"), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breaks_at_spaces),
		cmocka_unit_test(test_long_words_newlines_and_hang),
		cmocka_unit_test(test_utf8_widths),
		cmocka_unit_test(test_narrower_than_a_character),
		cmocka_unit_test(test_pad_and_fmt),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		fail_msg("the C.UTF-8 locale is missing");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
