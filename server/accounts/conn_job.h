/*
 * conn_job.h — a store job (store/job.h) done on behalf of a request of an
 * authenticated connection: the job, a reference to the connection its
 * completion replies to, the request's id and the user who asked. Every
 * handler that defers its reply to a database job (notes, chat, feedback,
 * history, accounts) starts from one, so that the reference rule ("every
 * job holds a reference to what it replies to") is written once.
 *
 * It lives in accounts/ because that is the lowest layer that sees both
 * the store and the connections.
 */
#ifndef MOCKINT_CONN_JOB_H
#define MOCKINT_CONN_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "job.h"

struct conn;

struct conn_job {
	struct store_job job;	/* first: a conn_job is a store_job */
	struct conn *c;		/* referenced until conn_job_free */
	int64_t re;		/* the request's id */
	int64_t user;		/* c's user when it asked (0: anonymous) */
};

/*
 * A zeroed job of size bytes (a struct that begins with struct conn_job)
 * for request re of c, with its run and done. Takes a reference to c.
 */
void *conn_job_new(size_t size, struct conn *c, int64_t re,
    store_job_run run, store_job_done done);
/* Drop the reference and free the job (free its own fields first). */
void conn_job_free(void *job);

/*
 * For done(): when status says the job did not run or failed
 * (STORE_JOB_BUSY, STORE_JOB_FAILED, which is also what a run that
 * returned -1 gives), reply with rate_limited (with retry_after_ms) or
 * internal with the message `failed`, and return 1; 0 otherwise.
 */
int conn_job_failed(const struct conn_job *j, int status,
    const char *failed);
void conn_job_ok(const struct conn_job *j, json_t *fields);
void conn_job_error(const struct conn_job *j, enum proto_err code,
    const char *message);

/* How long a client is told to wait when the store's queue is full. */
#define CONN_JOB_RETRY_MS 250

#endif
