/*
 * auth.c — the account requests register, login, auth and logout, and the
 * authenticated state of a connection (see auth.h).
 *
 * Every step that touches the database runs on the store's threads and
 * every hash on the thread pool; the loop only moves a request from one
 * to the next. A login is: the throttles (guard.c), look the user up (a
 * reader), verify the password (Argon2id, pwhash.c), store a new token
 * (the writer), reply. It costs one verification with the current limits
 * whether or not the user exists (unknown users are verified against a
 * dummy hash; an old, weaker hash is answered at the usual time), so the
 * reply time does not reveal which names are registered; both failures
 * read the same. A hash that wants upgrading is replaced after the reply,
 * in the background.
 *
 * Usernames reach the log only once they are known to be an account's:
 * a failed login's username may be a password typed into the wrong box.
 */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_int.h"
#include "conn.h"
#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "presence.h"
#include "pwcheck.h"
#include "pwhash.h"
#include "readers.h"
#include "rehash.h"
#include "secret.h"
#include "server.h"
#include "store.h"
#include "store_users.h"
#include "token.h"
#include "writer.h"
#include "xmalloc.h"

#define HOUR_MS (3600LL * 1000)
/* The throttles are pruned every minute, expired tokens every hour. */
#define PRUNE_MS (60 * 1000)
#define PURGE_EVERY 60

_Static_assert(AUTH_DEVICE_MAX == STORE_LABEL_MAX,
    "the store keeps device labels as long as login takes them");

const struct proto_field auth_fields_credentials[] = {
	{ "username", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ "password", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field auth_fields_login[] = {
	{ "username", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ "password", PF_STRING, PF_REQUIRED, 0, 0, NULL },
	{ "device", PF_STRING, PF_NULLABLE, 1, AUTH_DEVICE_MAX, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field auth_fields_token[] = {
	{ "token", PF_STRING, PF_REQUIRED, 1, 256, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field auth_fields_logout[] = {
	{ "all", PF_BOOL, PF_NULLABLE, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static uv_timer_t prune_timer;
static unsigned prune_ticks;
static int started;
static json_t *(*describe)(int64_t user);

/*
 * One account request on its way through the store, the password checks
 * and the hashing pool. The same job goes from step to step (a login:
 * AJ_LOOKUP on a reader, then the hash, then AJ_LOGIN on the writer).
 */
enum { AJ_CREATE_USER, AJ_LOOKUP, AJ_LOGIN, AJ_TOKEN, AJ_LOGOUT,
	AJ_LOGOUT_ALL };

struct account_job {
	struct conn_job cj;
	int kind;
	char username[USERNAME_SIZE];
	char *password;			/* kept for the hash; zeroed */
	size_t plen;
	int found;			/* lookup, token: 1 found */
	int stale;			/* login: the hash wants upgrading */
	int64_t user_id, now, expires;
	struct store_token tok;		/* auth: the token found */
	char stored[crypto_pwhash_STRBYTES];	/* lookup: the user's hash */
	char hash[crypto_pwhash_STRBYTES];	/* register: the new hash */
	unsigned char th[TOKEN_HASH_BYTES];
	char token[TOKEN_TEXT_LEN + 1];
	char label[AUTH_DEVICE_MAX + 1];	/* login: "" for none */
	char addr[sizeof ((struct conn *)0)->addr];
	struct guard_ticket ticket;	/* ended when the job is freed */
	enum guard_outcome outcome;	/* login */
	int counted;			/* register: a hash was spent */
};

static void account_done(struct store_job *w, int status);

static int
account_run(struct store *st, struct store_job *w)
{
	struct account_job *j = (struct account_job *)w;
	int rc;

	switch (j->kind) {
	case AJ_CREATE_USER:
		return store_user_create(st, j->username, j->hash, j->now,
		    &j->user_id);
	case AJ_LOOKUP:
		rc = store_user_find(st, j->username, &j->user_id, j->stored,
		    sizeof j->stored);
		j->found = rc == 1;
		return rc < 0 ? -1 : 0;
	case AJ_LOGIN:
		return store_token_insert(st, j->th, j->user_id, j->now,
		    j->expires, j->label[0] != '\0' ? j->label : NULL,
		    j->addr);
	case AJ_TOKEN:
		rc = store_token_find(st, j->th, &j->tok);
		j->found = rc == 1;
		return rc < 0 ? -1 : 0;
	case AJ_LOGOUT:
		return store_token_delete(st, j->th);
	case AJ_LOGOUT_ALL:
		return store_tokens_revoke_all(st, j->cj.user) < 0 ? -1 : 0;
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
	j->outcome = GUARD_NOT_TRIED;
	snprintf(j->addr, sizeof j->addr, "%s", c->addr);
	return j;
}

static void
keep_password(struct account_job *j, const char *password, size_t plen)
{
	j->password = xstrndup(password, plen);
	j->plen = plen;
}

static void
account_job_free(struct account_job *j)
{
	int64_t now = proto_now_ms();

	guard_login_end(&j->ticket, j->outcome, now);
	guard_register_end(&j->ticket, j->counted, now);
	secret_free(j->password, j->plen);
	sodium_memzero(j->stored, sizeof j->stored);
	sodium_memzero(j->token, sizeof j->token);
	conn_job_free(j);
}

/*
 * Writes that answer nobody (recording a token's use, deleting a dead
 * one, the hourly purge): fire and forget, logged when they fail.
 */
enum { TJ_TOUCH, TJ_DELETE, TJ_PURGE };

struct token_job {
	struct store_job job;
	int kind;
	unsigned char th[TOKEN_HASH_BYTES];
	int64_t now, renewed, expires;
	int64_t born_before;	/* purge: made then or before: too old */
	int count;
};

static int
token_run(struct store *st, struct store_job *w)
{
	struct token_job *j = (struct token_job *)w;

	switch (j->kind) {
	case TJ_TOUCH:
		return store_token_touch(st, j->th, j->now, j->renewed,
		    j->expires);
	case TJ_DELETE:
		return store_token_delete(st, j->th);
	}
	j->count = store_tokens_purge(st, j->now, j->born_before);
	return j->count < 0 ? -1 : 0;
}

static void
token_done(struct store_job *w, int status)
{
	struct token_job *j = (struct token_job *)w;
	static const char *const what[] = { "record a token's use",
		"delete an expired token", "purge expired tokens" };

	if (status != 0)
		log_warn(0, "could not %s", what[j->kind]);
	else if (j->kind == TJ_PURGE && j->count > 0)
		log_info(0, "purged %d expired tokens", j->count);
	free(j);
}

static void
token_job_submit(int kind, const unsigned char *th, int64_t renewed,
    int64_t expires)
{
	struct token_job *j = xcalloc(1, sizeof *j);

	j->job.run = token_run;
	j->job.done = token_done;
	j->kind = kind;
	if (th != NULL)
		memcpy(j->th, th, sizeof j->th);
	j->now = proto_now_ms();
	j->renewed = renewed;
	j->expires = expires;
	j->born_before = j->now - auth_token_end(0);
	writer_submit(&j->job);
}

int64_t
auth_token_end(int64_t created_at)
{
	return created_at + srv.opts->token_max_days * AUTH_DAY_MS;
}

/* A token made or renewed at now: the sliding expiry, never past its
 * absolute end. */
static int64_t
token_expiry(int64_t now, int64_t created_at)
{
	int64_t sliding = now + srv.opts->token_days * AUTH_DAY_MS;
	int64_t end = auth_token_end(created_at);

	return sliding < end ? sliding : end;
}

static void
prune(uv_timer_t *t)
{
	guard_prune(proto_now_ms());
	if (prune_ticks++ % PURGE_EVERY == 0)
		token_job_submit(TJ_PURGE, NULL, 0, 0);
}

int
auth_init(void)
{
	const struct options *o = srv.opts;
	char why[512];

	if (pwhash_configure(o->pwhash_ops, o->pwhash_mem) != 0) {
		log_error(0, "cannot hash with --pwhash-mem %zu: out of memory",
		    o->pwhash_mem);
		return -1;
	}
	if (pwcheck_start(AUTH_PASSWORD_MIN, why, sizeof why) != 0) {
		log_error(0, "%s", why);
		return -1;
	}
	guard_init();
	uv_timer_init(srv.loop, &prune_timer);
	uv_timer_start(&prune_timer, prune, 0, PRUNE_MS);
	uv_unref((uv_handle_t *)&prune_timer);
	started = 1;
	return 0;
}

void
auth_stop(void)
{
	if (started)
		uv_close((uv_handle_t *)&prune_timer, NULL);
	started = 0;
}

void
auth_free(void)
{
	guard_free();
	pwcheck_free();
}

void
auth_set_describe(json_t *(*fn)(int64_t user))
{
	describe = fn;
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
	presence_unbind(c);
}

static int
same_token(const struct conn *o, const unsigned char *th)
{
	return o->has_token && sodium_memcmp(o->token_hash, th,
	    TOKEN_HASH_BYTES) == 0;
}

void
auth_kick(int64_t user, const unsigned char *th, const unsigned char *keep,
    struct conn *asker, const char *reason)
{
	struct conn *o, *next;

	for (o = presence_first(user); o != NULL; o = next) {
		next = o->user_next;
		if ((th != NULL && !same_token(o, th)) ||
		    (keep != NULL && same_token(o, keep)))
			continue;
		presence_unbind(o);
		if (o != asker)
			conn_send(o, proto_push("logged_out", json_pack(
			    "{s:s}", "reason", reason)));
	}
}

void
auth_rate_limited(struct conn *c, int64_t re, int64_t retry_ms,
    const char *message)
{
	json_t *e = proto_error(re, 1, PROTO_E_RATE_LIMITED, message);

	json_object_set_new(e, "retry_after_ms", json_integer(retry_ms));
	conn_send(c, e);
}

void
auth_busy_hashing(const struct conn_job *j)
{
	/* No retry_after_ms: a moment, not a penalty (clients tell the
	 * two apart by it). */
	conn_job_error(j, PROTO_E_RATE_LIMITED,
	    "server busy hashing passwords; retry shortly");
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

int
auth_check_device(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (len < 1 || len > AUTH_DEVICE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		/* C0 controls, DEL, and C1 controls (U+0080-U+009F: C2 xx). */
		if (p[i] < 0x20 || p[i] == 0x7f || (p[i] == 0xc2 && i + 1 <
		    len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f))
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

int
auth_store_hash(struct conn_job *j, int ok, const char *hash, char *out,
    size_t len)
{
	if (ok != 1) {
		conn_job_error(j, PROTO_E_INTERNAL,
		    "could not hash the password");
		return -1;
	}
	snprintf(out, len, "%s", hash);
	writer_submit(&j->job);
	return 0;
}

static void
registered(int ok, const char *hash, int stale, void *arg)
{
	struct account_job *j = arg;

	j->now = proto_now_ms();
	if (auth_store_hash(&j->cj, ok, hash, j->hash, sizeof j->hash) != 0)
		account_job_free(j);
}

int
auth_hash_checked(const struct conn_job *j, int ok, const char *why,
    const char *password, size_t len, pwhash_cb cb, void *arg)
{
	if (ok != 1) {
		conn_job_error(j, ok == 0 ? PROTO_E_BAD_REQUEST :
		    PROTO_E_INTERNAL, ok == 0 ? why :
		    "could not check the password");
		return -1;
	}
	if (pwhash_hash(password, len, cb, arg) != 0) {
		auth_busy_hashing(j);
		return -1;
	}
	return 0;
}

/* The new password was checked: refuse it, or hash it — first, whether
 * or not the name is taken: the reply's time does not tell which names
 * exist. */
static void
register_checked(int ok, const char *why, void *arg)
{
	struct account_job *j = arg;

	if (auth_hash_checked(&j->cj, ok, why, j->password, j->plen,
	    registered, j) != 0)
		account_job_free(j);
}

void
auth_cmd_register(struct conn *c, const struct request *r)
{
	char username[USERNAME_SIZE];
	const char *password;
	size_t plen;
	struct account_job *j;
	int64_t wait;

	if (credentials(c, r, username, &password, &plen) != 0)
		return;
	j = account_job_new(c, r->id, AJ_CREATE_USER);
	wait = guard_register_begin(&j->ticket, c->addr, j->now);
	if (wait > 0) {
		metrics_limited("registrations_per_hour");
		auth_rate_limited(c, r->id, wait, "too many registrations "
		    "from this address; retry later");
		account_job_free(j);
		return;
	}
	snprintf(j->username, sizeof j->username, "%s", username);
	keep_password(j, password, plen);
	if (pwcheck_submit(password, plen, username, NULL, 0,
	    register_checked, j) != 0) {
		auth_busy_hashing(&j->cj);
		account_job_free(j);
	}
}

int
auth_verified(const struct conn_job *j, int ok, int64_t user,
    const char *what, enum proto_err code, const char *message,
    enum guard_outcome *o)
{
	if (ok < 0) {
		conn_job_error(j, PROTO_E_INTERNAL,
		    "could not verify the password");
		return 0;
	}
	if (ok == 1 && user != 0) {
		*o = GUARD_RIGHT;
		return 1;
	}
	*o = user != 0 ? GUARD_WRONG : GUARD_NO_ACCOUNT;
	metrics_login_failed();
	/* Never the username: it may be a password in the wrong box. */
	if (user != 0)
		log_info(j->c->id, "%s failed: wrong password (user %lld)",
		    what, (long long)user);
	else
		log_info(j->c->id, "%s failed: a username that has no "
		    "account", what);
	conn_job_error(j, code, message);
	return 0;
}

static void
logged_in(int ok, const char *hash, int stale, void *arg)
{
	struct account_job *j = arg;

	if (!auth_verified(&j->cj, ok, j->found ? j->user_id : 0, "login",
	    PROTO_E_UNAUTHENTICATED, "wrong username or password",
	    &j->outcome))
		goto out;
	j->stale = stale;
	j->kind = AJ_LOGIN;
	j->now = proto_now_ms();
	token_new(j->token, j->th);
	j->expires = token_expiry(j->now, j->now);
	/* The reply, with the token, waits for the token's commit. */
	writer_submit(&j->cj.job);
	return;
out:
	account_job_free(j);
}

/* The user was looked up: verify the password, against the dummy hash
 * when there is no such user. */
static void
looked_up(struct account_job *j)
{
	if (pwhash_verify(j->found ? j->stored : NULL, j->password, j->plen,
	    logged_in, j) != 0) {
		auth_busy_hashing(&j->cj);
		account_job_free(j);
	}
}

/* The device label of a login: "" without one; -1 after replying. */
static int
device_label(struct conn *c, const struct request *r, char *out, size_t len)
{
	json_t *d = json_object_get(r->body, "device");

	out[0] = '\0';
	if (!json_is_string(d))
		return 0;
	if (auth_check_device(json_string_value(d), json_string_length(d))) {
		conn_reply_error(c, r->id, 1, PROTO_E_BAD_REQUEST, "device "
		    "must be text without control characters");
		return -1;
	}
	snprintf(out, len, "%s", json_string_value(d));
	return 0;
}

void
auth_cmd_login(struct conn *c, const struct request *r)
{
	char username[USERNAME_SIZE], label[AUTH_DEVICE_MAX + 1];
	const char *password;
	size_t plen;
	int64_t wait;
	struct account_job *j;

	metrics_login_attempt();
	if (credentials(c, r, username, &password, &plen) != 0 ||
	    device_label(c, r, label, sizeof label) != 0)
		return;
	j = account_job_new(c, r->id, AJ_LOOKUP);
	wait = guard_login_begin(&j->ticket, username, c->addr, j->now);
	if (wait > 0) {
		log_info(c->id, "login throttled for %lld ms",
		    (long long)wait);
		metrics_limited("login");
		auth_rate_limited(c, r->id, wait, "too many failed logins; "
		    "retry later");
		account_job_free(j);
		return;
	}
	snprintf(j->username, sizeof j->username, "%s", username);
	snprintf(j->label, sizeof j->label, "%s", label);
	keep_password(j, password, plen);
	readers_submit(&j->cj.job);
}

/* The token was looked up: refuse it, or record its use and bind. */
static void
token_found(struct account_job *j)
{
	int64_t now = proto_now_ms(), renewed, expires;
	struct store_token *t = &j->tok;

	if (j->found && (t->expires_at <= now ||
	    auth_token_end(t->created_at) <= now)) {
		/* Expired, or past its absolute life: refused, and purged
		 * on sight. */
		token_job_submit(TJ_DELETE, j->th, 0, 0);
		j->found = 0;
	}
	if (!j->found) {
		conn_job_error(&j->cj, PROTO_E_UNAUTHENTICATED,
		    "invalid or expired token");
		return;
	}
	/* Renewed on use, but written at most once a day; its use at most
	 * once an hour. */
	renewed = t->renewed_at;
	expires = t->expires_at;
	if (now - renewed >= AUTH_DAY_MS) {
		renewed = now;
		expires = token_expiry(now, t->created_at);
	}
	if (renewed == now || now - t->last_used_at >= HOUR_MS)
		token_job_submit(TJ_TOUCH, j->th, renewed, expires);
	if (!conn_is_open(j->cj.c))
		return;
	log_info(j->cj.c->id, "authenticated as user %lld (%s)",
	    (long long)t->user_id, t->username);
	bind_user(j->cj.c, j->cj.re, t->user_id, t->username, j->th, NULL,
	    expires);
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

/* The token (or every token of the user) is deleted: log out the
 * connections that used it. */
static void
logged_out(struct account_job *j)
{
	struct conn *c = j->cj.c;

	auth_kick(j->cj.user, j->kind == AJ_LOGOUT_ALL ? NULL : j->th, NULL,
	    c, AUTH_REASON_LOGOUT);
	log_info(c->id, "logged out user %lld%s", (long long)j->cj.user,
	    j->kind == AJ_LOGOUT_ALL ? " everywhere" : "");
	conn_job_ok(&j->cj, NULL);
}

void
auth_cmd_logout(struct conn *c, const struct request *r)
{
	struct account_job *j;
	int all = json_is_true(json_object_get(r->body, "all"));

	if (!all && !c->has_token) {
		presence_unbind(c);
		conn_reply_ok(c, r->id, NULL);
		return;
	}
	j = account_job_new(c, r->id, all ? AJ_LOGOUT_ALL : AJ_LOGOUT);
	memcpy(j->th, c->token_hash, sizeof j->th);
	writer_submit(&j->cj.job);
}

static void
created(struct account_job *j, int status)
{
	j->counted = 1;
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

/* The token is stored: reply, then upgrade an old hash behind it. */
static void
login_stored(struct account_job *j)
{
	if (j->stale)
		rehash_start(j->user_id, j->stored, j->password, j->plen);
	if (!conn_is_open(j->cj.c))
		return;
	log_info(j->cj.c->id, "logged in as user %lld (%s)",
	    (long long)j->user_id, j->username);
	bind_user(j->cj.c, j->cj.re, j->user_id, j->username, j->th, j->token,
	    j->expires);
}

static void
account_done(struct store_job *w, int status)
{
	struct account_job *j = (struct account_job *)w;
	static const char *const failed[] = { "could not store the account",
		"database error", "could not store the login",
		"database error", "could not revoke the token",
		"could not revoke the tokens" };

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
		login_stored(j);
		break;
	case AJ_TOKEN:
		token_found(j);
		break;
	case AJ_LOGOUT:
	case AJ_LOGOUT_ALL:
		logged_out(j);
		break;
	}
out:
	account_job_free(j);
}
