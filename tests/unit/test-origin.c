/*
 * test-origin.c — web origins as text (core/origin.h): what parses (case
 * folded, default ports made explicit, IPv6 in brackets), what does not
 * (a path, a user, another scheme, "null", a port out of range), a Host
 * header read with the listener's scheme, and equality; and
 * --allowed-origin, which takes exactly what parses, repeatably.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"
#include "origin.h"

static void
test_parse(void **state)
{
	struct origin o;

	assert_int_equal(origin_parse("http://mockint.example", &o), 0);
	assert_string_equal(o.scheme, "http");
	assert_string_equal(o.host, "mockint.example");
	assert_int_equal(o.port, 80);
	assert_int_equal(origin_parse("HTTPS://MockInt.Example:8443", &o), 0);
	assert_string_equal(o.scheme, "https");
	assert_string_equal(o.host, "mockint.example");
	assert_int_equal(o.port, 8443);
	assert_int_equal(origin_parse("https://a_b-c.d", &o), 0);
	assert_int_equal(o.port, 443);
	assert_int_equal(origin_parse("http://[::1]:8080", &o), 0);
	assert_string_equal(o.host, "[::1]");
	assert_int_equal(o.port, 8080);
	assert_int_equal(origin_parse("http://127.0.0.1:65535", &o), 0);
	assert_int_equal(o.port, 65535);
}

static void
test_parse_refused(void **state)
{
	static const char *const bad[] = { "", "null", "mockint.example",
		"://mockint.example", "ftp://mockint.example",
		"ws://mockint.example", "http://", "http://mockint.example/",
		"http://mockint.example/x", "http://mockint.example?x",
		"http://mockint.example#x", "http://u@mockint.example",
		"http://mockint.example:", "http://mockint.example:0",
		"http://mockint.example:65536", "http://mockint.example:123456",
		"http://mockint.example:8a", "http://mock int.example",
		"http://[::1", "http://[]:80", "http://[::g]",
		" http://mockint.example", "http://mockint.example ",
		"http://a.example, http://b.example", "httpx://a.example" };
	char longhost[ORIGIN_HOST_MAX + 16] = "http://";
	struct origin o;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (origin_parse(bad[i], &o) == 0)
			fail_msg("'%s' parsed as an origin", bad[i]);
	memset(longhost + 7, 'a', ORIGIN_HOST_MAX);
	longhost[7 + ORIGIN_HOST_MAX] = '\0';
	assert_int_equal(origin_parse(longhost, &o), -1);
}

static void
test_host_and_equal(void **state)
{
	struct origin a, b;

	assert_int_equal(origin_from_host("http", "Example.ORG", &a), 0);
	assert_int_equal(origin_parse("http://example.org:80", &b), 0);
	assert_true(origin_equal(&a, &b));
	assert_int_equal(origin_from_host("https", "example.org:443", &a), 0);
	assert_int_equal(origin_parse("https://example.org", &b), 0);
	assert_true(origin_equal(&a, &b));
	/* Another scheme, host or port is another origin. */
	assert_int_equal(origin_parse("http://example.org:443", &b), 0);
	assert_false(origin_equal(&a, &b));
	assert_int_equal(origin_parse("https://www.example.org", &b), 0);
	assert_false(origin_equal(&a, &b));
	assert_int_equal(origin_parse("https://example.org:8443", &b), 0);
	assert_false(origin_equal(&a, &b));
	assert_int_equal(origin_from_host("ftp", "example.org", &a), -1);
	assert_int_equal(origin_from_host("http", "", &a), -1);
	assert_int_equal(origin_from_host("http", "example.org/x", &a), -1);
}

static void
test_option(void **state)
{
	char *argv[] = { "mockintd", "--allowed-origin",
		"https://a.example", "--allowed-origin=http://b.example:8080",
		NULL };
	char *bad[] = { "mockintd", "--allowed-origin", "https://a.example/",
		NULL };
	struct options o;
	char err[256];

	options_defaults(&o);
	assert_int_equal(options_parse(&o, 4, argv, err, sizeof err),
	    OPTIONS_RUN);
	assert_int_equal(o.allowed_origins.n, 2);
	assert_string_equal(o.allowed_origins.v[1], "http://b.example:8080");
	options_free(&o);
	options_defaults(&o);
	assert_int_equal(options_parse(&o, 3, bad, err, sizeof err),
	    OPTIONS_ERROR);
	assert_non_null(strstr(err, "--allowed-origin"));
	assert_non_null(strstr(err, "without a path"));
	options_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_host_and_equal),
		cmocka_unit_test(test_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
