/*
 * auth_int.h — what the files of the account requests share: auth.c
 * (register, login, auth, logout), password.c (password.change) and
 * devices.c (tokens.list, tokens.revoke). Private to accounts/.
 */
#ifndef MOCKINT_AUTH_INT_H
#define MOCKINT_AUTH_INT_H

#include <stdint.h>

#include "conn_job.h"
#include "envelope.h"
#include "guard.h"
#include "pwhash.h"

struct conn;

#define AUTH_DAY_MS (24LL * 3600 * 1000)

/* Why connections are logged out (the push's reason). */
#define AUTH_REASON_LOGOUT "logout"
#define AUTH_REASON_REVOKED "revoked"
#define AUTH_REASON_PASSWORD "password_changed"

/*
 * Log out the user's connections that used the token th (NULL: every
 * one), except those using keep (NULL: none): each becomes
 * unauthenticated and, unless it is `asker` (told by its reply), gets
 * the push logged_out {reason}. `asker` is unbound when it matches.
 */
void auth_kick(int64_t user, const unsigned char *th,
    const unsigned char *keep, struct conn *asker, const char *reason);
/* rate_limited with retry_after_ms, and message. */
void auth_rate_limited(struct conn *c, int64_t re, int64_t retry_ms,
    const char *message);
/* The hashing (or checking) queue was full: rate_limited, without
 * retry_after_ms. */
void auth_busy_hashing(const struct conn_job *j);
/*
 * A verification's result (pwhash_cb's ok) of user's password (0: a name
 * with no account, verified against the dummy) for j's request, `what`
 * in the log ("login"): 1 when it was right. Otherwise 0, the reply sent
 * — internal, or code with message for a wrong password and an unknown
 * user alike — and *o set for the throttles.
 */
int auth_verified(const struct conn_job *j, int ok, int64_t user,
    const char *what, enum proto_err code, const char *message,
    enum guard_outcome *o);
/*
 * A new password's check (pwcheck_cb's ok and why) for j's request: when
 * good, hash password (len bytes) with cb and arg and return 0; else -1,
 * the reply sent (bad_request with the reason, internal, or busy).
 */
int auth_hash_checked(const struct conn_job *j, int ok, const char *why,
    const char *password, size_t len, pwhash_cb cb, void *arg);
/*
 * A new password's hash (pwhash_cb's ok and hash) for j's request: copied
 * to out (len bytes) and j submitted to the writer, 0; or -1, the reply
 * (internal) sent.
 */
int auth_store_hash(struct conn_job *j, int ok, const char *hash, char *out,
    size_t len);
/* The moment a token made at created_at dies for good. */
int64_t auth_token_end(int64_t created_at);

#endif
