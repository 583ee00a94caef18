/*
 * test-wsclient.c — the async rule in wsclient: a connection that fails
 * at once (refused on loopback, a name that does not resolve) is
 * reported through on_close after wsc_connect has returned, from the
 * loop, exactly once; a wsc freed before its report gets none; a
 * context destroyed with reports waiting still makes them, and leaves
 * no handle open. An unusable URL is refused up front, with no callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <uv.h>

#include "loop-test.h"
#include "wsclient.h"

/* Bounds on every wait: a broken rule fails the test, never hangs it. */
#define WAIT_MS		5000
#define SETTLE_MS	200

static uv_loop_t loop;
static struct wsc_context *ctx;
static int in_call;		/* set around every wsc_* call under test */
static int opens, closes, close_code;
static char close_why[256];
static int refused_port;

static void
cb_open(struct wsc *ws, void *arg)
{
	assert_false(in_call);
	opens++;
}

static void
cb_close(struct wsc *ws, int code, const char *why, void *arg)
{
	assert_false(in_call);
	closes++;
	close_code = code;
	snprintf(close_why, sizeof close_why, "%s", why);
	/* Allowed from here on, as wsclient.h says. */
	wsc_free(ws);
}

static const struct wsc_callbacks callbacks = { cb_open, NULL, cb_close };

static void
pump(const int *until, int want, int ms)
{
	loop_test_pump(&loop, until, want, ms);
}

/* A loopback port nothing listens on: bound, then closed. */
static int
free_port(void)
{
	uv_tcp_t t;
	int port;

	uv_tcp_init(&loop, &t);
	port = loop_test_bind(&t);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	return port;
}

static struct wsc *
connect_to(const char *url)
{
	struct wsc *ws;
	char why[256];

	in_call = 1;
	ws = wsc_connect(ctx, url, "mockint.v1", &callbacks, NULL, why,
	    sizeof why);
	in_call = 0;
	if (ws == NULL)
		fail_msg("wsc_connect(%s) refused the URL: %s", url, why);
	return ws;
}

static struct wsc *
connect_refused(void)
{
	char url[64];

	snprintf(url, sizeof url, "ws://127.0.0.1:%d", refused_port);
	return connect_to(url);
}

/* Destroy ctx as the client does, and check the loop is left clean. */
static void
context_down(void)
{
	in_call = 1;
	wsc_context_free(ctx);
	in_call = 0;
	uv_run(&loop, UV_RUN_DEFAULT);
	wsc_context_free(ctx);
	ctx = NULL;
}

static int
setup(void **state)
{
	uv_loop_init(&loop);
	ctx = wsc_context_new(&loop, NULL);
	assert_non_null(ctx);
	in_call = opens = closes = close_code = 0;
	close_why[0] = '\0';
	refused_port = free_port();
	return 0;
}

static int
teardown(void **state)
{
	if (ctx != NULL)
		context_down();
	assert_int_equal(uv_loop_close(&loop), 0);
	return 0;
}

static void
test_bad_url(void **state)
{
	static const char *const bad[] = { "", "nonsense", "http://x:1",
	    "ws://", "ftp://127.0.0.1:1/" };
	char why[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		assert_null(wsc_connect(ctx, bad[i], NULL, &callbacks, NULL,
		    why, sizeof why));
		assert_non_null(strstr(why, "bad server URL"));
	}
	/* Nothing was started: nothing follows. */
	pump(NULL, 0, SETTLE_MS);
	assert_int_equal(opens + closes, 0);
}

static void
test_refused_reported_later(void **state)
{
	connect_refused();
	/* lws may well have seen the refusal inside wsc_connect... */
	assert_int_equal(closes, 0);
	/* ...but the report comes from the loop, once. */
	pump(&closes, 1, WAIT_MS);
	assert_int_equal(closes, 1);
	assert_int_equal(opens, 0);
	assert_int_equal(close_code, 0);
	assert_true(close_why[0] != '\0');
	pump(NULL, 0, SETTLE_MS);
	assert_int_equal(closes, 1);
}

static void
test_unresolvable_reported_later(void **state)
{
	/* .invalid never resolves (RFC 6761); lws fails without a reason. */
	connect_to("ws://no-such-host.invalid:1");
	assert_int_equal(closes, 0);
	pump(&closes, 1, WAIT_MS);
	assert_int_equal(closes, 1);
	assert_int_equal(opens, 0);
	pump(NULL, 0, SETTLE_MS);
	assert_int_equal(closes, 1);
}

static void
test_free_before_report(void **state)
{
	struct wsc *ws = connect_refused();

	/* Freed at once, reported or not: no callback comes after. */
	in_call = 1;
	wsc_free(ws);
	in_call = 0;
	pump(NULL, 0, SETTLE_MS);
	assert_int_equal(opens + closes, 0);
}

static void
test_context_free_reports(void **state)
{
	connect_refused();
	connect_refused();
	/* Destroyed with the reports still waiting: they still come. */
	context_down();
	assert_int_equal(closes, 2);
	assert_int_equal(opens, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_reported_later,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unresolvable_reported_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_before_report, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context_free_reports,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
