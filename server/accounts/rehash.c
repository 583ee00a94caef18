/*
 * rehash.c — a stale password hash replaced in the background (see
 * rehash.h).
 */
#include "rehash.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "job.h"
#include "log.h"
#include "pwhash.h"
#include "store_users.h"
#include "writer.h"
#include "xmalloc.h"

struct rehash_job {
	struct store_job job;
	int64_t user_id;
	char was[crypto_pwhash_STRBYTES];
	char hash[crypto_pwhash_STRBYTES];
	int replaced;
};

static int
rehash_run(struct store *st, struct store_job *w)
{
	struct rehash_job *j = (struct rehash_job *)w;

	j->replaced = store_user_rehash(st, j->user_id, j->was, j->hash);
	return j->replaced < 0 ? -1 : 0;
}

static void
rehash_free(struct rehash_job *j)
{
	sodium_memzero(j, sizeof *j);
	free(j);
}

static void
rehash_done(struct store_job *w, int status)
{
	struct rehash_job *j = (struct rehash_job *)w;

	if (status != 0)
		log_warn(0, "could not store the upgraded password hash of "
		    "user %lld", (long long)j->user_id);
	else if (j->replaced == 1)
		log_info(0, "upgraded the password hash of user %lld",
		    (long long)j->user_id);
	rehash_free(j);
}

static void
hashed(int ok, const char *hash, int stale, void *arg)
{
	struct rehash_job *j = arg;

	if (ok != 1) {
		rehash_free(j);
		return;
	}
	snprintf(j->hash, sizeof j->hash, "%s", hash);
	writer_submit(&j->job);
}

void
rehash_start(int64_t user_id, const char *was, const char *password,
    size_t len)
{
	struct rehash_job *j = xcalloc(1, sizeof *j);

	j->job.run = rehash_run;
	j->job.done = rehash_done;
	j->user_id = user_id;
	snprintf(j->was, sizeof j->was, "%s", was);
	if (pwhash_hash(password, len, hashed, j) != 0) {
		log_debug(0, "hashing queue full: the password hash of user "
		    "%lld stays as it is until the next login",
		    (long long)user_id);
		rehash_free(j);
	}
}
