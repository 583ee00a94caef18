/*
 * test-guard.c — the throttling policy of accounts (server/accounts/
 * guard.c) with the default options: wrong logins on made-up names lock
 * nobody out; the address's back-off spares pairs that logged in before;
 * a username under attack costs an address one try a minute and the
 * owner at a fresh address nothing; the (username, address) back-off;
 * hashes in flight per address; registrations per address per hour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "options.h"
#include "server.h"

static struct options opts;

static int
setup(void **state)
{
	options_defaults(&opts);
	srv.opts = &opts;
	guard_init();
	return 0;
}

static int
teardown(void **state)
{
	guard_free();
	options_free(&opts);
	return 0;
}

/* One whole login attempt; returns the wait it met (0: it ran). */
static int64_t
attempt(const char *user, const char *addr, enum guard_outcome o,
    int64_t now)
{
	struct guard_ticket t;
	int64_t wait = guard_login_begin(&t, user, addr, now);

	if (wait == 0)
		guard_login_end(&t, o, now);
	return wait;
}

static void
test_made_up_names_lock_nobody_out(void **state)
{
	int64_t now = 1000000;
	char name[32];

	assert_int_equal(attempt("alice", "10.0.0.1", GUARD_RIGHT, now), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "nobody%d", i);
		assert_int_equal(attempt(name, "10.0.0.1", GUARD_NO_ACCOUNT,
		    now), 0);
	}
	/* A made-up name is throttled like a real one, by name. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(attempt("nobody", "10.0.0.1",
		    GUARD_NO_ACCOUNT, now), 0);
	assert_int_equal(attempt("nobody", "10.0.0.1", GUARD_NO_ACCOUNT, now),
	    1000);
	/* Real users behind the same address: in at once. */
	assert_int_equal(attempt("alice", "10.0.0.1", GUARD_RIGHT, now), 0);
	assert_int_equal(attempt("carol", "10.0.0.1", GUARD_RIGHT, now), 0);
}

static void
test_address_backoff_spares_known_pairs(void **state)
{
	int64_t now = 2000000;
	char name[32];

	assert_int_equal(attempt("bob", "10.0.0.2", GUARD_RIGHT, now), 0);
	/* 20 wrong passwords on real accounts: the address's free share. */
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "victim%d", i);
		assert_int_equal(attempt(name, "10.0.0.2", GUARD_WRONG, now),
		    0);
	}
	assert_int_equal(attempt("newcomer", "10.0.0.2", GUARD_RIGHT, now),
	    1000);
	/* Bob logged in from there before: not held by the address. */
	assert_int_equal(attempt("bob", "10.0.0.2", GUARD_RIGHT, now), 0);
	/* Elsewhere, nothing. */
	assert_int_equal(attempt("newcomer", "10.0.0.3", GUARD_RIGHT, now), 0);
	/* The back-off ends, and doubles with the next failure. */
	assert_int_equal(attempt("victim99", "10.0.0.2", GUARD_WRONG,
	    now + 1000), 0);
	assert_int_equal(attempt("newcomer", "10.0.0.2", GUARD_RIGHT,
	    now + 1000), 2000);
	assert_int_equal(attempt("newcomer", "10.0.0.2", GUARD_RIGHT,
	    now + 3000), 0);
}

static void
test_pair_backoff(void **state)
{
	int64_t now = 3000000;

	for (int i = 0; i < 5; i++)
		assert_int_equal(attempt("dave", "10.0.1.1", GUARD_WRONG, now),
		    0);
	assert_int_equal(attempt("dave", "10.0.1.1", GUARD_RIGHT, now), 1000);
	/* The same name from elsewhere is not held by this pair. */
	assert_int_equal(attempt("dave", "10.0.1.2", GUARD_RIGHT, now), 0);
	assert_int_equal(attempt("dave", "10.0.1.1", GUARD_RIGHT, now + 1000),
	    0);
	/* The success cleared the pair's count. */
	assert_int_equal(attempt("dave", "10.0.1.1", GUARD_WRONG, now + 1000),
	    0);
	assert_int_equal(attempt("dave", "10.0.1.1", GUARD_RIGHT, now + 1000),
	    0);
}

static void
test_username_under_attack(void **state)
{
	int64_t now = 4000000;
	char addr[32];

	/* 20 addresses, one guess each: the ceiling (4N) is reached. */
	for (int i = 0; i < 20; i++) {
		snprintf(addr, sizeof addr, "192.0.2.%d", i);
		assert_int_equal(attempt("erin", addr, GUARD_WRONG, now), 0);
	}
	/* An address that failed waits a minute, not 5 free tries... */
	assert_int_equal(attempt("erin", "192.0.2.0", GUARD_WRONG, now + 10),
	    GUARD_CEILING_MS - 10);
	assert_int_equal(attempt("erin", "192.0.2.0", GUARD_WRONG,
	    now + GUARD_CEILING_MS), 0);
	/* ...and the owner, from an address that has not failed, is in. */
	assert_int_equal(attempt("erin", "198.51.100.7", GUARD_RIGHT,
	    now + 20), 0);
	/* The owner who mistypes once waits at most the minute. */
	assert_int_equal(attempt("erin", "198.51.100.8", GUARD_WRONG,
	    now + 30), 0);
	assert_int_equal(attempt("erin", "198.51.100.8", GUARD_RIGHT,
	    now + 30), GUARD_CEILING_MS);
	assert_int_equal(attempt("erin", "198.51.100.8", GUARD_RIGHT,
	    now + 30 + GUARD_CEILING_MS), 0);
}

static void
test_hashes_in_flight_per_address(void **state)
{
	struct guard_ticket t[GUARD_HASHES_PER_ADDR + 1], k;
	int64_t now = 5000000;
	char name[32];

	assert_int_equal(attempt("frank", "10.0.2.1", GUARD_RIGHT, now), 0);
	for (int i = 0; i < GUARD_HASHES_PER_ADDR; i++) {
		snprintf(name, sizeof name, "flood%d", i);
		assert_int_equal(guard_login_begin(&t[i], name, "10.0.2.1",
		    now), 0);
	}
	assert_true(guard_login_begin(&t[GUARD_HASHES_PER_ADDR], "another",
	    "10.0.2.1", now) > 0);
	assert_true(guard_register_begin(&t[GUARD_HASHES_PER_ADDR],
	    "10.0.2.1", now) > 0);
	/* A pair that logged in before has its own lane. */
	assert_int_equal(guard_login_begin(&k, "frank", "10.0.2.1", now), 0);
	guard_login_end(&k, GUARD_RIGHT, now);
	for (int i = 0; i < GUARD_HASHES_PER_ADDR; i++)
		guard_login_end(&t[i], GUARD_NO_ACCOUNT, now);
	assert_int_equal(attempt("another", "10.0.2.1", GUARD_RIGHT, now), 0);
}

static void
test_registrations_per_hour(void **state)
{
	struct guard_ticket t;
	int64_t now = 6000000, hour = 3600LL * 1000;

	/* Refused before a hash (a weak password): not counted. */
	for (int i = 0; i < 30; i++) {
		assert_int_equal(guard_register_begin(&t, "10.0.3.1", now), 0);
		guard_register_end(&t, 0, now);
	}
	for (int i = 0; i < 10; i++) {
		assert_int_equal(guard_register_begin(&t, "10.0.3.1", now), 0);
		guard_register_end(&t, 1, now);
	}
	assert_int_equal(guard_register_begin(&t, "10.0.3.1", now), hour / 10);
	assert_int_equal(guard_register_begin(&t, "10.0.3.2", now), 0);
	guard_register_end(&t, 1, now);
	assert_int_equal(guard_register_begin(&t, "10.0.3.1",
	    now + hour / 10), 0);
	guard_register_end(&t, 1, now + hour / 10);
	assert_true(guard_register_begin(&t, "10.0.3.1", now + hour / 10) > 0);
}

static void
test_tables_shrink(void **state)
{
	assert_true(guard_entries() > 0);
	/* Two days on, only the pairs that logged in are remembered. */
	guard_prune(7000000 + 2 * 24 * 3600LL * 1000);
	assert_true(guard_entries() > 0);
	guard_prune(7000000 + 60 * 24 * 3600LL * 1000);
	assert_int_equal(guard_entries(), 0);
	assert_int_equal(guard_evicted(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_made_up_names_lock_nobody_out),
		cmocka_unit_test(test_address_backoff_spares_known_pairs),
		cmocka_unit_test(test_pair_backoff),
		cmocka_unit_test(test_username_under_attack),
		cmocka_unit_test(test_hashes_in_flight_per_address),
		cmocka_unit_test(test_registrations_per_hour),
		cmocka_unit_test(test_tables_shrink),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
