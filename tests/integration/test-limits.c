/*
 * test-limits.c — connection caps: per client address (--max-conns-per-ip)
 * and in total (--max-conns), each refusing cleanly at accept with a log
 * line and a counter, other addresses and existing connections unaffected,
 * a slot reusable once a connection goes; and the open-file limit raised
 * at start, the default total cap following it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

/* GET /healthz from `from`: 200 when let in, -1 when refused. */
static int
healthz_from(const struct hserver *s, const char *from)
{
	return h_http_get_fd(h_raw_connect_from(s, from), "GET", "/healthz", NULL);
}

/* Wait (bounded) until a connection from `from` is let in again. */
static void
wait_admitted(const struct hserver *s, const char *from)
{
	for (int i = 0; i < 100; i++) {
		if (healthz_from(s, from) == 200)
			return;
		h_sleep(50);
	}
	fail_msg("connections from %s stay refused", from);
}

static int
log_has(const struct hserver *s, const char *text)
{
	char buf[65536];
	FILE *f = fopen(s->log, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static double
metric(const struct hserver *s, const char *from, const char *sample)
{
	char *page = NULL, *p;
	double v = -1;

	assert_int_equal(h_http_get_fd(h_raw_connect_from(s, from), "GET",
	    "/metrics", &page), 200);
	for (p = page; p != NULL; p = strchr(p, '\n') ? strchr(p, '\n') + 1 :
	    NULL)
		if (strncmp(p, sample, strlen(sample)) == 0 &&
		    p[strlen(sample)] == ' ') {
			v = strtod(p + strlen(sample) + 1, NULL);
			break;
		}
	free(page);
	return v;
}

static void
test_per_address(void **state)
{
	static const char *const extra[] = { "--max-conns-per-ip", "3", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *a, *b, *c;
	char why[256];
	int raw;

	/* Three WebSocket clients from 127.0.0.1 fill its share. */
	a = h_user(s, "lim_ann", NULL, 0);
	b = h_user(s, "lim_bob", NULL, 0);
	raw = h_raw_connect(s);		/* an idle socket counts too */
	/* A fourth socket from the same address: closed at once. */
	assert_null(hc_try_connect(s, "mockint.v1", why, sizeof why));
	assert_int_equal(healthz_from(s, "127.0.0.1"), -1);
	/* Another address has its own share. */
	assert_int_equal(healthz_from(s, "127.0.0.2"), 200);
	/* Those already in are untouched. */
	json_decref(hc_ok(a, "ping", NULL));
	json_decref(hc_ok(b, "ping", NULL));
	assert_true(log_has(s, "refused a connection from 127.0.0.1: the "
	    "per-address limit of 3 reached"));
	assert_true(metric(s, "127.0.0.2",
	    "mockint_connections_refused_total{limit=\"per_address\"}") >= 2);
	assert_true(metric(s, "127.0.0.2",
	    "mockint_connections_refused_total{limit=\"total\"}") == 0);
	/* One goes: there is room again. */
	close(raw);
	wait_admitted(s, "127.0.0.1");
	c = hc_connect(s);
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(a);
	hc_free(b);
	hc_free(c);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
}

static void
test_total(void **state)
{
	static const char *const extra[] = { "--max-conns", "4",
		"--max-conns-per-ip", "0", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	int fd[4];

	assert_true(metric(s, "127.0.0.1", "mockint_sockets_max") == 4);
	fd[0] = h_raw_connect_from(s, "127.0.0.1");
	fd[1] = h_raw_connect_from(s, "127.0.0.2");
	fd[2] = h_raw_connect_from(s, "127.0.0.3");
	fd[3] = h_raw_connect_from(s, "127.0.0.4");
	/* Full, whoever asks. */
	assert_int_equal(healthz_from(s, "127.0.0.5"), -1);
	assert_int_equal(healthz_from(s, "127.0.0.1"), -1);
	assert_true(log_has(s, "refused a connection from 127.0.0.5: the "
	    "total limit of 4 reached"));
	close(fd[2]);
	wait_admitted(s, "127.0.0.5");
	assert_true(metric(s, "127.0.0.5",
	    "mockint_connections_refused_total{limit=\"total\"}") >= 2);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			close(fd[i]);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
}

static void
test_nofile_raised(void **state)
{
	struct rlimit saved, low;
	struct hserver *s;
	char line[128];
	rlim_t want;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	/* Under valgrind the server's limits are valgrind's to keep. */
	if (h_slow())
		skip();
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1024) {
		fprintf(stderr, "hard open-file limit %llu: nothing to raise\n",
		    (unsigned long long)saved.rlim_max);
		return;
	}
	/* The server inherits a soft limit of 512 under the same hard one. */
	low = saved;
	low.rlim_cur = 512;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	s = hs_start_bank(NULL, NULL);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	want = saved.rlim_max == RLIM_INFINITY || saved.rlim_max > (1 << 20) ?
	    (1 << 20) : saved.rlim_max;
	snprintf(line, sizeof line, "raised the open-file limit from 512 to "
	    "%llu", (unsigned long long)want);
	assert_true(log_has(s, line));
	/* The default total cap follows the raised limit. */
	assert_true(metric(s, "127.0.0.1", "mockint_sockets_max") ==
	    (double)(want - 64));
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_nofile_raised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
