/*
 * auth.c — the account requests and the authenticated state of a
 * connection (see auth.h).
 *
 * Every step that touches the database runs on the store's threads and
 * every hash on the thread pool; the loop only moves a request from one
 * to the next. A login is: throttle check, look the user up (a reader),
 * verify the password (Argon2id, pwhash.c), store a new token (the
 * writer), reply. It costs one verification whether or not the user
 * exists (unknown users are verified against a dummy hash), so the reply
 * time does not reveal which names are registered; both failures read the
 * same.
 */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "conn_job.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "presence.h"
#include "pwhash.h"
#include "readers.h"
#include "server.h"
#include "store.h"
#include "store_users.h"
#include "throttle.h"
#include "token.h"
#include "writer.h"
#include "xmalloc.h"

#define DAY_MS (24LL * 3600 * 1000)

const struct proto_field auth_fields_credentials[] = {
	{ "username", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ "password", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field auth_fields_token[] = {
	{ "token", PF_STRING, PF_REQUIRED, 1, 256, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static char dummy_hash[crypto_pwhash_STRBYTES];
static struct throttle *by_user, *by_addr;
static uv_timer_t purge_timer;
static int started;
static json_t *(*describe)(int64_t user);

/*
 * One account request on its way through the store and the hashing pool.
 * The same job goes from step to step (a login: AJ_LOOKUP on a reader,
 * then the hash, then AJ_LOGIN on the writer).
 */
enum { AJ_CREATE_USER, AJ_LOOKUP, AJ_LOGIN, AJ_TOKEN, AJ_LOGOUT };

struct account_job {
	struct conn_job cj;
	int kind;
	char username[USERNAME_SIZE];
	char *password;			/* login: kept for the hash; zeroed */
	size_t plen;
	int found;			/* lookup, token: 1 found */
	int64_t user_id, now, expires, renewed;
	char stored[crypto_pwhash_STRBYTES];	/* lookup: the user's hash */
	char hash[crypto_pwhash_STRBYTES];	/* new, or a rehash */
	unsigned char th[TOKEN_HASH_BYTES];
	char token[TOKEN_TEXT_LEN + 1];
};

static void account_done(struct store_job *w, int status);

static int
account_run(struct store *st, struct store_job *w)
{
	struct account_job *j = (struct account_job *)w;
	char *stored = NULL;
	int rc;

	switch (j->kind) {
	case AJ_CREATE_USER:
		return store_user_create(st, j->username, j->hash, j->now,
		    &j->user_id);
	case AJ_LOOKUP:
		rc = store_user_find(st, j->username, &j->user_id, &stored);
		if (rc == 1 && stored != NULL)
			snprintf(j->stored, sizeof j->stored, "%s", stored);
		free(stored);
		j->found = rc == 1 && j->stored[0] != '\0';
		return rc < 0 ? -1 : 0;
	case AJ_LOGIN:
		if (j->hash[0] != '\0' &&
		    store_user_set_pwhash(st, j->user_id, j->hash) == 0)
			log_info(0, "upgraded the password hash of user %lld",
			    (long long)j->user_id);
		return store_token_insert(st, j->th, j->user_id, j->now,
		    j->expires);
	case AJ_TOKEN:
		rc = store_token_find(st, j->th, &j->user_id, j->username,
		    sizeof j->username, &j->expires, &j->renewed);
		j->found = rc == 1;
		return rc < 0 ? -1 : 0;
	case AJ_LOGOUT:
		return store_token_delete(st, j->th);
	}
	return -1;
}

static struct account_job *
account_job_new(struct conn *c, int64_t re, int kind)
{
	struct account_job *j = conn_job_new(sizeof *j, c, re, account_run,
	    account_done);

	j->kind = kind;
	j->now = proto_now_ms();
	return j;
}

static void
account_job_free(struct account_job *j)
{
	if (j->password != NULL) {
		sodium_memzero(j->password, j->plen);
		free(j->password);
	}
	sodium_memzero(j->stored, sizeof j->stored);
	sodium_memzero(j->token, sizeof j->token);
	conn_job_free(j);
}

/*
 * Writes that answer nobody (renewing a token, deleting an expired one,
 * the hourly purge): fire and forget, logged when they fail.
 */
enum { TJ_RENEW, TJ_DELETE, TJ_PURGE };

struct token_job {
	struct store_job job;
	int kind;
	unsigned char th[TOKEN_HASH_BYTES];
	int64_t now, expires;
	int count;
};

static int
token_run(struct store *st, struct store_job *w)
{
	struct token_job *j = (struct token_job *)w;

	switch (j->kind) {
	case TJ_RENEW:
		return store_token_renew(st, j->th, j->now, j->expires);
	case TJ_DELETE:
		return store_token_delete(st, j->th);
	}
	j->count = store_tokens_purge(st, j->now);
	return j->count < 0 ? -1 : 0;
}

static void
token_done(struct store_job *w, int status)
{
	struct token_job *j = (struct token_job *)w;

	if (status != 0)
		log_warn(0, "could not %s", j->kind == TJ_RENEW ?
		    "renew a token" : j->kind == TJ_DELETE ?
		    "delete an expired token" : "purge expired tokens");
	else if (j->kind == TJ_PURGE && j->count > 0)
		log_info(0, "purged %d expired tokens", j->count);
	free(j);
}

static void
token_job_submit(int kind, const unsigned char *th, int64_t expires)
{
	struct token_job *j = xcalloc(1, sizeof *j);

	j->job.run = token_run;
	j->job.done = token_done;
	j->kind = kind;
	if (th != NULL)
		memcpy(j->th, th, sizeof j->th);
	j->now = proto_now_ms();
	j->expires = expires;
	writer_submit(&j->job);
}

static void
purge(uv_timer_t *t)
{
	int64_t now = proto_now_ms();

	token_job_submit(TJ_PURGE, NULL, 0);
	throttle_prune(by_user, now);
	throttle_prune(by_addr, now);
}

int
auth_init(void)
{
	const struct options *o = srv.opts;
	char pw[32];

	pwhash_configure(o->pwhash_ops, o->pwhash_mem);
	/* The dummy's password is random and forgotten: nothing matches it. */
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str(dummy_hash, pw, sizeof pw, o->pwhash_ops,
	    o->pwhash_mem) != 0) {
		log_error(0, "cannot hash with --pwhash-mem %zu: out of memory",
		    o->pwhash_mem);
		return -1;
	}
	by_user = throttle_new(o->login_failures,
	    (int64_t)o->login_window_s * 1000);
	/* An address may be a whole classroom behind one NAT: allow more. */
	by_addr = throttle_new(4 * o->login_failures,
	    (int64_t)o->login_window_s * 1000);
	uv_timer_init(srv.loop, &purge_timer);
	uv_timer_start(&purge_timer, purge, 0, 3600 * 1000);
	uv_unref((uv_handle_t *)&purge_timer);
	started = 1;
	return 0;
}

void
auth_stop(void)
{
	if (started)
		uv_close((uv_handle_t *)&purge_timer, NULL);
	started = 0;
}

void
auth_free(void)
{
	throttle_free(by_user);
	throttle_free(by_addr);
	by_user = by_addr = NULL;
}

void
auth_set_describe(json_t *(*fn)(int64_t user))
{
	describe = fn;
}

/* c stops being authenticated; the user may go offline with it, which
 * presence tells its subscribers. */
static void
unbind(struct conn *c)
{
	presence_unbind(c);
}

/* c is now authenticated as user: reply, then tell presence's
 * subscribers (who bring back any live session). */
static void
bind_user(struct conn *c, int64_t re, int64_t user, const char *username,
    const unsigned char *th, const char *token, int64_t expires_at)
{
	int first;
	json_t *f;

	first = presence_bind(c, user, username);
	memcpy(c->token_hash, th, TOKEN_HASH_BYTES);
	c->has_token = 1;
	f = json_pack("{s:I,s:s,s:I,s:o}", "user_id", (json_int_t)user,
	    "username", username, "expires_at", (json_int_t)expires_at,
	    "session", describe != NULL ? describe(user) : json_null());
	if (token != NULL)
		json_object_set_new(f, "token", json_string(token));
	conn_reply_ok(c, re, f);
	presence_announce(c, first);
}

void
auth_conn_closed(struct conn *c)
{
	unbind(c);
}

int
auth_check_username(const char *in, size_t len, char *out, char *why,
    size_t whylen)
{
	if (len < USERNAME_MIN || len > USERNAME_MAX) {
		snprintf(why, whylen, "username must be %d to %d characters",
		    USERNAME_MIN, USERNAME_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		char ch = in[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '_' || ch == '.' || ch == '-')) {
			snprintf(why, whylen, "username may contain only a-z, "
			    "0-9, '_', '.' and '-'");
			return -1;
		}
		out[i] = ch;
	}
	out[len] = '\0';
	return 0;
}

int
auth_check_password(size_t len, char *why, size_t whylen)
{
	if (len < AUTH_PASSWORD_MIN || len > AUTH_PASSWORD_MAX) {
		snprintf(why, whylen, "password must be %d to %d bytes",
		    AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		return -1;
	}
	return 0;
}

/* Read and check username and password; replies and returns -1 if bad. */
static int
credentials(struct conn *c, const struct request *r, char *username,
    const char **password, size_t *plen)
{
	json_t *u = json_object_get(r->body, "username");
	json_t *p = json_object_get(r->body, "password");
	char why[128];

	if (auth_check_username(json_string_value(u), json_string_length(u),
	    username, why, sizeof why) != 0 ||
	    auth_check_password(json_string_length(p), why, sizeof why) != 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST, why);
		return -1;
	}
	*password = json_string_value(p);
	*plen = json_string_length(p);
	return 0;
}

static void
busy_hashing(const struct conn_job *j)
{
	conn_job_error(j, PROTO_E_RATE_LIMITED,
	    "server busy hashing passwords; retry shortly");
}

static void
registered(int ok, const char *hash, const char *rehash, void *arg)
{
	struct account_job *j = arg;

	if (ok != 1) {
		conn_job_error(&j->cj, PROTO_E_INTERNAL,
		    "could not hash the password");
		account_job_free(j);
		return;
	}
	snprintf(j->hash, sizeof j->hash, "%s", hash);
	j->now = proto_now_ms();
	writer_submit(&j->cj.job);
}

void
auth_cmd_register(struct conn *c, const struct request *r)
{
	char username[USERNAME_SIZE];
	const char *password;
	size_t plen;
	struct account_job *j;

	if (credentials(c, r, username, &password, &plen) != 0)
		return;
	/* Hash first, whether or not the name is taken: the reply's time
	 * does not tell which names exist. */
	j = account_job_new(c, r->id, AJ_CREATE_USER);
	snprintf(j->username, sizeof j->username, "%s", username);
	if (pwhash_hash(password, plen, registered, j) != 0) {
		busy_hashing(&j->cj);
		account_job_free(j);
	}
}

/* What a login is throttled by: its username, and the client's address. */
#define USER_KEY_PREFIX	"u:"
#define ADDR_KEY_PREFIX	"a:"
struct login_keys {
	char user[sizeof USER_KEY_PREFIX - 1 + USERNAME_SIZE];
	char addr[sizeof ADDR_KEY_PREFIX - 1 + sizeof ((struct conn *)0)->addr];
};

static void
login_keys(struct login_keys *k, const char *username, const struct conn *c)
{
	snprintf(k->user, sizeof k->user, USER_KEY_PREFIX "%s", username);
	snprintf(k->addr, sizeof k->addr, ADDR_KEY_PREFIX "%s", c->addr);
}

static void
logged_in(int ok, const char *hash, const char *rehash, void *arg)
{
	struct account_job *j = arg;
	struct login_keys k;

	login_keys(&k, j->username, j->cj.c);
	if (ok < 0) {
		conn_job_error(&j->cj, PROTO_E_INTERNAL,
		    "could not verify the password");
		goto out;
	}
	if (ok == 0 || !j->found) {
		/* Counted as a failure already, when it was let through. */
		metrics_login_failed();
		log_info(j->cj.c->id, "failed login for %s", j->username);
		conn_job_error(&j->cj, PROTO_E_UNAUTHENTICATED,
		    "wrong username or password");
		goto out;
	}
	throttle_reset(by_user, k.user);
	throttle_undo(by_addr, k.addr);
	j->kind = AJ_LOGIN;
	j->now = proto_now_ms();
	if (rehash != NULL)
		snprintf(j->hash, sizeof j->hash, "%s", rehash);
	token_new(j->token, j->th);
	j->expires = j->now + srv.opts->token_days * DAY_MS;
	/* The reply, with the token, waits for the token's commit. */
	writer_submit(&j->cj.job);
	return;
out:
	account_job_free(j);
}

/* The user was looked up: verify the password, against a dummy hash
 * when there is no such user. */
static void
looked_up(struct account_job *j)
{
	if (pwhash_verify(j->found ? j->stored : dummy_hash, j->password,
	    j->plen, logged_in, j) != 0) {
		busy_hashing(&j->cj);
		account_job_free(j);
	}
}

static void
rate_limited(struct conn *c, int64_t re, int64_t retry_ms)
{
	json_t *e = proto_error(re, 1, PROTO_E_RATE_LIMITED,
	    "too many failed logins; retry later");

	json_object_set_new(e, "retry_after_ms", json_integer(retry_ms));
	conn_send(c, e);
}

void
auth_cmd_login(struct conn *c, const struct request *r)
{
	char username[USERNAME_SIZE];
	struct login_keys k;
	const char *password;
	size_t plen;
	int64_t now = proto_now_ms(), wait_u, wait_a;
	struct account_job *j;

	metrics_login_attempt();
	if (credentials(c, r, username, &password, &plen) != 0)
		return;
	login_keys(&k, username, c);
	wait_u = throttle_check(by_user, k.user, now);
	wait_a = throttle_check(by_addr, k.addr, now);
	if (wait_u > 0 || wait_a > 0) {
		log_info(c->id, "login for %s throttled", username);
		rate_limited(c, r->id, wait_u > wait_a ? wait_u : wait_a);
		return;
	}
	/*
	 * Count the attempt as a failure now, before it is verified:
	 * otherwise a burst of guesses sent together would all pass the
	 * check while the first ones are still hashing. A success takes it
	 * back.
	 */
	throttle_fail(by_user, k.user, now);
	throttle_fail(by_addr, k.addr, now);
	j = account_job_new(c, r->id, AJ_LOOKUP);
	snprintf(j->username, sizeof j->username, "%s", username);
	j->password = xmalloc(plen + 1);
	memcpy(j->password, password, plen);
	j->plen = plen;
	readers_submit(&j->cj.job);
}

/* The token was looked up: refuse it, or renew and bind. */
static void
token_found(struct account_job *j)
{
	int64_t now = proto_now_ms();

	if (j->found && j->expires <= now) {
		/* Expired: refused, and purged on sight. */
		token_job_submit(TJ_DELETE, j->th, 0);
		j->found = 0;
	}
	if (!j->found) {
		conn_job_error(&j->cj, PROTO_E_UNAUTHENTICATED,
		    "invalid or expired token");
		return;
	}
	/* Renewed on use, but written at most once a day. */
	if (now - j->renewed >= DAY_MS) {
		j->expires = now + srv.opts->token_days * DAY_MS;
		token_job_submit(TJ_RENEW, j->th, j->expires);
	}
	if (!conn_is_open(j->cj.c))
		return;
	log_info(j->cj.c->id, "authenticated as user %lld (%s)",
	    (long long)j->user_id, j->username);
	bind_user(j->cj.c, j->cj.re, j->user_id, j->username, j->th, NULL,
	    j->expires);
}

void
auth_cmd_auth(struct conn *c, const struct request *r)
{
	json_t *t = json_object_get(r->body, "token");
	struct account_job *j;
	unsigned char th[TOKEN_HASH_BYTES];

	if (token_hash_text(json_string_value(t), json_string_length(t),
	    th) != 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_UNAUTHENTICATED,
		    "invalid or expired token");
		return;
	}
	j = account_job_new(c, r->id, AJ_TOKEN);
	memcpy(j->th, th, sizeof th);
	readers_submit(&j->cj.job);
}

/* The token is deleted: revoke it on every connection that used it. */
static void
logged_out(struct account_job *j)
{
	struct conn *c = j->cj.c, *o, *next;

	for (o = presence_first(j->cj.user); o != NULL; o = next) {
		next = o->user_next;
		if (o == c || !o->has_token ||
		    sodium_memcmp(o->token_hash, j->th, sizeof j->th) != 0)
			continue;
		unbind(o);
		conn_send(o, proto_push("logged_out", json_pack("{s:s}",
		    "reason", "logout")));
	}
	if (c->user_id == j->cj.user)
		unbind(c);
	log_info(c->id, "logged out user %lld", (long long)j->cj.user);
	conn_job_ok(&j->cj, NULL);
}

void
auth_cmd_logout(struct conn *c, const struct request *r)
{
	struct account_job *j;

	if (!c->has_token) {
		unbind(c);
		conn_reply_ok(c, r->id, NULL);
		return;
	}
	j = account_job_new(c, r->id, AJ_LOGOUT);
	memcpy(j->th, c->token_hash, sizeof j->th);
	writer_submit(&j->cj.job);
}

static void
created(struct account_job *j, int status)
{
	if (status == STORE_CONFLICT)
		conn_job_error(&j->cj, PROTO_E_CONFLICT, "username is taken");
	else if (status != 0)
		conn_job_error(&j->cj, PROTO_E_INTERNAL,
		    "could not store the account");
	else {
		log_info(j->cj.c->id, "registered user %lld (%s)",
		    (long long)j->user_id, j->username);
		conn_job_ok(&j->cj, json_pack("{s:I}", "user_id",
		    (json_int_t)j->user_id));
	}
}

static void
account_done(struct store_job *w, int status)
{
	struct account_job *j = (struct account_job *)w;
	static const char *const failed[] = { "could not store the account",
		"database error", "could not store the login",
		"database error", "could not revoke the token" };

	if (conn_job_failed(&j->cj, status, failed[j->kind]))
		goto out;
	switch (j->kind) {
	case AJ_CREATE_USER:
		created(j, status);
		break;
	case AJ_LOOKUP:
		looked_up(j);
		return;		/* the job goes on to the hash */
	case AJ_LOGIN:
		if (!conn_is_open(j->cj.c))
			break;
		log_info(j->cj.c->id, "logged in as user %lld (%s)",
		    (long long)j->user_id, j->username);
		bind_user(j->cj.c, j->cj.re, j->user_id, j->username, j->th,
		    j->token, j->expires);
		break;
	case AJ_TOKEN:
		token_found(j);
		break;
	case AJ_LOGOUT:
		logged_out(j);
		break;
	}
out:
	account_job_free(j);
}
