/*
 * history.c — history.list, history.get and history.stats (see history.h).
 *
 * Everything is read from the database on a reader thread (readers.h) and
 * the reply is built there too (history_build.c): however long a user's
 * history or a session's record, the loop only sends the result. A read
 * sees every write submitted before it — a note just acknowledged, an end
 * just announced — and its reply follows theirs.
 */
#include "history.h"

#include <stdint.h>

#include "conn.h"
#include "conn_job.h"
#include "history_build.h"
#include "readers.h"

const struct proto_field history_fields_list[] = {
	{ "limit", PF_INT, PF_NULLABLE, 1, HISTORY_PAGE_MAX, NULL },
	{ "before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field history_fields_get[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "notes_before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ "chat_before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field history_fields_stats[] = {
	{ NULL, 0, 0, 0, 0, NULL }
};

enum { HJ_LIST, HJ_GET, HJ_STATS };

struct history_job {
	struct conn_job cj;
	int kind;
	int64_t session;	/* get */
	int64_t notes_before, chat_before;	/* get: 0, or a page's cursor */
	int64_t before;		/* list */
	int limit;		/* list */
	json_t *fields;		/* the reply, built on the reader */
};

static int
history_run(struct store *st, struct store_job *w)
{
	struct history_job *j = (struct history_job *)w;
	struct build b;
	int rc;

	history_build_init(&b, st);
	switch (j->kind) {
	case HJ_LIST:
		rc = history_build_list(&b, j->cj.user, j->before, j->limit,
		    &j->fields);
		break;
	case HJ_GET:
		rc = history_build_get(&b, j->cj.user, j->session,
		    j->notes_before, j->chat_before, &j->fields);
		break;
	default:
		rc = history_build_stats(&b, j->cj.user, &j->fields);
		break;
	}
	history_build_free(&b);
	return rc;
}

static void
history_done(struct store_job *w, int status)
{
	struct history_job *j = (struct history_job *)w;

	if (!conn_is_open(j->cj.c))
		goto out;
	if (j->cj.c->user_id != j->cj.user)
		conn_job_error(&j->cj, PROTO_E_UNAUTHENTICATED,
		    "the connection logged out before the answer");
	else if (status == HISTORY_NOT_FOUND)
		conn_job_error(&j->cj, PROTO_E_NOT_FOUND, "no such session");
	else if (status == HISTORY_FORBIDDEN)
		conn_job_error(&j->cj, PROTO_E_FORBIDDEN, "the notes are the "
		    "interviewer's until the session is done");
	else if (!conn_job_failed(&j->cj, status,
	    "could not read the history")) {
		conn_job_ok(&j->cj, j->fields);
		j->fields = NULL;
	}
out:
	json_decref(j->fields);
	conn_job_free(j);
}

static void
submit(struct conn *c, const struct request *r, int kind)
{
	struct history_job *j = conn_job_new(sizeof *j, c, r->id, history_run,
	    history_done);

	j->kind = kind;
	j->session = proto_int(r->body, "session_id", 0);
	j->notes_before = proto_int(r->body, "notes_before", 0);
	j->chat_before = proto_int(r->body, "chat_before", 0);
	j->before = proto_int(r->body, "before", INT64_MAX);
	j->limit = (int)proto_int(r->body, "limit", HISTORY_PAGE_DEFAULT);
	readers_submit(&j->cj.job);
}

void
history_cmd_list(struct conn *c, const struct request *r)
{
	submit(c, r, HJ_LIST);
}

void
history_cmd_get(struct conn *c, const struct request *r)
{
	submit(c, r, HJ_GET);
}

void
history_cmd_stats(struct conn *c, const struct request *r)
{
	submit(c, r, HJ_STATS);
}
