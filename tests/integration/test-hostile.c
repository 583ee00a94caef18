/*
 * test-hostile.c — hostile input over a real socket. Each kind of abuse
 * gets its documented error or close code, the server stays up, a live
 * session beside it notices nothing, and nothing stored is lost.
 *
 * The field checks walk the server's own request table, so every request
 * type, present and future, is covered.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "dispatch.h"
#include "harness.h"
#include "proto.h"
#include "wsclient.h"

/* A live interview that must be unaffected by everything here. */
static struct hclient *iv, *cd, *anon, *user;
static long long sid;
static char check_key[128];

static int
setup(void **state)
{
	/* Every field of every request, sent wrong, in a burst: the
	 * per-connection request limit has a test of its own (test-abuse). */
	static const char *const extra[] = { "--login-failures", "5",
		"--login-window", "3", "--limit-requests-per-s", "0", NULL };
	json_t *s;

	h_setup_bank_args(state, extra);
	iv = h_user(h_srv, "h_iv", NULL, 0);
	cd = h_user(h_srv, "h_cd", NULL, 0);
	user = h_user(h_srv, "h_other", NULL, 0);
	anon = hc_connect(h_srv);
	sid = h_pair(iv, cd);
	s = hc_wait_push(iv, "session", 5000);
	snprintf(check_key, sizeof check_key, "%s", h_str(json_array_get(
	    json_object_get(json_object_get(s, "question"), "checklist"), 0),
	    "key"));
	json_decref(s);
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s,s:i}",
	    "session_id", (json_int_t)sid, "item", check_key, "text",
	    "the baseline note", "score", 3)));
	return 0;
}

/*
 * Last, after all the abuse: the live session is intact, its note is
 * there and chat still flows. (A test, not part of the group teardown:
 * cmocka 1.1 does not count a failed group teardown.)
 */
static void
test_live_session_unaffected(void **state)
{
	json_t *r = hc_ok(iv, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)sid)), *m;
	json_t *notes = json_object_get(json_object_get(r, "session"),
	    "notes");

	assert_true(json_array_size(notes) >= 1);
	assert_string_equal(h_str(json_array_get(notes, 0), "text"),
	    "the baseline note");
	json_decref(r);
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)sid, "text", "still here")));
	m = hc_wait_push(iv, "chat", 5000);
	assert_non_null(m);
	json_decref(m);
}

static int
teardown(void **state)
{
	hc_free(iv);
	hc_free(cd);
	hc_free(anon);
	hc_free(user);
	return h_teardown_server(state);
}

static int
is_reply(json_t *m)
{
	return json_object_get(m, "re") != NULL;
}

/* The next reply (pushes are skipped) must be this error. */
static void
expect_code(struct hclient *c, const char *code)
{
	json_t *m;

	while ((m = hc_next(c, 5000)) != NULL && !is_reply(m))
		json_decref(m);

	assert_non_null(m);
	if (strcmp(h_str(m, "type"), "error") != 0 ||
	    strcmp(h_str(m, "code"), code) != 0) {
		char *s = json_dumps(m, JSON_COMPACT);

		fail_msg("expected %s, got %s", code, s);
	}
	json_decref(m);
}

static void
test_frames(void **state)
{
	struct hclient *c;
	char *big;
	static const char bad_utf8[] = "{\"type\":\"ping\",\"id\":1,\"x\":\"\xc3\x28\"}";

	/* Invalid UTF-8 in a text frame: 1007. */
	c = hc_connect(h_srv);
	hc_send_frame(c, bad_utf8, sizeof bad_utf8 - 1, WSC_TEXT);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_INVALID_PAYLOAD);
	hc_free(c);
	/* A continuation with nothing to continue: a protocol error. */
	c = hc_connect(h_srv);
	hc_send_frame(c, "{}", 2, WSC_CONT);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_PROTOCOL_ERROR);
	hc_free(c);
	/* A text message interrupted by a new one: a protocol error. */
	c = hc_connect(h_srv);
	hc_send_frame(c, "{\"ty", 4, WSC_TEXT | WSC_NO_FIN);
	hc_send_frame(c, "{\"type\":\"ping\",\"id\":1}", 22, WSC_TEXT);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_PROTOCOL_ERROR);
	hc_free(c);
	/* Binary, fragmented: answered as one bad request. */
	c = hc_connect(h_srv);
	hc_send_frame(c, "ab", 2, WSC_BINARY | WSC_NO_FIN);
	hc_send_frame(c, "cd", 2, WSC_CONT);
	expect_code(c, "bad_request");
	json_decref(hc_ok(c, "ping", NULL));
	/* A 1 MiB frame: 1009. */
	big = malloc(1 << 20);
	memset(big, ' ', 1 << 20);
	big[0] = '{';
	big[(1 << 20) - 1] = '}';
	hc_send_frame(c, big, 1 << 20, WSC_TEXT);
	assert_int_equal(hc_wait_close(c, 10000), H_CLOSE_TOO_BIG);
	free(big);
	hc_free(c);
}

static void
test_json_and_ids(void **state)
{
	struct hclient *c = hc_connect(h_srv);
	size_t n = 100000;
	char *deep = malloc(2 * n + 1);

	/* 100,000 deep does not fit in a message: 1009. */
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	hc_send_text(c, deep);
	assert_int_equal(hc_wait_close(c, 5000), H_CLOSE_TOO_BIG);
	hc_free(c);
	/* 30,000 deep fits, and is refused by the parser's depth limit. */
	c = hc_connect(h_srv);
	n = 30000;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	hc_send_text(c, deep);
	expect_code(c, "bad_json");
	free(deep);
	hc_send_text(c, "{\"type\":\"ping\",\"id\":1e999999}");
	expect_code(c, "bad_json");
	hc_send_text(c, "{\"type\":\"ping\",\"id\":123456789012345678901234567890}");
	expect_code(c, "bad_json");
	hc_send_text(c, "{\"type\":\"ping\",\"id\":9007199254740992}");
	expect_code(c, "bad_request");
	hc_send_text(c, "{\"type\":\"ping\",\"id\":-9223372036854775808}");
	expect_code(c, "bad_request");
	hc_send_text(c, "{\"type\":\"ping\",\"id\":3,\"id\":3}");
	expect_code(c, "bad_json");
	hc_send_text(c, "{\"type\":\"ping\"}");
	expect_code(c, "bad_request");
	hc_send_text(c, "{\"type\":\"pi\\u0000ng\",\"id\":4}");
	expect_code(c, "bad_json");
	hc_send_text(c, "{\"type\":\"ping\",\"id\":5}{\"type\":\"ping\",\"id\":6}");
	expect_code(c, "bad_json");
	hc_send_text(c, "");
	expect_code(c, "bad_json");
	/* Session ids out of range. */
	json_decref(hc_ok(iv, "ping", NULL));
	hc_error(iv, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)9007199254740993LL), "bad_request");
	hc_error(iv, "session.get", json_pack("{s:i}", "session_id", 0),
	    "bad_request");
	hc_error(iv, "session.get", json_pack("{s:f}", "session_id", 1.5),
	    "bad_request");
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(c);
}

/* A valid value for a field's rule. */
static json_t *
valid_value(const struct proto_field *f)
{
	switch (f->type) {
	case PF_STRING:
		if (f->oneof != NULL)
			return json_string(f->oneof[0]);
		if (strcmp(f->name, "text") == 0)
			return json_string("some text");
		return json_string("abcdefghij" + (10 - (f->min > 8 ? 10 :
		    f->min < 3 ? 3 : f->min)));
	case PF_INT:
		return json_integer(f->min > 0 ? f->min : 1);
	case PF_BOOL:
		return json_true();
	case PF_OBJECT:
		return json_object();
	case PF_ARRAY:
		return json_array();
	}
	return json_null();
}

static json_t *
base_request(const struct cmd_entry *e)
{
	json_t *o = json_object();

	for (const struct proto_field *f = e->fields; f->name != NULL; f++)
		if (f->flags & PF_REQUIRED)
			json_object_set_new(o, f->name, valid_value(f));
	return o;
}

static json_t *
wrong_type(const struct proto_field *f)
{
	return f->type == PF_STRING ? json_integer(7) :
	    f->type == PF_INT ? json_string("7") : f->type == PF_BOOL ?
	    json_string("true") : json_integer(1);
}

static void
test_every_field_of_every_request(void **state)
{
	size_t n;
	const struct cmd_entry *table = dispatch_table(&n);
	int checks = 0;

	for (size_t i = 0; i < n; i++) {
		const struct cmd_entry *e = &table[i];

		/* Unauthenticated: every protected type is refused first. */
		if (e->needs_auth)
			hc_error(anon, e->name, base_request(e),
			    "unauthenticated");
		for (const struct proto_field *f = e->fields; f->name != NULL;
		    f++) {
			json_t *req;

			req = base_request(e);
			json_object_set_new(req, f->name, wrong_type(f));
			hc_error(user, e->name, req, "bad_request");
			checks++;
			if (f->flags & PF_REQUIRED) {
				req = base_request(e);
				json_object_del(req, f->name);
				hc_error(user, e->name, req, "bad_request");
				req = base_request(e);
				json_object_set_new(req, f->name, json_null());
				hc_error(user, e->name, req, "bad_request");
				checks += 2;
			}
			if (f->type == PF_STRING && f->min >= 1) {
				req = base_request(e);
				json_object_set_new(req, f->name, json_string(""));
				hc_error(user, e->name, req, "bad_request");
				checks++;
			}
			if (f->type == PF_STRING && f->max > 0) {
				char *s = malloc((size_t)f->max + 2);

				memset(s, 'x', (size_t)f->max + 1);
				s[f->max + 1] = '\0';
				req = base_request(e);
				json_object_set_new(req, f->name, json_string(s));
				hc_error(user, e->name, req, "too_large");
				free(s);
				checks++;
			}
			if (f->type == PF_INT) {
				req = base_request(e);
				json_object_set_new(req, f->name,
				    json_integer(f->min - 1));
				hc_error(user, e->name, req, "bad_request");
				checks++;
			}
		}
	}
	print_message("%d field checks over %zu request types\n", checks, n);
	assert_true(checks > 50);
}

static void
test_sql_and_nul_in_every_string(void **state)
{
	size_t n;
	const struct cmd_entry *table = dispatch_table(&n);
	static const char *const nasty[] = { "'; DROP TABLE notes; --",
		"\" OR 1=1 --", "x'); DELETE FROM users; --", "%s%n%x", NULL };

	for (size_t i = 0; i < n; i++) {
		const struct cmd_entry *e = &table[i];

		/* Requests with side effects on this test's users are
		 * exercised with their own users below. */
		if (strcmp(e->name, "logout") == 0 ||
		    strcmp(e->name, "session.end") == 0)
			continue;
		for (const struct proto_field *f = e->fields; f->name != NULL;
		    f++) {
			if (f->type != PF_STRING)
				continue;
			for (int k = 0; nasty[k] != NULL; k++) {
				json_t *req = base_request(e), *r;

				json_object_set_new(req, f->name,
				    json_string(nasty[k]));
				r = hc_request(user, e->name, req);
				/* Any documented answer: ok or an error. */
				assert_non_null(r);
				json_decref(r);
			}
			/* A NUL inside a string never gets past the parser. */
			{
				char raw[256];

				snprintf(raw, sizeof raw, "{\"type\":\"%s\","
				    "\"id\":77,\"%s\":\"a\\u0000b\"}", e->name,
				    f->name);
				hc_send_text(user, raw);
				expect_code(user, "bad_json");
			}
		}
	}
	/* SQL metacharacters in notes and chat are stored verbatim. */
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)sid, "item", "general", "text",
	    nasty[0])));
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)sid, "text", nasty[2])));
	{
		json_t *r = hc_ok(iv, "session.get", json_pack("{s:I}",
		    "session_id", (json_int_t)sid)), *s, *m;

		s = json_object_get(r, "session");
		m = json_object_get(s, "notes");
		assert_string_equal(h_str(json_array_get(m, json_array_size(m) -
		    1), "text"), nasty[0]);
		m = json_object_get(s, "chat");
		assert_string_equal(h_str(json_array_get(m, json_array_size(m) -
		    1), "text"), nasty[2]);
		json_decref(r);
		m = hc_wait_push(iv, "chat", 5000);
		json_decref(m);
	}
}

static void
test_sessions_not_yours(void **state)
{
	static const char *const scoped[] = { "session.get", "phase.next",
		"session.end", "session.swap", "chat.send", "note.add",
		"feedback.give", NULL };

	for (int i = 0; scoped[i] != NULL; i++) {
		const struct cmd_entry *e = dispatch_find(scoped[i]);
		json_t *req;

		assert_non_null(e);
		/* Someone else's live session, and ids that do not exist,
		 * answer alike. */
		for (long long id = sid; id <= sid + 1; id++) {
			req = base_request(e);
			json_object_set_new(req, "session_id", json_integer(id));
			if (json_object_get(req, "item") != NULL)
				json_object_set_new(req, "item",
				    json_string(check_key));
			hc_error(user, e->name, req, "not_found");
		}
	}
	/* The candidate sending the interviewer's requests. */
	hc_error(cd, "note.add", json_pack("{s:I,s:s,s:s}", "session_id",
	    (json_int_t)sid, "item", "general", "text", "x"), "forbidden");
	hc_error(cd, "phase.next", json_pack("{s:I}", "session_id",
	    (json_int_t)sid), "forbidden");
	hc_error(iv, "feedback.give", json_pack("{s:I,s:i}", "session_id",
	    (json_int_t)sid, "rating", 1), "forbidden");
}

static void
test_tokens_after_logout_and_expiry(void **state)
{
	char tok[64];
	struct hclient *a = h_user(h_srv, "h_tok", tok, sizeof tok), *b;
	sqlite3 *db;

	json_decref(hc_ok(a, "logout", NULL));
	b = hc_connect(h_srv);
	hc_error(b, "auth", json_pack("{s:s}", "token", tok),
	    "unauthenticated");
	hc_error(b, "queue.join", json_pack("{s:s}", "role", "either"),
	    "unauthenticated");
	hc_free(a);
	a = h_user(h_srv, "h_tok", tok, sizeof tok);
	hc_free(a);
	assert_int_equal(sqlite3_open(h_srv->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "UPDATE tokens SET expires_at = 5 "
	    "WHERE user_id = (SELECT id FROM users WHERE username = 'h_tok')",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	hc_error(b, "auth", json_pack("{s:s}", "token", tok),
	    "unauthenticated");
	hc_free(b);
}

static void
test_thousand_wrong_passwords(void **state)
{
	struct hclient *a = h_user(h_srv, "h_target", NULL, 0);
	struct hclient *att = hc_connect(h_srv);
	int limited = 0, wrong = 0;
	json_t *r;
	char pw[64];

	hc_free(a);
	for (int i = 0; i < 1000; i++) {
		char req[160];

		snprintf(req, sizeof req, "{\"type\":\"login\",\"id\":%d,"
		    "\"username\":\"h_target\",\"password\":\"guess-%04d\"}",
		    i + 1, i);
		hc_send_text(att, req);
	}
	for (int i = 0; i < 1000; i++) {
		json_t *m = hc_next(att, 10000);

		assert_non_null(m);
		if (strcmp(h_str(m, "code"), "rate_limited") == 0)
			limited++;
		else if (strcmp(h_str(m, "code"), "unauthenticated") == 0)
			wrong++;
		json_decref(m);
	}
	/* Only the first few were even tried. */
	print_message("%d tried, %d throttled\n", wrong, limited);
	assert_true(wrong <= 5);
	assert_int_equal(limited + wrong, 1000);
	/* The owner, during the window: throttled too; after it: in. */
	a = hc_connect(h_srv);
	h_password("h_target", pw, sizeof pw);
	hc_error(a, "login", json_pack("{s:s,s:s}", "username", "h_target",
	    "password", pw), "rate_limited");
	h_sleep(3100);
	r = hc_ok(a, "login", json_pack("{s:s,s:s}", "username", "h_target",
	    "password", pw));
	json_decref(r);
	hc_free(a);
	hc_free(att);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_json_and_ids),
		cmocka_unit_test(test_every_field_of_every_request),
		cmocka_unit_test(test_sql_and_nul_in_every_string),
		cmocka_unit_test(test_sessions_not_yours),
		cmocka_unit_test(test_tokens_after_logout_and_expiry),
		cmocka_unit_test(test_thousand_wrong_passwords),
		cmocka_unit_test(test_live_session_unaffected),
	};

	return h_failures(cmocka_run_group_tests(tests, setup, teardown));
}
