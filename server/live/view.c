/*
 * view.c — building what each participant sees (see view.h).
 *
 * The candidate's question view is cut from the interviewer's by the
 * bank's allow-list of keys (bank_view_candidate_of), so a field added to
 * the interviewer's view later can never leak to a candidate by default.
 */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "presence.h"
#include "session.h"
#include "xmalloc.h"

static struct qviews *cache;

static struct qviews *
cached(const char *id)
{
	for (struct qviews *v = cache; v != NULL; v = v->next)
		if (strcmp(v->id, id) == 0)
			return v;
	return NULL;
}

/* A view with no reference yet, in no cache; takes interviewer over. */
static struct qviews *
view_new(const char *id, json_t *interviewer)
{
	struct qviews *v = xcalloc(1, sizeof *v);

	v->id = xstrdup(id);
	v->interviewer = interviewer;
	v->candidate = bank_view_candidate_of(interviewer);
	return v;
}

const struct qviews *
view_question_json(const char *id, json_t *interviewer)
{
	struct qviews *v = cached(id);

	if (v != NULL) {
		json_decref(interviewer);
		return v;
	}
	v = view_new(id, interviewer);
	v->refs = 1;		/* the cache's */
	v->next = cache;
	cache = v;
	return v;
}

const struct qviews *
view_question(const struct bank *b, const char *id)
{
	const struct qviews *v;
	const struct question *q;

	/*
	 * A session whose start took the bank before a reload installed
	 * another gets its question as that bank has it, out of the cache:
	 * cached, it would be served to new sessions after the reload.
	 */
	if (b != NULL && b != bank_current()) {
		if ((q = bank_find(b, id)) == NULL)
			return NULL;
		return view_new(id, bank_view_interviewer(q));
	}
	if ((v = cached(id)) != NULL)
		return v;
	if (b == NULL || (q = bank_find(b, id)) == NULL)
		return NULL;
	return view_question_json(id, bank_view_interviewer(q));
}

const struct qviews *
view_ref(const struct qviews *q)
{
	struct qviews *v = (struct qviews *)q;

	if (v != NULL)
		v->refs++;
	return v;
}

void
view_unref(const struct qviews *q)
{
	struct qviews *v = (struct qviews *)q;

	if (v == NULL || --v->refs > 0)
		return;
	free(v->id);
	json_decref(v->interviewer);
	json_decref(v->candidate);
	free(v);
}

void
view_retire_all(void)
{
	struct qviews *v, *next;

	for (v = cache; v != NULL; v = next) {
		next = v->next;
		v->next = NULL;
		view_unref(v);
	}
	cache = NULL;
}

void
view_free_all(void)
{
	view_retire_all();
}

static int
has_key(const json_t *list, const char *item)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));

		if (key != NULL && strcmp(key, item) == 0)
			return 1;
	}
	return 0;
}

enum item_kind
view_item_kind(const struct qviews *q, const char *item)
{
	if (strcmp(item, "general") == 0)
		return ITEM_GENERAL;
	if (has_key(json_object_get(q->interviewer, "checklist"), item))
		return ITEM_CHECKLIST;
	if (has_key(json_object_get(q->interviewer, "red_flags"), item))
		return ITEM_RED_FLAG;
	return ITEM_UNKNOWN;
}

/*
 * "<list>_total" and "<list>_before": how many there are, and the cursor
 * that asks for the page before the one shown (the id of its oldest
 * item), or null when the page shows them all.
 */
static void
set_page_fields(json_t *o, const char *list, const json_t *page,
    int64_t total, const char *id_key)
{
	char key[32];
	json_t *first = json_array_get(page, 0);

	snprintf(key, sizeof key, "%s_total", list);
	json_object_set_new(o, key, json_integer(total));
	snprintf(key, sizeof key, "%s_before", list);
	json_object_set_new(o, key, (size_t)total > json_array_size(page) &&
	    first != NULL ? json_incref(json_object_get(first, id_key)) :
	    json_null());
}

json_t *
view_session(struct session *s, int role)
{
	int other = 1 - role, done = s->phase == PHASE_DONE;
	json_t *o = json_object();

	json_object_set_new(o, "session_id", json_integer(s->id));
	json_object_set_new(o, "phase",
	    json_string(phase_name(s->phase)));
	json_object_set_new(o, "phase_started_at",
	    json_integer(done ? s->ended_at : s->phase_started_at));
	json_object_set_new(o, "phase_ends_at", done ? json_null() :
	    json_integer(s->phase_ends_at));
	json_object_set_new(o, "server_time", json_integer(proto_now_ms()));
	json_object_set_new(o, "role", json_string(role == ROLE_INTERVIEWER ?
	    "interviewer" : "candidate"));
	json_object_set_new(o, "peer", json_pack("{s:I,s:s,s:b}", "user_id",
	    (json_int_t)s->user[other], "username", s->name[other],
	    "connected", presence_online(s->user[other])));
	json_object_set(o, "question", role == ROLE_INTERVIEWER || done ?
	    s->q->interviewer : s->q->candidate);
	/* Shared, not copied: the push is serialised before anything else
	 * can change them. Only the newest page of each: the rest is asked
	 * for with a cursor. */
	json_object_set(o, "chat", s->chat);
	set_page_fields(o, "chat", s->chat, s->chat_total, "chat_id");
	/* Notes and scores are the interviewer's alone until the end. */
	if (role == ROLE_INTERVIEWER || done) {
		json_object_set(o, "notes", s->notes);
		set_page_fields(o, "notes", s->notes, s->notes_total,
		    "note_id");
		json_object_set(o, "scores", s->scores);
		json_object_set(o, "flags", s->flags);
	}
	if (done) {
		json_object_set_new(o, "reason", json_string(
		    phase_reason_shown(s->reason != NULL ? s->reason :
		    "completed", s->ended_by, s->user[ROLE_INTERVIEWER])));
		json_object_set_new(o, "debrief_ends_at", json_integer(
		    s->ended_at + SESSION_DEBRIEF_MS));
		json_object_set_new(o, "overall", isnan(s->overall) ?
		    json_null() : json_real(s->overall));
	}
	return o;
}

json_t *
view_brief(int64_t user)
{
	struct session *s = session_of_user(user);

	if (s == NULL)
		return json_null();
	return json_pack("{s:I,s:s,s:s}", "session_id", (json_int_t)s->id,
	    "role", s->user[ROLE_INTERVIEWER] == user ? "interviewer" :
	    "candidate", "phase", phase_name(s->phase));
}
