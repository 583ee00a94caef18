/*
 * readers.c — the pool of reading threads (see readers.h).
 */
#include "readers.h"

#include <pthread.h>
#include <stdio.h>

#include "log.h"
#include "store.h"
#include "writer.h"

struct reader {
	pthread_t thread;
	struct store *st;
};

static struct reader pool[READERS_MAX];
static int nthreads, busy, stopping, running;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct store_job *head, *tail;
static size_t queued;

static struct store_job *
take(void)
{
	struct store_job *j;

	pthread_mutex_lock(&lock);
	while (head == NULL && !stopping)
		pthread_cond_wait(&wake, &lock);
	j = head;
	if (j != NULL) {
		head = j->next;
		if (head == NULL)
			tail = NULL;
		queued--;
		busy++;
	}
	pthread_mutex_unlock(&lock);
	return j;
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	struct store_job *j;

	while ((j = take()) != NULL) {
		writer_wait(j->seq);
		/* One snapshot per job: a reply built from several queries
		 * never mixes two states of the database (WAL: the writer is
		 * never blocked by it). ROLLBACK, not COMMIT: nothing was
		 * written, and a read's end is not a commit. */
		if (sqlite3_exec(store_db(r->st), "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK)
			log_warn(0, "a reader could not begin its snapshot");
		j->status = j->run(r->st, j);
		if (!sqlite3_get_autocommit(store_db(r->st)))
			sqlite3_exec(store_db(r->st), "ROLLBACK", NULL, NULL,
			    NULL);
		pthread_mutex_lock(&lock);
		busy--;
		pthread_mutex_unlock(&lock);
		store_jobs_finish(j, j);
	}
	return NULL;
}

int
readers_start(const char *path, int n, char *err, size_t errlen)
{
	if (n <= 0)
		n = READERS_DEFAULT;
	if (n > READERS_MAX)
		n = READERS_MAX;
	stopping = 0;
	for (nthreads = 0; nthreads < n; nthreads++) {
		struct reader *r = &pool[nthreads];

		r->st = store_open_reader(path, err, errlen);
		if (r->st == NULL)
			goto fail;
		if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
			snprintf(err, errlen, "cannot start a reader thread");
			store_close(r->st);
			goto fail;
		}
	}
	running = 1;
	return 0;
fail:
	running = 1;
	readers_stop();
	return -1;
}

void
readers_submit(struct store_job *j)
{
	j->next = NULL;
	j->status = 0;
	/* The last write submitted so far: this read must see it. */
	j->seq = writer_seq();
	if (!running) {
		store_jobs_refuse(j, STORE_JOB_FAILED);
		return;
	}
	pthread_mutex_lock(&lock);
	if (queued >= READERS_QUEUE_MAX) {
		pthread_mutex_unlock(&lock);
		store_jobs_refuse(j, STORE_JOB_BUSY);
		return;
	}
	if (tail != NULL)
		tail->next = j;
	else
		head = j;
	tail = j;
	queued++;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void
readers_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < nthreads; i++) {
		pthread_join(pool[i].thread, NULL);
		store_close(pool[i].st);
		pool[i].st = NULL;
	}
	nthreads = 0;
	running = 0;
}

void
readers_status(struct readers_status *out)
{
	pthread_mutex_lock(&lock);
	out->threads = running ? nthreads : 0;
	out->busy = busy;
	out->queued = queued;
	pthread_mutex_unlock(&lock);
}
