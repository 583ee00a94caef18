/*
 * test-origin.c — which browser pages may open a WebSocket (origin_check.h):
 * an upgrade with no Origin (not a browser) or with the server's own
 * origin (the listener's scheme and the request's Host, compared without
 * regard to case, default ports made explicit) opens; one from another
 * site, another port or scheme, "null" or a malformed origin is refused
 * with 403 before any WebSocket opens, unless --allowed-origin names it.
 * (An empty Origin header is no Origin to lws: no browser sends one.)
 * Behind a trusted proxy, its X-Forwarded-Proto and X-Forwarded-Host say
 * what the browser's origin was; from anyone else they are ignored. A
 * With --tls-cert the server's own origin is https. A malformed
 * --allowed-origin stops the server at start.
 *
 * Raw sockets: 127.0.0.1 plays the trusted proxy, 127.0.0.2 a client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define CLIENT "127.0.0.2"
#define PROXY "127.0.0.1"

/*
 * The status of an upgrade from `from` with Host host, Origin origin
 * (NULL: none) and more header lines (NULL: none). When it opens, a ping
 * must be answered on it.
 */
static int
upgrade(const struct hserver *s, const char *from, const char *host,
    const char *origin, const char *more)
{
	char hdr[512];
	int fd = h_raw_connect_from(s, from), status;

	snprintf(hdr, sizeof hdr, "%s%s%s%s", origin ? "Origin: " : "",
	    origin ? origin : "", origin ? "\r\n" : "", more ? more : "");
	status = h_raw_upgrade_host(fd, host, hdr);
	if (status == 101) {
		json_t *r = h_raw_request(fd, "{\"type\":\"ping\",\"id\":1}");

		assert_non_null(r);
		assert_string_equal(h_str(r, "type"), "ok");
		json_decref(r);
	}
	close(fd);
	return status;
}

/* Host "127.0.0.1:PORT" and the origin "http://127.0.0.1:PORT". */
static void
own(const struct hserver *s, char *host, size_t hlen, char *origin,
    size_t olen)
{
	snprintf(host, hlen, "127.0.0.1:%d", s->port);
	snprintf(origin, olen, "http://127.0.0.1:%d", s->port);
}

static void
test_own_origin(void **state)
{
	struct hserver *s = *state;
	char host[64], origin[96];

	own(s, host, sizeof host, origin, sizeof origin);
	/* No Origin: the terminal client, a script. */
	assert_int_equal(upgrade(s, CLIENT, host, NULL, NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, host, origin, NULL), 101);
	/* From the proxy's address too, without its headers. */
	assert_int_equal(upgrade(s, PROXY, host, origin, NULL), 101);
	/* Case does not matter; the default port is the port. */
	snprintf(origin, sizeof origin, "HTTP://LocalHost:%d", s->port);
	snprintf(host, sizeof host, "localhost:%d", s->port);
	assert_int_equal(upgrade(s, CLIENT, host, origin, NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, "mockint.example",
	    "http://mockint.example:80", NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, "mockint.example:80",
	    "http://mockint.example", NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, "[::1]:8080", "http://[::1]:8080",
	    NULL), 101);
}

/* pattern with each "PORT" replaced by port, into out. */
static void
with_port(const char *pattern, int port, char *out, size_t len)
{
	const char *p;
	size_t off = 0;

	while ((p = strstr(pattern, "PORT")) != NULL) {
		off += (size_t)snprintf(out + off, len - off, "%.*s%d",
		    (int)(p - pattern), pattern, port);
		pattern = p + 4;
	}
	snprintf(out + off, len - off, "%s", pattern);
}

static void
test_foreign_refused(void **state)
{
	static const char *const bad[] = { "http://evil.example",
		"null", "http://127.0.0.1", "file://", "http://127.0.0.1:PORT/",
		"http://127.0.0.1:PORT/x", "http://user@127.0.0.1:PORT",
		"ws://127.0.0.1:PORT", "https://127.0.0.1:PORT",
		"http://127.0.0.1:PORT, http://127.0.0.1:PORT" };
	struct hserver *s = *state;
	char host[64], origin[96], port_off[96];
	int fd;

	own(s, host, sizeof host, origin, sizeof origin);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char o[160];

		with_port(bad[i], s->port, o, sizeof o);
		if (upgrade(s, CLIENT, host, o, NULL) != 403)
			fail_msg("Origin '%s' was not refused with 403", o);
	}
	/* Another port of the same host is another origin. */
	snprintf(port_off, sizeof port_off, "http://127.0.0.1:%d",
	    s->port + 1);
	assert_int_equal(upgrade(s, CLIENT, host, port_off, NULL), 403);
	/* The origin must match the Host the request came with. */
	assert_int_equal(upgrade(s, CLIENT, "mockint.example", origin, NULL),
	    403);
	/* A refusal is an HTTP answer, and nothing opened: the socket
	 * takes no frames. */
	fd = h_raw_connect_from(s, CLIENT);
	assert_int_equal(h_raw_upgrade_host(fd, host,
	    "Origin: http://evil.example\r\n"), 403);
	close(fd);
	/* The server is fine. */
	assert_int_equal(upgrade(s, CLIENT, host, origin, NULL), 101);
}

static void
test_allowed_origins(void **state)
{
	struct hserver *s = *state;
	char host[64], origin[96];

	own(s, host, sizeof host, origin, sizeof origin);
	assert_int_equal(upgrade(s, CLIENT, host,
	    "https://friend.example:8443", NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, host,
	    "HTTPS://FRIEND.example:8443", NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, host, "http://other.example",
	    NULL), 101);
	assert_int_equal(upgrade(s, CLIENT, host, "http://other.example:80",
	    NULL), 101);
	/* Only exactly those. */
	assert_int_equal(upgrade(s, CLIENT, host, "https://friend.example",
	    NULL), 403);
	assert_int_equal(upgrade(s, CLIENT, host,
	    "http://friend.example:8443", NULL), 403);
	assert_int_equal(upgrade(s, CLIENT, host, "https://other.example",
	    NULL), 403);
}

static void
test_behind_proxy(void **state)
{
	static const char fwd[] = "X-Forwarded-For: 192.0.2.7\r\n"
	    "X-Forwarded-Proto: https\r\n";
	static const char fwd_host[] = "X-Forwarded-Proto: HTTPS\r\n"
	    "X-Forwarded-Host: mockint.example\r\n";
	struct hserver *s = *state;

	/* TLS ended at the proxy: the page was https. */
	assert_int_equal(upgrade(s, PROXY, "mockint.example",
	    "https://mockint.example", fwd), 101);
	assert_int_equal(upgrade(s, PROXY, "mockint.example",
	    "http://mockint.example", fwd), 403);
	assert_int_equal(upgrade(s, PROXY, "127.0.0.1:8080",
	    "https://mockint.example", fwd_host), 101);
	assert_int_equal(upgrade(s, PROXY, "127.0.0.1:8080",
	    "https://evil.example", fwd_host), 403);
	/* A proxy's odd X-Forwarded-Proto is not believed. */
	assert_int_equal(upgrade(s, PROXY, "mockint.example",
	    "https://mockint.example", "X-Forwarded-Proto: https, http\r\n"),
	    403);
	/* Anyone else's headers are nobody's word. */
	assert_int_equal(upgrade(s, CLIENT, "mockint.example",
	    "https://mockint.example", fwd), 403);
	assert_int_equal(upgrade(s, CLIENT, "127.0.0.1:8080",
	    "https://mockint.example", fwd_host), 403);
	assert_int_equal(upgrade(s, CLIENT, "mockint.example",
	    "http://mockint.example", fwd), 101);
}

/*
 * The status of an upgrade to the TLS server s with Origin origin (NULL:
 * none), through openssl s_client: it sends the request, reads for a
 * second, then ends the connection.
 */
static int
tls_upgrade(const struct hserver *s, const char *origin)
{
	char cmd[1024], line[256] = "";
	int status = -1;
	FILE *p;

	snprintf(cmd, sizeof cmd, "(printf 'GET / HTTP/1.1\\r\\nHost: "
	    "127.0.0.1:%d\\r\\n%s%s%sUpgrade: websocket\\r\\n"
	    "Connection: Upgrade\\r\\nSec-WebSocket-Key: "
	    "dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13"
	    "\\r\\nSec-WebSocket-Protocol: mockint.v1\\r\\n\\r\\n'; "
	    "sleep 1) | timeout 10 openssl s_client -quiet -no_ign_eof "
	    "-connect 127.0.0.1:%d 2>/dev/null", s->port,
	    origin ? "Origin: " : "", origin ? origin : "",
	    origin ? "\\r\\n" : "", s->port);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p) != NULL)
		if (status < 0)
			sscanf(line, "HTTP/1.%*d %d", &status);
	pclose(p);
	return status;
}

static void
test_tls_origin(void **state)
{
	struct hserver *s = hs_start_tls(NULL, NULL);
	char origin[96];

	/* With --tls-cert the server's origin is https. */
	snprintf(origin, sizeof origin, "https://127.0.0.1:%d", s->port);
	assert_int_equal(tls_upgrade(s, origin), 101);
	assert_int_equal(tls_upgrade(s, NULL), 101);
	snprintf(origin, sizeof origin, "http://127.0.0.1:%d", s->port);
	assert_int_equal(tls_upgrade(s, origin), 403);
	hs_finish(s);
}

static void
test_bad_option(void **state)
{
	static const char *const bad[] = { "http://a.example/", "a.example",
		"ftp://a.example", "null", "http://a.example:0",
		"http://a.example:65536", "https://", "http://a.example?x" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* Were it accepted, the database could not open: exit 1,
		 * not a server left running. */
		const char *args[] = { "--db", "/nonexistent/mockint.db",
			"--allowed-origin", bad[i], NULL };

		if (h_wait_exit(h_spawn_mockintd(args)) != 2)
			fail_msg("--allowed-origin %s was accepted", bad[i]);
	}
}

static int
setup(void **state)
{
	static const char *const args[] = { "--pwhash-ops", "1",
		"--pwhash-mem", "8192", "--trusted-proxy", PROXY,
		"--allowed-origin", "https://Friend.example:8443",
		"--allowed-origin", "http://other.example", NULL };

	return h_setup_server_args(state, args);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_origin),
		cmocka_unit_test(test_foreign_refused),
		cmocka_unit_test(test_allowed_origins),
		cmocka_unit_test(test_behind_proxy),
		cmocka_unit_test(test_tls_origin),
		cmocka_unit_test(test_bad_option),
	};

	return h_failures(cmocka_run_group_tests(tests, setup,
	    h_teardown_server));
}
