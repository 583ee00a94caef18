/*
 * view.c — building what each participant sees (see view.h).
 *
 * The candidate's question view is cut from the interviewer's by an
 * allow-list of keys, so a field added to the interviewer's view later can
 * never leak to a candidate by default.
 */
#include "view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "presence.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "store_sessions.h"
#include "xmalloc.h"

static struct qviews *cache;

static const char *const candidate_keys[] = { "id", "title", "prompt",
	"category", "category_key", "difficulty", "company", "role", "round",
	NULL };

static json_t *
candidate_view(const json_t *interviewer)
{
	json_t *c = json_object();

	for (const char *const *k = candidate_keys; *k != NULL; k++) {
		json_t *v = json_object_get(interviewer, *k);

		if (v != NULL)
			json_object_set(c, *k, v);
	}
	return c;
}

const struct qviews *
view_question(const char *id)
{
	struct qviews *v;
	const struct question *q;
	json_t *iv = NULL;

	for (v = cache; v != NULL; v = v->next)
		if (strcmp(v->id, id) == 0)
			return v;
	if (srv.bank != NULL && (q = bank_find(srv.bank, id)) != NULL)
		iv = bank_view_interviewer(q);
	else if (srv.store != NULL)
		iv = store_questions_load_json(srv.store, id);
	if (iv == NULL)
		return NULL;
	v = xcalloc(1, sizeof *v);
	v->id = xstrdup(id);
	v->interviewer = iv;
	v->candidate = candidate_view(iv);
	v->next = cache;
	cache = v;
	return v;
}

void
view_free_all(void)
{
	struct qviews *v, *next;

	for (v = cache; v != NULL; v = next) {
		next = v->next;
		free(v->id);
		json_decref(v->interviewer);
		json_decref(v->candidate);
		free(v);
	}
	cache = NULL;
}

static int
has_key(const json_t *list, const char *item)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (strcmp(json_string_value(json_object_get(e, "key")) ?: "",
		    item) == 0)
			return 1;
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

/* The notes, chat, scores and flags of s, read once (see session.h). */
static int
load_state(struct session *s)
{
	json_t *notes, *chat, *scores = NULL, *flags = NULL;

	if (s->notes != NULL)
		return 0;
	chat = store_chat(srv.store, s->id);
	notes = store_notes(srv.store, s->id);
	if (chat == NULL || notes == NULL ||
	    store_scores(srv.store, s->id, &scores, &flags) != 0) {
		json_decref(chat);
		json_decref(notes);
		json_decref(scores);
		json_decref(flags);
		return -1;
	}
	s->chat = chat;
	s->notes = notes;
	s->scores = scores;
	s->flags = flags;
	return 0;
}

json_t *
view_session(struct session *s, int role)
{
	int other = 1 - role, done = s->phase == PHASE_DONE;
	int loaded = load_state(s) == 0;
	json_t *o = json_object();

	json_object_set_new(o, "session_id", json_integer(s->id));
	json_object_set_new(o, "phase",
	    json_string(options_phase_name(s->phase)));
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
	 * can change them. (Unreadable: empty, this once.) */
	json_object_set_new(o, "chat", loaded ? json_incref(s->chat) :
	    json_array());
	/* Notes and scores are the interviewer's alone until the end. */
	if (role == ROLE_INTERVIEWER || done) {
		json_object_set_new(o, "notes", loaded ? json_incref(s->notes) :
		    json_array());
		json_object_set_new(o, "scores", loaded ?
		    json_incref(s->scores) : json_object());
		json_object_set_new(o, "flags", loaded ? json_incref(s->flags) :
		    json_object());
	}
	if (done) {
		json_object_set_new(o, "reason", json_string(s->reason ?
		    s->reason : "completed"));
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
	    "candidate", "phase", options_phase_name(s->phase));
}
