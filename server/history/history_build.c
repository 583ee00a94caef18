/*
 * history_build.c — the replies of history.list, history.get and
 * history.stats, built from the database on a reader thread (see
 * history_build.h). Nothing here touches the loop's objects: the
 * questions come from the database's copy of the bank (every question a
 * session ever had is there, retired or not), read once per reply.
 */
#include "history_build.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "phase.h"
#include "proto.h"
#include "store_history.h"
#include "store_questions.h"
#include "store_items.h"
#include "store_sessions.h"
#include "xmalloc.h"

/* A question read for this reply: its interviewer view. */
struct qcache {
	char *id;
	json_t *view;		/* NULL: the database does not know it */
	struct qcache *next;
};

void
history_build_init(struct build *b, struct store *st)
{
	b->st = st;
	b->questions = NULL;
}

void
history_build_free(struct build *b)
{
	struct qcache *q, *next;

	for (q = b->questions; q != NULL; q = next) {
		next = q->next;
		free(q->id);
		json_decref(q->view);
		free(q);
	}
	b->questions = NULL;
}

/* The interviewer view of question id, read at most once per reply. */
static const json_t *
question(struct build *b, const char *id)
{
	struct qcache *q;

	for (q = b->questions; q != NULL; q = q->next)
		if (strcmp(q->id, id) == 0)
			return q->view;
	q = xcalloc(1, sizeof *q);
	q->id = xstrdup(id);
	q->view = store_questions_load_json(b->st, id);
	q->next = b->questions;
	b->questions = q;
	return q->view;
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
question_brief(struct build *b, const char *id)
{
	static const char *const keys[] = { "title", "category",
		"difficulty", NULL };
	const json_t *q = question(b, id);
	json_t *o = json_pack("{s:s}", "id", id);

	for (const char *const *k = keys; *k != NULL; k++) {
		json_t *v = q != NULL ? json_object_get(q, *k) : NULL;

		/* Only when the database failed: keep the entry readable. */
		if (!json_is_string(v))
			v = NULL;
		json_object_set_new(o, *k, v != NULL ? json_incref(v) :
		    json_string(strcmp(*k, "title") == 0 ? id : ""));
	}
	return o;
}

static json_t *
list_entry(struct build *b, const struct history_row *row, int64_t user)
{
	json_t *e = json_object();

	json_object_set_new(e, "session_id", json_integer(row->id));
	json_object_set_new(e, "started_at", json_integer(row->created_at));
	json_object_set_new(e, "ended_at", int_or_null(row->ended_at));
	json_object_set_new(e, "phase",
	    json_string(phase_name(row->phase)));
	json_object_set_new(e, "reason", str_or_null(phase_reason_shown(
	    row->reason, row->ended_by, row->role == ROLE_INTERVIEWER ?
	    user : row->peer_id)));
	json_object_set_new(e, "role", json_string(role_name(row->role)));
	json_object_set_new(e, "peer", json_pack("{s:I,s:s}", "user_id",
	    (json_int_t)row->peer_id, "username", row->peer_name));
	json_object_set_new(e, "question", question_brief(b, row->question_id));
	json_object_set_new(e, "overall", real_or_null(row->overall));
	return e;
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
	json_object_set_new(o, "phase", json_string(phase_name(
	    m->phase)));
	json_object_set_new(o, "reason", str_or_null(phase_reason_shown(
	    m->reason, m->ended_by, m->user[ROLE_INTERVIEWER])));
	json_object_set_new(o, "ended_by", int_or_null(m->ended_by));
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

/* Per-item means as the rows of store_history_item_scores arrive. */
struct item_acc {
	struct build *b;
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
	const json_t *q;
	const char *label;

	if (a->key == NULL || strcmp(a->key, item) != 0) {
		item_flush(a);
		a->key = xstrdup(item);
		a->sum = a->count = 0;
	}
	a->sum += sum;
	a->count += count;
	/* The label from the first of its questions that still lists it. */
	if (a->label == NULL && (q = question(a->b, question_id)) != NULL &&
	    (label = json_string_value(json_object_get(find_item(
	    json_object_get(q, "checklist"), item), "label"))) != NULL)
		a->label = xstrdup(label);
}


int
history_build_list(struct build *b, int64_t user, int64_t before, int limit,
    json_t **out)
{
	struct history_row *rows;
	json_t *list;
	size_t used = 0;
	int n, shown;

	/* One row more than the page tells whether there is a next page. */
	rows = xcalloc((size_t)limit + 1, sizeof *rows);
	n = store_history_list(b->st, user, before, rows, limit + 1);
	if (n < 0) {
		free(rows);
		return -1;
	}
	list = json_array();
	for (shown = 0; shown < n && shown < limit; shown++) {
		json_t *e = list_entry(b, &rows[shown], user);

		/* Whatever the titles' lengths, a page stays sendable: it ends
		 * early when the next entry would take it past the budget. */
		used += json_dumpb(e, NULL, 0, JSON_COMPACT);
		if (shown > 0 && used > HISTORY_LIST_BYTES) {
			json_decref(e);
			break;
		}
		json_array_append_new(list, e);
	}
	*out = json_pack("{s:o}", "sessions", list);
	/*
	 * The cursor is the last id shown: ids only grow, so sessions created
	 * meanwhile sort before it and the next page neither skips nor
	 * repeats one.
	 */
	if (n > shown)
		json_object_set_new(*out, "next",
		    json_integer(rows[shown - 1].id));
	free(rows);
	return 0;
}

/*
 * A page of a session's notes (or chat) older than before into out:
 * "notes": the items, oldest first, and "notes_before": the cursor for
 * the page before this one, or null when there is none.
 */
static int
put_page(struct build *b, json_t *out, int notes, int64_t id, int64_t before)
{
	struct store_page p;
	json_t *first;

	if ((notes ? store_notes_page(b->st, id, before, PROTO_PAGE_BYTES,
	    &p) : store_chat_page(b->st, id, before, PROTO_PAGE_BYTES,
	    &p)) != 0)
		return -1;
	first = json_array_get(p.items, 0);
	json_object_set_new(out, notes ? "notes_before" : "chat_before",
	    p.more && first != NULL ? json_incref(json_object_get(first,
	    notes ? "note_id" : "chat_id")) : json_null());
	json_object_set_new(out, notes ? "notes" : "chat", p.items);
	return 0;
}

/* Older pages only (history.get with a cursor). */
static int
get_pages(struct build *b, int64_t id, int shared, int64_t notes_before,
    int64_t chat_before, json_t **out)
{
	if (notes_before > 0 && !shared)
		return HISTORY_FORBIDDEN;
	*out = json_pack("{s:I}", "session_id", (json_int_t)id);
	if ((notes_before > 0 && put_page(b, *out, 1, id, notes_before) != 0) ||
	    (chat_before > 0 && put_page(b, *out, 0, id, chat_before) != 0)) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The scores, flags, notes and the counts of a record. */
static int
put_items(struct build *b, json_t *out, int64_t id, int shared,
    const json_t *iv)
{
	struct store_item_counts n;
	json_t *scores = NULL, *flags = NULL;
	int rc = -1;

	if (store_item_counts(b->st, id, &n) != 0 ||
	    put_page(b, out, 0, id, INT64_MAX) != 0)
		goto out;
	json_object_set_new(out, "chat_total", json_integer(n.chat));
	/* The interviewer's side is theirs alone until `done`: unscored
	 * lists for the candidate while live (the keys are the
	 * interviewer's, and they are empty then). */
	if (!shared) {
		json_object_set_new(out, "checklist", json_array());
		json_object_set_new(out, "red_flags", json_array());
		json_object_set_new(out, "notes", json_array());
		json_object_set_new(out, "notes_total", json_integer(0));
		json_object_set_new(out, "notes_before", json_null());
		rc = 0;
		goto out;
	}
	if (store_scores(b->st, id, &scores, &flags) != 0 ||
	    put_page(b, out, 1, id, INT64_MAX) != 0)
		goto out;
	json_object_set_new(out, "notes_total", json_integer(n.notes));
	json_object_set_new(out, "checklist", scored_list(json_object_get(iv,
	    "checklist"), scores, 0));
	json_object_set_new(out, "red_flags", scored_list(json_object_get(iv,
	    "red_flags"), flags, 1));
	rc = 0;
out:
	json_decref(scores);
	json_decref(flags);
	return rc;
}

static json_t *
question_field(const json_t *iv, const char *id, int shared)
{
	if (iv == NULL)
		return json_pack("{s:s}", "id", id);
	return shared ? json_incref((json_t *)iv) : bank_view_candidate_of(iv);
}

int
history_build_get(struct build *b, int64_t user, int64_t id,
    int64_t notes_before, int64_t chat_before, json_t **out)
{
	struct history_meta m;
	json_t *phases = NULL, *feedback = NULL;
	const json_t *iv;
	int role, phase, shared, rc;

	if ((rc = store_session_access(b->st, id, user, &role, &phase)) <= 0)
		return rc < 0 ? -1 : HISTORY_NOT_FOUND;
	/* The record is shared from `done` on; the interviewer's side is the
	 * interviewer's alone until then. */
	shared = role == ROLE_INTERVIEWER || phase == PHASE_DONE;
	if (notes_before > 0 || chat_before > 0)
		return get_pages(b, id, shared, notes_before, chat_before, out);
	if (store_history_session(b->st, id, &m) <= 0)
		return -1;
	rc = -1;
	*out = json_object();
	if ((phases = store_history_phases(b->st, id)) == NULL ||
	    (feedback = store_history_feedback(b->st, id)) == NULL ||
	    put_items(b, *out, id, shared, iv = question(b,
	    m.question_id)) != 0) {
		json_decref(*out);
		*out = NULL;
		goto out;
	}
	json_object_set_new(*out, "session", session_meta(&m, role));
	json_object_set(*out, "phases", phases);
	json_object_set_new(*out, "question", question_field(iv,
	    m.question_id, shared));
	json_object_set(*out, "feedback", feedback);
	json_object_set_new(*out, "swap", json_pack("{s:o,s:o}", "of",
	    int_or_null(m.swap_of), "next", int_or_null(m.swap_next)));
	rc = 0;
out:
	json_decref(phases);
	json_decref(feedback);
	return rc;
}

int
history_build_stats(struct build *b, int64_t user, json_t **out)
{
	struct item_acc acc = { b, NULL, NULL, NULL, 0, 0 };
	json_t *trend = NULL, *questions = NULL, *feedback = NULL;
	int64_t as_cand, as_iv, fb_count;
	double fb_mean;
	int rc = -1;

	acc.items = json_array();
	if (store_history_counts(b->st, user, &as_cand, &as_iv) != 0 ||
	    store_history_feedback_mean(b->st, user, &fb_mean,
	    &fb_count) != 0 ||
	    store_history_item_scores(b->st, user, item_row, &acc) != 0 ||
	    (trend = store_history_trend(b->st, user)) == NULL ||
	    (questions = store_history_questions(b->st, user)) == NULL ||
	    (feedback = store_history_feedback_list(b->st, user)) == NULL)
		goto out;
	item_flush(&acc);
	*out = json_pack("{s:{s:I,s:O,s:O},s:{s:I,s:o,s:I,s:O},s:O}",
	    "as_candidate", "sessions", (json_int_t)as_cand, "items",
	    acc.items, "trend", trend, "as_interviewer", "sessions",
	    (json_int_t)as_iv, "feedback_mean", real_or_null(fb_mean),
	    "feedback_count", (json_int_t)fb_count, "feedback", feedback,
	    "questions", questions);
	rc = 0;
out:
	free(acc.key);
	free(acc.label);
	json_decref(acc.items);
	json_decref(trend);
	json_decref(questions);
	json_decref(feedback);
	return rc;
}
