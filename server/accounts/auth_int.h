/*
 * auth_int.h — what the files of the account requests share: auth.c
 * (register, login, auth, logout), password.c (password.change) and
 * devices.c (tokens.list, tokens.revoke). Private to accounts/.
 */
#ifndef MOCKINT_AUTH_INT_H
#define MOCKINT_AUTH_INT_H

#include <stdint.h>

#include "conn_job.h"

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
/* The moment a token made at created_at dies for good. */
int64_t auth_token_end(int64_t created_at);

#endif
