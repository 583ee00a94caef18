/*
 * chat.c — chat.send (see chat.h): stored first, then relayed to every
 * other connection of both participants.
 */
#include "chat.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "conn_job.h"
#include "session.h"
#include "store_items.h"
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
	struct conn_job cj;	/* the sender */
	int64_t session, at, chat_id;
	char *text, *client_id;
};

static int
chat_run(struct store *st, struct store_job *w)
{
	struct chat_job *j = (struct chat_job *)w;

	return store_chat_add(st, j->session, j->cj.user, j->client_id,
	    j->text, j->at, &j->chat_id, &j->at);
}

/* Relayed only once stored: history never lacks what was seen. */
static void
relay(struct chat_job *j, struct session *s)
{
	int64_t from = j->cj.user;
	const char *name = s->name[s->user[ROLE_INTERVIEWER] == from ?
	    ROLE_INTERVIEWER : ROLE_CANDIDATE];
	json_t *entry = json_pack("{s:I,s:I,s:s,s:s,s:I,s:o}", "chat_id",
	    (json_int_t)j->chat_id, "from", (json_int_t)from, "username", name,
	    "text", j->text, "at", (json_int_t)j->at, "client_id",
	    j->client_id ? json_string(j->client_id) : json_null());
	/* Shallow: the push shares the entry's values (nothing changes
	 * them), and only adds its session_id to its own object. */
	json_t *push = json_copy(entry);

	session_chat_committed(j->session, entry);
	json_decref(entry);
	json_object_set_new(push, "session_id", json_integer(j->session));
	session_broadcast(s, proto_push("chat", push), j->cj.c);
}

static void
chat_done(struct store_job *w, int status)
{
	struct chat_job *j = (struct chat_job *)w;
	struct session *s;

	/* Nothing added (failed, or a resend): the room it took is free. */
	if (status != 0)
		session_unreserve(j->session, SESSION_CHAT, strlen(j->text));
	if (conn_job_failed(&j->cj, status,
	    "the message could not be saved"))
		goto out;
	conn_job_ok(&j->cj, json_pack("{s:I,s:I}", "chat_id",
	    (json_int_t)j->chat_id, "at", (json_int_t)j->at));
	/* A resend (1): the peer has it already. */
	if (status == 0 && (s = session_find(j->session)) != NULL)
		relay(j, s);
out:
	free(j->text);
	free(j->client_id);
	conn_job_free(j);
}

void
chat_cmd_send(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	struct chat_job *j;

	if (session_resolve(c, r, -1, "the session has ended", &ref) != 0)
		return;
	/* After the end the chat stays open for the debrief. */
	if (!session_in_debrief(ref.s, proto_now_ms()) &&
	    session_reply_unless_live(c, r, ref.s, "the session has ended "
	    "and its debrief too") != 0)
		return;
	if (session_reserve(c, r, ref.s, SESSION_CHAT,
	    strlen(proto_str(r->body, "text"))) != 0)
		return;
	j = conn_job_new(sizeof *j, c, r->id, chat_run, chat_done);
	j->session = ref.id;
	j->at = proto_now_ms();
	j->text = xstrdup(proto_str(r->body, "text"));
	j->client_id = proto_str(r->body, "client_id") ?
	    xstrdup(proto_str(r->body, "client_id")) : NULL;
	writer_submit(&j->cj.job);
}
