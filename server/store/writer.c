/*
 * writer.c — the group-committing database writer (see writer.h).
 */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "server.h"
#include "store.h"

static struct store *wst;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct wjob *inbox_head, *inbox_tail;	/* loop -> writer */
static struct wjob *done_head, *done_tail;	/* writer -> loop */
static int stopping, running;
static size_t pending;
static uv_async_t async;
static int wal_pages;		/* frames in the WAL since the last checkpoint */

/*
 * Checkpoints (copying the WAL back into the database, and fsyncing it)
 * are the slowest thing a commit can trigger: SQLite's automatic one runs
 * inside whichever commit crosses 1,000 pages, and every reply waiting on
 * that batch waits for it too. The writer turns it off and checkpoints
 * when it has nothing queued, or, under load that never lets up, once
 * the WAL passes WAL_FORCE_PAGES.
 */
#define WAL_IDLE_PAGES	256
#define WAL_FORCE_PAGES	16384

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	wal_pages = pages;
	return SQLITE_OK;
}

static void
maybe_checkpoint(int idle)
{
	if (wal_pages < (idle ? WAL_IDLE_PAGES : WAL_FORCE_PAGES))
		return;
	/* PASSIVE: never waits for readers; what it cannot copy now, a
	 * later checkpoint will. */
	sqlite3_wal_checkpoint_v2(store_db(wst), NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	wal_pages = 0;
}

static void
append(struct wjob **head, struct wjob **tail, struct wjob *first,
    struct wjob *last)
{
	if (*tail != NULL)
		(*tail)->next = first;
	else
		*head = first;
	*tail = last;
}

/* Commit one batch: every job in one transaction. */
static void
commit_batch(struct wjob *batch)
{
	struct wjob *j;
	int ok = store_begin(wst) == 0;

	for (j = batch; ok && j != NULL; j = j->next) {
		j->status = j->run(wst, j);
		/*
		 * Some errors (a full disk, an I/O error) make SQLite roll
		 * the whole transaction back by itself: then nothing of this
		 * batch is kept, and the rest must not run outside it.
		 */
		if (sqlite3_get_autocommit(store_db(wst)))
			ok = 0;
	}
	if (ok && store_commit(wst) != 0)
		ok = 0;
	if (!ok) {
		store_rollback(wst);
		for (j = batch; j != NULL; j = j->next)
			j->status = WRITER_FAILED;
	}
}

static void *
writer_main(void *arg)
{
	for (;;) {
		struct wjob *batch, *last;
		int idle;

		pthread_mutex_lock(&lock);
		while (inbox_head == NULL && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (inbox_head == NULL && stopping) {
			pthread_mutex_unlock(&lock);
			break;
		}
		/* Everything that arrived meanwhile: one transaction. */
		batch = inbox_head;
		last = inbox_tail;
		inbox_head = inbox_tail = NULL;
		pthread_mutex_unlock(&lock);

		commit_batch(batch);

		pthread_mutex_lock(&lock);
		append(&done_head, &done_tail, batch, last);
		idle = inbox_head == NULL;
		pthread_mutex_unlock(&lock);
		uv_async_send(&async);
		/* After the replies are on their way, not before them. */
		maybe_checkpoint(idle);
	}
	return NULL;
}

static void
deliver(uv_async_t *a)
{
	struct wjob *j, *next;

	pthread_mutex_lock(&lock);
	j = done_head;
	done_head = done_tail = NULL;
	pthread_mutex_unlock(&lock);
	for (; j != NULL; j = next) {
		next = j->next;
		pending--;
		j->done(j, j->status);
	}
}

int
writer_start(const char *path, int sync_full, char *err, size_t errlen)
{
	wst = store_open(path, sync_full, err, errlen);
	if (wst == NULL)
		return -1;
	/*
	 * This thread may wait for a lock held by someone else (an admin's
	 * sqlite3 shell, a checkpoint) without stalling anyone: give it a
	 * second before a batch is failed. The loop's own connection keeps
	 * its short timeout.
	 */
	sqlite3_busy_timeout(store_db(wst), 1000);
	sqlite3_wal_autocheckpoint(store_db(wst), 0);
	sqlite3_wal_hook(store_db(wst), wal_hook, NULL);
	metrics_watch_db(store_db(wst));
	uv_async_init(srv.loop, &async, deliver);
	stopping = 0;
	if (pthread_create(&thread, NULL, writer_main, NULL) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		uv_close((uv_handle_t *)&async, NULL);
		store_close(wst);
		wst = NULL;
		return -1;
	}
	running = 1;
	return 0;
}

void
writer_submit(struct wjob *j)
{
	j->next = NULL;
	j->status = 0;
	/* Submitted from a completion delivered while stopping: nothing will
	 * run it, so it fails now rather than leak. */
	if (!running) {
		j->done(j, WRITER_FAILED);
		return;
	}
	pending++;
	pthread_mutex_lock(&lock);
	append(&inbox_head, &inbox_tail, j, j);
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

size_t
writer_pending(void)
{
	return pending;
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
	/* Hand back what committed after the last wake-up, then close. */
	deliver(&async);
	uv_close((uv_handle_t *)&async, NULL);
	store_close(wst);
	wst = NULL;
}
