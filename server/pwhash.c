/*
 * pwhash.c — Argon2id on the thread pool (see pwhash.h). A worker only
 * touches its own job; the result comes back through uv_queue_work's
 * after-callback on the loop thread, the only thread that may touch
 * connections or the database.
 */
#include "pwhash.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "xmalloc.h"

struct job {
	uv_work_t req;
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
static int pending;

void
pwhash_configure(unsigned long long ops, size_t mem)
{
	opslimit = ops;
	memlimit = mem;
}

int
pwhash_pending(void)
{
	return pending;
}

static void
work(uv_work_t *req)
{
	struct job *j = req->data;

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

static void
after(uv_work_t *req, int status)
{
	struct job *j = req->data;

	pending--;
	if (status != 0)	/* cancelled at shutdown */
		j->ok = -1;
	j->cb(j->ok, !j->verify && j->ok == 1 ? j->result : NULL,
	    j->rehashed ? j->result : NULL, j->arg);
	sodium_memzero(j->password, j->len);
	free(j->password);
	sodium_memzero(j, sizeof *j);
	free(j);
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
	if (uv_queue_work(srv.loop, &j->req, work, after) != 0) {
		free(j->password);
		free(j);
		return -1;
	}
	pending++;
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
