/*
 * test-clock.c — the session clock's schedule (session_next_event in
 * live/session_clock.c): the warnings a minute and ten seconds before a
 * phase's end, then the end; none that would fall before the phase
 * began (short phases); none announced late (a late clock skips what is
 * already due, but never the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "session_int.h"

#define SECOND 1000
#define MINUTE (60 * SECOND)
/* A phase's start, away from zero so that times before it exist. */
#define T0 1700000000000LL

/* session_next_event for a phase of len ms from T0, at T0 + at. */
static int
next(int64_t len, int warn, int64_t at, int64_t *due)
{
	return session_next_event(T0, T0 + len, warn, T0 + at, due);
}

/* A ten-minute phase announces all three, each when its time comes. */
static void
test_long_phase(void **state)
{
	int64_t due;

	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_MINUTE);
	assert_int_equal(due, T0 + 9 * MINUTE);
	/* The minute warning was announced: ten seconds next. */
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_TEN_S, 9 * MINUTE, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 10 * MINUTE - 10 * SECOND);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_END,
	    10 * MINUTE - 10 * SECOND, &due), SESSION_EVENT_END);
	assert_int_equal(due, T0 + 10 * MINUTE);
	/* Rescheduling early (a clock that fired before its time) waits
	 * for the same event. */
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, 5 * MINUTE, &due),
	    SESSION_EVENT_MINUTE);
	assert_int_equal(due, T0 + 9 * MINUTE);
}

/* Under a minute: no minute warning, which would be before the start;
 * exactly a minute: none either (it would be at the very start). */
static void
test_short_phase(void **state)
{
	int64_t due;

	assert_int_equal(next(30 * SECOND, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 20 * SECOND);
	assert_int_equal(next(MINUTE, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 50 * SECOND);
	/* Also when the schedule is made before the phase began (the wall
	 * clock stepped back): the start is what counts. */
	assert_int_equal(next(MINUTE, SESSION_EVENT_MINUTE, -SECOND, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(next(30 * SECOND, SESSION_EVENT_MINUTE, -MINUTE,
	    &due), SESSION_EVENT_TEN_S);
	/* A minute and a millisecond: the warning is 1 ms in. */
	assert_int_equal(next(MINUTE + 1, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_MINUTE);
	assert_int_equal(due, T0 + 1);
}

/* Under ten seconds (or exactly ten): only the end. */
static void
test_very_short_phase(void **state)
{
	int64_t due;

	assert_int_equal(next(5 * SECOND, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0 + 5 * SECOND);
	assert_int_equal(next(10 * SECOND, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0 + 10 * SECOND);
	assert_int_equal(next(10 * SECOND + 1, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 1);
	/* A phase of no length at all ends at once. */
	assert_int_equal(next(0, SESSION_EVENT_MINUTE, 0, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0);
}

/*
 * A late clock (the loop was busy, the server restarted): warnings
 * already due are skipped, not announced late, the one still ahead is
 * kept; a warning exactly due now counts as due. Past the end, the end
 * is what is left, due in the past: it fires at once.
 */
static void
test_late_clock(void **state)
{
	int64_t due;

	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, 9 * MINUTE + 30 *
	    SECOND, &due), SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 10 * MINUTE - 10 * SECOND);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, 9 * MINUTE, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE,
	    10 * MINUTE - 5 * SECOND, &due), SESSION_EVENT_END);
	assert_int_equal(due, T0 + 10 * MINUTE);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, 20 * MINUTE, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0 + 10 * MINUTE);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_TEN_S, 20 * MINUTE, &due),
	    SESSION_EVENT_END);
	/* A short phase, late too. */
	assert_int_equal(next(30 * SECOND, SESSION_EVENT_MINUTE, 25 * SECOND, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0 + 30 * SECOND);
}

/* Nothing goes back: an event announced is never scheduled again, even
 * with a clock set back before the phase's start. */
static void
test_never_backwards(void **state)
{
	int64_t due;

	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_TEN_S, -MINUTE, &due),
	    SESSION_EVENT_TEN_S);
	assert_int_equal(due, T0 + 10 * MINUTE - 10 * SECOND);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_END, -MINUTE, &due),
	    SESSION_EVENT_END);
	assert_int_equal(due, T0 + 10 * MINUTE);
	assert_int_equal(next(10 * MINUTE, SESSION_EVENT_MINUTE, -MINUTE, &due),
	    SESSION_EVENT_MINUTE);
	assert_int_equal(due, T0 + 9 * MINUTE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_phase),
		cmocka_unit_test(test_short_phase),
		cmocka_unit_test(test_very_short_phase),
		cmocka_unit_test(test_late_clock),
		cmocka_unit_test(test_never_backwards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
