/*
 * test-server-url.c — the server URL check (bug 3 of issue 16): what
 * libwebsockets would take leniently ("18181x", a port that wraps) is
 * refused with a reason, and the usual URLs pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "server_url.h"

static void
good(const char *url)
{
	char why[256] = "";

	if (server_url_check(url, why, sizeof why) != 0)
		fail_msg("'%s' refused: %s", url, why);
}

static void
bad(const char *url, const char *reason)
{
	char why[256] = "";

	if (server_url_check(url, why, sizeof why) != -1)
		fail_msg("'%s' accepted", url);
	if (strstr(why, reason) == NULL)
		fail_msg("'%s': [%s] lacks [%s]", url, why, reason);
}

static void
test_server_urls(void **state)
{
	good("ws://127.0.0.1:8080");
	good("wss://mockint.example.org");
	good("wss://mockint.example.org:443/ws");
	good("ws://[::1]:18181");
	good("ws://0:1");
	bad("ws://127.0.0.1:18181x", "port");
	bad("ws://127.0.0.1:83717", "port");
	bad("ws://127.0.0.1:0", "port");
	bad("ws://127.0.0.1:", "port");
	bad("http://x", "ws:// or wss://");
	bad("garbage", "ws:// or wss://");
	bad("ws://", "no host");
	bad("ws://a b:1", "cannot be in a host name");
	bad("ws://[::1:80", "IPv6");
	bad("ws://[::1]x", "cannot follow the host");
	bad("ws://h:1/a b", "path");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
