/*
 * history.c — history.list, history.get and history.stats (see history.h).
 * Everything is read from the database; the question comes from
 * view_question, which also knows retired questions.
 *
 * Writes reach the database through the writer thread (writer.h), so
 * memory may be ahead of it: a session just matched, a note just
 * acknowledged to another connection, an end just announced. A history
 * request is therefore answered only once every write submitted before it
 * has committed: at once when the writer is idle, otherwise from a no-op
 * job queued behind those writes. The writer delivers completions in
 * order, so the reply also follows the replies of the same connection's
 * earlier writes.
 */
#include "history.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "server.h"
#include "session.h"
#include "store_history.h"
#include "store_sessions.h"
#include "view.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field history_fields_list[] = {
	{ "limit", PF_INT, PF_NULLABLE, 1, HISTORY_PAGE_MAX, NULL },
	{ "before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field history_fields_get[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field history_fields_stats[] = {
	{ NULL, 0, 0, 0, 0, NULL }
};

static const char *
role_name(int role)
{
	return role == ROLE_INTERVIEWER ? "interviewer" : "candidate";
}

static json_t *
int_or_null(int64_t v)
{
	return v != 0 ? json_integer(v) : json_null();
}

static json_t *
real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *
str_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* The {key, label, ...} element of key in a list, or NULL. */
static const json_t *
find_item(const json_t *list, const char *key)
{
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *k = json_string_value(json_object_get(e, "key"));

		if (k != NULL && strcmp(k, key) == 0)
			return e;
	}
	return NULL;
}

/* {id, title, category, difficulty} of a question for a list entry. */
static json_t *
question_brief(const char *id)
{
	static const char *const keys[] = { "title", "category",
		"difficulty", NULL };
	const struct qviews *q = view_question(id);
	json_t *o = json_pack("{s:s}", "id", id);

	for (const char *const *k = keys; *k != NULL; k++) {
		json_t *v = q != NULL ? json_object_get(q->candidate, *k) : NULL;

		/* Only when the database failed: keep the entry readable. */
		if (!json_is_string(v))
			v = NULL;
		json_object_set_new(o, *k, v != NULL ? json_incref(v) :
		    json_string(strcmp(*k, "title") == 0 ? id : ""));
	}
	return o;
}

static json_t *
list_entry(const struct history_row *row)
{
	json_t *e = json_object();

	json_object_set_new(e, "session_id", json_integer(row->id));
	json_object_set_new(e, "started_at", json_integer(row->created_at));
	json_object_set_new(e, "ended_at", int_or_null(row->ended_at));
	json_object_set_new(e, "phase",
	    json_string(options_phase_name(row->phase)));
	json_object_set_new(e, "reason", str_or_null(row->reason));
	json_object_set_new(e, "role", json_string(role_name(row->role)));
	json_object_set_new(e, "peer", json_pack("{s:I,s:s}", "user_id",
	    (json_int_t)row->peer_id, "username", row->peer_name));
	json_object_set_new(e, "question", question_brief(row->question_id));
	json_object_set_new(e, "overall", real_or_null(row->overall));
	return e;
}

static void
list_now(struct conn *c, const struct request *r)
{
	int limit = (int)proto_int(r->body, "limit", HISTORY_PAGE_DEFAULT);
	int64_t before = proto_int(r->body, "before", INT64_MAX);
	struct history_row *rows;
	json_t *list, *f;
	int n;

	/* One row more than the page tells whether there is a next page. */
	rows = xcalloc((size_t)limit + 1, sizeof *rows);
	n = store_history_list(srv.store, c->user_id, before, rows, limit + 1);
	if (n < 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "could not read the history");
		goto out;
	}
	list = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(list, list_entry(&rows[i]));
	f = json_pack("{s:o}", "sessions", list);
	/*
	 * The cursor is the last id shown: ids only grow, so sessions created
	 * meanwhile sort before it and the next page neither skips nor
	 * repeats one.
	 */
	if (n > limit)
		json_object_set_new(f, "next", json_integer(rows[limit - 1].id));
	conn_reply_ok(c, r->id, f);
out:
	free(rows);
}

static json_t *
person(const struct history_meta *m, int role)
{
	return json_pack("{s:I,s:s}", "user_id", (json_int_t)m->user[role],
	    "username", m->name[role]);
}

static json_t *
session_meta(const struct history_meta *m, int role)
{
	json_t *o = json_object();

	json_object_set_new(o, "session_id", json_integer(m->id));
	json_object_set_new(o, "origin", json_string(m->origin));
	json_object_set_new(o, "phase", json_string(options_phase_name(
	    m->phase)));
	json_object_set_new(o, "reason", str_or_null(m->reason));
	json_object_set_new(o, "started_at", json_integer(m->created_at));
	json_object_set_new(o, "ended_at", int_or_null(m->ended_at));
	json_object_set_new(o, "role", json_string(role_name(role)));
	json_object_set_new(o, "interviewer", person(m, ROLE_INTERVIEWER));
	json_object_set_new(o, "candidate", person(m, ROLE_CANDIDATE));
	json_object_set_new(o, "overall", real_or_null(m->overall));
	return o;
}

/*
 * The question's checklist with the latest score per item ([{key, label,
 * score}]), or its red flags with their latest tick ([{key, label,
 * flagged}]). A score on an item the question no longer lists (its file
 * was edited since) is kept, labelled by its key, so that the record and
 * its overall still agree.
 */
static json_t *
scored_list(const json_t *list, json_t *values, int flags)
{
	json_t *a = json_array(), *e, *v;
	const char *key;
	size_t i;

	json_array_foreach(list, i, e) {
		key = json_string_value(json_object_get(e, "key"));
		if (key == NULL)
			continue;
		v = json_object_get(values, key);
		json_array_append_new(a, flags ?
		    json_pack("{s:s,s:O?,s:b}", "key", key, "label",
		    json_object_get(e, "label"), "flagged", json_is_true(v)) :
		    json_pack("{s:s,s:O?,s:O}", "key", key, "label",
		    json_object_get(e, "label"), "score", v ? v : json_null()));
	}
	json_object_foreach(values, key, v) {
		if (find_item(list, key) != NULL)
			continue;
		json_array_append_new(a, flags ?
		    json_pack("{s:s,s:s,s:b}", "key", key, "label", key,
		    "flagged", json_is_true(v)) :
		    json_pack("{s:s,s:s,s:O}", "key", key, "label", key,
		    "score", v));
	}
	return a;
}

static void
get_now(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	struct history_meta m;
	const struct qviews *q;
	json_t *phases = NULL, *chat = NULL, *feedback = NULL, *notes = NULL;
	json_t *scores = NULL, *flags = NULL, *f, *iv;
	int shared, snap;

	if (session_resolve(c, r, -1, &ref) != 0)
		return;
	snap = store_history_snapshot(srv.store) == 0;
	/* 0: in memory but never written (its creation failed). */
	if (!snap || store_history_session(srv.store, ref.id, &m) <= 0)
		goto fail;
	/*
	 * The record is shared from `done` on. Memory can still be ahead of
	 * the database (an end submitted after this request, or one whose
	 * write failed): both must say done before the candidate sees the
	 * interviewer's side, so the reply never contradicts itself.
	 */
	shared = ref.role == ROLE_INTERVIEWER ||
	    (ref.phase == PHASE_DONE && m.phase == PHASE_DONE);
	if ((phases = store_history_phases(srv.store, ref.id)) == NULL ||
	    (chat = store_chat(srv.store, ref.id)) == NULL ||
	    (feedback = store_history_feedback(srv.store, ref.id)) == NULL)
		goto fail;
	if (shared) {
		if ((notes = store_notes(srv.store, ref.id)) == NULL ||
		    store_scores(srv.store, ref.id, &scores, &flags) != 0)
			goto fail;
	} else {
		notes = json_array();
		scores = json_object();
		flags = json_object();
	}
	q = view_question(m.question_id);
	/* Unscored lists for the candidate while live: the keys are the
	 * interviewer's, and they are empty then. */
	iv = shared && q != NULL ? q->interviewer : NULL;
	f = json_object();
	json_object_set_new(f, "session", session_meta(&m, ref.role));
	json_object_set(f, "phases", phases);
	json_object_set_new(f, "question", q == NULL ?
	    json_pack("{s:s}", "id", m.question_id) :
	    json_incref(shared ? q->interviewer : q->candidate));
	json_object_set_new(f, "checklist", shared ? scored_list(
	    json_object_get(iv, "checklist"), scores, 0) : json_array());
	json_object_set_new(f, "red_flags", shared ? scored_list(
	    json_object_get(iv, "red_flags"), flags, 1) : json_array());
	json_object_set(f, "notes", notes);
	json_object_set(f, "chat", chat);
	json_object_set(f, "feedback", feedback);
	json_object_set_new(f, "swap", json_pack("{s:o,s:o}", "of",
	    int_or_null(m.swap_of), "next", int_or_null(m.swap_next)));
	conn_reply_ok(c, r->id, f);
	goto out;
fail:
	conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
	    "could not read the session");
out:
	if (snap)
		store_history_snapshot_end(srv.store);
	json_decref(phases);
	json_decref(chat);
	json_decref(feedback);
	json_decref(notes);
	json_decref(scores);
	json_decref(flags);
}

/* Per-item means as the rows of store_history_item_scores arrive. */
struct item_acc {
	json_t *items;		/* the result */
	char *key;		/* the item being summed, NULL before the first */
	char *label;		/* its label once a question knows it */
	int64_t sum, count;
};

static void
item_flush(struct item_acc *a)
{
	if (a->key == NULL)
		return;
	json_array_append_new(a->items, json_pack("{s:s,s:s,s:f,s:I}",
	    "key", a->key, "label", a->label != NULL ? a->label : a->key,
	    "mean", (double)a->sum / (double)a->count, "count",
	    (json_int_t)a->count));
	free(a->key);
	free(a->label);
	a->key = a->label = NULL;
}

static void
item_row(const char *item, const char *question_id, int64_t sum,
    int64_t count, void *arg)
{
	struct item_acc *a = arg;
	const struct qviews *q;
	const char *label;

	if (a->key == NULL || strcmp(a->key, item) != 0) {
		item_flush(a);
		a->key = xstrdup(item);
		a->sum = a->count = 0;
	}
	a->sum += sum;
	a->count += count;
	/* The label from the first of its questions that still lists it. */
	if (a->label == NULL && (q = view_question(question_id)) != NULL &&
	    (label = json_string_value(json_object_get(find_item(
	    json_object_get(q->interviewer, "checklist"), item),
	    "label"))) != NULL)
		a->label = xstrdup(label);
}

static void
stats_now(struct conn *c, const struct request *r)
{
	struct item_acc acc = { NULL, NULL, NULL, 0, 0 };
	json_t *trend = NULL, *questions = NULL;
	int64_t as_cand, as_iv, fb_count;
	double fb_mean;
	int snap;

	acc.items = json_array();
	snap = store_history_snapshot(srv.store) == 0;
	if (!snap || store_history_counts(srv.store, c->user_id, &as_cand,
	    &as_iv) != 0 ||
	    store_history_feedback_mean(srv.store, c->user_id, &fb_mean,
	    &fb_count) != 0 ||
	    store_history_item_scores(srv.store, c->user_id, item_row,
	    &acc) != 0 ||
	    (trend = store_history_trend(srv.store, c->user_id)) == NULL ||
	    (questions = store_history_questions(srv.store,
	    c->user_id)) == NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "could not read the statistics");
		goto out;
	}
	item_flush(&acc);
	conn_reply_ok(c, r->id, json_pack("{s:{s:I,s:O,s:O},s:{s:I,s:o,s:I},"
	    "s:O}", "as_candidate", "sessions", (json_int_t)as_cand, "items",
	    acc.items, "trend", trend, "as_interviewer", "sessions",
	    (json_int_t)as_iv, "feedback_mean", real_or_null(fb_mean),
	    "feedback_count", (json_int_t)fb_count, "questions", questions));
out:
	if (snap)
		store_history_snapshot_end(srv.store);
	free(acc.key);
	free(acc.label);
	json_decref(acc.items);
	json_decref(trend);
	json_decref(questions);
}

/* A request waiting for the writer to catch up (see the top). */
struct history_wait {
	struct wjob w;
	struct conn *c;		/* referenced until answered */
	int64_t user;		/* who asked */
	struct request r;	/* r.body referenced */
	cmd_handler fn;
};

static int
wait_run(struct store *st, struct wjob *w)
{
	(void)st;
	(void)w;
	return 0;
}

static void
wait_done(struct wjob *w, int status)
{
	struct history_wait *h = (struct history_wait *)w;

	/* A failed batch kept nothing of its own: what is there is right. */
	(void)status;
	if (!conn_is_open(h->c))
		goto out;
	if (h->c->user_id != h->user)
		conn_reply_error(h->c, h->r.id, 1, PROTO_E_UNAUTHENTICATED,
		    "the connection logged out before the answer");
	else
		h->fn(h->c, &h->r);
out:
	conn_unref(h->c);
	json_decref(h->r.body);
	free(h);
}

static void
after_writes(struct conn *c, const struct request *r, cmd_handler fn)
{
	struct history_wait *h;

	if (writer_pending() == 0) {
		fn(c, r);
		return;
	}
	h = xcalloc(1, sizeof *h);
	h->w.run = wait_run;
	h->w.done = wait_done;
	conn_ref(c);
	h->c = c;
	h->user = c->user_id;
	h->r.id = r->id;
	h->r.type = r->type;	/* points into the body, which we keep */
	h->r.body = json_incref(r->body);
	h->fn = fn;
	writer_submit(&h->w);
}

void
history_cmd_list(struct conn *c, const struct request *r)
{
	after_writes(c, r, list_now);
}

void
history_cmd_get(struct conn *c, const struct request *r)
{
	after_writes(c, r, get_now);
}

void
history_cmd_stats(struct conn *c, const struct request *r)
{
	after_writes(c, r, stats_now);
}
