/*
 * store_users.h — the users and tokens tables (schema/0002_accounts.sql).
 * Each function is one parameterised statement. The writes run in the
 * writer's transaction (writer.h), committed with its batch. Errors are
 * logged; -1 means the database failed and the statement changed
 * nothing.
 */
#ifndef MOCKINT_STORE_USERS_H
#define MOCKINT_STORE_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

/* A token is stored as its hash, TOKEN_HASH_BYTES long (user.h). */

/* 0 with *id, STORE_CONFLICT when the name is taken, or -1. */
int store_user_create(struct store *st, const char *username,
    const char *pwhash, int64_t now, int64_t *id);
/* 1 found (pwhash malloc'd, may be NULL), 0 not found, -1 error. */
int store_user_find(struct store *st, const char *username, int64_t *id,
    char **pwhash);
int store_user_set_pwhash(struct store *st, int64_t id, const char *pwhash);

int store_token_insert(struct store *st, const unsigned char *hash,
    int64_t user_id, int64_t now, int64_t expires_at);
/* 1 found (and fields), 0 not found, -1 error. */
int store_token_find(struct store *st, const unsigned char *hash,
    int64_t *user_id, char *username, size_t ulen, int64_t *expires_at,
    int64_t *renewed_at);
int store_token_renew(struct store *st, const unsigned char *hash,
    int64_t now, int64_t expires_at);
int store_token_delete(struct store *st, const unsigned char *hash);
/* Delete every token expired at now; the number deleted or -1. */
int store_tokens_purge(struct store *st, int64_t now);

#endif
