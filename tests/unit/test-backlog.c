/*
 * test-backlog.c — requests held for a later loop iteration
 * (net/backlog.h), on a real libuv loop with connections that have no
 * transport: nothing waits before an iteration's budget is spent; after
 * it, messages wait and are delivered oldest first, a connection's behind
 * its own; a connection stops reading past its own bound and past the
 * bound of all held, and reads again once its part is delivered; what a
 * closed connection had held is dropped; stopping drops the rest; a
 * WebSocket inside HTTP/2 never waits. The connections' references are
 * checked by ASan's leak check: a reference the backlog kept is a leak.
 * (tests/integration/test-backlog.c drives it through a real server.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <uv.h>

#include "backlog.h"
#include "conn.h"

static uv_loop_t loop;
static char delivered[4096];
static size_t n_delivered;
static int stops, resumes;

static void
deliver(struct conn *c, const char *buf, size_t len)
{
	size_t used = strlen(delivered);

	n_delivered++;
	/* Long messages are recorded by their length. */
	if (len > 16)
		snprintf(delivered + used, sizeof delivered - used, "%zu ", len);
	else
		snprintf(delivered + used, sizeof delivered - used, "%.*s ",
		    (int)len, buf);
}

static void
reading(struct conn *c, int on)
{
	if (on)
		resumes++;
	else
		stops++;
}

static const struct backlog_ops ops = { deliver, reading };

/* A connection with its own socket and a transport never touched. */
static struct conn *
fake_conn(void)
{
	static int wsi;
	struct conn *c = conn_new((struct lws *)(void *)&wsi, "127.0.0.1");

	c->own_socket = 1;
	return c;
}

static int
setup(void **state)
{
	uv_loop_init(&loop);
	backlog_start(&loop, &ops);
	delivered[0] = '\0';
	n_delivered = 0;
	stops = resumes = 0;
	return 0;
}

static int
teardown(void **state)
{
	backlog_stop();
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	return 0;
}

/* Spend this iteration's budget: the first check starts its clock. */
static void
spend_budget(struct conn *c)
{
	uint64_t t0 = uv_hrtime();

	assert_false(backlog_must_wait(c));
	while (uv_hrtime() - t0 <= BACKLOG_BUDGET_NS)
		;
}

/* Run loop iterations until nothing is held (and one more: the next
 * iteration starts afresh). */
static void
drain(void)
{
	for (int i = 0; i < 1000 && backlog_len() > 0; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(backlog_len(), 0);
	uv_run(&loop, UV_RUN_NOWAIT);
}

static void
test_order(void **state)
{
	struct conn *a = fake_conn(), *b = fake_conn(), *c = fake_conn();

	/* The budget's first check never waits, nor do the ones within it. */
	assert_false(backlog_must_wait(a));
	assert_false(backlog_must_wait(b));
	spend_budget(a);
	assert_true(backlog_must_wait(b));
	backlog_hold(a, "a1", 2);
	backlog_hold(b, "b1", 2);
	backlog_hold(a, "a2", 2);
	assert_int_equal(backlog_len(), 3);
	assert_int_equal(n_delivered, 0);
	drain();
	assert_string_equal(delivered, "a1 b1 a2 ");
	/* A new iteration: nothing held, nothing waits. */
	assert_false(backlog_must_wait(a));
	assert_false(backlog_must_wait(c));
	assert_int_equal(stops, 0);
	assert_int_equal(resumes, 0);
	conn_unref(a);
	conn_unref(b);
	conn_unref(c);
}

static void
test_behind_its_own(void **state)
{
	struct conn *a = fake_conn(), *b = fake_conn();

	spend_budget(a);
	backlog_hold(a, "a1", 2);
	/* A later iteration delivers it within its own budget (this one's
	 * is spent until its end); a connection with something held waits
	 * behind it whatever the budget says. */
	for (int i = 0; i < 10 && n_delivered == 0; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	assert_string_equal(delivered, "a1 ");
	backlog_hold(a, "a2", 2);
	assert_true(backlog_must_wait(a));
	assert_false(backlog_must_wait(b));
	drain();
	assert_string_equal(delivered, "a1 a2 ");
	conn_unref(a);
	conn_unref(b);
}

static void
test_connection_bound(void **state)
{
	struct conn *a = fake_conn();
	char *big = calloc(1, 40 * 1024);

	assert_non_null(big);
	spend_budget(a);
	backlog_hold(a, big, 40 * 1024);
	assert_int_equal(stops, 0);
	backlog_hold(a, big, 40 * 1024);	/* past BACKLOG_CONN_MAX */
	assert_int_equal(stops, 1);
	backlog_hold(a, "a3", 2);		/* stopped once only */
	assert_int_equal(stops, 1);
	assert_int_equal(resumes, 0);
	drain();
	assert_string_equal(delivered, "40960 40960 a3 ");
	assert_int_equal(resumes, 1);
	free(big);
	conn_unref(a);
}

static void
test_all_bound(void **state)
{
	enum { N = 300, LEN = 60 * 1024 };	/* each under its own bound */
	struct conn *c[N];
	char *msg = calloc(1, LEN);
	size_t before;

	assert_non_null(msg);
	for (int i = 0; i < N; i++)
		c[i] = fake_conn();
	spend_budget(c[0]);
	before = (size_t)BACKLOG_ALL_MAX / LEN;
	for (int i = 0; i < N; i++) {
		backlog_hold(c[i], msg, LEN);
		/* Those that held while all was under the bound read on. */
		if ((size_t)i < before - 1)
			assert_int_equal(stops, 0);
	}
	/* Every one that added past the bound stopped. */
	assert_true(stops >= N - (int)before - 1);
	assert_true(stops <= N - (int)before + 1);
	assert_int_equal(resumes, 0);
	drain();
	assert_int_equal(n_delivered, N);
	assert_int_equal(resumes, stops);
	for (int i = 0; i < N; i++)
		conn_unref(c[i]);
	free(msg);
}

static void
test_closed_and_stopped(void **state)
{
	struct conn *a = fake_conn(), *b = fake_conn();

	spend_budget(a);
	backlog_hold(a, "a1", 2);
	backlog_hold(b, "b1", 2);
	/* a closes: what it had held goes with it. */
	a->close_code = 1000;
	drain();
	assert_string_equal(delivered, "b1 ");
	/* Shutting down: what is held is dropped, undelivered (teardown). */
	spend_budget(b);
	backlog_hold(b, "b2", 2);
	backlog_stop();
	assert_int_equal(backlog_len(), 0);
	assert_false(backlog_must_wait(b));
	assert_string_equal(delivered, "b1 ");
	conn_unref(a);
	conn_unref(b);
}

static void
test_http2_never_waits(void **state)
{
	struct conn *a = fake_conn(), *b = fake_conn();

	a->own_socket = 0;
	spend_budget(b);
	assert_true(backlog_must_wait(b));
	assert_false(backlog_must_wait(a));
	conn_unref(a);
	conn_unref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_behind_its_own, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connection_bound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_all_bound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_closed_and_stopped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_http2_never_waits, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
