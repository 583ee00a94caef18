/*
 * test-auth.c — accounts over a real socket: register, login, auth on a
 * second connection, logout revoking both, the identical failures, the
 * throttle, token expiry, what the database holds, and a loop that keeps
 * answering while passwords hash.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"
#include "proto.h"

static const char *const args[] = { "--pwhash-ops", "1", "--pwhash-mem",
	"8192", "--login-failures", "3", "--login-window", "2", NULL };

static int
setup(void **state)
{
	return h_setup_server_args(state, args);
}

static json_t *
creds(const char *u, const char *p)
{
	return json_pack("{s:s,s:s}", "username", u, "password", p);
}

static void
expect_error_message(struct hclient *c, const char *type, json_t *f,
    const char *code, const char *needle)
{
	json_t *r = hc_request(c, type, f);

	assert_non_null(r);
	assert_string_equal(h_str(r, "type"), "error");
	assert_string_equal(h_str(r, "code"), code);
	if (strstr(h_str(r, "message"), needle) == NULL)
		fail_msg("message '%s' lacks '%s'", h_str(r, "message"), needle);
	json_decref(r);
}

static void
test_register_validation(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	json_t *r;
	char longname[40], longpw[1100];

	r = hc_ok(c, "register", creds("Alice_1", "correct horse"));
	assert_true(json_integer_value(json_object_get(r, "user_id")) > 0);
	json_decref(r);
	/* Case-folded: ALICE_1 is alice_1. */
	hc_error(c, "register", creds("ALICE_1", "another pass"), "conflict");
	expect_error_message(c, "register", creds("al", "longenough"),
	    "bad_request", "3 to 32");
	memset(longname, 'a', 33);
	longname[33] = '\0';
	expect_error_message(c, "register", creds(longname, "longenough"),
	    "bad_request", "3 to 32");
	expect_error_message(c, "register", creds("bob smith", "longenough"),
	    "bad_request", "may contain only");
	expect_error_message(c, "register", creds("bob'; DROP TABLE users;--",
	    "longenough"), "bad_request", "may contain only");
	expect_error_message(c, "register", creds("bob';drop", "longenough"),
	    "bad_request", "may contain only");
	expect_error_message(c, "register", creds("bob", "short"),
	    "bad_request", "8 to 1024");
	memset(longpw, 'x', 1025);
	longpw[1025] = '\0';
	expect_error_message(c, "register", creds("bob", longpw),
	    "bad_request", "8 to 1024");
	hc_error(c, "register", json_pack("{s:s}", "username", "bob"),
	    "bad_request");
	hc_error(c, "register", json_pack("{s:i,s:s}", "username", 5,
	    "password", "longenough"), "bad_request");
	/* Exactly 1024 bytes is fine (varied: a run of one letter is weak). */
	for (int i = 0; i < 1024; i++)
		longpw[i] = "kq7Zr-m2Wx.p9Ty_"[(i * 7 + i / 16) % 16];
	longpw[1024] = '\0';
	r = hc_ok(c, "register", creds("bob.b-2", longpw));
	json_decref(r);
	hc_free(c);
}

static void
test_unauthenticated_requests(void **state)
{
	struct hclient *c = hc_connect(h_srv);

	hc_error(c, "logout", NULL, "unauthenticated");
	hc_error(c, "auth", json_pack("{s:s}", "token", "nonsense"),
	    "unauthenticated");
	hc_error(c, "auth", json_pack("{s:s}", "token",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "unauthenticated");
	hc_free(c);
}

static void
test_login_auth_logout(void **state)
{
	struct hclient *a = hc_connect(h_srv), *b = hc_connect(h_srv);
	struct hclient *c = hc_connect(h_srv);
	json_t *r, *push;
	char token[64];
	int64_t uid, now = proto_now_ms();

	r = hc_ok(a, "register", creds("carol", "violet lantern 42"));
	uid = json_integer_value(json_object_get(r, "user_id"));
	json_decref(r);

	r = hc_ok(a, "login", creds("Carol", "violet lantern 42"));
	assert_int_equal(json_integer_value(json_object_get(r, "user_id")),
	    uid);
	assert_string_equal(h_str(r, "username"), "carol");
	assert_int_equal(strlen(h_str(r, "token")), 43);
	snprintf(token, sizeof token, "%s", h_str(r, "token"));
	/* 30 days by default. */
	assert_true(llabs(json_integer_value(json_object_get(r,
	    "expires_at")) - (now + 30LL * 86400000)) < 60000);
	json_decref(r);

	r = hc_ok(b, "auth", json_pack("{s:s}", "token", token));
	assert_int_equal(json_integer_value(json_object_get(r, "user_id")),
	    uid);
	assert_string_equal(h_str(r, "username"), "carol");
	assert_null(json_object_get(r, "token"));
	json_decref(r);

	/* A third connection resumes too, then logs out for all. */
	r = hc_ok(c, "auth", json_pack("{s:s}", "token", token));
	json_decref(r);
	r = hc_ok(a, "logout", NULL);
	json_decref(r);
	push = hc_wait_push(b, "logged_out", 5000);
	assert_non_null(push);
	json_decref(push);
	push = hc_wait_push(c, "logged_out", 5000);
	assert_non_null(push);
	json_decref(push);
	/* All three are unauthenticated now, and the token is dead. */
	hc_error(a, "logout", NULL, "unauthenticated");
	hc_error(b, "logout", NULL, "unauthenticated");
	hc_error(c, "logout", NULL, "unauthenticated");
	hc_error(b, "auth", json_pack("{s:s}", "token", token),
	    "unauthenticated");
	hc_free(a);
	hc_free(b);
	hc_free(c);
}

static void
test_same_failure_for_wrong_password_and_unknown_user(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	json_t *r1, *r2;

	json_decref(hc_ok(c, "register", creds("dave", "quiet harbor 7")));
	r1 = hc_request(c, "login", creds("dave", "not his password"));
	r2 = hc_request(c, "login", creds("nobody", "not his password"));
	assert_string_equal(h_str(r1, "code"), "unauthenticated");
	assert_string_equal(h_str(r2, "code"), "unauthenticated");
	assert_string_equal(h_str(r1, "message"), h_str(r2, "message"));
	json_decref(r1);
	json_decref(r2);
	hc_free(c);
}

static void
test_throttle(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	json_t *r;

	json_decref(hc_ok(c, "register", creds("erin", "copper kettle 19")));
	for (int i = 0; i < 3; i++)
		hc_error(c, "login", creds("erin", "guess guess"),
		    "unauthenticated");
	r = hc_request(c, "login", creds("erin", "guess guess"));
	assert_string_equal(h_str(r, "code"), "rate_limited");
	assert_true(json_integer_value(json_object_get(r,
	    "retry_after_ms")) > 0);
	assert_true(json_integer_value(json_object_get(r,
	    "retry_after_ms")) <= 2000);
	json_decref(r);
	/* Even the right password waits out the window... */
	hc_error(c, "login", creds("erin", "copper kettle 19"), "rate_limited");
	h_sleep(2100);
	/* ...and then works, and a success clears the count. */
	json_decref(hc_ok(c, "login", creds("erin", "copper kettle 19")));
	hc_error(c, "login", creds("erin", "guess guess"), "unauthenticated");
	json_decref(hc_ok(c, "login", creds("erin", "copper kettle 19")));
	hc_free(c);
}

static void
test_token_expiry(void **state)
{
	struct hclient *a = hc_connect(h_srv), *b = hc_connect(h_srv);
	json_t *r;
	char token[64];
	sqlite3 *db;
	sqlite3_stmt *st;

	json_decref(hc_ok(a, "register", creds("frank", "amber meadow 88")));
	r = hc_ok(a, "login", creds("frank", "amber meadow 88"));
	snprintf(token, sizeof token, "%s", h_str(r, "token"));
	json_decref(r);

	assert_int_equal(sqlite3_open(h_srv->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "UPDATE tokens SET expires_at = 1 "
	    "WHERE user_id = (SELECT id FROM users WHERE username = 'frank')",
	    NULL, NULL, NULL), SQLITE_OK);
	hc_error(b, "auth", json_pack("{s:s}", "token", token),
	    "unauthenticated");
	/* The expired token was purged on sight (by the writer, shortly). */
	sqlite3_prepare_v2(db, "SELECT count(*) FROM tokens WHERE user_id = "
	    "(SELECT id FROM users WHERE username = 'frank')", -1, &st, NULL);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) == 0)
			break;
		sqlite3_reset(st);
		h_sleep(20);
	}
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	hc_free(a);
	hc_free(b);
}

static int
file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len;
	char *buf;
	int found;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len + 1);
	len = fread(buf, 1, len, f);
	fclose(f);
	found = memmem(buf, len, needle, n) != NULL;
	free(buf);
	return found;
}

static void
test_database_holds_no_secrets(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	const char *pw = "Pl41nT3xt-Secret!";
	char token[64], path[400];
	json_t *r;
	int rc;

	json_decref(hc_ok(c, "register", creds("grace", pw)));
	r = hc_ok(c, "login", creds("grace", pw));
	snprintf(token, sizeof token, "%s", h_str(r, "token"));
	json_decref(r);
	/* Stop the server so everything is checkpointed into the file. */
	rc = hs_stop(h_srv, SIGTERM);
	assert_int_equal(rc, 0);
	assert_false(file_contains(h_srv->db, pw));
	assert_false(file_contains(h_srv->db, token));
	assert_true(file_contains(h_srv->db, "grace"));	/* the scan works */
	snprintf(path, sizeof path, "%s-wal", h_srv->db);
	assert_false(file_contains(path, pw));
	assert_false(file_contains(path, token));
	/* Nor the log. */
	assert_false(file_contains(h_srv->log, pw));
	assert_false(file_contains(h_srv->log, token));
	hc_free(c);
	/* Restart on the same database for the tests that follow. */
	{
		char dir[256];

		snprintf(dir, sizeof dir, "%s", h_srv->dir);
		free(h_srv);
		h_srv = hs_start_in(dir, args);
		/* hs_start_in keeps dir; teardown removes it. */
	}
	/* The token survived the restart. */
	c = hc_connect(h_srv);
	json_decref(hc_ok(c, "auth", json_pack("{s:s}", "token", token)));
	hc_free(c);
}

static void
test_loop_answers_while_hashing(void **state)
{
	/*
	 * Slow hashes (~0.5 s each, two cores' worth at a time): were they
	 * computed on the loop thread, no ping sent after the logins could
	 * be answered before a login was. How fast pings are under load is
	 * for the benchmark to measure; this checks where the work runs.
	 */
	static const char *const slow[] = { "--pwhash-ops", "3",
		"--pwhash-mem", "268435456", NULL };
	/* Under valgrind a hash is fifty times slower: lighter ones do. */
	static const char *const slow_vg[] = { "--pwhash-ops", "1",
		"--pwhash-mem", "16777216", NULL };
	struct hserver *s = hs_start(h_slow() ? slow_vg : slow);
	struct hclient *c[6], *p;
	struct timespec t0;
	long worst = 0;
	int logins_done = 0;

	for (int i = 0; i < 6; i++)
		c[i] = hc_connect(s);
	p = hc_connect(s);
	for (int i = 0; i < 6; i++) {
		char req[160];

		snprintf(req, sizeof req, "{\"type\":\"login\",\"id\":1,"
		    "\"username\":\"user%d\",\"password\":\"whatever12\"}", i);
		hc_send_text(c[i], req);
	}
	h_sleep(20);
	for (int i = 0; i < 10; i++) {
		json_t *r;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = hc_ok(p, "ping", NULL);
		long ms = h_elapsed_ms(&t0);

		json_decref(r);
		if (ms > worst)
			worst = ms;
		if (i > 0)
			continue;
		/* The first ping is answered while every login still hashes. */
		for (int j = 0; j < 6; j++) {
			json_t *m = hc_next(c[j], 0);

			if (m != NULL) {
				logins_done++;
				json_decref(m);
			}
		}
		assert_int_equal(logins_done, 0);
	}
	print_message("ping worst %ld ms while 6 logins hashed (measured "
	    "properly by make bench)\n", worst);
	for (int i = 0; i < 6; i++) {
		json_t *m = hc_next(c[i], h_slow() ? 300000 : 30000);

		assert_non_null(m);
		json_decref(m);
		hc_free(c[i]);
	}
	hc_free(p);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_validation),
		cmocka_unit_test(test_unauthenticated_requests),
		cmocka_unit_test(test_login_auth_logout),
		cmocka_unit_test(test_same_failure_for_wrong_password_and_unknown_user),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_token_expiry),
		cmocka_unit_test(test_database_holds_no_secrets),
		cmocka_unit_test(test_loop_answers_while_hashing),
	};

	return h_failures(cmocka_run_group_tests(tests, setup,
	    h_teardown_server));
}
