/*
 * test-backlog.c — a burst larger than one loop iteration's budget
 * (net/backlog.c): 200 connections each send 40 requests at once. The
 * server holds what it reads after the iteration's 2 ms and dispatches it
 * on later iterations; every request still gets its answer, each
 * connection's in the order it sent them, and the metrics say requests
 * were held (8,000 requests are far more than 2 ms of work, even in a
 * Release build). A quarter of the connections hang up right after
 * sending: what was held for them goes with them. One more connection
 * sends BIG_N messages of BIG_LEN bytes behind the burst: what it has held
 * passes the backlog's per-connection bound, so it is stopped reading and
 * resumed, and its answers still come complete and in order.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define CONNS	200
#define EACH	40
#define GONE	(CONNS / 4)	/* hang up at once */
#define BIG_N	24
#define BIG_LEN	(40 * 1024)	/* two held pass BACKLOG_CONN_MAX */

/* A masked text frame with a zero mask: the payload as is. */
static void
put_frame(FILE *f, const char *payload, size_t n)
{
	fputc(0x81, f);
	if (n < 126) {
		fputc(0x80 | (int)n, f);
	} else {
		fputc(0x80 | 126, f);
		fputc((int)(n >> 8), f);
		fputc((int)(n & 0xff), f);
	}
	fwrite("\0\0\0\0", 1, 4, f);
	fwrite(payload, 1, n, f);
}

/* Write all of buf (blocking). */
static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		assert_true(n > 0);
		buf += n;
		len -= (size_t)n;
	}
}

/* All of a connection's requests in one write, as a pipelining client
 * (or a kernel that coalesced them) delivers them. */
static void
send_burst(int fd)
{
	char text[64], *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);

	assert_non_null(f);
	for (int i = 1; i <= EACH; i++) {
		int n = snprintf(text, sizeof text, "{\"type\":\"ping\",\"id\":%d}",
		    i);

		put_frame(f, text, (size_t)n);
	}
	fclose(f);
	write_all(fd, all, len);
	free(all);
}

/* BIG_N pings padded to BIG_LEN (a field ping ignores), from a thread: the
 * server answers while they are still being written. */
static void *
send_big(void *arg)
{
	int fd = *(int *)arg;
	char *text = malloc(BIG_LEN + 1), *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);

	assert_non_null(text);
	assert_non_null(f);
	for (int i = 1; i <= BIG_N; i++) {
		int n = snprintf(text, BIG_LEN + 1,
		    "{\"type\":\"ping\",\"id\":%d,\"pad\":\"", i);

		memset(text + n, 'x', BIG_LEN - (size_t)n - 2);
		memcpy(text + BIG_LEN - 2, "\"}", 2);
		put_frame(f, text, BIG_LEN);
	}
	fclose(f);
	write_all(fd, all, len);
	free(all);
	free(text);
	return NULL;
}

/* The oks to 1..n on fd, in order. */
static void
expect_oks(int fd, int which, int n)
{
	for (int want = 1; want <= n; want++) {
		char *payload = NULL;
		size_t len;
		json_t *m;

		assert_int_equal(h_raw_read_frame(fd, 20000, &payload, &len),
		    H_OP_TEXT);
		m = json_loads(payload, 0, NULL);
		assert_non_null(m);
		if (strcmp(h_str(m, "type"), "ok") != 0 ||
		    json_integer_value(json_object_get(m, "re")) != want)
			fail_msg("connection %d: expected the ok to %d, got %s",
			    which, want, payload);
		json_decref(m);
		free(payload);
	}
}

static void
test_burst_answered_in_order(void **state)
{
	static const char *const extra[] = { "--max-conns-per-ip", "0", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	int fd[CONNS], big;
	pthread_t writer;
	char *page = NULL;

	for (int i = 0; i < CONNS; i++)
		fd[i] = h_raw_ws(s);
	big = h_raw_ws(s);
	for (int i = 0; i < CONNS; i++) {
		send_burst(fd[i]);
		if (i < GONE)
			close(fd[i]);
	}
	assert_int_equal(pthread_create(&writer, NULL, send_big, &big), 0);
	expect_oks(big, CONNS, BIG_N);
	assert_int_equal(pthread_join(writer, NULL), 0);
	close(big);
	for (int i = GONE; i < CONNS; i++) {
		expect_oks(fd[i], i, EACH);
		close(fd[i]);
	}
	assert_int_equal(h_http_get(s, "/metrics", &page), 200);
	assert_true(h_metric(page, "mockint_requests_held_total") > 0);
	/* The big connection's held messages passed the bound. */
	assert_true(h_metric(page, "mockint_reads_paused_total") > 0);
	/* All answered: nothing is left waiting. */
	assert_true(h_metric(page, "mockint_requests_held") == 0);
	free(page);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_answered_in_order),
	};

	return h_failures(cmocka_run_group_tests(tests, NULL, NULL));
}
