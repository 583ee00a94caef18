/*
 * pwhash.c — Argon2id on the thread pool (see pwhash.h). A worker only
 * touches its own job; the result comes back through uv_queue_work's
 * after-callback on the loop thread, the only thread that may touch
 * connections (the database is the store's threads', store/job.h).
 */
#include "pwhash.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "server.h"
#include "xmalloc.h"

struct job {
	uv_work_t req;
	struct job *next;	/* waiting for a core */
	int verify;
	char *password;
	size_t len;
	char stored[crypto_pwhash_STRBYTES];
	char result[crypto_pwhash_STRBYTES];
	int ok, rehashed;
	unsigned long long ops;
	size_t mem;
	pwhash_cb cb;
	void *arg;
};

static unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static int pending;		/* waiting or running */
static int running;
static struct job *wait_head, *wait_tail;

void
pwhash_configure(unsigned long long ops, size_t mem)
{
	opslimit = ops;
	memlimit = mem;
}

static void
work(uv_work_t *req)
{
	struct job *j = req->data;

	/*
	 * Hashing is background work next to the event loop: a pool thread
	 * runs it at a lower priority, so that the loop thread wins the CPU
	 * whenever it has something to do. (Unprivileged, a thread cannot
	 * raise its priority again; the pool threads only ever do such
	 * background work, so they stay lowered.)
	 */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);

	if (!j->verify) {
		j->ok = crypto_pwhash_str(j->result, j->password, j->len,
		    j->ops, j->mem) == 0 ? 1 : -1;
		return;
	}
	j->ok = crypto_pwhash_str_verify(j->stored, j->password, j->len) == 0;
	/* Limits raised since the hash was made: upgrade it now, while the
	 * password is at hand. */
	if (j->ok && crypto_pwhash_str_needs_rehash(j->stored, j->ops,
	    j->mem) != 0 && crypto_pwhash_str(j->result, j->password, j->len,
	    j->ops, j->mem) == 0)
		j->rehashed = 1;
}

static void start(struct job *j);

static void
after(uv_work_t *req, int status)
{
	struct job *j = req->data;

	pending--;
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
	j->cb(j->ok, !j->verify && j->ok == 1 ? j->result : NULL,
	    j->rehashed ? j->result : NULL, j->arg);
	sodium_memzero(j->password, j->len);
	free(j->password);
	sodium_memzero(j, sizeof *j);
	free(j);
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
	j->password = xmalloc(len + 1);
	memcpy(j->password, password, len);
	j->len = len;
	if (stored != NULL)
		snprintf(j->stored, sizeof j->stored, "%s", stored);
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
