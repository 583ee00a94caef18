/*
 * test-notes.c — the interviewer's notes and the chat: acknowledgement
 * order, who may write what, validation against the question's checklist,
 * de-duplication by client_id, the relay of chat, and who sees what.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

/* The first checklist key and the first red-flag key of the session. */
static void
keys(struct hclient *iv, char *check, char *flag, size_t len)
{
	json_t *s = hc_wait_push(iv, "session", 5000), *q;

	assert_non_null(s);
	q = json_object_get(s, "question");
	snprintf(check, len, "%s", h_str(json_array_get(json_object_get(q,
	    "checklist"), 0), "key"));
	snprintf(flag, len, "%s", json_array_size(json_object_get(q,
	    "red_flags")) ? h_str(json_array_get(json_object_get(q, "red_flags"),
	    0), "key") : "");
	json_decref(s);
}

static json_t *
note(long long id, const char *item, const char *text, int score)
{
	json_t *n = json_pack("{s:I,s:s}", "session_id", (json_int_t)id,
	    "item", item);

	if (text != NULL)
		json_object_set_new(n, "text", json_string(text));
	if (score > 0)
		json_object_set_new(n, "score", json_integer(score));
	return n;
}

static void
test_notes(void **state)
{
	struct hclient *iv = h_user(h_srv, "n_ivy", NULL, 0);
	struct hclient *cd = h_user(h_srv, "n_cal", NULL, 0);
	struct hclient *x = h_user(h_srv, "n_xan", NULL, 0);
	char check[128], flag[128], big[5000];
	long long id = h_pair(iv, cd), prev = 0;
	json_t *r, *n;

	keys(iv, check, flag, sizeof check);
	/* Acknowledged in order, ids increasing. */
	for (int i = 0; i < 20; i++) {
		char text[32];

		snprintf(text, sizeof text, "note %d", i);
		r = hc_ok(iv, "note.add", note(id, i % 2 ? check : "general",
		    text, i % 2 ? 1 + i % 4 : 0));
		assert_true(json_integer_value(json_object_get(r, "note_id")) >
		    prev);
		prev = json_integer_value(json_object_get(r, "note_id"));
		assert_true(json_integer_value(json_object_get(r, "at")) > 0);
		json_decref(r);
	}
	/* The candidate may not; a stranger cannot even see the session. */
	hc_error(cd, "note.add", note(id, check, "mine", 4), "forbidden");
	hc_error(x, "note.add", note(id, check, "mine", 4), "not_found");
	hc_error(x, "note.add", note(999999, check, "x", 4), "not_found");
	hc_error(x, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "hi"), "not_found");
	hc_error(x, "phase.next", json_pack("{s:I}", "session_id",
	    (json_int_t)id), "not_found");
	hc_error(x, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id), "not_found");
	hc_error(x, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id), "not_found");
	hc_error(cd, "phase.next", json_pack("{s:I}", "session_id",
	    (json_int_t)id), "forbidden");
	/* Validation against the question. */
	hc_error(iv, "note.add", note(id, "no_such_item", "x", 0),
	    "bad_request");
	hc_error(iv, "note.add", note(id, "general", "x", 3), "bad_request");
	hc_error(iv, "note.add", note(id, check, NULL, 0), "bad_request");
	hc_error(iv, "note.add", note(id, check, "", 0), "bad_request");
	hc_error(iv, "note.add", note(id, check, "x", 5), "bad_request");
	memset(big, 'a', 4097);
	big[4097] = '\0';
	hc_error(iv, "note.add", note(id, check, big, 0), "too_large");
	big[4096] = '\0';
	json_decref(hc_ok(iv, "note.add", note(id, check, big, 0)));
	if (flag[0] != '\0') {
		n = json_pack("{s:I,s:s,s:b}", "session_id", (json_int_t)id,
		    "item", flag, "flag", 1);
		json_decref(hc_ok(iv, "note.add", n));
		hc_error(iv, "note.add", json_pack("{s:I,s:s,s:b}",
		    "session_id", (json_int_t)id, "item", check, "flag", 1),
		    "bad_request");
	}
	/* SQL metacharacters are just text. */
	r = hc_ok(iv, "note.add", note(id, "general",
	    "'); DROP TABLE notes; --", 0));
	json_decref(r);
	/* De-duplicated by client_id: same note id, stored once. */
	n = note(id, check, "resent", 2);
	json_object_set_new(n, "client_id", json_string("c-123"));
	r = hc_ok(iv, "note.add", json_deep_copy(n));
	prev = json_integer_value(json_object_get(r, "note_id"));
	json_decref(r);
	r = hc_ok(iv, "note.add", n);
	assert_int_equal(json_integer_value(json_object_get(r, "note_id")),
	    prev);
	json_decref(r);
	/* The interviewer's snapshot has every note, once; the latest score
	 * counts. */
	r = hc_ok(iv, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	{
		json_t *s = json_object_get(r, "session");
		json_t *notes = json_object_get(s, "notes");
		size_t i, resent = 0;
		json_t *e;

		json_array_foreach(notes, i, e)
			if (strcmp(h_str(e, "text"), "resent") == 0)
				resent++;
		assert_int_equal(resent, 1);
		assert_int_equal(json_integer_value(json_object_get(
		    json_object_get(s, "scores"), check)), 2);
		assert_string_equal(h_str(json_array_get(notes, 0), "text"),
		    "note 0");
	}
	json_decref(r);
	/* The candidate's snapshot has none of it while live. */
	r = hc_ok(cd, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	assert_null(json_object_get(json_object_get(r, "session"), "notes"));
	assert_null(json_object_get(json_object_get(json_object_get(r,
	    "session"), "question"), "model_answer"));
	json_decref(r);
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	/* Ended: notes are closed. */
	hc_error(iv, "note.add", note(id, check, "late", 0), "invalid_state");
	hc_free(iv);
	hc_free(cd);
	hc_free(x);
}

/*
 * A score can be cleared (score 0): the note is kept and shows 0, the
 * item has no score from then on (live, at the end, in history), and
 * the overall counts only the items left scored.
 */
static void
test_clear_score(void **state)
{
	struct hclient *iv = h_user(h_srv, "n_clr", NULL, 0);
	struct hclient *cd = h_user(h_srv, "n_cly", NULL, 0);
	char check[128], flag[128];
	long long id = h_pair(iv, cd);
	json_t *r, *e, *h, *list;

	keys(iv, check, flag, sizeof check);
	json_decref(hc_ok(iv, "note.add", note(id, check, NULL, 2)));
	r = hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i,s:s}", "session_id",
	    (json_int_t)id, "item", check, "score", 0, "text", "not shown"));
	json_decref(r);
	/* Only checklist items take a score, cleared or not. */
	hc_error(iv, "note.add", json_pack("{s:I,s:s,s:i}", "session_id",
	    (json_int_t)id, "item", "general", "score", 0), "bad_request");
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	e = hc_wait_push(cd, "ended", 5000);
	assert_non_null(e);
	assert_null(json_object_get(json_object_get(e, "scores"), check));
	assert_true(json_is_null(json_object_get(e, "overall")));
	json_decref(e);
	h = hc_ok(cd, "history.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	list = json_object_get(h, "checklist");
	for (size_t i = 0; i < json_array_size(list); i++)
		if (strcmp(h_str(json_array_get(list, i), "key"), check) == 0)
			assert_true(json_is_null(json_object_get(
			    json_array_get(list, i), "score")));
	list = json_object_get(h, "notes");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(h_int(json_array_get(list, 1), "score"), 0);
	json_decref(h);
	hc_free(iv);
	hc_free(cd);
}

static void
test_chat_relay(void **state)
{
	char token[64];
	struct hclient *iv = h_user(h_srv, "n_ian", token, sizeof token);
	struct hclient *iv2 = hc_connect(h_srv);
	struct hclient *cd = h_user(h_srv, "n_cat", NULL, 0);
	long long id;
	json_t *r, *m;

	json_decref(hc_ok(iv2, "auth", json_pack("{s:s}", "token", token)));
	id = h_pair(iv, cd);
	r = hc_ok(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "Hello — ready when you are"));
	json_decref(r);
	/* Both of the interviewer's connections get it; not the sender. */
	m = hc_wait_push(iv, "chat", 5000);
	assert_non_null(m);
	assert_string_equal(h_str(m, "text"), "Hello — ready when you are");
	assert_string_equal(h_str(m, "username"), "n_cat");
	assert_int_equal(json_integer_value(json_object_get(m, "session_id")),
	    id);
	json_decref(m);
	m = hc_wait_push(iv2, "chat", 5000);
	assert_non_null(m);
	json_decref(m);
	assert_null(hc_wait_push(cd, "chat", 200));
	json_decref(hc_ok(iv, "chat.send", json_pack("{s:I,s:s}",
	    "session_id", (json_int_t)id, "text", "Go ahead")));
	m = hc_wait_push(cd, "chat", 5000);
	assert_string_equal(h_str(m, "text"), "Go ahead");
	json_decref(m);
	/* iv2 sees its own user's message too. */
	m = hc_wait_push(iv2, "chat", 5000);
	assert_non_null(m);
	json_decref(m);
	hc_error(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", ""), "bad_request");
	/* A resend with the same client_id is stored and relayed once. */
	{
		json_t *r1 = hc_ok(cd, "chat.send", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)id, "text", "once", "client_id",
		    "c-1"));
		json_t *r2 = hc_ok(cd, "chat.send", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)id, "text", "once", "client_id",
		    "c-1"));

		assert_int_equal(h_int(r1, "at"), h_int(r2, "at"));
		json_decref(r1);
		json_decref(r2);
		m = hc_wait_push(iv, "chat", 5000);
		assert_string_equal(h_str(m, "text"), "once");
		assert_string_equal(h_str(m, "client_id"), "c-1");
		json_decref(m);
		assert_null(hc_wait_push(iv, "chat", 300));
		m = hc_wait_push(iv2, "chat", 5000);
		json_decref(m);
	}
	/* The chat is in the snapshot, in order. */
	r = hc_ok(cd, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	m = json_object_get(json_object_get(r, "session"), "chat");
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(h_str(json_array_get(m, 1), "text"), "Go ahead");
	assert_string_equal(h_str(json_array_get(m, 2), "client_id"), "c-1");
	json_decref(r);
	json_decref(hc_ok(cd, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_free(iv);
	hc_free(iv2);
	hc_free(cd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_clear_score),
		cmocka_unit_test(test_chat_relay),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
