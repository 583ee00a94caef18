/*
 * job.h — work for the store's threads, and the one way its result comes
 * back. The loop thread never runs SQL once it serves clients: a handler
 * fills a job, submits it to the writer (writer.h) or to the readers
 * (readers.h), and replies from the job's completion.
 *
 * The contract, for every job:
 *   - run() is called on a store thread, at most once, with that
 *     thread's connection. It must touch nothing but the job and the
 *     store: no connections, no json_t or other object the loop may touch
 *     meanwhile. It returns the job's status: 0, a job-specific positive
 *     code, or a negative one for a failure.
 *   - done() is called exactly once, on the loop thread, LATER: never from
 *     inside the submit that started the work, also when the job could
 *     not run (status STORE_JOB_FAILED: nothing of it was kept;
 *     STORE_JOB_BUSY: the queue was full and it never ran). done() owns
 *     the job and frees it.
 *   - Completions arrive in the order the store finished the jobs: a read
 *     submitted after a write completes after that write's completion.
 *   - A job that replies to a connection holds a reference to it
 *     (accounts/conn_job.h) until done().
 */
#ifndef MOCKINT_JOB_H
#define MOCKINT_JOB_H

#include <stdint.h>

struct store;
struct store_job;

typedef int (*store_job_run)(struct store *st, struct store_job *j);
typedef void (*store_job_done)(struct store_job *j, int status);

/* The job's batch failed (or the store had stopped): nothing was kept. */
#define STORE_JOB_FAILED (-1)
/* The queue was full: the job never ran; the client should retry later. */
#define STORE_JOB_BUSY (-2)

struct store_job {
	store_job_run run;
	store_job_done done;
	int status;
	uint64_t seq;		/* readers: the write it must see (readers.h) */
	struct store_job *next;
};

/*
 * The completion queue shared by the writer and the readers (jobs.c):
 * store threads hand finished jobs here; the loop calls their done(), in
 * order, for at most 2 ms per loop iteration (the rest on the next), so
 * a burst of completions never holds the loop.
 */
/* Start it on the server's loop (before the writer and the readers). */
void store_jobs_start(void);
/* Hand over finished jobs first..last (linked by next); any thread. */
void store_jobs_finish(struct store_job *first, struct store_job *last);
/* Finish j later with status, without running it (on the loop thread). */
void store_jobs_refuse(struct store_job *j, int status);
/*
 * Deliver what is queued and close the loop handle (after the writer and
 * the readers stopped, while the loop still runs). Jobs finished later
 * wait for store_jobs_free.
 */
void store_jobs_stop(void);
/* After the loop has stopped: deliver what finished since the stop
 * (their done() may submit more: those fail, and are delivered too). */
void store_jobs_free(void);

#endif
