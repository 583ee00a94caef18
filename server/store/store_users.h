/*
 * store_users.h — the users and tokens tables (schema/0002_accounts.sql,
 * 0007_tokens.sql). Each function is one or two parameterised statements
 * run in the job that called it: the writes in the writer's transaction
 * (writer.h), committed with its batch, the reads on a reader. Errors are
 * logged; -1 means the database failed and the function changed nothing.
 */
#ifndef MOCKINT_STORE_USERS_H
#define MOCKINT_STORE_USERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

/* A token is stored as its hash, TOKEN_HASH_BYTES long (user.h). */
/* A device label's longest, in bytes. */
#define STORE_LABEL_MAX 64

/* 0 with *id, STORE_CONFLICT when the name is taken, or -1. */
int store_user_create(struct store *st, const char *username,
    const char *pwhash, int64_t now, int64_t *id);
/* 1 found (*id, and its hash in pwhash, len bytes), 0 not found (or a
 * user without a hash), -1 error. */
int store_user_find(struct store *st, const char *username, int64_t *id,
    char *pwhash, size_t len);
/*
 * Replace the user's hash by pwhash, only while it is still `was` (a
 * rehash must not undo a password change that came first): 1 replaced,
 * 0 not (changed meanwhile), -1 error.
 */
int store_user_rehash(struct store *st, int64_t id, const char *was,
    const char *pwhash);
/* A new password: the hash replaced, every token of the user but keep
 * (its hash) deleted. The number of tokens deleted, or -1. */
int store_user_set_password(struct store *st, int64_t id,
    const char *pwhash, const unsigned char *keep);

/* A new token (a login), with its device label and address (NULL: none). */
int store_token_insert(struct store *st, const unsigned char *hash,
    int64_t user_id, int64_t now, int64_t expires_at, const char *label,
    const char *address);

/* A token as found by its hash. */
struct store_token {
	int64_t user_id;
	char username[USERNAME_SIZE];
	int64_t created_at, renewed_at, expires_at, last_used_at;
};
/* 1 found (and *out), 0 not found, -1 error. */
int store_token_find(struct store *st, const unsigned char *hash,
    struct store_token *out);
/* Record a use: last use, and the (possibly renewed) expiry. */
int store_token_touch(struct store *st, const unsigned char *hash,
    int64_t last_used_at, int64_t renewed_at, int64_t expires_at);
int store_token_delete(struct store *st, const unsigned char *hash);
/*
 * Delete the user's token with this id, copying its hash out: 1 deleted,
 * 0 no such token of this user, -1 error.
 */
int store_token_revoke(struct store *st, int64_t user_id, int64_t id,
    unsigned char *hash_out);
/* Delete every token of the user; the number deleted or -1. */
int store_tokens_revoke_all(struct store *st, int64_t user_id);
/*
 * The user's live tokens (not expired at now, created after
 * created_after), oldest first: [{id, label, created_at, last_used_at,
 * address, current}] with current true for the one whose hash is
 * `current`. A new reference, or NULL on error.
 */
json_t *store_tokens_list(struct store *st, int64_t user_id, int64_t now,
    int64_t created_after, const unsigned char *current);
/* Delete every token expired at now or created at or before
 * created_before; the number deleted or -1. */
int store_tokens_purge(struct store *st, int64_t now, int64_t created_before);

#endif
