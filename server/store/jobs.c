/*
 * jobs.c — the store's completion queue (see job.h): one list, one
 * uv_async_t. Both the writer and the readers append to the same list, so
 * the loop sees completions in the order the store finished them.
 */
#include "job.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "server.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_job *head, *tail;	/* finished, not yet delivered */
static uv_async_t async;
static int started;

/*
 * How long one loop iteration delivers completions before it lets the
 * loop read sockets and fire timers. When 5,000 sessions start at once,
 * 5,000 completions can finish in the same few milliseconds, each
 * building and sending two whole session states: delivered in one go they
 * held the loop for over 100 ms (the cohort bench's loop lag). The rest
 * waits, in order, for the next iteration.
 */
#define DELIVER_SLICE_NS	(2 * 1000 * 1000)

/* Deliver finished jobs in order, for at most budget_ns (0: until none
 * is left). Returns whether some are left. */
static int
drain(uint64_t budget_ns)
{
	struct store_job *j, *next, *last;
	uint64_t end = uv_hrtime() + budget_ns;

	/* A done() may refuse or submit more: take the list until it stays
	 * empty. */
	for (;;) {
		pthread_mutex_lock(&lock);
		j = head;
		last = tail;
		head = tail = NULL;
		pthread_mutex_unlock(&lock);
		if (j == NULL)
			return 0;
		for (; j != NULL; j = next) {
			if (budget_ns != 0 && uv_hrtime() >= end)
				goto rest;
			next = j->next;
			j->next = NULL;
			j->done(j, j->status);
		}
	}
rest:
	/* Put j..last back in front of whatever finished meanwhile. */
	pthread_mutex_lock(&lock);
	last->next = head;
	head = j;
	if (tail == NULL)
		tail = last;
	pthread_mutex_unlock(&lock);
	return 1;
}

static void
deliver(uv_async_t *a)
{
	/* More than a slice's worth: come back on the next iteration. */
	if (drain(DELIVER_SLICE_NS))
		uv_async_send(a);
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
	drain(0);
	pthread_mutex_lock(&lock);
	started = 0;
	pthread_mutex_unlock(&lock);
	uv_close((uv_handle_t *)&async, NULL);
}

void
store_jobs_free(void)
{
	drain(0);
}
