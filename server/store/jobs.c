/*
 * jobs.c — the store's completion queue (see job.h): one list, one
 * uv_async_t. Both the writer and the readers append to the same list, so
 * the loop sees completions in the order the store finished them.
 */
#include "job.h"

#include <pthread.h>
#include <stddef.h>

#include "server.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_job *head, *tail;	/* finished, not yet delivered */
static uv_async_t async;
static int started;

static void
deliver(uv_async_t *a)
{
	struct store_job *j, *next;

	/* A done() may refuse or submit more: take the list until it stays
	 * empty. */
	for (;;) {
		pthread_mutex_lock(&lock);
		j = head;
		head = tail = NULL;
		pthread_mutex_unlock(&lock);
		if (j == NULL)
			break;
		for (; j != NULL; j = next) {
			next = j->next;
			j->next = NULL;
			j->done(j, j->status);
		}
	}
}

void
store_jobs_start(void)
{
	uv_async_init(srv.loop, &async, deliver);
	started = 1;
}

void
store_jobs_finish(struct store_job *first, struct store_job *last)
{
	last->next = NULL;
	pthread_mutex_lock(&lock);
	if (tail != NULL)
		tail->next = first;
	else
		head = first;
	tail = last;
	/* Under the lock: store_jobs_stop cannot close the handle between
	 * the check and the send. */
	if (started)
		uv_async_send(&async);
	pthread_mutex_unlock(&lock);
}

void
store_jobs_refuse(struct store_job *j, int status)
{
	j->status = status;
	store_jobs_finish(j, j);
}

void
store_jobs_stop(void)
{
	if (!started)
		return;
	deliver(&async);
	pthread_mutex_lock(&lock);
	started = 0;
	pthread_mutex_unlock(&lock);
	uv_close((uv_handle_t *)&async, NULL);
}

void
store_jobs_free(void)
{
	deliver(&async);
}
