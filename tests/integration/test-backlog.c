/*
 * test-backlog.c — a burst larger than one loop iteration's budget
 * (net/backlog.c): 200 connections each send 40 requests at once. The
 * server holds what it reads after the iteration's 2 ms and dispatches it
 * on later iterations; every request still gets its answer, each
 * connection's in the order it sent them, and the metrics say requests
 * were held (8,000 requests are far more than 2 ms of work, even in a
 * Release build). A quarter of the connections hang up right after
 * sending: what was held for them goes with them.
 */
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
		/* A masked text frame with a zero mask: the payload as is. */
		fputc(0x81, f);
		fputc(0x80 | n, f);
		fwrite("\0\0\0\0", 1, 4, f);
		fwrite(text, 1, (size_t)n, f);
	}
	fclose(f);
	assert_int_equal(write(fd, all, len), (ssize_t)len);
	free(all);
}

static void
test_burst_answered_in_order(void **state)
{
	static const char *const extra[] = { "--max-conns-per-ip", "0", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	int fd[CONNS];
	char *page = NULL;

	for (int i = 0; i < CONNS; i++)
		fd[i] = h_raw_ws(s);
	for (int i = 0; i < CONNS; i++) {
		send_burst(fd[i]);
		if (i < GONE)
			close(fd[i]);
	}
	for (int i = GONE; i < CONNS; i++) {
		for (int want = 1; want <= EACH; want++) {
			char *payload = NULL;
			size_t len;
			json_t *m;

			assert_int_equal(h_raw_read_frame(fd[i], 20000, &payload,
			    &len), H_OP_TEXT);
			m = json_loads(payload, 0, NULL);
			assert_non_null(m);
			if (strcmp(h_str(m, "type"), "ok") != 0 ||
			    json_integer_value(json_object_get(m, "re")) != want)
				fail_msg("connection %d: expected the ok to %d, "
				    "got %s", i, want, payload);
			json_decref(m);
			free(payload);
		}
		close(fd[i]);
	}
	assert_int_equal(h_http_get(s, "/metrics", &page), 200);
	assert_true(h_metric(page, "mockint_requests_held_total") > 0);
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
