/*
 * auth.h — accounts and authenticated connections: register, login, auth
 * (resume with a token), logout. Passwords are hashed with Argon2id on the
 * thread pool (pwhash.c); tokens are random and stored hashed (token.c);
 * failed logins are throttled per username and per address (throttle.c).
 */
#ifndef MOCKINT_AUTH_H
#define MOCKINT_AUTH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "user.h"

/* A username's bounds are USERNAME_MIN and USERNAME_MAX (user.h). */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 1024

/* Start: the dummy hash for unknown users, throttles, the purge timer. */
int auth_init(void);
/* The server is stopping: close the purge timer. */
void auth_stop(void);
/* After the loop has stopped (hashes still running finished by then). */
void auth_free(void);
/* A connection closed: forget what it was authenticated as. */
void auth_conn_closed(struct conn *c);
/*
 * The "session" field of the replies to login and auth: what the user is
 * doing now, from the layer that knows (live/), given at start-up. It
 * returns a new reference; without it the field is null.
 */
void auth_set_describe(json_t *(*fn)(int64_t user));

/* Case-fold and check a username into out (USERNAME_SIZE bytes);
 * -1 with the rule that failed in why. */
int auth_check_username(const char *in, size_t len, char *out, char *why,
    size_t whylen);
int auth_check_password(size_t len, char *why, size_t whylen);

extern const struct proto_field auth_fields_credentials[];
extern const struct proto_field auth_fields_token[];

void auth_cmd_register(struct conn *c, const struct request *r);
void auth_cmd_login(struct conn *c, const struct request *r);
void auth_cmd_auth(struct conn *c, const struct request *r);
void auth_cmd_logout(struct conn *c, const struct request *r);

#endif
