/*
 * test-proxy.c — trusted proxies: CIDR parsing and matching for IPv4 and
 * IPv6 (prefix edges, host bits, IPv4-mapped addresses, malformed
 * input), and picking the client's address out of X-Forwarded-For (the
 * rightmost entry that is not a trusted proxy; what the client wrote
 * left of it never read; an untrusted peer's header ignored; a malformed
 * header falling back to the peer; the server's list from its options).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "options.h"
#include "proxy.h"

static int
in_cidr(const char *cidr, const char *ip)
{
	struct proxy_cidr c;
	struct proxy_addr a;

	assert_int_equal(proxy_cidr_parse(cidr, &c), 0);
	assert_int_equal(proxy_addr_parse(ip, strlen(ip), &a), 0);
	return proxy_cidr_match(&c, &a);
}

static void
test_cidr_v4(void **state)
{
	assert_true(in_cidr("127.0.0.1", "127.0.0.1"));
	assert_false(in_cidr("127.0.0.1", "127.0.0.2"));
	assert_true(in_cidr("10.0.0.0/8", "10.255.1.2"));
	assert_false(in_cidr("10.0.0.0/8", "11.0.0.0"));
	/* Host bits in the network are ignored. */
	assert_true(in_cidr("192.168.7.9/16", "192.168.200.1"));
	/* A prefix that ends inside a byte. */
	assert_true(in_cidr("172.16.0.0/12", "172.31.255.255"));
	assert_false(in_cidr("172.16.0.0/12", "172.32.0.0"));
	assert_true(in_cidr("203.0.113.128/25", "203.0.113.200"));
	assert_false(in_cidr("203.0.113.128/25", "203.0.113.127"));
	/* /0 is everything of the family; /32 one address. */
	assert_true(in_cidr("0.0.0.0/0", "8.8.8.8"));
	assert_false(in_cidr("0.0.0.0/0", "::1"));
	assert_true(in_cidr("1.2.3.4/32", "1.2.3.4"));
	assert_false(in_cidr("1.2.3.4/31", "1.2.3.6"));
}

static void
test_cidr_v6(void **state)
{
	assert_true(in_cidr("::1", "::1"));
	assert_false(in_cidr("::1", "::2"));
	assert_true(in_cidr("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(in_cidr("2001:db8::/32", "2001:db9::1"));
	assert_true(in_cidr("fd00::/7", "fdff::1"));
	assert_true(in_cidr("fc00::/7", "fd12::1"));
	assert_false(in_cidr("fc00::/7", "fe80::1"));
	assert_true(in_cidr("2001:db8::1:0/113", "2001:db8::1:7fff"));
	assert_false(in_cidr("2001:db8::1:0/113", "2001:db8::1:8000"));
	assert_false(in_cidr("::/0", "10.0.0.1"));
	assert_true(in_cidr("::/0", "2001:db8::5"));
}

static void
test_cidr_v4_mapped(void **state)
{
	/* An IPv4 address written in IPv6 is that IPv4 address. */
	assert_true(in_cidr("127.0.0.1", "::ffff:127.0.0.1"));
	assert_true(in_cidr("::ffff:10.0.0.0/104", "10.9.8.7"));
	assert_false(in_cidr("::ffff:10.0.0.0/104", "11.0.0.1"));
	assert_true(in_cidr("::ffff:127.0.0.1", "127.0.0.1"));
}

static void
test_cidr_malformed(void **state)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
		"10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8x", "10.0.0/8",
		"10.0.0.256", "::1/129", "::ffff:10.0.0.0/95", "localhost",
		"1.2.3.4 ", "2001:db8::/32/1", "[::1]", "1.2.3.4:80",
		"0x7f.0.0.1",
	};
	struct proxy_cidr c;
	struct proxy_addr a;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (proxy_cidr_parse(bad[i], &c) != -1)
			fail_msg("'%s' parsed as a CIDR", bad[i]);
	assert_int_equal(proxy_addr_parse("1.2.3.4", 0, &a), -1);
	assert_int_equal(proxy_addr_parse(
	    "0000:0000:0000:0000:0000:0000:0000:0000:0000", 44, &a), -1);
	/* Only len bytes are read: no NUL needed. */
	assert_int_equal(proxy_addr_parse("1.2.3.45", 7, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.b[3], 4);
}

/* A list of CIDRs from a NULL-terminated array (static storage). */
static struct proxy_list *
list(const char *const *cidrs)
{
	static struct proxy_cidr v[8];
	static struct proxy_list l;

	l.v = v;
	for (l.n = 0; cidrs[l.n] != NULL; l.n++)
		assert_int_equal(proxy_cidr_parse(cidrs[l.n], &v[l.n]), 0);
	return &l;
}

static enum proxy_pick
pick(const struct proxy_list *l, const char *peer, const char *xff,
    const char *want)
{
	char out[PROXY_ADDR_MAX];
	enum proxy_pick r = proxy_pick(l, peer, xff, out, sizeof out);

	if (strcmp(out, want) != 0)
		fail_msg("peer %s, X-Forwarded-For '%s': got %s, want %s",
		    peer, xff ? xff : "(none)", out, want);
	return r;
}

static void
test_pick_rightmost_untrusted(void **state)
{
	static const char *const one[] = { "127.0.0.1", NULL };
	static const char *const chain[] = { "127.0.0.0/8", "10.0.0.0/8",
		"fd00::/8", NULL };
	struct proxy_list *l = list(one);

	assert_int_equal(pick(l, "127.0.0.1", "203.0.113.7", "203.0.113.7"),
	    PROXY_FORWARDED);
	/* What the client wrote itself is left of what nginx appended. */
	assert_int_equal(pick(l, "127.0.0.1", "1.1.1.1, 6.6.6.6, 203.0.113.7",
	    "203.0.113.7"), PROXY_FORWARDED);
	assert_int_equal(pick(l, "127.0.0.1", "garbage, , 203.0.113.7",
	    "203.0.113.7"), PROXY_FORWARDED);
	/* Claiming to be the proxy does not make the client the proxy. */
	assert_int_equal(pick(l, "127.0.0.1", "127.0.0.1, 198.51.100.4",
	    "198.51.100.4"), PROXY_FORWARDED);
	/* Blanks and tabs around entries; IPv6 written canonically. */
	assert_int_equal(pick(l, "127.0.0.1", " \t2001:DB8:0::1 ",
	    "2001:db8::1"), PROXY_FORWARDED);
	assert_int_equal(pick(l, "127.0.0.1", "::ffff:192.0.2.1",
	    "192.0.2.1"), PROXY_FORWARDED);
	/* Two proxies in a row: skip every trusted hop. */
	l = list(chain);
	assert_int_equal(pick(l, "127.0.0.1", "198.51.100.9, 10.1.2.3, fd00::7",
	    "198.51.100.9"), PROXY_FORWARDED);
	/* Every hop a proxy (a request from inside): the leftmost. */
	assert_int_equal(pick(l, "127.0.0.1", "10.0.0.5, 10.0.0.6",
	    "10.0.0.5"), PROXY_FORWARDED);
}

static void
test_pick_untrusted_peer(void **state)
{
	static const char *const one[] = { "127.0.0.1", NULL };
	static const char *const none[] = { NULL };

	/* The header of a peer that is no proxy of ours is not read. */
	assert_int_equal(pick(list(one), "127.0.0.2", "203.0.113.7",
	    "127.0.0.2"), PROXY_PEER);
	assert_int_equal(pick(list(none), "127.0.0.1", "203.0.113.7",
	    "127.0.0.1"), PROXY_PEER);
	/* A trusted proxy without the header: the proxy itself. */
	assert_int_equal(pick(list(one), "127.0.0.1", NULL, "127.0.0.1"),
	    PROXY_PEER);
	assert_int_equal(pick(list(one), "127.0.0.1", "", "127.0.0.1"),
	    PROXY_PEER);
	assert_int_equal(pick(list(one), "?", "203.0.113.7", "?"),
	    PROXY_PEER);
}

static void
test_pick_malformed(void **state)
{
	static const char *const one[] = { "127.0.0.0/8", NULL };
	static const char *const bad[] = {
		"unknown", "203.0.113.7,", "203.0.113.7:4711", "[2001:db8::1]",
		",", " ", "203.0.113.7, 127.0.0.1, ", "1.2.3.4 5.6.7.8",
		"10.0.0.1,,127.0.0.5",
	};
	struct proxy_list *l = list(one);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (pick(l, "127.0.0.1", bad[i], "127.0.0.1") !=
		    PROXY_MALFORMED)
			fail_msg("'%s' taken as well-formed", bad[i]);
}

static void
test_server_list(void **state)
{
	struct options o;
	char err[256], out[PROXY_ADDR_MAX];
	char *argv[] = { "mockintd", "--trusted-proxy", "10.0.0.0/8",
		"--trusted-proxy", "::1", NULL };

	options_defaults(&o);
	assert_int_equal(options_parse(&o, 5, argv, err, sizeof err),
	    OPTIONS_RUN);
	assert_int_equal(proxy_start(&o), 0);
	assert_true(proxy_trusted("10.20.30.40"));
	assert_true(proxy_trusted("::1"));
	assert_false(proxy_trusted("127.0.0.1"));
	assert_int_equal(proxy_client("10.0.0.1", "192.0.2.5", out,
	    sizeof out), 1);
	assert_string_equal(out, "192.0.2.5");
	assert_int_equal(proxy_client("10.0.0.1", "nonsense", out,
	    sizeof out), 0);
	assert_string_equal(out, "10.0.0.1");
	proxy_free();
	/* No list: nobody is trusted. */
	assert_false(proxy_trusted("10.20.30.40"));
	assert_int_equal(proxy_client("10.0.0.1", "192.0.2.5", out,
	    sizeof out), 0);
	assert_string_equal(out, "10.0.0.1");
	options_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_v4),
		cmocka_unit_test(test_cidr_v6),
		cmocka_unit_test(test_cidr_v4_mapped),
		cmocka_unit_test(test_cidr_malformed),
		cmocka_unit_test(test_pick_rightmost_untrusted),
		cmocka_unit_test(test_pick_untrusted_peer),
		cmocka_unit_test(test_pick_malformed),
		cmocka_unit_test(test_server_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
