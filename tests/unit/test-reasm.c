/*
 * test-reasm.c — reassembling a fragmented message: fragments join in
 * order into one NUL-terminated message, the cap holds at exactly max
 * (and refuses without appending), reset reuses the buffer, release
 * gives it back, and a long message grows the buffer without losing a
 * byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reasm.h"

static void
test_fragments_join(void **state)
{
	struct proto_reasm ra;

	proto_reasm_init(&ra, 64);
	assert_null(ra.buf);
	assert_int_equal(ra.len, 0);
	assert_int_equal(proto_reasm_append(&ra, "{\"type\":", 8), 0);
	assert_int_equal(proto_reasm_append(&ra, "", 0), 0);
	assert_int_equal(proto_reasm_append(&ra, "\"ping\"}", 7), 0);
	assert_int_equal(ra.len, 15);
	assert_string_equal(ra.buf, "{\"type\":\"ping\"}");
	proto_reasm_release(&ra);
	assert_null(ra.buf);
}

static void
test_cap_is_exact(void **state)
{
	struct proto_reasm ra;
	char big[100];

	memset(big, 'x', sizeof big);
	proto_reasm_init(&ra, 10);
	assert_true(proto_reasm_fits(&ra, 10));
	assert_false(proto_reasm_fits(&ra, 11));
	assert_int_equal(proto_reasm_append(&ra, big, 6), 0);
	assert_true(proto_reasm_fits(&ra, 4));
	assert_false(proto_reasm_fits(&ra, 5));
	/* Over the cap: refused, and nothing of it is appended. */
	assert_int_equal(proto_reasm_append(&ra, big, 5), -1);
	assert_int_equal(ra.len, 6);
	assert_int_equal(proto_reasm_append(&ra, "abcd", 4), 0);
	assert_int_equal(ra.len, 10);
	assert_memory_equal(ra.buf, "xxxxxxabcd", 11);
	assert_int_equal(proto_reasm_append(&ra, "y", 1), -1);
	/* One fragment alone over the cap. */
	proto_reasm_reset(&ra);
	assert_int_equal(proto_reasm_append(&ra, big, sizeof big), -1);
	assert_int_equal(ra.len, 0);
	proto_reasm_release(&ra);
}

static void
test_reset_and_release(void **state)
{
	struct proto_reasm ra;
	char *kept;

	proto_reasm_init(&ra, 1024);
	assert_int_equal(proto_reasm_append(&ra, "first message", 13), 0);
	kept = ra.buf;
	proto_reasm_reset(&ra);
	assert_int_equal(ra.len, 0);
	assert_string_equal(ra.buf, "");
	/* The next message reuses the buffer. */
	assert_int_equal(proto_reasm_append(&ra, "second", 6), 0);
	assert_ptr_equal(ra.buf, kept);
	assert_string_equal(ra.buf, "second");
	/* Released: no memory held, still usable with the same cap. */
	proto_reasm_release(&ra);
	assert_null(ra.buf);
	assert_int_equal(ra.len, 0);
	assert_int_equal(ra.cap, 0);
	assert_int_equal(ra.max, 1024);
	assert_int_equal(proto_reasm_append(&ra, "third", 5), 0);
	assert_string_equal(ra.buf, "third");
	proto_reasm_release(&ra);
	/* Releasing twice, or a reset with nothing held, is harmless. */
	proto_reasm_release(&ra);
	proto_reasm_reset(&ra);
	assert_null(ra.buf);
}

static void
test_grows_byte_exact(void **state)
{
	struct proto_reasm ra;
	enum { MAX = 100000, FRAG = 997 };
	unsigned char *want = malloc(MAX);
	size_t off;

	for (size_t i = 0; i < MAX; i++)
		want[i] = (unsigned char)(i * 7 + (i >> 8));
	proto_reasm_init(&ra, MAX);
	for (off = 0; off < MAX; off += FRAG) {
		size_t n = MAX - off < FRAG ? MAX - off : FRAG;

		assert_int_equal(proto_reasm_append(&ra, want + off, n), 0);
	}
	assert_int_equal(ra.len, MAX);
	assert_true(ra.cap > MAX);
	assert_memory_equal(ra.buf, want, MAX);
	assert_int_equal(ra.buf[MAX], '\0');
	assert_int_equal(proto_reasm_append(&ra, "z", 1), -1);
	proto_reasm_release(&ra);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragments_join),
		cmocka_unit_test(test_cap_is_exact),
		cmocka_unit_test(test_reset_and_release),
		cmocka_unit_test(test_grows_byte_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
