/*
 * feedback.c — feedback.give (see feedback.h).
 */
#include "feedback.h"

#include <stdlib.h>

#include "conn.h"
#include "conn_job.h"
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
	struct conn_job cj;
	int64_t session, at;
	int rating;
	char *text;
};

static int
feedback_run(struct store *st, struct store_job *w)
{
	struct feedback_job *j = (struct feedback_job *)w;

	return store_feedback_add(st, j->session, j->cj.user, j->rating,
	    j->text, j->at);
}

static void
feedback_done(struct store_job *w, int status)
{
	struct feedback_job *j = (struct feedback_job *)w;

	if (conn_job_failed(&j->cj, status,
	    "the feedback could not be saved"))
		goto out;
	if (status == STORE_CONFLICT)
		conn_job_error(&j->cj, PROTO_E_CONFLICT,
		    "feedback was already given for this session");
	else if (status == STORE_NOT_FOUND)
		conn_job_error(&j->cj, PROTO_E_NOT_FOUND, "no such session");
	else if (status == STORE_FORBIDDEN)
		conn_job_error(&j->cj, PROTO_E_FORBIDDEN,
		    "only the candidate may do this");
	else if (status == STORE_INVALID_STATE)
		conn_job_error(&j->cj, PROTO_E_INVALID_STATE,
		    "feedback opens when the session is done");
	else if (status != 0)
		conn_job_error(&j->cj, PROTO_E_INTERNAL,
		    "the feedback could not be saved");
	else
		conn_job_ok(&j->cj, NULL);
out:
	free(j->text);
	conn_job_free(j);
}

void
feedback_cmd_give(struct conn *c, const struct request *r)
{
	const char *text = proto_str(r->body, "text");
	struct feedback_job *j;

	/* Feedback comes long after the session left memory: the writer
	 * checks who may give it, in order after the session's end. */
	j = conn_job_new(sizeof *j, c, r->id, feedback_run, feedback_done);
	j->session = proto_int(r->body, "session_id", 0);
	j->rating = (int)proto_int(r->body, "rating", 0);
	j->text = xstrdup(text ? text : "");
	j->at = proto_now_ms();
	writer_submit(&j->cj.job);
}
