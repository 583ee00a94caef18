/*
 * writer.h — the database writer: one thread with its own SQLite
 * connection that takes write jobs from the loop thread and commits them
 * in batches — every job that arrived while the previous batch was being
 * committed goes into the next transaction (group commit). The loop thread
 * never waits for a commit (an fsync, with synchronous=FULL); a job's
 * completion comes back to the loop through a uv_async_t.
 *
 * Jobs run in the order they were submitted, so a job sees everything
 * submitted before it (a note after its session's row, an end after every
 * note of the session).
 */
#ifndef MOCKINT_WRITER_H
#define MOCKINT_WRITER_H

#include <stddef.h>

struct store;
struct wjob;

/*
 * Runs on the writer thread inside the batch's transaction; returns the
 * job's own status (0 or a job-specific code). It must touch nothing but
 * the job and the store (no connections, no json_t shared with the loop).
 */
typedef int (*wjob_run)(struct store *st, struct wjob *j);
/*
 * Runs on the loop thread once the batch committed (status as run
 * returned) or failed (status WRITER_FAILED: nothing of the job was kept).
 * It owns the job and frees it.
 */
typedef void (*wjob_done)(struct wjob *j, int status);

#define WRITER_FAILED (-1)

struct wjob {
	wjob_run run;
	wjob_done done;
	int status;
	struct wjob *next;
};

/* Open the writer's connection and start its thread. */
int writer_start(const char *path, int sync_full, char *err, size_t errlen);
/* Queue a job (run and done set by the caller). */
void writer_submit(struct wjob *j);
/* Finish every queued job, then stop the thread and close its handle. */
void writer_stop(void);
/* Jobs submitted and not yet done. */
size_t writer_pending(void);

#endif
