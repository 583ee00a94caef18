/*
 * loop-test.h — what the client's async tests (test-rpc.c,
 * test-wsclient.c) share: running a libuv loop until a callback count
 * is reached, within a bound, and a loopback TCP port of their own. Test
 * code only; each test file includes it once.
 */
#ifndef MOCKINT_LOOP_TEST_H
#define MOCKINT_LOOP_TEST_H

#include <stdint.h>
#include <uv.h>

static inline void
loop_test_wake(uv_timer_t *t)
{
	/* Firing makes UV_RUN_ONCE return. */
}

/*
 * Run loop until *until >= want, or ms passed (until NULL: for ms). A
 * broken promise of a callback fails a test this way, never hangs it.
 */
static inline void
loop_test_pump(uv_loop_t *loop, const int *until, int want, int ms)
{
	uint64_t deadline = uv_hrtime() / 1000000 + (uint64_t)ms;
	uv_timer_t t;

	uv_timer_init(loop, &t);
	while ((until == NULL || *until < want) &&
	    uv_hrtime() / 1000000 < deadline) {
		uv_timer_start(&t, loop_test_wake, 10, 0);
		uv_run(loop, UV_RUN_ONCE);
	}
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
}

/* Bind t (initialised) to a free port of 127.0.0.1; returns the port. */
static inline int
loop_test_bind(uv_tcp_t *t)
{
	struct sockaddr_in a;
	struct sockaddr_storage got;
	int len = sizeof got;

	uv_ip4_addr("127.0.0.1", 0, &a);
	assert_int_equal(uv_tcp_bind(t, (struct sockaddr *)&a, 0), 0);
	assert_int_equal(uv_tcp_getsockname(t, (struct sockaddr *)&got,
	    &len), 0);
	return ntohs(((struct sockaddr_in *)&got)->sin_port);
}

#endif
