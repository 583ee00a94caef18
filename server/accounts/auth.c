/*
 * auth.c — the account requests and the authenticated state of a
 * connection (see auth.h).
 *
 * A login costs one Argon2id verification whether or not the user exists
 * (unknown users are verified against a dummy hash), so the reply time does
 * not reveal which names are registered; both failures read the same.
 */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "presence.h"
#include "pwhash.h"
#include "queue.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "store_users.h"
#include "throttle.h"
#include "token.h"
#include "view.h"
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

/* One pending register or login: the connection and what it asked. */
struct pending {
	struct conn *c;
	int64_t re;
	int64_t user_id;	/* login: 0 when the name is unknown */
	char username[AUTH_USERNAME_MAX + 1];
};

/*
 * Account writes go through the writer (writer.h) like every other write:
 * the loop thread never waits for a commit. A reply that depends on the
 * write (a new account, a login's token, a logout) is sent from done.
 */
enum { AJ_CREATE_USER, AJ_LOGIN, AJ_RENEW, AJ_DELETE_TOKEN, AJ_PURGE };

struct account_job {
	struct wjob w;
	int kind;
	struct pending *p;		/* register and login */
	struct conn *c;			/* logout */
	int64_t re, user_id, now, expires;
	char hash[crypto_pwhash_STRBYTES];	/* new, or a rehash */
	unsigned char th[TOKEN_HASH_BYTES];
	char token[TOKEN_TEXT_LEN + 1];
	int count;
};

static void account_done(struct wjob *w, int status);
static void logged_out(struct account_job *j, int status);

static int
account_run(struct store *st, struct wjob *w)
{
	struct account_job *j = (struct account_job *)w;

	switch (j->kind) {
	case AJ_CREATE_USER:
		return store_user_create(st, j->p->username, j->hash, j->now,
		    &j->user_id);
	case AJ_LOGIN:
		if (j->hash[0] != '\0' &&
		    store_user_set_pwhash(st, j->user_id, j->hash) == 0)
			log_info(0, "upgraded the password hash of user %lld",
			    (long long)j->user_id);
		return store_token_insert(st, j->th, j->user_id, j->now,
		    j->expires);
	case AJ_RENEW:
		return store_token_renew(st, j->th, j->now, j->expires);
	case AJ_DELETE_TOKEN:
		return store_token_delete(st, j->th);
	case AJ_PURGE:
		j->count = store_tokens_purge(st, j->now);
		return j->count < 0 ? -1 : 0;
	}
	return -1;
}

static struct account_job *
account_job(int kind)
{
	struct account_job *j = xcalloc(1, sizeof *j);

	j->w.run = account_run;
	j->w.done = account_done;
	j->kind = kind;
	j->now = proto_now_ms();
	return j;
}

static void
purge(uv_timer_t *t)
{
	int64_t now = proto_now_ms();

	writer_submit(&account_job(AJ_PURGE)->w);
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
	return 0;
}

void
auth_shutdown(void)
{
	uv_close((uv_handle_t *)&purge_timer, NULL);
	throttle_free(by_user);
	throttle_free(by_addr);
	by_user = by_addr = NULL;
}

/* c stops being authenticated; the user may have gone offline with it. */
static void
unbind(struct conn *c)
{
	int64_t user = c->user_id;

	if (user != 0 && presence_unbind(c)) {
		queue_user_gone(user);
		session_user_offline(user);
	}
}

/* c is now authenticated as user: reply, then restore any live session. */
static void
bind_user(struct conn *c, int64_t re, int64_t user, const char *username,
    const unsigned char *th, const char *token, int64_t expires_at)
{
	int first;
	json_t *f;

	if (c->user_id != 0 && c->user_id != user)
		unbind(c);
	first = presence_bind(c, user, username);
	memcpy(c->token_hash, th, TOKEN_HASH_BYTES);
	c->has_token = 1;
	f = json_pack("{s:I,s:s,s:I,s:o}", "user_id", (json_int_t)user,
	    "username", username, "expires_at", (json_int_t)expires_at,
	    "session", view_brief(user));
	if (token != NULL)
		json_object_set_new(f, "token", json_string(token));
	conn_reply_ok(c, re, f);
	session_user_online(c, first);
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
	if (len < AUTH_USERNAME_MIN || len > AUTH_USERNAME_MAX) {
		snprintf(why, whylen, "username must be %d to %d characters",
		    AUTH_USERNAME_MIN, AUTH_USERNAME_MAX);
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

static struct pending *
pending_new(struct conn *c, const struct request *r, const char *username)
{
	struct pending *p = xcalloc(1, sizeof *p);

	conn_ref(c);
	p->c = c;
	p->re = r->id;
	snprintf(p->username, sizeof p->username, "%s", username);
	return p;
}

static void
pending_free(struct pending *p)
{
	conn_unref(p->c);
	free(p);
}

static void
registered(int ok, const char *hash, const char *rehash, void *arg)
{
	struct pending *p = arg;
	struct account_job *j;

	if (ok != 1) {
		conn_reply_error(p->c, p->re, 1, PROTO_E_INTERNAL,
		    "could not hash the password");
		pending_free(p);
		return;
	}
	j = account_job(AJ_CREATE_USER);
	j->p = p;
	snprintf(j->hash, sizeof j->hash, "%s", hash);
	writer_submit(&j->w);
}

void
auth_cmd_register(struct conn *c, const struct request *r)
{
	char username[AUTH_USERNAME_MAX + 1], *stored = NULL;
	const char *password;
	size_t plen;
	int64_t id;
	struct pending *p;
	int rc;

	if (credentials(c, r, username, &password, &plen) != 0)
		return;
	/* A taken name is cheap to spot: do not spend a hash on it. */
	rc = store_user_find(srv.store, username, &id, &stored);
	free(stored);
	if (rc != 0) {
		conn_reply_error(c, r->id, 1, rc > 0 ? PROTO_E_CONFLICT :
		    PROTO_E_INTERNAL, rc > 0 ? "username is taken" :
		    "database error");
		return;
	}
	p = pending_new(c, r, username);
	if (pwhash_hash(password, plen, registered, p) != 0) {
		pending_free(p);
		conn_reply_error(c, r->id, 1, PROTO_E_RATE_LIMITED,
		    "server busy hashing passwords; retry shortly");
	}
}

static void
addr_key(char *buf, size_t len, const struct conn *c)
{
	snprintf(buf, len, "a:%s", c->addr);
}

static void
user_key(char *buf, size_t len, const char *username)
{
	snprintf(buf, len, "u:%s", username);
}

static void
logged_in(int ok, const char *hash, const char *rehash, void *arg)
{
	struct pending *p = arg;
	int64_t now = proto_now_ms();
	char ukey[64], akey[80];
	struct account_job *j;

	user_key(ukey, sizeof ukey, p->username);
	addr_key(akey, sizeof akey, p->c);
	if (ok < 0) {
		conn_reply_error(p->c, p->re, 1, PROTO_E_INTERNAL,
		    "could not verify the password");
		goto out;
	}
	if (ok == 0 || p->user_id == 0) {
		/* Counted as a failure already, when it was let through. */
		metrics_login_failed();
		log_info(p->c->id, "failed login for %s", p->username);
		conn_reply_error(p->c, p->re, 1, PROTO_E_UNAUTHENTICATED,
		    "wrong username or password");
		goto out;
	}
	throttle_reset(by_user, ukey);
	throttle_undo(by_addr, akey);
	j = account_job(AJ_LOGIN);
	j->p = p;
	j->user_id = p->user_id;
	if (rehash != NULL)
		snprintf(j->hash, sizeof j->hash, "%s", rehash);
	token_new(j->token, j->th);
	j->expires = now + srv.opts->token_days * DAY_MS;
	/* The reply, with the token, waits for the token's commit. */
	writer_submit(&j->w);
	return;
out:
	pending_free(p);
}

static void
account_done(struct wjob *w, int status)
{
	struct account_job *j = (struct account_job *)w;
	struct pending *p = j->p;

	switch (j->kind) {
	case AJ_CREATE_USER:
		if (status == STORE_CONFLICT)
			conn_reply_error(p->c, p->re, 1, PROTO_E_CONFLICT,
			    "username is taken");
		else if (status != 0)
			conn_reply_error(p->c, p->re, 1, PROTO_E_INTERNAL,
			    "could not store the account");
		else {
			log_info(p->c->id, "registered user %lld (%s)",
			    (long long)j->user_id, p->username);
			conn_reply_ok(p->c, p->re, json_pack("{s:I}", "user_id",
			    (json_int_t)j->user_id));
		}
		break;
	case AJ_LOGIN:
		if (status != 0)
			conn_reply_error(p->c, p->re, 1, PROTO_E_INTERNAL,
			    "could not store the login");
		else if (conn_is_open(p->c)) {
			log_info(p->c->id, "logged in as user %lld (%s)",
			    (long long)p->user_id, p->username);
			bind_user(p->c, p->re, p->user_id, p->username, j->th,
			    j->token, j->expires);
		}
		break;
	case AJ_DELETE_TOKEN:
		if (j->c != NULL)
			logged_out(j, status);
		break;
	case AJ_PURGE:
		if (j->count > 0)
			log_info(0, "purged %d expired tokens", j->count);
		break;
	default:
		if (status != 0)
			log_warn(0, "could not renew a token");
		break;
	}
	if (p != NULL)
		pending_free(p);
	sodium_memzero(j, sizeof *j);
	free(j);
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
	char username[AUTH_USERNAME_MAX + 1], ukey[64], akey[80], *stored = NULL;
	const char *password;
	size_t plen;
	int64_t id = 0, now = proto_now_ms(), wait_u, wait_a;
	struct pending *p;
	int rc;

	metrics_login_attempt();
	if (credentials(c, r, username, &password, &plen) != 0)
		return;
	user_key(ukey, sizeof ukey, username);
	addr_key(akey, sizeof akey, c);
	wait_u = throttle_check(by_user, ukey, now);
	wait_a = throttle_check(by_addr, akey, now);
	if (wait_u > 0 || wait_a > 0) {
		log_info(c->id, "login for %s throttled", username);
		rate_limited(c, r->id, wait_u > wait_a ? wait_u : wait_a);
		return;
	}
	rc = store_user_find(srv.store, username, &id, &stored);
	if (rc < 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "database error");
		return;
	}
	p = pending_new(c, r, username);
	p->user_id = rc == 1 ? id : 0;
	if (pwhash_verify(rc == 1 ? stored : dummy_hash, password, plen,
	    logged_in, p) != 0) {
		pending_free(p);
		conn_reply_error(c, r->id, 1, PROTO_E_RATE_LIMITED,
		    "server busy hashing passwords; retry shortly");
	} else {
		/*
		 * Count the attempt as a failure now, before it is verified:
		 * otherwise a burst of guesses sent together would all pass
		 * the check while the first ones are still hashing. A success
		 * takes it back.
		 */
		throttle_fail(by_user, ukey, now);
		throttle_fail(by_addr, akey, now);
	}
	free(stored);
}

void
auth_cmd_auth(struct conn *c, const struct request *r)
{
	json_t *t = json_object_get(r->body, "token");
	unsigned char th[TOKEN_HASH_BYTES];
	char username[AUTH_USERNAME_MAX + 1];
	int64_t user_id, expires, renewed, now = proto_now_ms();
	int rc;

	if (token_hash_text(json_string_value(t), json_string_length(t),
	    th) != 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_UNAUTHENTICATED,
		    "invalid or expired token");
		return;
	}
	rc = store_token_find(srv.store, th, &user_id, username,
	    sizeof username, &expires, &renewed);
	if (rc < 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INTERNAL,
		    "database error");
		return;
	}
	if (rc == 1 && expires <= now) {
		struct account_job *j = account_job(AJ_DELETE_TOKEN);

		/* Expired: refused, and purged on sight. */
		memcpy(j->th, th, sizeof th);
		writer_submit(&j->w);
		rc = 0;
	}
	if (rc == 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_UNAUTHENTICATED,
		    "invalid or expired token");
		return;
	}
	/* Renewed on use, but written at most once a day. */
	if (now - renewed >= DAY_MS) {
		struct account_job *j = account_job(AJ_RENEW);

		expires = now + srv.opts->token_days * DAY_MS;
		memcpy(j->th, th, sizeof th);
		j->expires = expires;
		writer_submit(&j->w);
	}
	log_info(c->id, "authenticated as user %lld (%s)", (long long)user_id,
	    username);
	bind_user(c, r->id, user_id, username, th, NULL, expires);
}

/* The token is deleted: revoke it on every connection that used it. */
static void
logged_out(struct account_job *j, int status)
{
	struct conn *c = j->c, *o, *next;

	if (status != 0) {
		conn_reply_error(c, j->re, 1, PROTO_E_INTERNAL,
		    "could not revoke the token");
		goto out;
	}
	for (o = presence_first(j->user_id); o != NULL; o = next) {
		next = o->user_next;
		if (o == c || !o->has_token ||
		    sodium_memcmp(o->token_hash, j->th, sizeof j->th) != 0)
			continue;
		unbind(o);
		conn_send(o, proto_push("logged_out", json_pack("{s:s}",
		    "reason", "logout")));
	}
	if (c->user_id == j->user_id)
		unbind(c);
	log_info(c->id, "logged out user %lld", (long long)j->user_id);
	conn_reply_ok(c, j->re, NULL);
out:
	conn_unref(c);
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
	j = account_job(AJ_DELETE_TOKEN);
	memcpy(j->th, c->token_hash, sizeof j->th);
	conn_ref(c);
	j->c = c;
	j->re = r->id;
	j->user_id = c->user_id;
	writer_submit(&j->w);
}
