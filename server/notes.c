/*
 * notes.c — note.add (see notes.h): validated against the session's
 * question, committed, then acknowledged; a resend with a known client_id
 * gets the first acknowledgement again instead of a second note.
 */
#include "notes.h"

#include <string.h>

#include "conn.h"
#include "log.h"
#include "presence.h"
#include "server.h"
#include "session.h"
#include "store_sessions.h"
#include "view.h"

const struct proto_field notes_fields_add[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "item", PF_STRING, PF_REQUIRED, 1, 128, NULL },
	{ "text", PF_STRING, PF_NULLABLE, 0, PROTO_MAX_TEXT, NULL },
	{ "score", PF_INT, PF_NULLABLE, 1, 4, NULL },
	{ "flag", PF_BOOL, PF_NULLABLE, 0, 0, NULL },
	{ "client_id", PF_STRING, PF_NULLABLE, 1, 64, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

void
notes_cmd_add(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	const char *item = proto_str(r->body, "item");
	const char *text = proto_str(r->body, "text");
	const char *client_id = proto_str(r->body, "client_id");
	json_t *jf = json_object_get(r->body, "flag");
	int score = (int)proto_int(r->body, "score", -1);
	int flag = json_is_boolean(jf) ? json_is_true(jf) : -1;
	int64_t note_id, at;
	enum item_kind kind;
	json_t *note;
	int rc;

	if (session_resolve(c, r, ROLE_INTERVIEWER, &ref) != 0)
		return;
	if (ref.s == NULL || ref.phase == PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session has ended: notes are closed");
		return;
	}
	kind = view_item_kind(ref.s->q, item);
	if (kind == ITEM_UNKNOWN) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST,
		    "\"item\" is not a checklist item, a red flag or general");
		return;
	}
	if (score > 0 && kind != ITEM_CHECKLIST) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST,
		    "only checklist items take a score");
		return;
	}
	if (flag >= 0 && kind != ITEM_RED_FLAG) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST,
		    "only red flags take a flag");
		return;
	}
	if ((text == NULL || *text == '\0') && score < 0 && flag < 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST,
		    "a note needs text, a score or a flag");
		return;
	}
	rc = store_note_add(srv.store, ref.id, c->user_id, client_id, item,
	    text ? text : "", score, flag, proto_now_ms(), &note_id, &at);
	if (rc < 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "the note could not be saved; it was not recorded");
		return;
	}
	conn_reply_ok(c, r->id, json_pack("{s:I,s:I}", "note_id",
	    (json_int_t)note_id, "at", (json_int_t)at));
	if (rc == 1)
		return;		/* a resend: the others have it already */
	note = json_pack("{s:I,s:s,s:s,s:I}", "note_id", (json_int_t)note_id,
	    "item", item, "text", text ? text : "", "at", (json_int_t)at);
	json_object_set_new(note, "score", score > 0 ? json_integer(score) :
	    json_null());
	json_object_set_new(note, "flag", flag >= 0 ? json_boolean(flag) :
	    json_null());
	json_object_set_new(note, "client_id", client_id ?
	    json_string(client_id) : json_null());
	/* The interviewer's other screens follow along; never the candidate. */
	for (struct conn *o = presence_first(c->user_id); o != NULL;
	    o = o->user_next)
		if (o != c)
			conn_send(o, proto_push("note", json_pack("{s:I,s:O}",
			    "session_id", (json_int_t)ref.id, "note", note)));
	json_decref(note);
}
