/*
 * test-core.c — the protocol core against a real mockintd: the handshake,
 * ping, the error replies that leave a connection usable, the size limit,
 * fragment reassembly and a graceful SIGTERM.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "proto.h"
#include "wsclient.h"

static void
test_handshake_refused_without_subprotocol(void **state)
{
	char why[256];
	struct hclient *c;

	c = hc_try_connect(h_srv, NULL, why, sizeof why);
	assert_null(c);
	c = hc_try_connect(h_srv, "chat.v2", why, sizeof why);
	assert_null(c);
	c = hc_try_connect(h_srv, "mockint.v1", why, sizeof why);
	assert_non_null(c);
	hc_free(c);
}

static void
test_ping(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	json_t *r = hc_ok(c, "ping", NULL);
	int64_t now = proto_now_ms();
	json_t *t = json_object_get(r, "server_time");

	assert_true(json_is_integer(t));
	/* Same machine: the server's clock is ours, give or take a second. */
	assert_true(llabs(json_integer_value(t) - now) < 1000);
	assert_int_equal(json_integer_value(json_object_get(r, "re")), 1);
	json_decref(r);
	hc_free(c);
}

static void
expect_error(struct hclient *c, const char *code, int re)
{
	json_t *m = hc_next(c, 5000);

	assert_non_null(m);
	assert_string_equal(h_str(m, "type"), "error");
	assert_string_equal(h_str(m, "code"), code);
	assert_non_null(h_str(m, "message"));
	if (re < 0)
		assert_true(json_is_null(json_object_get(m, "re")));
	else
		assert_int_equal(json_integer_value(json_object_get(m, "re")),
		    re);
	json_decref(m);
}

static void
test_errors_keep_connection_usable(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	json_t *r;

	hc_send_text(c, "{not json");
	expect_error(c, "bad_json", -1);
	hc_send_text(c, "[1,2,3]");
	expect_error(c, "bad_request", -1);
	hc_send_text(c, "{\"type\":\"ping\"}");
	expect_error(c, "bad_request", -1);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":\"7\"}");
	expect_error(c, "bad_request", -1);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":-1}");
	expect_error(c, "bad_request", -1);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":1.5}");
	expect_error(c, "bad_request", -1);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":99999999999999999999999}");
	expect_error(c, "bad_json", -1);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":1,\"id\":2}");
	expect_error(c, "bad_json", -1);
	hc_send_text(c, "{\"type\":\"no.such\",\"id\":42}");
	expect_error(c, "unknown_type", 42);
	hc_send_text(c, "{\"type\":7,\"id\":43}");
	expect_error(c, "bad_request", 43);
	hc_send_frame(c, "{\"type\":\"ping\",\"id\":3}", 22, WSC_BINARY);
	expect_error(c, "bad_request", -1);
	/* Still usable after all of that. */
	r = hc_ok(c, "ping", NULL);
	json_decref(r);
	assert_true(hc_is_open(c));
	hc_free(c);
}

static void
test_deep_nesting(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	size_t n = 30000;
	char *buf = malloc(2 * n + 1);

	memset(buf, '[', n);
	memset(buf + n, ']', n);
	buf[2 * n] = '\0';
	hc_send_text(c, buf);
	expect_error(c, "bad_json", -1);
	free(buf);
	hc_free(c);
}

static void
test_oversized_message_closes_1009(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	struct hclient *other = hc_connect(h_srv);
	size_t n = PROTO_MAX_MESSAGE + 1;
	char *buf = malloc(n + 1);
	json_t *r;

	memset(buf, ' ', n);
	buf[n] = '\0';
	buf[0] = '{';
	buf[n - 1] = '}';
	hc_send_text(c, buf);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_TOO_BIG);
	/* The other connection did not notice. */
	r = hc_ok(other, "ping", NULL);
	json_decref(r);
	free(buf);
	hc_free(c);
	hc_free(other);
}

static void
test_fragments(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	const char *a = "{\"type\":\"pi", *b = "ng\",\"id\"", *d = ":77}";
	json_t *m;
	char *chunk;

	/* Under the limit: reassembled and answered. */
	hc_send_frame(c, a, strlen(a), WSC_TEXT | WSC_NO_FIN);
	hc_send_frame(c, b, strlen(b), WSC_CONT | WSC_NO_FIN);
	hc_send_frame(c, d, strlen(d), WSC_CONT);
	m = hc_next(c, 5000);
	assert_non_null(m);
	assert_string_equal(h_str(m, "type"), "ok");
	assert_int_equal(json_integer_value(json_object_get(m, "re")), 77);
	json_decref(m);

	/* Fragments adding up past the limit: 1009. */
	chunk = malloc(16384);
	memset(chunk, ' ', 16384);
	hc_send_frame(c, "{", 1, WSC_TEXT | WSC_NO_FIN);
	for (int i = 0; i < 5; i++)
		hc_send_frame(c, chunk, 16384, WSC_CONT | WSC_NO_FIN);
	hc_send_frame(c, "}", 1, WSC_CONT);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_TOO_BIG);
	free(chunk);
	hc_free(c);
}

static void
test_sigterm_closes_with_1001(void **state)
{
	struct hserver *s = hs_start(hs_fast_args);
	struct hclient *c = hc_connect(s);
	json_t *r = hc_ok(c, "ping", NULL);
	int rc;

	json_decref(r);
	rc = hs_stop(s, SIGTERM);
	if (rc != 0)
		hs_dump_log(s);
	assert_int_equal(rc, 0);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_GOING_AWAY);
	hc_free(c);
	hs_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_refused_without_subprotocol),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_errors_keep_connection_usable),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_oversized_message_closes_1009),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_sigterm_closes_with_1001),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_server,
	    h_teardown_server));
}
