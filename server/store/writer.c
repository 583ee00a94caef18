/*
 * writer.c — the group-committing database writer (see writer.h).
 */
#include "writer.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "checkpointer.h"
#include "proto.h"
#include "store.h"

static struct store *wst;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;	/* to the writer */
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER; /* to readers */
static struct store_job *inbox_head, *inbox_tail;	/* loop -> writer */
static size_t inbox_len, inbox_max;
static int stopping, running;
static int gather;		/* --sync normal: gather busy batches */
static uint64_t last_seq;	/* loop thread: the last handed out */
static uint64_t done_seq;	/* under lock: every job up to it finished */
static struct writer_status status;	/* under lock */


/*
 * An idle writer would not notice that the database stopped taking writes
 * (a lock held by another process, a file gone read-only) until the next
 * client's write failed: every PROBE_MS without a batch it takes the
 * write lock and lets it go (no I/O), so /healthz stays current.
 */
#define PROBE_MS	2000

/*
 * At --sync normal a commit takes a fraction of a millisecond, so a busy
 * writer committed a few jobs at a time (8 on average under the chat
 * bench, against 26 at full), and each commit writes to the WAL every
 * page it touched: a chat message or a note dirties its session's index
 * pages, which a larger batch shares. So when the writer comes back from
 * a commit to jobs waiting already (it is busy) and fewer than BATCH_WANT
 * of them, it gives the loop up to GATHER_US to add more. At full the
 * fsync paces the batches by itself; an idle writer never waits, so a
 * lone write is committed at once.
 */
#define BATCH_WANT	64
#define GATHER_US	1000

/*
 * Checkpoints are the checkpointer's (checkpointer.h), on its own thread:
 * the writer only says how big the WAL has grown, and when it is idle.
 */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	checkpointer_wal(pages);
	return SQLITE_OK;
}

/* Record how the last commit or probe went (writer thread). */
static void
set_status(int ok)
{
	pthread_mutex_lock(&lock);
	status.ok = ok;
	status.checked_at = proto_now_ms();
	if (ok)
		status.error[0] = '\0';
	else
		snprintf(status.error, sizeof status.error, "%s",
		    sqlite3_errmsg(store_db(wst)));
	pthread_mutex_unlock(&lock);
}

static int
probe(void)
{
	sqlite3 *db = store_db(wst);

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

/*
 * Run one job inside its savepoint. Returns -1 when the transaction
 * itself is gone (SQLite rolled everything back on its own, as it does on
 * a full disk or an I/O error): the batch is lost.
 */
static int
run_job(struct store_job *j)
{
	/* Prepared once (store_exec caches by the SQL's address): these
	 * run twice per job, and sqlite3_exec would parse them each time. */
	if (store_exec(wst, "SAVEPOINT job", "") != 0)
		return -1;
	j->status = j->run(wst, j);
	if (sqlite3_get_autocommit(store_db(wst)))
		return -1;
	if (j->status < 0 && store_exec(wst, "ROLLBACK TO job", "") != 0)
		return -1;
	return store_exec(wst, "RELEASE job", "");
}

/* Commit one batch: every job in one transaction. */
static void
commit_batch(struct store_job *batch)
{
	struct store_job *j;
	int ok = store_begin(wst) == 0;

	for (j = batch; ok && j != NULL; j = j->next)
		if (run_job(j) != 0)
			ok = 0;
	if (ok && store_commit(wst) != 0)
		ok = 0;
	if (!ok) {
		store_rollback(wst);
		for (j = batch; j != NULL; j = j->next)
			j->status = STORE_JOB_FAILED;
	}
	set_status(ok);
}

/* Under lock: wait up to GATHER_US for BATCH_WANT jobs (see above). */
static void
gather_more(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += GATHER_US * 1000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!stopping && inbox_len < BATCH_WANT &&
	    pthread_cond_timedwait(&wake, &lock, &until) == 0)
		;
}

/* Wait for work; NULL when stopping with nothing left. */
static struct store_job *
take_batch(struct store_job **last)
{
	struct store_job *batch;
	struct timespec until;

	pthread_mutex_lock(&lock);
	if (gather && inbox_head != NULL && inbox_len < BATCH_WANT)
		gather_more();
	while (inbox_head == NULL && !stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += PROBE_MS / 1000;
		if (pthread_cond_timedwait(&wake, &lock, &until) != 0 &&
		    inbox_head == NULL && !stopping) {
			pthread_mutex_unlock(&lock);
			set_status(probe() == 0);
			pthread_mutex_lock(&lock);
		}
	}
	/* Everything that arrived meanwhile: one transaction. */
	batch = inbox_head;
	*last = inbox_tail;
	inbox_head = inbox_tail = NULL;
	inbox_len = 0;
	pthread_mutex_unlock(&lock);
	return batch;
}

static void *
writer_main(void *arg)
{
	struct store_job *batch, *last;
	int idle;

	while ((batch = take_batch(&last)) != NULL) {
		uint64_t seq = last->seq;

		commit_batch(batch);
		/* Completions first, then the readers waiting for them: a
		 * read's reply follows the write's. */
		store_jobs_finish(batch, last);
		pthread_mutex_lock(&lock);
		done_seq = seq;
		idle = inbox_head == NULL;
		pthread_cond_broadcast(&finished);
		pthread_mutex_unlock(&lock);
		if (idle)
			checkpointer_idle();
	}
	return NULL;
}

int
writer_start(const char *path, int sync_full, size_t max_queued, char *err,
    size_t errlen)
{
	wst = store_open(path, sync_full, err, errlen);
	if (wst == NULL)
		return -1;
	/*
	 * This thread may wait for a lock held by someone else (an admin's
	 * sqlite3 shell, a backup) without stalling anyone: give it a second
	 * before a batch is failed.
	 */
	sqlite3_busy_timeout(store_db(wst), 1000);
	sqlite3_wal_autocheckpoint(store_db(wst), 0);
	sqlite3_wal_hook(store_db(wst), wal_hook, NULL);
	inbox_max = max_queued > 0 ? max_queued : WRITER_QUEUE_MAX;
	gather = !sync_full;
	stopping = 0;
	memset(&status, 0, sizeof status);
	status.ok = 1;
	status.limit = inbox_max;
	if (pthread_create(&thread, NULL, writer_main, NULL) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		store_close(wst);
		wst = NULL;
		return -1;
	}
	running = 1;
	status.running = 1;
	return 0;
}

void
writer_submit(struct store_job *j)
{
	j->next = NULL;
	j->status = 0;
	j->seq = 0;
	if (!running) {
		store_jobs_refuse(j, STORE_JOB_FAILED);
		return;
	}
	pthread_mutex_lock(&lock);
	if (inbox_len >= inbox_max) {
		pthread_mutex_unlock(&lock);
		store_jobs_refuse(j, STORE_JOB_BUSY);
		return;
	}
	j->seq = ++last_seq;
	if (inbox_tail != NULL)
		inbox_tail->next = j;
	else
		inbox_head = j;
	inbox_tail = j;
	inbox_len++;
	/* What the writer waits for: the first job, or enough to commit
	 * (gather_more); not every job, which would wake it for each. */
	if (inbox_len == 1 || inbox_len == BATCH_WANT)
		pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

uint64_t
writer_seq(void)
{
	return last_seq;
}

void
writer_wait(uint64_t seq)
{
	pthread_mutex_lock(&lock);
	while (done_seq < seq)
		pthread_cond_wait(&finished, &lock);
	pthread_mutex_unlock(&lock);
}

void
writer_status(struct writer_status *out)
{
	pthread_mutex_lock(&lock);
	*out = status;
	out->queued = inbox_len;
	pthread_mutex_unlock(&lock);
}

void
writer_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
	pthread_mutex_lock(&lock);
	status.running = 0;
	/* Nothing more will finish: release any reader still waiting. */
	done_seq = last_seq;
	pthread_cond_broadcast(&finished);
	pthread_mutex_unlock(&lock);
	store_close(wst);
	wst = NULL;
}
