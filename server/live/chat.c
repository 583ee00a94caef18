/*
 * chat.c — chat.send (see chat.h): stored first, then relayed to every
 * other connection of both participants.
 */
#include "chat.h"

#include <stdlib.h>

#include "conn.h"
#include "server.h"
#include "session.h"
#include "store_sessions.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field chat_fields_send[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "text", PF_STRING, PF_REQUIRED, 1, PROTO_MAX_TEXT, NULL },
	{ "client_id", PF_STRING, PF_NULLABLE, 1, 64, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* One chat message on its way to the database, then to the peer. */
struct chat_job {
	struct wjob w;
	struct conn *c;		/* the sender, referenced until replied */
	int64_t re, session, from, at;
	char *text, *client_id;
};

static int
chat_run(struct store *st, struct wjob *w)
{
	struct chat_job *j = (struct chat_job *)w;

	return store_chat_add(st, j->session, j->from, j->client_id, j->text,
	    j->at, &j->at);
}

static void
chat_done(struct wjob *w, int status)
{
	struct chat_job *j = (struct chat_job *)w;
	struct session *s = session_find(j->session);

	if (status < 0)
		conn_reply_error(j->c, j->re, 1, PROTO_E_INTERNAL,
		    "the message could not be saved");
	else if (status == 1)	/* a resend: the peer has it already */
		conn_reply_ok(j->c, j->re, json_pack("{s:I}", "at",
		    (json_int_t)j->at));
	else {
		conn_reply_ok(j->c, j->re, json_pack("{s:I}", "at",
		    (json_int_t)j->at));
		/* Relayed only once stored: history never lacks what was
		 * seen. */
		if (s != NULL) {
			const char *name = s->name[s->user[ROLE_INTERVIEWER] ==
			    j->from ? ROLE_INTERVIEWER : ROLE_CANDIDATE];
			json_t *entry = json_pack("{s:I,s:s,s:s,s:I}", "from",
			    (json_int_t)j->from, "username", name, "text",
			    j->text, "at", (json_int_t)j->at);

			json_object_set_new(entry, "client_id", j->client_id ?
			    json_string(j->client_id) : json_null());

			session_chat_committed(j->session, entry);
			json_decref(entry);
			session_broadcast(s, proto_push("chat", json_pack(
			    "{s:I,s:I,s:s,s:s,s:I,s:o}", "session_id",
			    (json_int_t)j->session, "from", (json_int_t)j->from,
			    "username", name, "text", j->text, "at",
			    (json_int_t)j->at, "client_id", j->client_id ?
			    json_string(j->client_id) : json_null())), j->c);
		}
	}
	conn_unref(j->c);
	free(j->text);
	free(j->client_id);
	free(j);
}

void
chat_cmd_send(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	struct chat_job *j;

	if (session_resolve(c, r, -1, &ref) != 0)
		return;
	if (ref.s == NULL || ref.phase == PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session has ended");
		return;
	}
	j = xcalloc(1, sizeof *j);
	j->w.run = chat_run;
	j->w.done = chat_done;
	conn_ref(c);
	j->c = c;
	j->re = r->id;
	j->session = ref.id;
	j->from = c->user_id;
	j->at = proto_now_ms();
	j->text = xstrdup(proto_str(r->body, "text"));
	j->client_id = proto_str(r->body, "client_id") ?
	    xstrdup(proto_str(r->body, "client_id")) : NULL;
	writer_submit(&j->w);
}
