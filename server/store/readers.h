/*
 * readers.h — the store's readers: a small pool of threads, each with its
 * own read-only SQLite connection, that run read jobs (job.h) for the
 * loop thread. WAL lets them read while the writer writes.
 *
 * Each read job runs in one read transaction: however many queries it
 * makes, they see one snapshot of the database.
 *
 * A read sees every write submitted before it: a job waits, on its
 * thread, until the writer has finished the last write submitted before
 * the read was (writer_seq), and its completion then follows theirs. So a
 * history.get sent right after a note's acknowledgement finds the note.
 *
 * The queue is bounded like the writer's: past READERS_QUEUE_MAX waiting
 * jobs a read is refused (STORE_JOB_BUSY, delivered later).
 */
#ifndef MOCKINT_READERS_H
#define MOCKINT_READERS_H

#include <stddef.h>

#include "job.h"

#define READERS_DEFAULT		2
#define READERS_MAX		16
#define READERS_QUEUE_MAX	10000

/* Start n threads (0: READERS_DEFAULT) on the database at path, which
 * must exist (the writer created and migrated it). */
int readers_start(const char *path, int n, char *err, size_t errlen);
/* Queue a read; done always follows (job.h). */
void readers_submit(struct store_job *j);
/* Finish every queued read, then stop the threads. Later submissions are
 * refused with STORE_JOB_FAILED. */
void readers_stop(void);

/* What /healthz reports. */
struct readers_status {
	int threads;		/* running */
	int busy;		/* running a job now */
	size_t queued;		/* waiting for a thread */
};
void readers_status(struct readers_status *out);

#endif
