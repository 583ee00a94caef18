/*
 * feedback.c — feedback.give (see feedback.h).
 */
#include "feedback.h"

#include "conn.h"
#include "server.h"
#include "session.h"
#include "store_sessions.h"
#include "store_users.h"

const struct proto_field feedback_fields_give[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "rating", PF_INT, PF_REQUIRED, 1, 4, NULL },
	{ "text", PF_STRING, PF_NULLABLE, 0, PROTO_MAX_TEXT, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

void
feedback_cmd_give(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	const char *text = proto_str(r->body, "text");
	int rc;

	if (session_resolve(c, r, ROLE_CANDIDATE, &ref) != 0)
		return;
	if (ref.phase != PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "feedback opens when the session is done");
		return;
	}
	rc = store_feedback_add(srv.store, ref.id, c->user_id,
	    (int)proto_int(r->body, "rating", 0), text ? text : "",
	    proto_now_ms());
	if (rc == STORE_CONFLICT)
		conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
		    "feedback was already given for this session");
	else if (rc != 0)
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "the feedback could not be saved");
	else
		conn_reply_ok(c, r->id, NULL);
}
