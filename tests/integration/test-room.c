/*
 * test-room.c — pairing with a friend through a room code.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <ctype.h>

#include <cmocka.h>

#include "harness.h"

/* How long a room code is valid (PROTOCOL.md, room.create). */
#define ROOM_VALID_MS (10 * 60 * 1000)

/* The server's clock now (a ping's server_time), Unix ms. */
static long long
server_time(struct hclient *c)
{
	json_t *r = hc_ok(c, "ping", NULL);
	long long t = h_int(r, "server_time");

	json_decref(r);
	assert_true(t > 0);
	return t;
}

static void
test_room_pairing(void **state)
{
	struct hclient *a = h_user(h_srv, "r_ann", NULL, 0);
	struct hclient *b = h_user(h_srv, "r_ben", NULL, 0);
	struct hclient *c = h_user(h_srv, "r_cid", NULL, 0);
	json_t *r, *m;
	char code[16], lower[16];
	long long id, before, after;

	before = server_time(a);
	r = hc_ok(a, "room.create", json_pack("{s:s}", "role", "candidate"));
	after = server_time(a);
	snprintf(code, sizeof code, "%s", h_str(r, "code"));
	assert_int_equal(strlen(code), 8);
	assert_null(strpbrk(code, "01OIL"));
	/* Valid for ten minutes from its creation, by the server's clock. */
	assert_in_range(h_int(r, "expires_at"), before + ROOM_VALID_MS,
	    after + ROOM_VALID_MS);
	json_decref(r);
	/* Your own room is not for you; nor can you queue meanwhile. */
	hc_error(a, "room.join", json_pack("{s:s}", "code", code), "conflict");
	hc_error(a, "queue.join", json_pack("{s:s}", "role", "either"),
	    "conflict");
	hc_error(b, "room.join", json_pack("{s:s}", "code", "ZZZZZZ"),
	    "not_found");
	hc_error(b, "room.join", json_pack("{s:s}", "code", ""),
	    "bad_request");
	/* Codes are case-insensitive. */
	for (size_t i = 0; i <= strlen(code); i++)
		lower[i] = (char)tolower((unsigned char)code[i]);
	r = hc_ok(b, "room.join", json_pack("{s:s}", "code", lower));
	id = json_integer_value(json_object_get(r, "session_id"));
	assert_true(id > 0);
	json_decref(r);
	m = hc_wait_push(a, "match", 5000);
	assert_string_equal(h_str(m, "role"), "candidate");
	assert_int_equal(json_integer_value(json_object_get(m, "session_id")),
	    id);
	json_decref(m);
	m = hc_wait_push(b, "match", 5000);
	assert_string_equal(h_str(m, "role"), "interviewer");
	json_decref(m);
	/* Single use. */
	hc_error(c, "room.join", json_pack("{s:s}", "code", code), "not_found");
	json_decref(hc_ok(b, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_free(a);
	hc_free(b);
	hc_free(c);
}

static void
test_new_room_replaces_old(void **state)
{
	struct hclient *a = h_user(h_srv, "r_dee", NULL, 0);
	struct hclient *b = h_user(h_srv, "r_eve", NULL, 0);
	json_t *r;
	char first[16], second[16];
	long long id;

	r = hc_ok(a, "room.create", json_pack("{s:s}", "role", "interviewer"));
	snprintf(first, sizeof first, "%s", h_str(r, "code"));
	json_decref(r);
	r = hc_ok(a, "room.create", json_pack("{s:s}", "role", "interviewer"));
	assert_string_not_equal(first, h_str(r, "code"));
	snprintf(second, sizeof second, "%s", h_str(r, "code"));
	json_decref(r);
	hc_error(b, "room.join", json_pack("{s:s}", "code", first),
	    "not_found");
	r = hc_ok(b, "room.join", json_pack("{s:s}", "code", second));
	id = json_integer_value(json_object_get(r, "session_id"));
	json_decref(r);
	json_decref(hc_ok(a, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_error(a, "room.create", json_pack("{s:s}", "role", "either"),
	    "bad_request");
	hc_free(a);
	hc_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_room_pairing),
		cmocka_unit_test(test_new_room_replaces_old),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
