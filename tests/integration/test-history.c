/*
 * test-history.c — history.list, history.get and history.stats against a
 * real server: keyset pagination (no gaps, no repeats, new sessions
 * created between pages), the access rule (a third user gets not_found
 * for every id; the candidate sees no notes while live, all of them after
 * done; the same after a restart, when sessions are read from the
 * database only), a scripted interview's full report, and the statistics
 * against hand-computed means.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_int_t
num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static json_t *
sid(long long id)
{
	return json_pack("{s:I}", "session_id", (json_int_t)id);
}

/* The session push of session id (earlier sessions' pushes skipped). */
static json_t *
wait_session(struct hclient *c, long long id, const char *phase)
{
	for (;;) {
		json_t *s = hc_wait_push(c, "session", 5000);

		if (s == NULL)
			return NULL;
		if (num(s, "session_id") == id && (phase == NULL ||
		    strcmp(str(s, "phase"), phase) == 0))
			return s;
		json_decref(s);
	}
}

/* A session that ends at once (by the interviewer); returns its id. */
static long long
quick_session(struct hclient *iv, struct hclient *cd)
{
	long long id = h_pair(iv, cd);

	json_decref(hc_ok(iv, "session.end", sid(id)));
	return id;
}

static void
note(struct hclient *iv, long long id, const char *item, const char *text,
    int score)
{
	json_t *n = json_pack("{s:I,s:s}", "session_id", (json_int_t)id,
	    "item", item);

	if (text != NULL)
		json_object_set_new(n, "text", json_string(text));
	if (score > 0)
		json_object_set_new(n, "score", json_integer(score));
	json_decref(hc_ok(iv, "note.add", n));
}

static json_t *
list_page(struct hclient *c, int limit, long long before)
{
	json_t *f = json_object();

	if (limit > 0)
		json_object_set_new(f, "limit", json_integer(limit));
	if (before > 0)
		json_object_set_new(f, "before", json_integer(before));
	return hc_ok(c, "history.list", f);
}

/*
 * Many sessions between the same people, back to back: the limits on
 * them have their own tests (test-abuse).
 */
static int
setup_unlimited(void **state)
{
	static const char *const unlimited[] = { "--limit-pushes-per-s", "0",
		"--limit-sessions-per-hour", "0", NULL };

	return h_setup_bank_args(state, unlimited);
}

static void
test_pagination(void **state)
{
	struct hserver *s = *state;
	struct hclient *a = h_user(s, "p_ann", NULL, 0);
	struct hclient *b = h_user(s, "p_bob", NULL, 0);
	struct hclient *c = h_user(s, "p_cat", NULL, 0);
	long long mine[9], fresh[3], got[32], before = 0;
	int n = 0, page = 0, nfresh = 0;
	json_t *r, *e, *q;
	size_t i;

	/* a's nine sessions, both roles (both arms of the query). */
	for (int k = 0; k < 9; k++)
		mine[k] = k % 2 == 0 ? quick_session(a, b) : quick_session(b, a);
	/* Others' sessions never show in a's history. */
	for (int k = 0; k < 10; k++)
		quick_session(b, c);
	/* Pages of 4, with new sessions created between pages. */
	do {
		r = list_page(a, 4, before);
		assert_true(json_array_size(json_object_get(r, "sessions")) <=
		    4);
		json_array_foreach(json_object_get(r, "sessions"), i, e) {
			assert_true(n < 32);
			got[n++] = num(e, "session_id");
		}
		before = json_is_integer(json_object_get(r, "next")) ?
		    num(r, "next") : 0;
		if (before != 0)
			assert_int_equal(before, got[n - 1]);
		json_decref(r);
		if (page++ < 2)
			fresh[nfresh++] = quick_session(a, b);
	} while (before != 0);
	/* Exactly the nine older sessions, newest first: no gap, no repeat,
	 * none of those created meanwhile. */
	assert_int_equal(n, 9);
	for (int k = 0; k < 9; k++)
		assert_int_equal(got[k], mine[8 - k]);
	assert_int_equal(page, 3);
	/* The new ones are at the head of a fresh first page. */
	r = list_page(a, 100, 0);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 11);
	assert_null(json_object_get(r, "next"));
	assert_int_equal(num(json_array_get(json_object_get(r, "sessions"), 0),
	    "session_id"), fresh[1]);
	assert_int_equal(num(json_array_get(json_object_get(r, "sessions"), 1),
	    "session_id"), fresh[0]);
	/* Each entry says who, what and how it ended. */
	json_array_foreach(json_object_get(r, "sessions"), i, e) {
		long long id = num(e, "session_id");
		int as_iv = id == fresh[0] || id == fresh[1];

		for (int k = 0; k < 9; k++)
			if (mine[k] == id)
				as_iv = k % 2 == 0;
		assert_string_equal(str(e, "role"), as_iv ? "interviewer" :
		    "candidate");
		assert_string_equal(str(json_object_get(e, "peer"),
		    "username"), "p_bob");
		assert_string_equal(str(e, "phase"), "done");
		/* Ended by their interviewers before the clock ran out. */
		assert_string_equal(str(e, "reason"), "ended_early");
		assert_true(num(e, "ended_at") >= num(e, "started_at"));
		assert_true(num(e, "started_at") > 0);
		assert_true(json_is_null(json_object_get(e, "overall")));
		q = json_object_get(e, "question");
		assert_true(strlen(str(q, "id")) > 0);
		assert_true(strlen(str(q, "title")) > 0);
		assert_true(strlen(str(q, "category")) > 0);
		assert_non_null(strstr("easy medium hard",
		    str(q, "difficulty")));
		assert_int_equal(json_object_size(e), 9);
	}
	json_decref(r);
	/* The default page is 20; b has 11 + 10 sessions. */
	r = list_page(b, 0, 0);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 20);
	before = num(r, "next");
	json_decref(r);
	r = list_page(b, 0, before);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 1);
	assert_null(json_object_get(r, "next"));
	json_decref(r);
	/* A page that exactly fits has no next; limit 1 walks one by one. */
	r = list_page(c, 10, 0);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 10);
	assert_null(json_object_get(r, "next"));
	assert_string_equal(str(json_array_get(json_object_get(r, "sessions"),
	    0), "role"), "candidate");
	json_decref(r);
	before = 0;
	for (int k = 0; k < 10; k++) {
		r = list_page(c, 1, before);
		assert_int_equal(json_array_size(json_object_get(r,
		    "sessions")), 1);
		before = k < 9 ? num(r, "next") : 0;
		if (k == 9)
			assert_null(json_object_get(r, "next"));
		json_decref(r);
	}
	/* The rules of the fields. */
	hc_error(a, "history.list", json_pack("{s:i}", "limit", 0),
	    "bad_request");
	hc_error(a, "history.list", json_pack("{s:i}", "limit", 101),
	    "bad_request");
	hc_error(a, "history.list", json_pack("{s:i}", "before", 0),
	    "bad_request");
	hc_error(a, "history.list", json_pack("{s:s}", "limit", "5"),
	    "bad_request");
	r = list_page(a, 100, 1);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 0);
	json_decref(r);
	{
		struct hclient *anon = hc_connect(s);

		hc_error(anon, "history.list", NULL, "unauthenticated");
		hc_error(anon, "history.get", sid(mine[0]), "unauthenticated");
		hc_error(anon, "history.stats", NULL, "unauthenticated");
		hc_free(anon);
	}
	hc_free(a);
	hc_free(b);
	hc_free(c);
}

/* The fields only the interviewer sees while a session is live. */
static void
assert_candidate_view(const json_t *h)
{
	const json_t *q = json_object_get(h, "question");

	assert_int_equal(json_array_size(json_object_get(h, "notes")), 0);
	assert_int_equal(json_array_size(json_object_get(h, "checklist")), 0);
	assert_int_equal(json_array_size(json_object_get(h, "red_flags")), 0);
	assert_non_null(str(q, "prompt"));
	assert_null(json_object_get(q, "model_answer"));
	assert_null(json_object_get(q, "quick_answer"));
	assert_null(json_object_get(q, "checklist"));
	assert_null(json_object_get(q, "red_flags"));
	assert_null(json_object_get(q, "approach"));
}

static void
test_access(void **state)
{
	struct hserver *s = hs_start_bank(NULL, NULL);
	struct hclient *a = h_user(s, "x_ada", NULL, 0);
	struct hclient *b = h_user(s, "x_ben", NULL, 0);
	struct hclient *x = h_user(s, "x_eve", NULL, 0);
	long long s0 = quick_session(a, b), s1 = h_pair(a, b);
	json_t *p, *h, *r;
	char key[128], dir[256];

	p = wait_session(a, s1, NULL);
	snprintf(key, sizeof key, "%s", str(json_array_get(json_object_get(
	    json_object_get(p, "question"), "checklist"), 0), "key"));
	json_decref(p);
	note(a, s1, key, "private until the end", 2);
	json_decref(hc_ok(b, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)s1, "text", "can you repeat the question?")));
	/* A third user: every id is not_found, real ones (ended, live) and
	 * ones that never existed alike. */
	for (long long id = 1; id <= s1 + 5; id++)
		hc_error(x, "history.get", sid(id), "not_found");
	r = list_page(x, 0, 0);
	assert_int_equal(json_array_size(json_object_get(r, "sessions")), 0);
	json_decref(r);
	hc_error(x, "history.get", json_object(), "bad_request");
	/* Live: the candidate sees the question's prompt and the chat only. */
	h = hc_ok(b, "history.get", sid(s1));
	assert_candidate_view(h);
	assert_int_equal(json_array_size(json_object_get(h, "chat")), 1);
	assert_string_equal(str(json_object_get(h, "session"), "phase"),
	    "prep");
	assert_true(json_is_null(json_object_get(json_object_get(h,
	    "session"), "ended_at")));
	assert_true(json_is_null(json_object_get(json_object_get(h,
	    "session"), "reason")));
	json_decref(h);
	/* The interviewer sees their notes and scores live. */
	h = hc_ok(a, "history.get", sid(s1));
	assert_int_equal(json_array_size(json_object_get(h, "notes")), 1);
	assert_string_equal(str(json_array_get(json_object_get(h, "checklist"),
	    0), "key"), key);
	assert_int_equal(num(json_array_get(json_object_get(h, "checklist"),
	    0), "score"), 2);
	assert_non_null(str(json_object_get(h, "question"), "model_answer"));
	json_decref(h);
	/* Done: everything is shared. */
	json_decref(hc_ok(a, "session.end", sid(s1)));
	h = hc_ok(b, "history.get", sid(s1));
	assert_int_equal(json_array_size(json_object_get(h, "notes")), 1);
	assert_string_equal(str(json_array_get(json_object_get(h, "notes"), 0),
	    "text"), "private until the end");
	assert_int_equal(num(json_array_get(json_object_get(h, "checklist"),
	    0), "score"), 2);
	assert_non_null(str(json_object_get(h, "question"), "model_answer"));
	json_decref(h);
	/* After a restart the sessions are read from the database alone. */
	hc_free(a);
	hc_free(b);
	hc_free(x);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	snprintf(dir, sizeof dir, "%s", s->dir);
	free(s);
	s = hs_start_bank_in(dir, NULL, NULL);
	x = h_user(s, "x_eve", NULL, 0);
	b = h_user(s, "x_ben", NULL, 0);
	for (long long id = 1; id <= s1 + 5; id++)
		hc_error(x, "history.get", sid(id), "not_found");
	hc_error(b, "history.get", sid(s1 + 1), "not_found");
	h = hc_ok(b, "history.get", sid(s1));
	assert_int_equal(json_array_size(json_object_get(h, "notes")), 1);
	assert_string_equal(str(json_object_get(h, "session"), "role"),
	    "candidate");
	json_decref(h);
	h = hc_ok(b, "history.get", sid(s0));
	assert_string_equal(str(json_object_get(h, "session"), "reason"),
	    "ended_early");
	assert_true(num(json_object_get(h, "session"), "ended_by") > 0);
	json_decref(h);
	hc_free(x);
	hc_free(b);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
}

static void
test_report(void **state)
{
	struct hserver *s = *state;
	struct hclient *a = h_user(s, "r_amy", NULL, 0);
	struct hclient *b = h_user(s, "r_bo", NULL, 0);
	long long id = h_pair(a, b), id2;
	json_t *p, *q, *h, *e, *list, *ph;
	json_int_t a_id, b_id;
	char k[3][128], rf[128] = "";
	size_t i;
	/* The script: item, text, score (or flag: 1 tick) in order. */
	struct { const char *item, *text; int score, flag; } sc[7];
	int nsc = 0;

	p = wait_session(a, id, "prep");
	b_id = num(json_object_get(p, "peer"), "user_id");
	q = json_incref(json_object_get(p, "question"));
	json_decref(p);
	p = wait_session(b, id, "prep");
	a_id = num(json_object_get(p, "peer"), "user_id");
	json_decref(p);
	list = json_object_get(q, "checklist");
	assert_true(json_array_size(list) >= 3);
	for (int j = 0; j < 3; j++)
		snprintf(k[j], sizeof k[j], "%s", str(json_array_get(list,
		    (size_t)j), "key"));
	if (json_array_size(json_object_get(q, "red_flags")) > 0)
		snprintf(rf, sizeof rf, "%s", str(json_array_get(
		    json_object_get(q, "red_flags"), 0), "key"));
#define SCRIPT(i_, t_, s_, f_) do { sc[nsc].item = (i_); sc[nsc].text = (t_); \
	sc[nsc].score = (s_); sc[nsc].flag = (f_); nsc++; } while (0)
	json_decref(hc_ok(a, "phase.next", sid(id)));
	SCRIPT(k[0], "weak start", 2, 0);
	SCRIPT("general", "asked, \"clarifying\" questions\nfirst", 0, 0);
	SCRIPT(k[0], "recovered", 4, 0);
	SCRIPT(k[1], "", 3, 0);
	if (rf[0] != '\0')
		SCRIPT(rf, "fell into it", 0, 1);
	for (int j = 0; j < nsc; j++) {
		json_t *n = json_pack("{s:I,s:s,s:s}", "session_id",
		    (json_int_t)id, "item", sc[j].item, "text", sc[j].text);

		if (sc[j].score > 0)
			json_object_set_new(n, "score",
			    json_integer(sc[j].score));
		if (sc[j].flag)
			json_object_set_new(n, "flag", json_true());
		json_decref(hc_ok(a, "note.add", n));
	}
	json_decref(hc_ok(b, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "hello")));
	json_decref(hc_ok(a, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "hi, go ahead")));
	json_decref(hc_ok(a, "phase.next", sid(id)));
	SCRIPT(k[2], "only words here", 0, 0);
#undef SCRIPT
	note(a, id, k[2], "only words here", 0);
	json_decref(hc_ok(a, "phase.next", sid(id)));
	json_decref(hc_ok(a, "phase.next", sid(id)));	/* scoring -> done */
	h = hc_ok(b, "history.get", sid(id));
	/* The session. */
	e = json_object_get(h, "session");
	assert_int_equal(num(e, "session_id"), id);
	assert_string_equal(str(e, "origin"), "queue");
	assert_string_equal(str(e, "phase"), "done");
	assert_string_equal(str(e, "reason"), "completed");
	assert_string_equal(str(e, "role"), "candidate");
	assert_int_equal(num(json_object_get(e, "interviewer"), "user_id"),
	    a_id);
	assert_string_equal(str(json_object_get(e, "interviewer"), "username"),
	    "r_amy");
	assert_int_equal(num(json_object_get(e, "candidate"), "user_id"), b_id);
	assert_string_equal(str(json_object_get(e, "candidate"), "username"),
	    "r_bo");
	assert_true(json_real_value(json_object_get(e, "overall")) == 3.5);
	assert_true(num(e, "ended_at") >= num(e, "started_at"));
	/* The timeline: every phase in order, each ending as the next
	 * starts; done starts at the end and never ends. */
	ph = json_object_get(h, "phases");
	assert_int_equal(json_array_size(ph), 5);
	{
		static const char *const names[] = { "prep", "answer",
			"followup", "scoring", "done" };

		json_array_foreach(ph, i, p) {
			assert_string_equal(str(p, "phase"), names[i]);
			if (i == 0)
				assert_int_equal(num(p, "started_at"),
				    num(e, "started_at"));
			if (i < 4)
				assert_int_equal(num(p, "ended_at"), num(
				    json_array_get(ph, i + 1), "started_at"));
		}
		assert_true(json_is_null(json_object_get(json_array_get(ph, 4),
		    "ended_at")));
		assert_int_equal(num(json_array_get(ph, 4), "started_at"),
		    num(e, "ended_at"));
	}
	/* The whole question, now also for the candidate. */
	assert_true(json_equal(json_object_get(h, "question"), q));
	/* The checklist in the question's order, latest score per item. */
	list = json_object_get(h, "checklist");
	assert_int_equal(json_array_size(list), json_array_size(
	    json_object_get(q, "checklist")));
	json_array_foreach(list, i, e) {
		json_t *qi = json_array_get(json_object_get(q, "checklist"), i);

		assert_string_equal(str(e, "key"), str(qi, "key"));
		assert_string_equal(str(e, "label"), str(qi, "label"));
		if (i == 0)
			assert_int_equal(num(e, "score"), 4);
		else if (i == 1)
			assert_int_equal(num(e, "score"), 3);
		else
			assert_true(json_is_null(json_object_get(e, "score")));
	}
	list = json_object_get(h, "red_flags");
	assert_int_equal(json_array_size(list), json_array_size(
	    json_object_get(q, "red_flags")));
	json_array_foreach(list, i, e)
		assert_true(json_is_true(json_object_get(e, "flagged")) ==
		    (i == 0 && rf[0] != '\0'));
	/* Every note in order, as written. */
	list = json_object_get(h, "notes");
	assert_int_equal(json_array_size(list), (size_t)nsc);
	json_array_foreach(list, i, e) {
		assert_string_equal(str(e, "item"), sc[i].item);
		assert_string_equal(str(e, "text"), sc[i].text);
		if (sc[i].score > 0)
			assert_int_equal(num(e, "score"), sc[i].score);
		else
			assert_true(json_is_null(json_object_get(e, "score")));
		assert_true(sc[i].flag ? json_is_true(json_object_get(e,
		    "flag")) : json_is_null(json_object_get(e, "flag")));
		if (i > 0) {
			assert_true(num(e, "note_id") > num(json_array_get(list,
			    i - 1), "note_id"));
			assert_true(num(e, "at") >= num(json_array_get(list,
			    i - 1), "at"));
		}
	}
	/* The chat, both sides, in order. */
	list = json_object_get(h, "chat");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(num(json_array_get(list, 0), "from"), b_id);
	assert_string_equal(str(json_array_get(list, 0), "username"), "r_bo");
	assert_string_equal(str(json_array_get(list, 0), "text"), "hello");
	assert_int_equal(num(json_array_get(list, 1), "from"), a_id);
	assert_string_equal(str(json_array_get(list, 1), "text"),
	    "hi, go ahead");
	assert_true(json_is_null(json_object_get(h, "feedback")));
	assert_true(json_is_null(json_object_get(json_object_get(h, "swap"),
	    "of")));
	assert_true(json_is_null(json_object_get(json_object_get(h, "swap"),
	    "next")));
	/* A session this small is one page of each, and says so. */
	assert_int_equal(num(h, "chat_total"), 2);
	assert_true(json_is_null(json_object_get(h, "chat_before")));
	assert_int_equal(num(h, "notes_total"),
	    (long long)json_array_size(json_object_get(h, "notes")));
	assert_true(json_is_null(json_object_get(h, "notes_before")));
	assert_int_equal(json_object_size(h), 15);	/* + type, re */
	/* The interviewer's record is the same but for the role. */
	p = hc_ok(a, "history.get", sid(id));
	assert_string_equal(str(json_object_get(p, "session"), "role"),
	    "interviewer");
	assert_true(json_equal(json_object_get(p, "notes"),
	    json_object_get(h, "notes")));
	assert_true(json_equal(json_object_get(p, "checklist"),
	    json_object_get(h, "checklist")));
	json_decref(p);
	json_decref(h);
	/* Feedback, then the swap: linked both ways. */
	json_decref(hc_ok(b, "feedback.give", json_pack("{s:I,s:i,s:s}",
	    "session_id", (json_int_t)id, "rating", 3, "text", "useful")));
	json_decref(hc_ok(a, "session.swap", sid(id)));
	p = hc_ok(b, "session.swap", sid(id));
	id2 = num(p, "session_id");
	json_decref(p);
	h = hc_ok(a, "history.get", sid(id));
	e = json_object_get(h, "feedback");
	assert_int_equal(num(e, "rating"), 3);
	assert_string_equal(str(e, "text"), "useful");
	assert_true(num(e, "at") >= num(json_object_get(h, "session"),
	    "ended_at"));
	assert_true(json_is_null(json_object_get(json_object_get(h, "swap"),
	    "of")));
	assert_int_equal(num(json_object_get(h, "swap"), "next"), id2);
	json_decref(h);
	h = hc_ok(b, "history.get", sid(id2));
	assert_string_equal(str(json_object_get(h, "session"), "origin"),
	    "swap");
	assert_string_equal(str(json_object_get(h, "session"), "role"),
	    "interviewer");
	assert_int_equal(num(json_object_get(h, "swap"), "of"), id);
	assert_true(json_is_null(json_object_get(json_object_get(h, "swap"),
	    "next")));
	assert_int_equal(json_array_size(json_object_get(h, "phases")), 1);
	json_decref(h);
	/* The list agrees with the report. */
	h = list_page(a, 0, 0);
	assert_int_equal(num(json_array_get(json_object_get(h, "sessions"), 0),
	    "session_id"), id2);
	e = json_array_get(json_object_get(h, "sessions"), 1);
	assert_int_equal(num(e, "session_id"), id);
	assert_true(json_real_value(json_object_get(e, "overall")) == 3.5);
	assert_string_equal(str(json_object_get(e, "question"), "title"),
	    str(q, "title"));
	assert_string_equal(str(json_object_get(e, "question"), "category"),
	    str(q, "category"));
	json_decref(h);
	json_decref(hc_ok(b, "session.end", sid(id2)));
	json_decref(q);
	hc_free(a);
	hc_free(b);
}

/* A bank of two coding questions with the default coding checklist. */
static void
write_bank(const char *dir)
{
	static const char *const files[2][2] = {
		{ "1.txt", "Stats question alpha\nCategory: Coding\n"
		  "Difficulty: easy\nReverse a linked list in place.\n"
		  "Quick Answer: Walk once, pointing each node back.\n"
		  "Solution\nKeep prev, cur and next; O(n) time.\n" },
		{ "2.txt", "Stats question beta\nCategory: Coding\n"
		  "Difficulty: easy\nFind the middle of a linked list.\n"
		  "Quick Answer: A slow and a fast pointer.\n"
		  "Solution\nWhen fast reaches the end, slow is in the middle.\n" },
	};
	char path[512];

	for (int i = 0; i < 2; i++) {
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
}

static void
remove_bank(const char *dir)
{
	char path[512];

	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof path, "%s/%d.txt", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

static const json_t *
find_key(const json_t *items, const char *key)
{
	const json_t *e;
	size_t i;

	json_array_foreach(items, i, e)
		if (strcmp(str(e, "key"), key) == 0)
			return e;
	return NULL;
}

static void
test_stats(void **state)
{
	char bank[] = "/tmp/mockint-bank-XXXXXX", qid[4][128];
	const char *args[] = { "--pwhash-ops", "1", "--pwhash-mem", "8192",
		"--questions", bank, NULL };
	struct hserver *s;
	struct hclient *x, *y;
	long long ids[6];
	json_t *p, *r, *c, *it, *e;
	char label[256];
	size_t i;

	assert_non_null(mkdtemp(bank));
	write_bank(bank);
	s = hs_start(args);
	x = h_user(s, "t_xia", NULL, 0);
	y = h_user(s, "t_yan", NULL, 0);
	/* S1, x candidate: clarifies_problem 1 then 3, approach 4. */
	ids[0] = h_pair(y, x);
	p = wait_session(y, ids[0], NULL);
	snprintf(qid[0], sizeof qid[0], "%s", str(json_object_get(p,
	    "question"), "id"));
	snprintf(label, sizeof label, "%s", str(find_key(json_object_get(
	    json_object_get(p, "question"), "checklist"), "clarifies_problem"),
	    "label"));
	assert_non_null(find_key(json_object_get(json_object_get(p,
	    "question"), "checklist"), "complexity"));
	json_decref(p);
	note(y, ids[0], "clarifies_problem", NULL, 1);
	note(y, ids[0], "clarifies_problem", "better", 3);
	note(y, ids[0], "approach", NULL, 4);
	json_decref(hc_ok(y, "session.end", sid(ids[0])));
	json_decref(hc_ok(x, "feedback.give", json_pack("{s:I,s:i}",
	    "session_id", (json_int_t)ids[0], "rating", 2)));
	/* S2: clarifies_problem 2, approach 4 then 2, complexity 1. */
	ids[1] = h_pair(y, x);
	note(y, ids[1], "clarifies_problem", NULL, 2);
	note(y, ids[1], "approach", NULL, 4);
	note(y, ids[1], "approach", NULL, 2);
	note(y, ids[1], "complexity", NULL, 1);
	json_decref(hc_ok(x, "session.end", sid(ids[1])));	/* abandoned */
	/* S3: nothing scored: counted, but not in the trend. */
	ids[2] = quick_session(y, x);
	/* S4, S5: x interviews; y rates it 3, then 4. */
	ids[3] = quick_session(x, y);
	ids[4] = quick_session(x, y);
	json_decref(hc_ok(y, "feedback.give", json_pack("{s:I,s:i}",
	    "session_id", (json_int_t)ids[3], "rating", 3)));
	json_decref(hc_ok(y, "feedback.give", json_pack("{s:I,s:i}",
	    "session_id", (json_int_t)ids[4], "rating", 4)));
	/* S6, live: its scores are the interviewer's alone, not in stats. */
	ids[5] = h_pair(y, x);
	note(y, ids[5], "clarifies_problem", NULL, 4);
	note(y, ids[5], "testing", NULL, 4);
	for (int k = 0; k < 3; k++) {
		p = hc_ok(x, "history.get", sid(ids[k]));
		snprintf(qid[k], sizeof qid[k], "%s", str(json_object_get(p,
		    "question"), "id"));
		json_decref(p);
	}
	r = hc_ok(x, "history.stats", NULL);
	c = json_object_get(r, "as_candidate");
	assert_int_equal(num(c, "sessions"), 3);
	/* Per item, the mean of the latest score per session. */
	it = json_object_get(c, "items");
	assert_int_equal(json_array_size(it), 3);
	e = (json_t *)find_key(it, "clarifies_problem");
	assert_non_null(e);
	assert_true(fabs(json_real_value(json_object_get(e, "mean")) - 2.5) <
	    1e-9);
	assert_int_equal(num(e, "count"), 2);
	assert_string_equal(str(e, "label"), label);
	e = (json_t *)find_key(it, "approach");
	assert_true(fabs(json_real_value(json_object_get(e, "mean")) - 3.0) <
	    1e-9);
	assert_int_equal(num(e, "count"), 2);
	e = (json_t *)find_key(it, "complexity");
	assert_true(fabs(json_real_value(json_object_get(e, "mean")) - 1.0) <
	    1e-9);
	assert_int_equal(num(e, "count"), 1);
	assert_null(find_key(it, "testing"));
	/* The trend: S1 3.5, S2 (2 + 2 + 1) / 3; S3 had no score. */
	it = json_object_get(c, "trend");
	assert_int_equal(json_array_size(it), 2);
	assert_int_equal(num(json_array_get(it, 0), "session_id"), ids[0]);
	assert_true(json_real_value(json_object_get(json_array_get(it, 0),
	    "overall")) == 3.5);
	assert_int_equal(num(json_array_get(it, 1), "session_id"), ids[1]);
	assert_true(fabs(json_real_value(json_object_get(json_array_get(it, 1),
	    "overall")) - 5.0 / 3.0) < 1e-9);
	assert_true(num(json_array_get(it, 1), "ended_at") >=
	    num(json_array_get(it, 0), "ended_at"));
	/* As interviewer: two sessions, rated 3 and 4. */
	c = json_object_get(r, "as_interviewer");
	assert_int_equal(num(c, "sessions"), 2);
	assert_true(json_real_value(json_object_get(c, "feedback_mean")) ==
	    3.5);
	assert_int_equal(num(c, "feedback_count"), 2);
	/* The ratings themselves, with their comments, newest first. */
	assert_int_equal(json_array_size(json_object_get(c, "feedback")), 2);
	assert_true(num(json_array_get(json_object_get(c, "feedback"), 0),
	    "session_id") > num(json_array_get(json_object_get(c, "feedback"),
	    1), "session_id"));
	assert_non_null(json_object_get(json_array_get(json_object_get(c,
	    "feedback"), 0), "text"));
	/* Questions: three ended sessions over the bank's two questions,
	 * each unseen first; the most recently had first. */
	it = json_object_get(r, "questions");
	assert_int_equal(json_array_size(it), 2);
	assert_string_not_equal(qid[0], qid[1]);
	assert_string_equal(str(json_array_get(it, 0), "id"), qid[2]);
	assert_int_equal(num(json_array_get(it, 0), "times"), 2);
	assert_int_equal(num(json_array_get(it, 1), "times"), 1);
	json_array_foreach(it, i, e)
		assert_non_null(strstr(str(e, "title"), "Stats question"));
	json_decref(r);
	/* The other side: y was candidate twice, unscored, rated 2 once. */
	r = hc_ok(y, "history.stats", NULL);
	c = json_object_get(r, "as_candidate");
	assert_int_equal(num(c, "sessions"), 2);
	assert_int_equal(json_array_size(json_object_get(c, "items")), 0);
	assert_int_equal(json_array_size(json_object_get(c, "trend")), 0);
	c = json_object_get(r, "as_interviewer");
	assert_int_equal(num(c, "sessions"), 3);
	assert_true(json_real_value(json_object_get(c, "feedback_mean")) ==
	    2.0);
	assert_int_equal(num(c, "feedback_count"), 1);
	json_decref(r);
	/* Nobody's statistics: zeros and nulls. */
	{
		struct hclient *z = h_user(s, "t_zed", NULL, 0);

		r = hc_ok(z, "history.stats", NULL);
		assert_int_equal(num(json_object_get(r, "as_candidate"),
		    "sessions"), 0);
		assert_true(json_is_null(json_object_get(json_object_get(r,
		    "as_interviewer"), "feedback_mean")));
		assert_int_equal(json_array_size(json_object_get(r,
		    "questions")), 0);
		json_decref(r);
		hc_free(z);
	}
	json_decref(hc_ok(y, "session.end", sid(ids[5])));
	hc_free(x);
	hc_free(y);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
	remove_bank(bank);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pagination,
		    setup_unlimited, h_teardown_server),
		cmocka_unit_test(test_access),
		cmocka_unit_test_setup_teardown(test_report,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
