/*
 * test-proxy.c — mockintd behind a reverse proxy (--trusted-proxy). A
 * handshake from a trusted proxy is the client named by X-Forwarded-For:
 * in the log, to the per-address throttles (registrations "from" one
 * forwarded address do not hold back another), and to the per-address
 * connection cap (refused with 503 at the handshake, while the proxy's
 * own address has no cap at accept). The header of any other peer, and every header
 * when no proxy is trusted, is ignored; a malformed one from a proxy
 * falls back to the proxy's address and is logged once.
 *
 * The proxy is played by raw sockets from 127.0.0.1 (the default
 * loopback address) and the clients' addresses are documentation ones.
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

/* Registrations per client address and hour, for these servers. */
#define ADDR_REGISTRATIONS 3
#define ADDR_REGISTRATIONS_ARG "3"

/* How many times text appears in s's log. */
static int
log_count(const struct hserver *s, const char *text)
{
	FILE *f = fopen(s->log, "r");
	char *buf, *p;
	long n;
	int count = 0;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	n = (long)fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, text)) != NULL; p += strlen(text))
		count++;
	free(buf);
	return count;
}

/* A WebSocket from `from` saying it forwards for `xff` (NULL: no
 * header); the handshake's status in *status. */
static int
ws_via(const struct hserver *s, const char *from, const char *xff,
    int *status)
{
	char hdr[256] = "";
	int fd = h_raw_connect_from(s, from);

	if (xff != NULL)
		snprintf(hdr, sizeof hdr, "X-Forwarded-For: %s\r\n", xff);
	*status = h_raw_upgrade(fd, hdr);
	return fd;
}

static int
ws_open(const struct hserver *s, const char *from, const char *xff)
{
	int status, fd = ws_via(s, from, xff, &status);

	assert_int_equal(status, 101);
	return fd;
}

/* Register the n-th new user on fd: "ok", or the error code. */
static const char *
registration(int fd, int n, char *code, size_t len)
{
	char req[200];
	json_t *r;

	snprintf(req, sizeof req, "{\"type\":\"register\",\"id\":%d,"
	    "\"username\":\"px_user%d\",\"password\":\"Hq7-px-%d-zKw\"}",
	    n, n, n);
	r = h_raw_request(fd, req);
	assert_non_null(r);
	snprintf(code, len, "%s", strcmp(h_str(r, "type"), "ok") == 0 ? "ok" :
	    h_str(r, "code"));
	json_decref(r);
	return code;
}

/* An address's share of registrations on fd, then one more: its code. */
static const char *
exhaust(int fd, char *code, size_t len)
{
	static int n;

	for (int i = 0; i < ADDR_REGISTRATIONS; i++)
		assert_string_equal(registration(fd, ++n, code, len), "ok");
	return registration(fd, ++n, code, len);
}

static void
test_forwarded_address(void **state)
{
	static const char *const extra[] = { "--trusted-proxy", "127.0.0.1",
		"--limit-registrations-per-hour", ADDR_REGISTRATIONS_ARG, NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	char code[64];
	int a = ws_open(s, "127.0.0.1", "198.51.100.1, 203.0.113.7");
	int b, other;

	assert_string_equal(exhaust(a, code, sizeof code), "rate_limited");
	/* Another client behind the same proxy is not held back. */
	b = ws_open(s, "127.0.0.1", "203.0.113.8");
	assert_string_equal(registration(b, 100, code, sizeof code), "ok");
	/* Nor is the proxy itself, without a header. */
	other = ws_open(s, "127.0.0.1", NULL);
	assert_string_equal(registration(other, 101, code, sizeof code),
	    "ok");
	close(other);
	/* A peer that is not a trusted proxy cannot claim an address:
	 * 127.0.0.2 is throttled as itself, not as 203.0.113.9. */
	other = ws_open(s, "127.0.0.2", "203.0.113.9");
	assert_string_equal(registration(other, 102, code, sizeof code),
	    "ok");
	close(other);
	/* And the logs name the client, and the proxy it came through;
	 * what the client wrote left of that is not believed. */
	assert_int_equal(log_count(s, "connected from 203.0.113.7 via the "
	    "trusted proxy 127.0.0.1"), 1);
	assert_int_equal(log_count(s, "connected from 203.0.113.8 via"), 1);
	assert_int_equal(log_count(s, "connected from 127.0.0.2\n"), 1);
	assert_int_equal(log_count(s, "198.51.100.1"), 0);
	assert_int_equal(log_count(s, "203.0.113.9"), 0);
	close(a);
	close(b);
	hs_finish(s);
}

static void
test_no_trusted_proxy(void **state)
{
	static const char *const extra[] = {
		"--limit-registrations-per-hour", ADDR_REGISTRATIONS_ARG, NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	char code[64];
	int a = ws_open(s, "127.0.0.1", "203.0.113.7");
	int b;

	/* Without --trusted-proxy the header is nobody's word: both are
	 * 127.0.0.1, and share its allowance. */
	assert_string_equal(exhaust(a, code, sizeof code), "rate_limited");
	b = ws_open(s, "127.0.0.1", "203.0.113.8");
	assert_string_equal(registration(b, 100, code, sizeof code),
	    "rate_limited");
	assert_int_equal(log_count(s, "203.0.113."), 0);
	assert_int_equal(log_count(s, "connected from 127.0.0.1\n"), 2);
	close(a);
	close(b);
	hs_finish(s);
}

static void
test_cap_by_forwarded_address(void **state)
{
	static const char *const extra[] = { "--trusted-proxy", "127.0.0.1",
		"--max-conns-per-ip", "2", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	int a1, a2, a3, b1, b2, p1, status;
	char *page = NULL;
	json_t *r;

	/* Five sockets from the proxy: its own address has no cap. */
	a1 = ws_open(s, "127.0.0.1", "203.0.113.7");
	a2 = ws_open(s, "127.0.0.1", "203.0.113.7");
	/* A third from the same client: 503 at the handshake. */
	a3 = ws_via(s, "127.0.0.1", "203.0.113.7", &status);
	assert_int_equal(status, 503);
	close(a3);
	b1 = ws_open(s, "127.0.0.1", "203.0.113.8");
	b2 = ws_open(s, "127.0.0.1", "203.0.113.8");
	p1 = ws_open(s, "127.0.0.1", NULL);
	r = h_raw_request(a1, "{\"type\":\"ping\",\"id\":1}");
	assert_non_null(r);
	json_decref(r);
	assert_int_equal(log_count(s, "refused a connection from 203.0.113.7: "
	    "the per-address limit of 2 reached"), 1);
	assert_int_equal(h_http_get_fd(h_raw_connect_from(s, "127.0.0.3"),
	    "GET", "/metrics", &page), 200);
	assert_non_null(strstr(page, "mockint_connections_refused_total"
	    "{limit=\"per_address\"} 1\n"));
	free(page);
	/* One of the client's goes: room for it again (the server sees
	 * the close a moment later). */
	close(a2);
	for (int i = 0;; i++) {
		a2 = ws_via(s, "127.0.0.1", "203.0.113.7", &status);
		if (status == 101)
			break;
		close(a2);
		assert_true(i < 100);
		h_sleep(50);
	}
	/* An untrusted address is held to the cap at accept, as before:
	 * the third socket is closed without a word. */
	close(b1);
	b1 = h_raw_connect_from(s, "127.0.0.2");
	close(b2);
	b2 = ws_open(s, "127.0.0.2", "203.0.113.50");
	a3 = ws_via(s, "127.0.0.2", NULL, &status);
	assert_int_equal(status, -1);
	close(a3);
	close(a1);
	close(a2);
	close(b1);
	close(b2);
	close(p1);
	hs_finish(s);
}

static void
test_malformed_header(void **state)
{
	static const char *const extra[] = { "--trusted-proxy", "127.0.0.0/8",
		NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	int a = ws_open(s, "127.0.0.1", "203.0.113.7:4711");
	int b = ws_open(s, "127.0.0.2", "unknown");
	json_t *r;

	/* Taken as the proxy's own; the connection works. */
	r = h_raw_request(b, "{\"type\":\"ping\",\"id\":1}");
	assert_non_null(r);
	assert_string_equal(h_str(r, "type"), "ok");
	json_decref(r);
	assert_int_equal(log_count(s, "connected from 127.0.0.1\n"), 1);
	assert_int_equal(log_count(s, "connected from 127.0.0.2\n"), 1);
	/* Said once, not once a connection. */
	assert_int_equal(log_count(s, "malformed X-Forwarded-For"), 1);
	close(a);
	close(b);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_address),
		cmocka_unit_test(test_no_trusted_proxy),
		cmocka_unit_test(test_cap_by_forwarded_address),
		cmocka_unit_test(test_malformed_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
