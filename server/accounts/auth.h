/*
 * auth.h — accounts and authenticated connections: register, login, auth
 * (resume with a token), logout (one token or all), password.change,
 * tokens.list and tokens.revoke. Passwords are checked with libpwquality
 * (pwcheck.c) and hashed with Argon2id (pwhash.c), both on the thread
 * pool; tokens are random and stored hashed (token.c); password attempts
 * and registrations are throttled (guard.c).
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
/* A login's device label: 1 to 64 bytes of text. */
#define AUTH_DEVICE_MAX 64

/* Start: the dummy hash for unknown users, the password checks (-1 when
 * the dictionary is missing), the throttles, the purge timer. */
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
/* A device label: 1 to AUTH_DEVICE_MAX bytes without C0 or C1 control
 * characters (it is shown in terminals); 0 good, -1 not. */
int auth_check_device(const char *s, size_t len);

extern const struct proto_field auth_fields_credentials[];
extern const struct proto_field auth_fields_login[];
extern const struct proto_field auth_fields_token[];
extern const struct proto_field auth_fields_logout[];
extern const struct proto_field auth_fields_password_change[];
extern const struct proto_field auth_fields_tokens_revoke[];

void auth_cmd_register(struct conn *c, const struct request *r);
void auth_cmd_login(struct conn *c, const struct request *r);
void auth_cmd_auth(struct conn *c, const struct request *r);
void auth_cmd_logout(struct conn *c, const struct request *r);
/* password.c */
void auth_cmd_password_change(struct conn *c, const struct request *r);
/* devices.c */
void auth_cmd_tokens_list(struct conn *c, const struct request *r);
void auth_cmd_tokens_revoke(struct conn *c, const struct request *r);

#endif
