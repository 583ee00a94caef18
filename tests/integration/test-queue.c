/*
 * test-queue.c — pairing through the queue: roles and `either`, never
 * with oneself, preferences, positions, leaving, and what each side is
 * shown of the question once paired.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "proto.h"

#include <cmocka.h>

#include "harness.h"

static json_t *
join(const char *role, const char *cat, const char *diff)
{
	json_t *f = json_pack("{s:s}", "role", role);

	if (cat != NULL)
		json_object_set_new(f, "category", json_string(cat));
	if (diff != NULL)
		json_object_set_new(f, "difficulty", json_string(diff));
	return f;
}

static void
end_session(struct hclient *iv, long long id)
{
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
}

static void
test_pair_and_views(void **state)
{
	struct hclient *iv = h_user(h_srv, "q_ivan", NULL, 0);
	struct hclient *cd = h_user(h_srv, "q_cara", NULL, 0);
	json_t *m, *si, *sc, *qi, *qc;
	long long id;

	json_decref(hc_ok(iv, "queue.join", join("interviewer", NULL, NULL)));
	json_decref(hc_ok(cd, "queue.join", join("candidate", NULL, NULL)));
	m = hc_wait_push(cd, "match", 5000);
	assert_non_null(m);
	assert_string_equal(h_str(m, "role"), "candidate");
	assert_string_equal(h_str(json_object_get(m, "peer"), "username"),
	    "q_ivan");
	id = json_integer_value(json_object_get(m, "session_id"));
	json_decref(m);
	m = hc_wait_push(iv, "match", 5000);
	assert_string_equal(h_str(m, "role"), "interviewer");
	json_decref(m);

	si = hc_wait_push(iv, "session", 5000);
	sc = hc_wait_push(cd, "session", 5000);
	assert_non_null(si);
	assert_non_null(sc);
	assert_int_equal(json_integer_value(json_object_get(si, "session_id")),
	    id);
	assert_string_equal(h_str(si, "phase"), "prep");
	assert_true(json_integer_value(json_object_get(si, "phase_ends_at")) >
	    json_integer_value(json_object_get(si, "server_time")));
	assert_true(json_is_true(json_object_get(json_object_get(sc, "peer"),
	    "connected")));
	qi = json_object_get(si, "question");
	qc = json_object_get(sc, "question");
	/* Same question; only the interviewer sees answers and checklist. */
	assert_string_equal(h_str(qi, "id"), h_str(qc, "id"));
	assert_non_null(h_str(qc, "prompt"));
	assert_non_null(h_str(qi, "model_answer"));
	assert_true(json_array_size(json_object_get(qi, "checklist")) > 0);
	assert_null(json_object_get(qc, "model_answer"));
	assert_null(json_object_get(qc, "quick_answer"));
	assert_null(json_object_get(qc, "checklist"));
	assert_null(json_object_get(qc, "red_flags"));
	assert_non_null(json_object_get(si, "notes"));
	assert_null(json_object_get(sc, "notes"));
	assert_null(json_object_get(sc, "scores"));
	json_decref(si);
	json_decref(sc);

	/* In a live session: no queue, no room. */
	hc_error(cd, "queue.join", join("candidate", NULL, NULL),
	    "invalid_state");
	hc_error(iv, "room.create", json_pack("{s:s}", "role", "interviewer"),
	    "invalid_state");
	end_session(iv, id);
	hc_free(iv);
	hc_free(cd);
}

static void
test_either_and_never_self(void **state)
{
	char token[64];
	struct hclient *a1 = h_user(h_srv, "q_amy", token, sizeof token);
	struct hclient *a2 = hc_connect(h_srv), *b;
	json_t *r, *m;
	long long id;

	json_decref(hc_ok(a2, "auth", json_pack("{s:s}", "token", token)));
	json_decref(hc_ok(a1, "queue.join", join("either", NULL, NULL)));
	/* The same user from another connection: already queued. */
	hc_error(a2, "queue.join", join("either", NULL, NULL), "conflict");
	b = h_user(h_srv, "q_bob", NULL, 0);
	r = hc_ok(b, "queue.join", join("either", NULL, NULL));
	assert_int_equal(json_integer_value(json_object_get(r, "position")), 0);
	json_decref(r);
	/* Two eithers: amy waited longer, so amy is the candidate; both of
	 * her connections hear it. */
	m = hc_wait_push(a1, "match", 5000);
	assert_string_equal(h_str(m, "role"), "candidate");
	json_decref(m);
	m = hc_wait_push(a2, "match", 5000);
	assert_non_null(m);
	json_decref(m);
	m = hc_wait_push(b, "match", 5000);
	assert_string_equal(h_str(m, "role"), "interviewer");
	id = json_integer_value(json_object_get(m, "session_id"));
	json_decref(m);
	end_session(b, id);
	hc_free(a1);
	hc_free(a2);
	hc_free(b);
}

static void
test_preferences(void **state)
{
	struct hclient *i = h_user(h_srv, "q_ines", NULL, 0);
	struct hclient *c1 = h_user(h_srv, "q_carl", NULL, 0);
	struct hclient *c2 = h_user(h_srv, "q_cleo", NULL, 0);
	json_t *r, *m, *s;
	long long id;

	json_decref(hc_ok(i, "queue.join", join("interviewer", "Coding",
	    "medium")));
	/* Different category: no pair, c1 waits second. */
	r = hc_ok(c1, "queue.join", join("candidate", "System Design", NULL));
	assert_int_equal(json_integer_value(json_object_get(r, "position")), 2);
	json_decref(r);
	assert_null(hc_wait_push(c1, "match", 300));
	/* Compatible: category equal, difficulty unset on one side. */
	json_decref(hc_ok(c2, "queue.join", join("candidate", "coding",
	    NULL)));
	m = hc_wait_push(c2, "match", 5000);
	assert_non_null(m);
	id = json_integer_value(json_object_get(m, "session_id"));
	json_decref(m);
	s = hc_wait_push(i, "session", 5000);
	assert_string_equal(h_str(json_object_get(s, "question"), "difficulty"),
	    "medium");
	assert_string_equal(h_str(json_object_get(s, "question"),
	    "category_key"), "coding");
	json_decref(s);
	/* c1 moved up to first and was told so (positions are pushed in
	 * rounds, LOBBY_POSITIONS_MS apart: the latest round says it). */
	m = NULL;
	for (json_t *n; (n = hc_wait_push(c1, "queue", 2000)) != NULL;) {
		json_decref(m);
		m = n;
		if (json_integer_value(json_object_get(m, "position")) == 1)
			break;
	}
	assert_non_null(m);
	assert_int_equal(json_integer_value(json_object_get(m, "position")), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "waiting")), 1);
	/* Who waits for what: nobody else, and since when. */
	assert_int_equal(h_int(json_object_get(m, "waiting_for"),
	    "interviewers"), 0);
	assert_int_equal(h_int(json_object_get(m, "waiting_for"),
	    "candidates"), 0);
	assert_true(h_int(m, "since") > 0 && h_int(m, "since") <=
	    proto_now_ms());
	json_decref(m);
	json_decref(hc_ok(c1, "queue.leave", NULL));
	hc_error(c1, "queue.leave", NULL, "not_found");
	end_session(i, id);
	hc_free(i);
	hc_free(c1);
	hc_free(c2);
}

static void
test_disconnect_leaves_queue(void **state)
{
	struct hclient *a = h_user(h_srv, "q_gone", NULL, 0);
	struct hclient *b = h_user(h_srv, "q_stay", NULL, 0), *c;
	json_t *r, *m;
	long long id;

	json_decref(hc_ok(a, "queue.join", join("interviewer", NULL, NULL)));
	hc_free(a);	/* every connection of a gone: a leaves the queue */
	h_sleep(200);
	r = hc_ok(b, "queue.join", join("interviewer", NULL, NULL));
	assert_int_equal(json_integer_value(json_object_get(r, "position")), 1);
	json_decref(r);
	c = h_user(h_srv, "q_come", NULL, 0);
	json_decref(hc_ok(c, "queue.join", join("candidate", NULL, NULL)));
	m = hc_wait_push(c, "match", 5000);
	assert_string_equal(h_str(json_object_get(m, "peer"), "username"),
	    "q_stay");
	id = json_integer_value(json_object_get(m, "session_id"));
	json_decref(m);
	end_session(b, id);
	hc_free(b);
	hc_free(c);
}

static void
test_bad_requests(void **state)
{
	struct hclient *a = h_user(h_srv, "q_bad", NULL, 0);
	struct hclient *anon = hc_connect(h_srv);

	hc_error(anon, "queue.join", join("candidate", NULL, NULL),
	    "unauthenticated");
	hc_error(a, "queue.join", join("boss", NULL, NULL), "bad_request");
	hc_error(a, "queue.join", NULL, "bad_request");
	hc_error(a, "queue.join", join("candidate", NULL, "impossible"),
	    "bad_request");
	hc_error(a, "queue.join", json_pack("{s:s,s:i}", "role", "candidate",
	    "category", 5), "bad_request");
	hc_error(a, "queue.join", join("candidate", "", NULL), "bad_request");
	hc_free(a);
	hc_free(anon);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_and_views),
		cmocka_unit_test(test_either_and_never_self),
		cmocka_unit_test(test_preferences),
		cmocka_unit_test(test_disconnect_leaves_queue),
		cmocka_unit_test(test_bad_requests),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
