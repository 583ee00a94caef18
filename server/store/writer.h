/*
 * writer.h — the database writer: one thread with its own SQLite
 * connection that takes write jobs (job.h) from the loop thread and
 * commits them in batches — every job that arrived while the previous
 * batch was being committed goes into the next transaction (group
 * commit). The loop thread never waits for a commit (an fsync, with
 * synchronous=FULL). At synchronous=NORMAL, where a commit is too quick
 * to gather many, a busy writer waits up to a millisecond for more
 * before it commits; an idle one commits a lone job at once.
 *
 * Jobs run in the order they were submitted, so a job sees everything
 * submitted before it (a note after its session's row, an end after every
 * note of the session), and their completions come back in that order.
 *
 * Each job runs inside a SAVEPOINT of the batch's transaction: a job that
 * fails (run returns < 0) is rolled back to where it began, alone, and
 * the rest of the batch commits; a job that returns 0 or a positive code
 * keeps what it wrote. Only when the transaction itself is lost (a full
 * disk, an I/O error, a failed COMMIT) does every job of the batch get
 * STORE_JOB_FAILED.
 *
 * The queue is bounded: past its limit a job is refused, not queued
 * (STORE_JOB_BUSY, delivered later like any completion), so a flood of
 * writes costs a bounded amount of memory.
 */
#ifndef MOCKINT_WRITER_H
#define MOCKINT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "job.h"

/* The queue's default bound, in jobs waiting for a batch. */
#define WRITER_QUEUE_MAX 20000

/*
 * Open the writer's connection and start its thread (store_jobs_start
 * first). max_queued: the bound (0: WRITER_QUEUE_MAX).
 */
int writer_start(const char *path, int sync_full, size_t max_queued,
    char *err, size_t errlen);
/* Queue a job (run and done set by the caller); done always follows. */
void writer_submit(struct store_job *j);
/* Finish every queued job, then stop the thread. Later submissions are
 * refused with STORE_JOB_FAILED. */
void writer_stop(void);

/*
 * Sequence numbers, for the readers (readers.h): every accepted job gets
 * the next one. writer_seq() is the last one handed out (loop thread);
 * writer_wait(seq) blocks the calling store thread until the job with
 * that number, and every one before it, has finished and its completion
 * is queued.
 */
uint64_t writer_seq(void);
void writer_wait(uint64_t seq);

/* What /healthz reports. */
struct writer_status {
	int running;
	int ok;			/* the last commit (or idle probe) succeeded */
	int64_t checked_at;	/* Unix ms of that commit or probe; 0: none */
	char error[128];	/* why not ok */
	size_t queued;		/* jobs waiting for a batch */
	size_t limit;		/* the queue's bound */
};
void writer_status(struct writer_status *out);

#endif
