/*
 * conn_job.c — store jobs that reply to a connection (see conn_job.h).
 */
#include "conn_job.h"

#include <stdlib.h>

#include "conn.h"
#include "metrics.h"
#include "xmalloc.h"

void *
conn_job_new(size_t size, struct conn *c, int64_t re, store_job_run run,
    store_job_done done)
{
	struct conn_job *j = xcalloc(1, size);

	j->job.run = run;
	j->job.done = done;
	conn_ref(c);
	j->c = c;
	j->re = re;
	j->user = c->user_id;
	return j;
}

void
conn_job_free(void *job)
{
	struct conn_job *j = job;

	if (j == NULL)
		return;
	conn_unref(j->c);
	free(j);
}

int
conn_job_failed(const struct conn_job *j, int status, const char *failed)
{
	if (status == STORE_JOB_BUSY) {
		json_t *e = proto_error(j->re, 1, PROTO_E_RATE_LIMITED,
		    "the server is busy: retry shortly");

		metrics_limited("store_queue");
		json_object_set_new(e, "retry_after_ms",
		    json_integer(CONN_JOB_RETRY_MS));
		conn_send(j->c, e);
		return 1;
	}
	if (status == STORE_JOB_FAILED) {
		conn_reply_error(j->c, j->re, 1, PROTO_E_INTERNAL, failed);
		return 1;
	}
	return 0;
}

void
conn_job_ok(const struct conn_job *j, json_t *fields)
{
	conn_reply_ok(j->c, j->re, fields);
}

void
conn_job_error(const struct conn_job *j, enum proto_err code,
    const char *message)
{
	conn_reply_error(j->c, j->re, 1, code, message);
}
