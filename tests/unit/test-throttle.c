/*
 * test-throttle.c — the failed-login throttle (accounts/throttle.h):
 * fixed windows that start at a key's first failure, the lock and how
 * long it says to wait, expiry to the millisecond, undo (a success takes
 * back the failure counted in advance), reset, prune, and the number of
 * keys it keeps, which follows the keys with a live window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "throttle.h"

/* The throttle most tests use: three failures per second. */
#define MAX 3
#define WINDOW 1000

static void
fail_n(struct throttle *t, const char *key, int n, int64_t now)
{
	for (int i = 0; i < n; i++)
		throttle_fail(t, key, now);
}

/* Locked at the max-th failure, until the window (from the first
 * failure, not the last) ends; other keys are not affected. */
static void
test_lock_and_wait(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);

	assert_int_equal(throttle_check(t, "u:a", 0), 0);
	throttle_fail(t, "u:a", 0);
	throttle_fail(t, "u:a", 100);
	assert_int_equal(throttle_check(t, "u:a", 200), 0);
	throttle_fail(t, "u:a", 200);
	assert_int_equal(throttle_check(t, "u:a", 300), 700);
	assert_int_equal(throttle_check(t, "u:a", 999), 1);
	assert_int_equal(throttle_check(t, "u:b", 300), 0);
	/* More failures while locked do not move the window's end. */
	throttle_fail(t, "u:a", 500);
	assert_int_equal(throttle_check(t, "u:a", 500), 500);
	throttle_free(t);
}

/* The window ends exactly WINDOW ms after it began; the next failure
 * starts a new one, counted from one again. */
static void
test_window_expiry(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);

	fail_n(t, "k", MAX, 5000);
	assert_int_equal(throttle_check(t, "k", 5000 + WINDOW - 1), 1);
	assert_int_equal(throttle_check(t, "k", 5000 + WINDOW), 0);
	throttle_fail(t, "k", 5000 + WINDOW);
	assert_int_equal(throttle_check(t, "k", 5000 + WINDOW + 1), 0);
	fail_n(t, "k", MAX - 2, 5000 + WINDOW + 10);
	assert_int_equal(throttle_check(t, "k", 5000 + WINDOW + 20), 0);
	throttle_fail(t, "k", 5000 + WINDOW + 30);
	/* Locked again, until the new window's end. */
	assert_int_equal(throttle_check(t, "k", 5000 + WINDOW + 30),
	    WINDOW - 30);
	/* Still one key. */
	assert_int_equal(throttle_size(t), 1);
	throttle_free(t);
}

/* Undo takes back one failure, never going below none; a key locked by
 * a failure counted in advance is let in again when it is undone. */
static void
test_undo(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);

	fail_n(t, "a:1.2.3.4", MAX, 0);
	assert_true(throttle_check(t, "a:1.2.3.4", 10) > 0);
	throttle_undo(t, "a:1.2.3.4");
	assert_int_equal(throttle_check(t, "a:1.2.3.4", 10), 0);
	/* One failure left to the lock. */
	throttle_fail(t, "a:1.2.3.4", 20);
	assert_true(throttle_check(t, "a:1.2.3.4", 30) > 0);
	/* Undoing more than was counted leaves none, not a credit. */
	for (int i = 0; i < MAX + 5; i++)
		throttle_undo(t, "a:1.2.3.4");
	fail_n(t, "a:1.2.3.4", MAX - 1, 40);
	assert_int_equal(throttle_check(t, "a:1.2.3.4", 50), 0);
	throttle_fail(t, "a:1.2.3.4", 60);
	assert_true(throttle_check(t, "a:1.2.3.4", 70) > 0);
	/* Undo of a key never seen adds nothing. */
	throttle_undo(t, "a:unknown");
	assert_int_equal(throttle_size(t), 1);
	throttle_free(t);
}

/* Reset forgets a key at once (a successful login clears the user's
 * count), and only that key; resetting an unknown key is harmless. */
static void
test_reset(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);

	fail_n(t, "u:x", MAX, 0);
	fail_n(t, "u:y", MAX, 0);
	assert_int_equal(throttle_size(t), 2);
	throttle_reset(t, "u:x");
	assert_int_equal(throttle_size(t), 1);
	assert_int_equal(throttle_check(t, "u:x", 1), 0);
	assert_true(throttle_check(t, "u:y", 1) > 0);
	throttle_reset(t, "u:nobody");
	throttle_reset(t, "u:x");
	assert_int_equal(throttle_size(t), 1);
	/* A reset key starts from nothing. */
	fail_n(t, "u:x", MAX - 1, 2);
	assert_int_equal(throttle_check(t, "u:x", 3), 0);
	throttle_free(t);
}

/* Prune forgets exactly the windows that are over at `now` (the
 * boundary included), and what it keeps still counts. */
static void
test_prune(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);

	throttle_fail(t, "old", 0);
	throttle_fail(t, "edge", 500);
	fail_n(t, "live", MAX, 900);
	assert_int_equal(throttle_size(t), 3);
	throttle_prune(t, 1500);
	/* old (over at 1000) and edge (over at exactly 1500) are gone. */
	assert_int_equal(throttle_size(t), 1);
	assert_int_equal(throttle_check(t, "live", 1500), 400);
	throttle_prune(t, 1899);
	assert_int_equal(throttle_size(t), 1);
	throttle_prune(t, 1900);
	assert_int_equal(throttle_size(t), 0);
	assert_int_equal(throttle_check(t, "live", 1900), 0);
	throttle_free(t);
}

/*
 * The number of keys: one per distinct key that failed (however often),
 * spread over many keys (more than the table's buckets, so chains form),
 * each still found; back to none once their windows are pruned. Memory
 * follows the keys with a live window, not the failures.
 */
static void
test_key_count(void **state)
{
	struct throttle *t = throttle_new(MAX, WINDOW);
	char key[32];
	int n = 5000;

	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "u:user%d", i);
		fail_n(t, key, i % 2 ? MAX : 1, i % 100);
	}
	assert_int_equal(throttle_size(t), (size_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "u:user%d", i);
		if (i % 2)
			assert_true(throttle_check(t, key, 100) > 0);
		else
			assert_int_equal(throttle_check(t, key, 100), 0);
	}
	/* Failing again on known keys adds none. */
	for (int i = 0; i < n; i += 7) {
		snprintf(key, sizeof key, "u:user%d", i);
		throttle_fail(t, key, 150);
	}
	assert_int_equal(throttle_size(t), (size_t)n);
	/* By 1050 the windows that began at 50 or before are over. */
	throttle_prune(t, 1050);
	assert_true(throttle_size(t) < (size_t)n);
	assert_true(throttle_size(t) > 0);
	throttle_prune(t, 1100);
	assert_int_equal(throttle_size(t), 0);
	throttle_free(t);
	throttle_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_and_wait),
		cmocka_unit_test(test_window_expiry),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_key_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
