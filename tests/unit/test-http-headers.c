/*
 * test-http-headers.c — the request headers that decide an answer
 * (net/http_headers.h): Accept-Encoding (gzip by name or by "*", any
 * case, refused by q=0 in every spelling, a malformed q counting as 0,
 * an absent header meaning identity only) and If-None-Match (one tag or
 * a list, weak comparison, "*", malformed lists).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "http_headers.h"

static void
test_gzip_accepted(void **state)
{
	static const char *const yes[] = { "gzip", "GZip", "x-gzip",
		"gzip, deflate, br", "deflate, gzip;q=0.5", "br;q=1, gzip",
		" gzip ", "gzip;q=1", "gzip;q=1.000", "gzip; q=0.001",
		"gzip;Q=0.8", "*", "*;q=0.1", "identity, *", "gzip;level=1",
		"gzip;q=0.5;x=y", "deflate,gzip", "br,,gzip" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!http_accepts_gzip(yes[i]))
			fail_msg("'%s' should allow gzip", yes[i]);
}

static void
test_gzip_refused(void **state)
{
	static const char *const no[] = { "", "identity", "deflate, br",
		"gzip;q=0", "gzip;q=0.0", "gzip;q=0.000", "gzip ; q=0",
		"GZIP;Q=0", "*;q=0", "gzip;q=0, *", "*, gzip;q=0",
		"gzip;q=0, gzip", "gzip;q=", "gzip;q=x", "gzip;q=0.0001",
		"gzip;q=2", "gzip;q=-1", "gzipx", "xgzip", "gzip-x",
		"deflate;q=1, *;q=0" };

	assert_false(http_accepts_gzip(NULL));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (http_accepts_gzip(no[i]))
			fail_msg("'%s' should not allow gzip", no[i]);
}

static void
test_etag_matches(void **state)
{
	static const char tag[] = "\"abc123\"";

	assert_true(http_etag_matches("\"abc123\"", tag));
	assert_true(http_etag_matches("W/\"abc123\"", tag));
	assert_true(http_etag_matches("\"x\", \"abc123\"", tag));
	assert_true(http_etag_matches("\"x\",W/\"abc123\" , \"y\"", tag));
	assert_true(http_etag_matches("*", tag));
	assert_true(http_etag_matches(" * ", tag));
	assert_true(http_etag_matches("\"abc123\"", "W/\"abc123\""));
	assert_false(http_etag_matches(NULL, tag));
	assert_false(http_etag_matches("", tag));
	assert_false(http_etag_matches("\"abc12\"", tag));
	assert_false(http_etag_matches("\"abc123-gz\"", tag));
	assert_false(http_etag_matches("abc123", tag));
	assert_false(http_etag_matches("\"abc123", tag));
	assert_false(http_etag_matches("*, \"abc123\"", tag));
	/* Broken where it matters: nothing after the break counts. */
	assert_false(http_etag_matches("\"x\" junk \"abc123\"", tag));
	assert_false(http_etag_matches("\"abc123\"", "abc123"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_accepted),
		cmocka_unit_test(test_gzip_refused),
		cmocka_unit_test(test_etag_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
