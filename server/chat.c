/*
 * chat.c — chat.send (see chat.h): stored first, then relayed to every
 * other connection of both participants.
 */
#include "chat.h"

#include "conn.h"
#include "server.h"
#include "session.h"
#include "store_sessions.h"

const struct proto_field chat_fields_send[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "text", PF_STRING, PF_REQUIRED, 1, PROTO_MAX_TEXT, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

void
chat_cmd_send(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	const char *text = proto_str(r->body, "text");
	int64_t now = proto_now_ms();

	if (session_resolve(c, r, -1, &ref) != 0)
		return;
	if (ref.s == NULL || ref.phase == PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session has ended");
		return;
	}
	if (store_chat_add(srv.store, ref.id, c->user_id, text, now) != 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "the message could not be saved");
		return;
	}
	conn_reply_ok(c, r->id, json_pack("{s:I}", "at", (json_int_t)now));
	session_broadcast(ref.s, proto_push("chat", json_pack(
	    "{s:I,s:I,s:s,s:s,s:I}", "session_id", (json_int_t)ref.id, "from",
	    (json_int_t)c->user_id, "username", c->username, "text", text,
	    "at", (json_int_t)now)), c);
}
