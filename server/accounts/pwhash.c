/*
 * pwhash.c — Argon2id on the thread pool (see pwhash.h). A worker only
 * touches its own job; the result comes back through uv_queue_work's
 * after-callback on the loop thread, the only thread that may touch
 * connections (the database is the store's threads', store/job.h).
 */
#include "pwhash.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "secret.h"
#include "server.h"
#include "xmalloc.h"

/* The usual time is the median of the last USUAL_SAMPLES measurements:
 * it follows the machine's load within a few logins, and one outlier
 * does not move it. */
#define USUAL_SAMPLES 5

struct job {
	uv_work_t req;
	uv_timer_t hold;	/* a stale verification waits here */
	struct job *next;	/* waiting for a core */
	int verify;
	char *password;
	size_t len;
	char stored[crypto_pwhash_STRBYTES];
	char result[crypto_pwhash_STRBYTES];
	int ok, stale;
	double work_ms;		/* the worker's time on it */
	unsigned long long ops;
	size_t mem;
	pwhash_cb cb;
	void *arg;
};

static unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char dummy[crypto_pwhash_STRBYTES];
static double usual[USUAL_SAMPLES];	/* of jobs with the current limits */
static unsigned usual_next;
static int pending;		/* waiting, running or held */
static int running;
static struct job *wait_head, *wait_tail;

static double
mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
}

int
pwhash_configure(unsigned long long ops, size_t mem)
{
	char pw[32];
	double t0 = mono_ms();
	int rc;

	opslimit = ops;
	memlimit = mem;
	/* The dummy's password is random and forgotten: nothing matches
	 * it. Making it measures the first usual time. */
	randombytes_buf(pw, sizeof pw);
	rc = crypto_pwhash_str(dummy, pw, sizeof pw, ops, mem);
	sodium_memzero(pw, sizeof pw);
	for (int i = 0; i < USUAL_SAMPLES; i++)
		usual[i] = mono_ms() - t0;
	return rc == 0 ? 0 : -1;
}

/* The usual time of one hash or verification with the current limits. */
static double
usual_ms(void)
{
	double v[USUAL_SAMPLES], t;

	memcpy(v, usual, sizeof v);
	for (int i = 1; i < USUAL_SAMPLES; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[USUAL_SAMPLES / 2];
}

static void
work(uv_work_t *req)
{
	struct job *j = req->data;
	double t0;

	/*
	 * Hashing is background work next to the event loop: a pool thread
	 * runs it at a lower priority, so that the loop thread wins the CPU
	 * whenever it has something to do. (Unprivileged, a thread cannot
	 * raise its priority again; the pool threads only ever do such
	 * background work, so they stay lowered.)
	 */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	t0 = mono_ms();
	if (!j->verify)
		j->ok = crypto_pwhash_str(j->result, j->password, j->len,
		    j->ops, j->mem) == 0 ? 1 : -1;
	else {
		j->ok = crypto_pwhash_str_verify(j->stored, j->password,
		    j->len) == 0;
		j->stale = crypto_pwhash_str_needs_rehash(j->stored, j->ops,
		    j->mem) != 0;
	}
	j->work_ms = mono_ms() - t0;
}

static void
job_free(struct job *j)
{
	secret_free(j->password, j->len);
	sodium_memzero(j, sizeof *j);
	free(j);
}

static void
deliver(struct job *j)
{
	pending--;
	j->cb(j->ok, !j->verify && j->ok == 1 ? j->result : NULL, j->stale,
	    j->arg);
}

static void
held_closed(uv_handle_t *h)
{
	job_free(h->data);
}

static void
held(uv_timer_t *t)
{
	deliver(t->data);
	uv_close((uv_handle_t *)t, held_closed);
}

static void start(struct job *j);

static void
after(uv_work_t *req, int status)
{
	struct job *j = req->data;
	double hold_ms = 0;

	running--;
	/* A core is free: give it to the job that waited longest. */
	if (wait_head != NULL) {
		struct job *next = wait_head;

		wait_head = next->next;
		if (wait_head == NULL)
			wait_tail = NULL;
		start(next);
	}
	if (status != 0)	/* cancelled at shutdown */
		j->ok = -1;
	else if (!j->stale)
		usual[usual_next++ % USUAL_SAMPLES] = j->work_ms;
	else
		hold_ms = usual_ms() - j->work_ms;
	if (hold_ms < 1) {
		deliver(j);
		job_free(j);
		return;
	}
	/* A weaker stored hash: answer when a current one would have. */
	uv_timer_init(srv.loop, &j->hold);
	j->hold.data = j;
	uv_timer_start(&j->hold, held, (uint64_t)hold_ms, 0);
}

static void
start(struct job *j)
{
	running++;
	/* uv_queue_work fails only on a NULL callback: it cannot here. */
	uv_queue_work(srv.loop, &j->req, work, after);
}

static int
submit(int verify, const char *stored, const char *password, size_t len,
    pwhash_cb cb, void *arg)
{
	struct job *j;

	if (pending >= PWHASH_MAX_PENDING)
		return -1;
	j = xcalloc(1, sizeof *j);
	j->req.data = j;
	j->verify = verify;
	j->password = xstrndup(password, len);
	j->len = len;
	if (verify)
		snprintf(j->stored, sizeof j->stored, "%s", stored != NULL ?
		    stored : dummy);
	j->ops = opslimit;
	j->mem = memlimit;
	j->cb = cb;
	j->arg = arg;
	pending++;
	/*
	 * More hashes at once than cores gains no throughput, and only
	 * takes CPU time from the loop: the rest wait here, in order.
	 */
	if (running < (int)uv_available_parallelism())
		start(j);
	else {
		if (wait_tail != NULL)
			wait_tail->next = j;
		else
			wait_head = j;
		wait_tail = j;
	}
	return 0;
}

int
pwhash_hash(const char *password, size_t len, pwhash_cb cb, void *arg)
{
	return submit(0, NULL, password, len, cb, arg);
}

int
pwhash_verify(const char *stored, const char *password, size_t len,
    pwhash_cb cb, void *arg)
{
	return submit(1, stored, password, len, cb, arg);
}
