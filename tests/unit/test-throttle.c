/*
 * test-throttle.c — the throttle tables (server/accounts/throttle.c):
 * free attempts, exponential back-off and its cap, attempts in flight
 * (a burst cannot slip past), decay, a plain rate, reset (only that
 * key, harmless on an unknown one), many keys in chained buckets, the
 * cap on entries and what it pushes out, and pruning down to nothing.
 * (It replaces the tests of the fixed-window throttle that was here
 * before: windows and undo are gone with it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "throttle.h"

#define HOUR (3600LL * 1000)

/* 3 free failures, then 1 s, doubling, at most 8 s. */
static const struct throttle_policy backoff = { 3, 1000, 8000, 0 };

static void
fail_at(struct throttle *t, const char *key, int64_t now)
{
	assert_int_equal(throttle_wait(t, key, &backoff, now), 0);
	throttle_begin(t, key, now);
	throttle_end(t, key, 1, now);
}

static void
test_exponential_backoff(void **state)
{
	struct throttle *t = throttle_new(HOUR, 100);
	int64_t now = 1000000;

	for (int i = 0; i < 3; i++)
		fail_at(t, "k", now);
	/* The third failure starts the back-off: 1 s from it. */
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 1000);
	assert_int_equal(throttle_wait(t, "k", &backoff, now + 400), 600);
	assert_int_equal(throttle_wait(t, "other", &backoff, now), 0);
	now += 1000;
	fail_at(t, "k", now);
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 2000);
	now += 2000;
	fail_at(t, "k", now);
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 4000);
	now += 4000;
	fail_at(t, "k", now);
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 8000);
	/* The cap holds however many failures follow. */
	for (int i = 0; i < 40; i++) {
		now += 8000;
		fail_at(t, "k", now);
	}
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 8000);
	assert_true(throttle_count(t, "k", now) > 40);
	/* A reset (a success) forgets it all. */
	throttle_reset(t, "k");
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 0);
	assert_int_equal(throttle_size(t), 0);
	throttle_free(t);
}

static void
test_burst_in_flight(void **state)
{
	struct throttle *t = throttle_new(HOUR, 100);
	int64_t now = 5000;
	int let = 0;

	/* Twenty attempts sent at once: only the free ones start. */
	for (int i = 0; i < 20; i++) {
		if (throttle_wait(t, "k", &backoff, now) > 0)
			continue;
		throttle_begin(t, "k", now);
		let++;
	}
	assert_int_equal(let, 3);
	for (int i = 0; i < 3; i++)
		throttle_end(t, "k", 1, now + 10);
	/* Past the free ones, one at a time: a second waits for the first. */
	now += 10 + 1000;
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 0);
	throttle_begin(t, "k", now);
	assert_true(throttle_wait(t, "k", &backoff, now) > 0);
	throttle_end(t, "k", 0, now);	/* not counted: a success */
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 0);
	assert_int_equal(throttle_count(t, "k", now), 3);
	/* Counted, it pushes the next try out by the back-off. */
	throttle_begin(t, "k", now);
	throttle_end(t, "k", 1, now);
	assert_int_equal(throttle_wait(t, "k", &backoff, now), 2000);
	throttle_free(t);
}

static void
test_max_inflight(void **state)
{
	static const struct throttle_policy p = { 1000000, 0, 0, 2 };
	struct throttle *t = throttle_new(HOUR, 100);

	throttle_begin(t, "a", 0);
	assert_int_equal(throttle_wait(t, "a", &p, 0), 0);
	throttle_begin(t, "a", 0);
	assert_true(throttle_wait(t, "a", &p, 0) > 0);
	assert_int_equal(throttle_wait(t, "b", &p, 0), 0);
	throttle_end(t, "a", 0, 1);
	assert_int_equal(throttle_wait(t, "a", &p, 1), 0);
	throttle_end(t, "a", 0, 1);
	/* Nothing counted, nothing in flight: nothing kept. */
	throttle_prune(t, 2);
	assert_int_equal(throttle_size(t), 0);
	throttle_free(t);
}

static void
test_decay(void **state)
{
	struct throttle *t = throttle_new(1000, 100);

	for (int i = 0; i < 5; i++)
		throttle_add(t, "k", 0);
	assert_int_equal(throttle_count(t, "k", 999), 5);
	assert_int_equal(throttle_count(t, "k", 1000), 4);
	assert_int_equal(throttle_count(t, "k", 3500), 2);
	/* A new event keeps the part of a decay step already served. */
	throttle_add(t, "k", 3500);
	assert_int_equal(throttle_count(t, "k", 3999), 3);
	assert_int_equal(throttle_count(t, "k", 4000), 2);
	/* Below the free count again: the back-off is lifted. */
	assert_int_equal(throttle_wait(t, "k", &backoff, 4000), 0);
	assert_int_equal(throttle_count(t, "k", 60000), 0);
	throttle_prune(t, 60000);
	assert_int_equal(throttle_size(t), 0);
	throttle_free(t);
}

static void
test_plain_rate(void **state)
{
	/* 3 an hour: one forgotten every 20 minutes. */
	static const struct throttle_policy rate = { 3, 0, 0, 0 };
	struct throttle *t = throttle_new(HOUR / 3, 100);
	int64_t now = 0;

	for (int i = 0; i < 3; i++) {
		assert_int_equal(throttle_wait(t, "a", &rate, now), 0);
		throttle_begin(t, "a", now);
		throttle_end(t, "a", 1, now);
	}
	assert_int_equal(throttle_wait(t, "a", &rate, now), HOUR / 3);
	assert_int_equal(throttle_wait(t, "a", &rate, now + 60000),
	    HOUR / 3 - 60000);
	assert_int_equal(throttle_wait(t, "a", &rate, now + HOUR / 3), 0);
	/* Attempts in flight count: three at once fill it. */
	for (int i = 0; i < 3; i++)
		throttle_begin(t, "b", now);
	assert_true(throttle_wait(t, "b", &rate, now) > 0);
	/* ...and those not counted (refused early) give their place back. */
	throttle_end(t, "b", 0, now);
	assert_int_equal(throttle_wait(t, "b", &rate, now), 0);
	throttle_free(t);
}

static void
test_cap_pushes_out_the_oldest(void **state)
{
	struct throttle *t = throttle_new(HOUR, 4);
	char key[16];

	throttle_add(t, "target", 0);
	throttle_add(t, "target", 0);
	throttle_begin(t, "busy", 0);	/* in flight: never pushed out */
	for (int i = 0; i < 2; i++) {
		snprintf(key, sizeof key, "junk%d", i);
		throttle_add(t, key, 1);
	}
	/* The target is touched by its attacker's every attempt. */
	throttle_add(t, "target", 2);
	for (int i = 2; i < 10; i++) {
		snprintf(key, sizeof key, "junk%d", i);
		throttle_add(t, key, 3 + i);
		assert_true(throttle_size(t) <= 4);
		throttle_add(t, "target", 3 + i);
	}
	assert_int_equal(throttle_size(t), 4);
	assert_int_equal(throttle_count(t, "target", 20), 11);
	throttle_end(t, "busy", 0, 20);
	assert_true(throttle_evicted(t) >= 8);
	throttle_free(t);
}

static void
test_prune_keeps_what_counts(void **state)
{
	struct throttle *t = throttle_new(1000, 100);

	throttle_add(t, "old", 0);
	throttle_add(t, "new", 900);
	throttle_begin(t, "flying", 0);
	throttle_prune(t, 1500);
	assert_int_equal(throttle_size(t), 2);
	assert_int_equal(throttle_count(t, "old", 1500), 0);
	assert_int_equal(throttle_count(t, "new", 1500), 1);
	throttle_end(t, "flying", 0, 1600);
	throttle_prune(t, 5000);
	assert_int_equal(throttle_size(t), 0);
	throttle_free(t);
}

/* A reset (a successful login) forgets one key, at once; resetting an
 * unknown key, or one already reset, is harmless. */
static void
test_reset_only_that_key(void **state)
{
	struct throttle *t = throttle_new(HOUR, 100);

	for (int i = 0; i < 3; i++) {
		fail_at(t, "u:x", 0);
		fail_at(t, "u:y", 0);
	}
	assert_int_equal(throttle_size(t), 2);
	throttle_reset(t, "u:x");
	assert_int_equal(throttle_size(t), 1);
	assert_int_equal(throttle_wait(t, "u:x", &backoff, 1), 0);
	assert_true(throttle_wait(t, "u:y", &backoff, 1) > 0);
	throttle_reset(t, "u:nobody");
	throttle_reset(t, "u:x");
	assert_int_equal(throttle_size(t), 1);
	/* A reset key starts from nothing: its free tries again. */
	fail_at(t, "u:x", 2);
	fail_at(t, "u:x", 2);
	assert_int_equal(throttle_wait(t, "u:x", &backoff, 3), 0);
	throttle_free(t);
	throttle_free(NULL);
}

/*
 * One entry per distinct key however often it fails, many more keys than
 * buckets (so chains form), each still found with its own count; back to
 * none once their counts have decayed.
 */
static void
test_many_keys(void **state)
{
	struct throttle *t = throttle_new(1000, 10000);
	char key[32];
	int n = 5000;

	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "u:user%d", i);
		for (int k = 0; k < (i % 2 ? 3 : 1); k++)
			fail_at(t, key, 0);
	}
	assert_int_equal(throttle_size(t), (size_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "u:user%d", i);
		assert_int_equal(throttle_count(t, key, 10), i % 2 ? 3 : 1);
		if (i % 2)
			assert_true(throttle_wait(t, key, &backoff, 10) > 0);
		else
			assert_int_equal(throttle_wait(t, key, &backoff, 10), 0);
	}
	/* One failure decays a second later, three take three seconds. */
	throttle_prune(t, 1000);
	assert_int_equal(throttle_size(t), (size_t)n / 2);
	throttle_prune(t, 3000);
	assert_int_equal(throttle_size(t), 0);
	assert_int_equal(throttle_evicted(t), 0);
	throttle_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exponential_backoff),
		cmocka_unit_test(test_burst_in_flight),
		cmocka_unit_test(test_max_inflight),
		cmocka_unit_test(test_decay),
		cmocka_unit_test(test_plain_rate),
		cmocka_unit_test(test_reset_only_that_key),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_cap_pushes_out_the_oldest),
		cmocka_unit_test(test_prune_keeps_what_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
