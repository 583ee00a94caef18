/*
 * password.c — password.change {old, new}: the old password verified
 * (Argon2id on the pool, throttled like a login: guard.c), the new one
 * checked like a registration's (length, then libpwquality on the pool),
 * hashed, and stored in one write that also deletes every other token of
 * the user. The connections that used those tokens are logged out; the
 * token of the connection that asked, and its other connections, stay.
 *
 * Steps: the user's hash (a reader), verify old (pool), check new
 * (pool), hash new (pool), store (the writer), reply.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth_int.h"
#include "conn.h"
#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "pwcheck.h"
#include "pwhash.h"
#include "readers.h"
#include "secret.h"
#include "store_users.h"
#include "token.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field auth_fields_password_change[] = {
	{ "old", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ "new", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

enum { PJ_LOOKUP, PJ_STORE };

struct password_job {
	struct conn_job cj;
	int step;
	char username[USERNAME_SIZE];
	char *old, *new;		/* zeroed */
	size_t oldlen, newlen;
	int found;
	int64_t user_id;
	char stored[crypto_pwhash_STRBYTES];
	char hash[crypto_pwhash_STRBYTES];
	unsigned char keep[TOKEN_HASH_BYTES];	/* the asker's token */
	int revoked;
	struct guard_ticket ticket;
	enum guard_outcome outcome;
};

static int
password_run(struct store *st, struct store_job *w)
{
	struct password_job *j = (struct password_job *)w;
	int rc;

	if (j->step == PJ_STORE) {
		j->revoked = store_user_set_password(st, j->user_id, j->hash,
		    j->keep);
		return j->revoked < 0 ? -1 : 0;
	}
	rc = store_user_find(st, j->username, &j->user_id, j->stored,
	    sizeof j->stored);
	j->found = rc == 1;
	return rc < 0 ? -1 : 0;
}

static void
password_job_free(struct password_job *j)
{
	guard_login_end(&j->ticket, j->outcome, proto_now_ms());
	secret_free(j->old, j->oldlen);
	secret_free(j->new, j->newlen);
	sodium_memzero(j->stored, sizeof j->stored);
	sodium_memzero(j->hash, sizeof j->hash);
	conn_job_free(j);
}

static void
hashed(int ok, const char *hash, int stale, void *arg)
{
	struct password_job *j = arg;

	j->step = PJ_STORE;
	if (auth_store_hash(&j->cj, ok, hash, j->hash, sizeof j->hash) != 0)
		password_job_free(j);
}

/* The new password was checked: refuse it, or hash it. */
static void
checked(int ok, const char *why, void *arg)
{
	struct password_job *j = arg;

	if (auth_hash_checked(&j->cj, ok, why, j->new, j->newlen, hashed,
	    j) != 0)
		password_job_free(j);
}

/* The old password was verified: refuse, or check the new one. */
static void
verified(int ok, const char *hash, int stale, void *arg)
{
	struct password_job *j = arg;

	/* The asker's own account: deleted meanwhile, it was verified
	 * against the dummy, which nothing matches — a wrong password. */
	if (!auth_verified(&j->cj, ok, j->cj.user, "password change",
	    PROTO_E_FORBIDDEN, "wrong password", &j->outcome))
		goto out;
	if (pwcheck_submit(j->new, j->newlen, j->username, j->old, j->oldlen,
	    checked, j) == 0)
		return;
	auth_busy_hashing(&j->cj);
out:
	password_job_free(j);
}

static void
password_done(struct store_job *w, int status)
{
	struct password_job *j = (struct password_job *)w;

	if (conn_job_failed(&j->cj, status, j->step == PJ_STORE ?
	    "could not store the password" : "database error"))
		goto out;
	if (j->step == PJ_LOOKUP) {
		/* A user deleted meanwhile verifies against the dummy. */
		if (pwhash_verify(j->found ? j->stored : NULL, j->old,
		    j->oldlen, verified, j) == 0)
			return;
		auth_busy_hashing(&j->cj);
		goto out;
	}
	auth_kick(j->cj.user, NULL, j->keep, NULL, AUTH_REASON_PASSWORD);
	log_info(j->cj.c->id, "user %lld changed their password (%d other "
	    "logins revoked)", (long long)j->cj.user, j->revoked);
	conn_job_ok(&j->cj, json_pack("{s:i}", "revoked", j->revoked));
out:
	password_job_free(j);
}

void
auth_cmd_password_change(struct conn *c, const struct request *r)
{
	json_t *old = json_object_get(r->body, "old");
	json_t *new = json_object_get(r->body, "new");
	struct password_job *j;
	char why[128];
	int64_t wait;

	if (auth_check_password(json_string_length(new), why, sizeof why)) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST, why);
		return;
	}
	if (json_string_length(old) > AUTH_PASSWORD_MAX) {
		conn_reply_error(c, r->id, 1, PROTO_E_FORBIDDEN,
		    "wrong password");
		return;
	}
	j = conn_job_new(sizeof *j, c, r->id, password_run, password_done);
	j->outcome = GUARD_NOT_TRIED;
	wait = guard_login_begin(&j->ticket, c->username, c->addr,
	    proto_now_ms());
	if (wait > 0) {
		metrics_limited("login");
		auth_rate_limited(c, r->id, wait, "too many wrong passwords; "
		    "retry later");
		password_job_free(j);
		return;
	}
	snprintf(j->username, sizeof j->username, "%s", c->username);
	memcpy(j->keep, c->token_hash, sizeof j->keep);
	j->old = xstrndup(json_string_value(old), json_string_length(old));
	j->oldlen = json_string_length(old);
	j->new = xstrndup(json_string_value(new), json_string_length(new));
	j->newlen = json_string_length(new);
	readers_submit(&j->cj.job);
}
