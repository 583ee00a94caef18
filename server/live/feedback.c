/*
 * feedback.c — feedback.give (see feedback.h).
 */
#include "feedback.h"

#include <stdlib.h>

#include "conn.h"
#include "server.h"
#include "session.h"
#include "store_sessions.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field feedback_fields_give[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "rating", PF_INT, PF_REQUIRED, 1, 4, NULL },
	{ "text", PF_STRING, PF_NULLABLE, 0, PROTO_MAX_TEXT, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

struct feedback_job {
	struct wjob w;
	struct conn *c;
	int64_t re, session, from, at;
	int rating;
	char *text;
};

static int
feedback_run(struct store *st, struct wjob *w)
{
	struct feedback_job *j = (struct feedback_job *)w;

	return store_feedback_add(st, j->session, j->from, j->rating, j->text,
	    j->at);
}

static void
feedback_done(struct wjob *w, int status)
{
	struct feedback_job *j = (struct feedback_job *)w;

	if (status == STORE_CONFLICT)
		conn_reply_error(j->c, j->re, 1, PROTO_E_CONFLICT,
		    "feedback was already given for this session");
	else if (status != 0)
		conn_reply_error(j->c, j->re, 1, PROTO_E_INTERNAL,
		    "the feedback could not be saved");
	else
		conn_reply_ok(j->c, j->re, NULL);
	conn_unref(j->c);
	free(j->text);
	free(j);
}

void
feedback_cmd_give(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	const char *text = proto_str(r->body, "text");
	struct feedback_job *j;

	if (session_resolve(c, r, ROLE_CANDIDATE, &ref) != 0)
		return;
	if (ref.phase != PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "feedback opens when the session is done");
		return;
	}
	j = xcalloc(1, sizeof *j);
	j->w.run = feedback_run;
	j->w.done = feedback_done;
	conn_ref(c);
	j->c = c;
	j->re = r->id;
	j->session = ref.id;
	j->from = c->user_id;
	j->rating = (int)proto_int(r->body, "rating", 0);
	j->text = xstrdup(text ? text : "");
	j->at = proto_now_ms();
	writer_submit(&j->w);
}
