/*
 * test-clock.c — the session clock's schedule (session_next_event in
 * live/session_clock.c): the warnings a minute and ten seconds before a
 * phase's end, then the end; none that would fall at or before the
 * phase's start (short phases); none announced late (a late clock skips
 * what is already due, but never the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "session_int.h"

#define SECOND 1000LL
#define MINUTE (60 * SECOND)
/* A phase's start, away from zero so that times before it exist. */
#define T0 1700000000000LL

/* A phase of len ms from T0; the schedule made at T0 + at with warn the
 * next event not yet announced; the event and its time it must give. */
struct clock_case {
	int64_t len;
	int warn;
	int64_t at;
	int want;
	int64_t want_due;	/* from T0 */
};

#define N(a) (sizeof (a) / sizeof (a)[0])

static void
check(const struct clock_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t due = -1;
		int got = session_next_event(T0, T0 + c[i].len, c[i].warn,
		    T0 + c[i].at, &due);

		if (got != c[i].want || due != T0 + c[i].want_due)
			fail_msg("case %zu (len %lld, warn %d, at %lld): event "
			    "%d at T0%+lld, want %d at T0%+lld", i,
			    (long long)c[i].len, c[i].warn, (long long)c[i].at,
			    got, (long long)(due - T0), c[i].want,
			    (long long)c[i].want_due);
	}
}

/* A ten-minute phase announces all three, each when its time comes;
 * rescheduled early (a timer that fired before its time), it waits for
 * the same event. */
static void
test_long_phase(void **state)
{
	static const struct clock_case c[] = {
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_MINUTE,
		  9 * MINUTE },
		{ 10 * MINUTE, SESSION_EVENT_TEN_S, 9 * MINUTE,
		  SESSION_EVENT_TEN_S, 10 * MINUTE - 10 * SECOND },
		{ 10 * MINUTE, SESSION_EVENT_END, 10 * MINUTE - 10 * SECOND,
		  SESSION_EVENT_END, 10 * MINUTE },
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 5 * MINUTE,
		  SESSION_EVENT_MINUTE, 9 * MINUTE },
	};

	check(c, N(c));
}

/*
 * A minute or less: no minute warning, which would be at or before the
 * start — also when the schedule is made before the phase began (the
 * wall clock stepped back). A minute and a millisecond: the warning is
 * 1 ms in.
 */
static void
test_short_phase(void **state)
{
	static const struct clock_case c[] = {
		{ 30 * SECOND, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_TEN_S,
		  20 * SECOND },
		{ MINUTE, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_TEN_S,
		  50 * SECOND },
		{ MINUTE, SESSION_EVENT_MINUTE, -SECOND, SESSION_EVENT_TEN_S,
		  50 * SECOND },
		{ 30 * SECOND, SESSION_EVENT_MINUTE, -MINUTE,
		  SESSION_EVENT_TEN_S, 20 * SECOND },
		{ MINUTE + 1, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_MINUTE, 1 },
	};

	check(c, N(c));
}

/* Ten seconds or less: only the end; a phase of no length at all ends
 * at once. */
static void
test_very_short_phase(void **state)
{
	static const struct clock_case c[] = {
		{ 5 * SECOND, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_END,
		  5 * SECOND },
		{ 10 * SECOND, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_END,
		  10 * SECOND },
		{ 10 * SECOND + 1, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_TEN_S,
		  1 },
		{ 0, SESSION_EVENT_MINUTE, 0, SESSION_EVENT_END, 0 },
	};

	check(c, N(c));
}

/*
 * A late clock (the loop was busy, the server restarted): warnings
 * already due are skipped, not announced late, and the one still ahead
 * is kept; a warning due exactly now counts as due. Past the end, the
 * end is what is left, due in the past: it fires at once.
 */
static void
test_late_clock(void **state)
{
	static const struct clock_case c[] = {
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 9 * MINUTE + 30 * SECOND,
		  SESSION_EVENT_TEN_S, 10 * MINUTE - 10 * SECOND },
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 9 * MINUTE,
		  SESSION_EVENT_TEN_S, 10 * MINUTE - 10 * SECOND },
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 10 * MINUTE - 5 * SECOND,
		  SESSION_EVENT_END, 10 * MINUTE },
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, 20 * MINUTE,
		  SESSION_EVENT_END, 10 * MINUTE },
		{ 10 * MINUTE, SESSION_EVENT_TEN_S, 20 * MINUTE,
		  SESSION_EVENT_END, 10 * MINUTE },
		{ 30 * SECOND, SESSION_EVENT_MINUTE, 25 * SECOND,
		  SESSION_EVENT_END, 30 * SECOND },
	};

	check(c, N(c));
}

/* Nothing goes back: an event announced is never scheduled again, even
 * with a clock set back before the phase's start. */
static void
test_never_backwards(void **state)
{
	static const struct clock_case c[] = {
		{ 10 * MINUTE, SESSION_EVENT_TEN_S, -MINUTE,
		  SESSION_EVENT_TEN_S, 10 * MINUTE - 10 * SECOND },
		{ 10 * MINUTE, SESSION_EVENT_END, -MINUTE, SESSION_EVENT_END,
		  10 * MINUTE },
		{ 10 * MINUTE, SESSION_EVENT_MINUTE, -MINUTE,
		  SESSION_EVENT_MINUTE, 9 * MINUTE },
	};

	check(c, N(c));
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
