/*
 * notes.c — note.add (see notes.h): validated against the session's
 * question, committed, then acknowledged; a resend with a known client_id
 * gets the first acknowledgement again instead of a second note.
 */
#include "notes.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "conn_job.h"
#include "metrics.h"
#include "presence.h"
#include "session.h"
#include "store_items.h"
#include "view.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field notes_fields_add[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "item", PF_STRING, PF_REQUIRED, 1, 128, NULL },
	{ "text", PF_STRING, PF_NULLABLE, 0, PROTO_MAX_TEXT, NULL },
	{ "score", PF_INT, PF_NULLABLE, 0, 4, NULL },	/* 0: clears it */
	{ "flag", PF_BOOL, PF_NULLABLE, 0, 0, NULL },
	{ "client_id", PF_STRING, PF_NULLABLE, 1, 64, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* One note on its way to the database (see writer.h). */
struct note_job {
	struct conn_job cj;
	int64_t session, at, note_id;
	char *client_id, *item, *text;
	int score, flag;
};

static int
note_run(struct store *st, struct store_job *w)
{
	struct note_job *j = (struct note_job *)w;

	return store_note_add(st, j->session, j->cj.user, j->client_id,
	    j->item, j->text, j->score, j->flag, j->at, &j->note_id, &j->at);
}

static void
note_done(struct store_job *w, int status)
{
	struct note_job *j = (struct note_job *)w;
	struct outdata *d;
	json_t *note;

	/* Nothing added (failed, or a resend): the room it took is free. */
	if (status != 0)
		session_unreserve(j->session, SESSION_NOTE, strlen(j->text));
	if (conn_job_failed(&j->cj, status,
	    "the note could not be saved; it was not recorded"))
		goto out;
	conn_job_ok(&j->cj, json_pack("{s:I,s:I}", "note_id",
	    (json_int_t)j->note_id, "at", (json_int_t)j->at));
	if (status == 1)
		goto out;	/* a resend: the others have it already */
	metrics_note_committed();
	note = json_pack("{s:I,s:s,s:s,s:I}", "note_id",
	    (json_int_t)j->note_id, "item", j->item, "text", j->text, "at",
	    (json_int_t)j->at);
	json_object_set_new(note, "score", j->score >= 0 ?
	    json_integer(j->score) : json_null());
	json_object_set_new(note, "flag", j->flag >= 0 ?
	    json_boolean(j->flag) : json_null());
	json_object_set_new(note, "client_id", j->client_id ?
	    json_string(j->client_id) : json_null());
	session_note_committed(j->session, note, j->item, j->score, j->flag);
	/* The interviewer's other screens follow along; never the candidate. */
	if (presence_first(j->cj.user) == j->cj.c && j->cj.c->user_next == NULL)
		goto done;	/* none: nothing to serialise */
	d = conn_serialise(proto_push("note", json_pack("{s:I,s:O}",
	    "session_id", (json_int_t)j->session, "note", note)));
	for (struct conn *o = presence_first(j->cj.user); o != NULL;
	    o = o->user_next)
		if (o != j->cj.c)
			conn_send_data(o, d);
	outdata_unref(d);
done:
	json_decref(note);
out:
	free(j->client_id);
	free(j->item);
	free(j->text);
	conn_job_free(j);
}

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
	struct note_job *j;
	enum item_kind kind;

	if (session_resolve(c, r, ROLE_INTERVIEWER,
	    "the session has ended: notes are closed", &ref) != 0 ||
	    session_reply_unless_live(c, r, ref.s,
	    "the session has ended: notes are closed") != 0)
		return;
	kind = view_item_kind(ref.s->q, item);
	if (kind == ITEM_UNKNOWN) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST,
		    "\"item\" is not a checklist item, a red flag or general");
		return;
	}
	if (score >= 0 && kind != ITEM_CHECKLIST) {
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
	if (session_reserve(c, r, ref.s, SESSION_NOTE, text != NULL ?
	    strlen(text) : 0) != 0)
		return;
	j = conn_job_new(sizeof *j, c, r->id, note_run, note_done);
	j->session = ref.id;
	j->client_id = client_id ? xstrdup(client_id) : NULL;
	j->item = xstrdup(item);
	j->text = xstrdup(text ? text : "");
	j->score = score;
	j->flag = flag;
	j->at = proto_now_ms();
	/* Acknowledged from note_done, once the batch holding it committed. */
	writer_submit(&j->cj.job);
}
