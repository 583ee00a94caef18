/*
 * test-session.c — the session's life: phases moving on by the clock and
 * by phase.next, timer pushes on time, the end with scores and overall,
 * ending early, feedback, the role swap, and disconnects: the peer told,
 * the session restored on auth, the grace period and the no-show rule.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "proto.h"

static json_t *
sid(long long id)
{
	return json_pack("{s:I}", "session_id", (json_int_t)id);
}

/* Wait for the session push announcing phase. */
static void
test_clock_and_timers(void **state)
{
	/* 1 s prep, 12 s answer: the 10 s warning falls inside answer. */
	struct hserver *s = hs_start_bank("prep=1,answer=12,followup=1,"
	    "scoring=1", NULL);
	struct hclient *iv = h_user(s, "s_ike", NULL, 0);
	struct hclient *cd = h_user(s, "s_cy", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *t, *p;
	int64_t due;

	/* Prep starts with the whole state, which has its times. */
	p = hc_wait_phase(cd, "prep", 5000);
	assert_non_null(p);
	assert_true(h_int(p, "phase_ends_at") - h_int(p, "server_time") > 500);
	json_decref(p);
	/* Answer starts by itself. A phase change is the small `phase` push,
	 * not the whole state, and it is the change's only push: no `timer`
	 * for prep's end or answer's start (1 s prep has no warnings). */
	p = hc_wait_phase(cd, "answer", 5000);
	assert_non_null(p);
	assert_string_equal(h_str(p, "type"), "phase");
	assert_null(json_object_get(p, "question"));
	due = h_int(p, "ends_at");
	assert_true(due - h_int(p, "started_at") == 12000);
	assert_true(h_int(p, "server_time") >= h_int(p, "started_at"));
	json_decref(p);
	t = hc_wait_push(cd, "timer", 0);
	assert_null(t);
	/* Skip to the 10 s warning and measure how late it is. */
	for (;;) {
		t = hc_wait_push(cd, "timer", 15000);
		assert_non_null(t);
		if (strcmp(h_str(t, "phase"), "answer") == 0 &&
		    h_int(t, "remaining_ms") < 11000 &&
		    h_int(t, "remaining_ms") > 0)
			break;
		json_decref(t);
	}
	{
		int64_t late = proto_now_ms() - (due - 10000);

		/* Pushed on time: within 100 ms of its due time. */
		assert_true(late >= -5);
		if (!h_slow()) {
			assert_true(late < 100);
			assert_true(llabs(h_int(t, "remaining_ms") - 10000) < 100);
		}
	}
	json_decref(t);
	/* The interviewer moves on early; the candidate may not. */
	hc_error(cd, "phase.next", sid(id), "forbidden");
	p = hc_ok(iv, "phase.next", sid(id));
	assert_string_equal(h_str(p, "phase"), "followup");
	json_decref(p);
	p = hc_wait_phase(cd, "followup", 5000);
	assert_non_null(p);
	json_decref(p);
	/* followup and scoring run out by the clock: done, completed. */
	p = hc_wait_push(cd, "ended", 5000);
	assert_non_null(p);
	assert_string_equal(h_str(p, "reason"), "completed");
	assert_true(json_is_null(json_object_get(p, "overall")));
	json_decref(p);
	hc_error(iv, "phase.next", sid(id), "invalid_state");
	hc_error(iv, "session.end", sid(id), "invalid_state");
	hc_free(iv);
	hc_free(cd);
	hs_finish(s);
}

static void
test_scores_overall_and_feedback(void **state)
{
	struct hserver *s = *state;
	struct hclient *iv = h_user(s, "s_ida", NULL, 0);
	struct hclient *cd = h_user(s, "s_col", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *sess = hc_wait_push(iv, "session", 5000), *list, *e, *sc;
	char k[3][128];

	list = json_object_get(json_object_get(sess, "question"), "checklist");
	assert_true(json_array_size(list) >= 3);
	for (int i = 0; i < 3; i++)
		snprintf(k[i], sizeof k[i], "%s", h_str(json_array_get(list,
		    (size_t)i), "key"));
	json_decref(sess);
	/* k0: 1 then 3 (the latest counts), k1: 4, k2: only text. */
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i}",
	    "session_id", (json_int_t)id, "item", k[0], "score", 1)));
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i,s:s}",
	    "session_id", (json_int_t)id, "item", k[0], "score", 3, "text",
	    "better on second look")));
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i}",
	    "session_id", (json_int_t)id, "item", k[1], "score", 4)));
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", k[2], "text", "no score")));
	hc_error(cd, "feedback.give", json_pack("{s:I,s:i}", "session_id",
	    (json_int_t)id, "rating", 3), "invalid_state");
	json_decref(hc_ok(iv, "session.end", sid(id)));
	e = hc_wait_push(cd, "ended", 5000);
	assert_non_null(e);
	/* The interviewer ended it before its clock ran out, and both are
	 * told who did. */
	assert_string_equal(h_str(e, "reason"), "ended_early");
	assert_true(h_int(e, "by") > 0);
	assert_true(h_int(e, "debrief_ends_at") > proto_now_ms() + 14 * 60000);
	sc = json_object_get(e, "scores");
	assert_int_equal(h_int(sc, k[0]), 3);
	assert_int_equal(h_int(sc, k[1]), 4);
	assert_null(json_object_get(sc, k[2]));
	assert_true(json_real_value(json_object_get(e, "overall")) == 3.5);
	json_decref(e);
	/* Done: the candidate now sees the notes and the model answer. */
	sess = hc_wait_phase(cd, "done", 5000);
	assert_non_null(sess);
	assert_int_equal(json_array_size(json_object_get(sess, "notes")), 4);
	assert_non_null(h_str(json_object_get(sess, "question"),
	    "model_answer"));
	json_decref(sess);
	/* Feedback: the candidate's, once, 1-4. */
	hc_error(iv, "feedback.give", json_pack("{s:I,s:i}", "session_id",
	    (json_int_t)id, "rating", 3), "forbidden");
	hc_error(cd, "feedback.give", json_pack("{s:I,s:i}", "session_id",
	    (json_int_t)id, "rating", 5), "bad_request");
	json_decref(hc_ok(cd, "feedback.give", json_pack("{s:I,s:i,s:s}",
	    "session_id", (json_int_t)id, "rating", 4, "text",
	    "great follow-ups")));
	hc_error(cd, "feedback.give", json_pack("{s:I,s:i}", "session_id",
	    (json_int_t)id, "rating", 2), "conflict");
	hc_free(iv);
	hc_free(cd);
}

static void
test_candidate_abandons_then_swap(void **state)
{
	struct hserver *s = *state;
	struct hclient *a = h_user(s, "s_art", NULL, 0);
	struct hclient *b = h_user(s, "s_bea", NULL, 0);
	long long id = h_pair(a, b), id2;
	json_t *e, *m, *q1, *q2;
	char first_q[128];

	q1 = hc_wait_push(a, "session", 5000);
	snprintf(first_q, sizeof first_q, "%s", h_str(json_object_get(q1,
	    "question"), "id"));
	json_decref(q1);
	hc_error(a, "session.swap", sid(id), "invalid_state");
	json_decref(hc_ok(b, "session.end", sid(id)));
	e = hc_wait_push(a, "ended", 5000);
	assert_string_equal(h_str(e, "reason"), "abandoned");
	json_decref(e);
	/* a asks; b is told; b asks too: a new session, roles reversed. */
	e = hc_ok(a, "session.swap", sid(id));
	assert_true(json_is_true(json_object_get(e, "pending")));
	json_decref(e);
	m = hc_wait_push(b, "swap_proposed", 5000);
	assert_non_null(m);
	json_decref(m);
	e = hc_ok(b, "session.swap", sid(id));
	assert_true(json_is_false(json_object_get(e, "pending")));
	id2 = h_int(e, "session_id");
	assert_true(id2 > id);
	json_decref(e);
	m = hc_wait_push(b, "match", 5000);
	assert_string_equal(h_str(m, "role"), "interviewer");
	json_decref(m);
	m = hc_wait_push(a, "match", 5000);
	assert_string_equal(h_str(m, "role"), "candidate");
	json_decref(m);
	/* A question the new candidate (a, who interviewed before) has not
	 * had as candidate; the same category as before. */
	q2 = hc_wait_phase(a, "prep", 5000);
	assert_non_null(q2);
	assert_int_equal(h_int(q2, "session_id"), id2);
	json_decref(q2);
	json_decref(hc_ok(b, "session.end", sid(id2)));
	hc_free(a);
	hc_free(b);
}

static void
test_disconnect_and_come_back(void **state)
{
	struct hserver *s = *state;
	char tok[64];
	struct hclient *iv = h_user(s, "s_ira", NULL, 0);
	struct hclient *cd = h_user(s, "s_cole", tok, sizeof tok);
	long long id = h_pair(iv, cd);
	json_t *p, *r;

	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text",
	    "before the drop")));
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "brb")));
	hc_free(cd);
	p = hc_wait_push(iv, "peer", 5000);
	assert_non_null(p);
	assert_string_equal(h_str(p, "status"), "disconnected");
	json_decref(p);
	/* The clock keeps running and the interviewer keeps writing. */
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text",
	    "during the drop")));
	cd = hc_connect(s);
	r = hc_ok(cd, "auth", json_pack("{s:s}", "token", tok));
	assert_int_equal(h_int(json_object_get(r, "session"), "session_id"), id);
	assert_string_equal(h_str(json_object_get(r, "session"), "role"),
	    "candidate");
	json_decref(r);
	p = hc_wait_push(cd, "session", 5000);
	assert_non_null(p);
	assert_int_equal(h_int(p, "session_id"), id);
	assert_int_equal(json_array_size(json_object_get(p, "chat")), 1);
	assert_null(json_object_get(p, "notes"));
	json_decref(p);
	p = hc_wait_push(iv, "peer", 5000);
	assert_string_equal(h_str(p, "status"), "connected");
	json_decref(p);
	/* The interviewer's own notes come back to a new connection. */
	{
		struct hclient *iv2 = hc_connect(s);
		char ivtok[64];

		hc_free(iv2);
		hc_free(iv);
		p = hc_wait_push(cd, "peer", 5000);
		assert_string_equal(h_str(p, "status"), "disconnected");
		json_decref(p);
		iv = h_user(s, "s_ira", ivtok, sizeof ivtok);
		p = hc_wait_push(iv, "session", 5000);
		assert_non_null(p);
		assert_int_equal(json_array_size(json_object_get(p, "notes")),
		    2);
		json_decref(p);
	}
	json_decref(hc_ok(iv, "session.end", sid(id)));
	hc_free(iv);
	hc_free(cd);
}

static void
test_grace_period(void **state)
{
	static const char *const extra[] = { "--grace", "1", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *iv = h_user(s, "s_ian", NULL, 0);
	struct hclient *cd = h_user(s, "s_cid", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *e;
	int64_t t0;

	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text", "kept")));
	hc_free(iv);
	t0 = proto_now_ms();
	e = hc_wait_push(cd, "ended", 5000);
	assert_non_null(e);
	assert_string_equal(h_str(e, "reason"), "abandoned");
	assert_true(proto_now_ms() - t0 >= 900);
	json_decref(e);
	/* Notes stay: the candidate sees them now. */
	e = hc_wait_phase(cd, "done", 5000);
	assert_int_equal(json_array_size(json_object_get(e, "notes")), 1);
	json_decref(e);
	hc_free(cd);
	hs_finish(s);
}

static void
test_no_show_requeues_who_stayed(void **state)
{
	static const char *const extra[] = { "--no-show", "1", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *iv = h_user(s, "s_ivo", NULL, 0);
	struct hclient *cd = h_user(s, "s_cam", NULL, 0);
	struct hclient *c2;
	json_t *e, *m;

	json_decref(hc_ok(iv, "queue.join", json_pack("{s:s,s:s}", "role",
	    "interviewer", "category", "coding")));
	json_decref(hc_ok(cd, "queue.join", json_pack("{s:s}", "role",
	    "candidate")));
	m = hc_wait_push(iv, "match", 5000);
	json_decref(m);
	hc_free(cd);
	e = hc_wait_push(iv, "ended", 5000);
	assert_non_null(e);
	assert_string_equal(h_str(e, "reason"), "no_show");
	json_decref(e);
	/* Back in the queue, first, with the same preferences: a coding
	 * candidate pairs with them at once. */
	m = hc_wait_push(iv, "queue", 5000);
	assert_non_null(m);
	assert_int_equal(h_int(m, "position"), 1);
	json_decref(m);
	hc_error(iv, "queue.join", json_pack("{s:s}", "role", "interviewer"),
	    "conflict");
	c2 = h_user(s, "s_cyd", NULL, 0);
	json_decref(hc_ok(c2, "queue.join", json_pack("{s:s,s:s}", "role",
	    "candidate", "category", "coding")));
	m = hc_wait_push(iv, "match", 5000);
	assert_non_null(m);
	assert_string_equal(h_str(json_object_get(m, "peer"), "username"),
	    "s_cyd");
	json_decref(hc_ok(iv, "session.end", sid(h_int(m, "session_id"))));
	json_decref(m);
	hc_free(iv);
	hc_free(c2);
	hs_finish(s);
}

/*
 * phase.extend: two minutes a time, the interviewer's, up to ten minutes
 * in all; both are told the new end with a `phase` push.
 */
static void
test_extend(void **state)
{
	struct hserver *s = *state;
	struct hclient *iv = h_user(s, "x_ivy", NULL, 0);
	struct hclient *cd = h_user(s, "x_cal", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *sess = hc_wait_push(cd, "session", 5000), *r, *p;
	long long ends = h_int(sess, "phase_ends_at");

	json_decref(sess);
	hc_error(cd, "phase.extend", sid(id), "forbidden");
	for (int i = 1; i <= 5; i++) {
		r = hc_ok(iv, "phase.extend", sid(id));
		assert_string_equal(h_str(r, "phase"), "prep");
		assert_int_equal(h_int(r, "ends_at"), ends + i * 120000);
		assert_int_equal(h_int(r, "extended_ms"), i * 120000);
		json_decref(r);
		p = hc_wait_phase(cd, "prep", 5000);
		assert_non_null(p);
		assert_string_equal(h_str(p, "type"), "phase");
		assert_int_equal(h_int(p, "ends_at"), ends + i * 120000);
		json_decref(p);
	}
	hc_error(iv, "phase.extend", sid(id), "invalid_state");
	json_decref(hc_ok(iv, "session.end", sid(id)));
	hc_error(iv, "phase.extend", sid(id), "invalid_state");
	hc_free(iv);
	hc_free(cd);
}

/* After the end the chat stays open for the debrief, for both. */
static void
test_debrief_chat(void **state)
{
	struct hserver *s = *state;
	struct hclient *iv = h_user(s, "d_ivy", NULL, 0);
	struct hclient *cd = h_user(s, "d_cal", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *e, *m, *sess;

	json_decref(hc_ok(cd, "session.end", sid(id)));
	e = hc_wait_push(iv, "ended", 5000);
	assert_non_null(e);
	assert_string_equal(h_str(e, "reason"), "abandoned");
	assert_true(h_int(e, "by") > 0);
	json_decref(e);
	sess = hc_wait_phase(iv, "done", 5000);
	assert_non_null(sess);
	assert_true(h_int(sess, "debrief_ends_at") > proto_now_ms());
	json_decref(sess);
	json_decref(hc_ok(iv, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "thanks, good luck next time")));
	m = hc_wait_push(cd, "chat", 5000);
	assert_non_null(m);
	assert_string_equal(h_str(m, "text"), "thanks, good luck next time");
	json_decref(m);
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "thank you")));
	/* Notes stay closed. */
	hc_error(iv, "note.add", json_pack("{s:I,s:s,s:s}", "session_id",
	    (json_int_t)id, "item", "general", "text", "late"),
	    "invalid_state");
	hc_free(iv);
	hc_free(cd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_and_timers),
		cmocka_unit_test_setup_teardown(test_scores_overall_and_feedback,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_candidate_abandons_then_swap,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_disconnect_and_come_back,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_extend, h_setup_bank,
		    h_teardown_server),
		cmocka_unit_test_setup_teardown(test_debrief_chat, h_setup_bank,
		    h_teardown_server),
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_no_show_requeues_who_stayed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
