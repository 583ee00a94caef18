/*
 * test-sanitize.c — text from the server made safe for a terminal: CSI,
 * OSC (ended by BEL, ST or the end) and the other escapes removed whole,
 * their C1 forms too; C0 controls, DEL and C1 dropped; newlines and tabs
 * kept or made spaces as asked; invalid UTF-8 made '?'; every script
 * kept; the output never longer, cut only between characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sanitize.h"

static void
check(const char *in, unsigned flags, const char *want)
{
	char *got = sanitize_text(in, flags);

	if (strcmp(got, want) != 0)
		fail_msg("sanitize(\"%s\") = \"%s\", want \"%s\"", in, got,
		    want);
	assert_true(strlen(got) <= strlen(in));
	assert_int_equal(sanitize_needed(in, flags), strcmp(in, want) != 0);
	/* Clean text stays as it is. */
	assert_int_equal(sanitize_needed(got, flags), 0);
	free(got);
}

static void
test_plain_text_kept(void **state)
{
	check("", 0, "");
	check("hello, world", 0, "hello, world");
	check("naïve café — 日本語 😀 עברית", 0, "naïve café — 日本語 😀 עברית");
	check("a < b && c > d; 100% \"quoted\" 'x' \\ ~", 0,
	    "a < b && c > d; 100% \"quoted\" 'x' \\ ~");
}

static void
test_csi(void **state)
{
	check("\x1b[31mred\x1b[0m", 0, "red");
	check("\x1b[2J\x1b[Hcleared", 0, "cleared");
	check("a\x1b[?1049hb", 0, "ab");		/* alternate screen */
	check("\x1b[38;2;255;0;0mrgb", 0, "rgb");
	check("x\x1b[", 0, "x");			/* cut short */
	check("x\x1b[12", 0, "x");
	/* The C1 form, U+009B. */
	check("\xc2\x9b" "31mred", 0, "red");
}

static void
test_osc_and_strings(void **state)
{
	/* Set the window title, ended by BEL, by ST, by C1 ST. */
	check("\x1b]0;pwned\x07" "after", 0, "after");
	check("\x1b]0;pwned\x1b\\after", 0, "after");
	check("\x1b]0;pwned\xc2\x9c" "after", 0, "after");
	/* A hyperlink: the text stays, the link goes. */
	check("\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", 0,
	    "click");
	/* OSC 52 writes the clipboard. */
	check("\x1b]52;c;cm0gLXJmIH4=\x07ok", 0, "ok");
	/* Unterminated: the rest is the terminal's, so it goes. */
	check("before\x1b]0;never ends", 0, "before");
	check("\x1bPq#0;2;0;0;0\x1b\\dcs", 0, "dcs");
	check("\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\z", 0, "z");
	check("\xc2\x9d" "0;title\x07t", 0, "t");	/* C1 OSC */
	check("\xc2\x90q\x1b\\d", 0, "d");		/* C1 DCS */
}

static void
test_other_escapes(void **state)
{
	check("\x1b" "c" "reset", 0, "reset");		/* RIS */
	check("\x1b(0qqq\x1b(B", 0, "qqq");		/* charsets */
	check("\x1b#8fill", 0, "fill");
	check("\x1b" "7\x1b" "8x", 0, "x");		/* save, restore */
	check("end\x1b", 0, "end");
	check("\x1b\x1b[1mb", 0, "b");
}

static void
test_controls(void **state)
{
	check("bell\x07 back\x08space", 0, "bell backspace");
	check("cr\rlf", 0, "crlf");
	check("del\x7f!", 0, "del!");
	check("\x01\x02\x03\x0b\x0c\x0e\x1f.", 0, ".");
	/* C1 in UTF-8: NEL, IND and the rest go. */
	check("a\xc2\x85" "b\xc2\x84" "c\xc2\x9f", 0, "abc");
	/* U+00A0 and up are characters. */
	check("\xc2\xa0nbsp", 0, "\xc2\xa0nbsp");
}

static void
test_newlines_and_tabs(void **state)
{
	check("line one\nline two\tcol", SANITIZE_MULTILINE,
	    "line one\nline two\tcol");
	check("line one\nline two\tcol", 0, "line one line two col");
	check("a\nb\tc", SANITIZE_KEEP_NL, "a\nb c");
	check("a\nb\tc", SANITIZE_KEEP_TAB, "a b\tc");
	check("a\r\nb", SANITIZE_MULTILINE, "a\nb");
}

static void
test_invalid_utf8(void **state)
{
	check("\xff", 0, "?");
	check("a\xc3", 0, "a?");			/* cut short */
	check("\xc0\xaf", 0, "??");			/* overlong '/' */
	check("\xed\xa0\x80", 0, "???");		/* a surrogate */
	check("\xf4\x90\x80\x80", 0, "????");		/* past U+10FFFF */
	check("\x9b" "31m", 0, "?31m");		/* a bare C1 byte */
}

static void
test_into_cuts_between_characters(void **state)
{
	char out[8];

	assert_string_equal(sanitize_into("\x1b[1mabcdefghij", 0, out,
	    sizeof out), "abcdefg");
	/* 日 is three bytes: two fit in 7, not a third. */
	assert_string_equal(sanitize_into("日本語", 0, out, sizeof out),
	    "日本");
	assert_string_equal(sanitize_into("abc", 0, out, 1), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_kept),
		cmocka_unit_test(test_csi),
		cmocka_unit_test(test_osc_and_strings),
		cmocka_unit_test(test_other_escapes),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_newlines_and_tabs),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_into_cuts_between_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
