/*
 * store_users.c — SQL for users and tokens (see store_users.h).
 */
#include "store_users.h"

#include <sqlite3.h>
#include <stdio.h>

#include "store.h"
#include "xmalloc.h"

int
store_user_create(struct store *st, const char *username, const char *pwhash,
    int64_t now, int64_t *id)
{
	int rc = store_exec(st, "INSERT INTO users (username, pwhash, "
	    "created_at) VALUES (?1, ?2, ?3)", "tti", username, pwhash, now);

	if (rc == 0)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

/* What store_user_find reads of a user. */
struct user_row {
	int64_t id;
	char *pwhash;
};

static int
user_row(sqlite3_stmt *s, void *arg)
{
	struct user_row *u = arg;

	u->id = sqlite3_column_int64(s, 0);
	u->pwhash = xstrdup((const char *)sqlite3_column_text(s, 1));
	return 1;
}

int
store_user_find(struct store *st, const char *username, int64_t *id,
    char **pwhash)
{
	struct user_row u = { 0, NULL };
	int rc = store_each(st, "SELECT id, pwhash FROM users WHERE username = "
	    "?1", user_row, &u, "t", username);

	if (rc == 1)
		*id = u.id;
	*pwhash = u.pwhash;
	return rc;
}

int
store_user_set_pwhash(struct store *st, int64_t id, const char *pwhash)
{
	return store_exec(st, "UPDATE users SET pwhash = ?2 WHERE id = ?1",
	    "it", id, pwhash) == 0 ? 0 : -1;
}

int
store_token_insert(struct store *st, const unsigned char *hash,
    int64_t user_id, int64_t now, int64_t expires_at)
{
	return store_exec(st, "INSERT INTO tokens (hash, user_id, created_at, "
	    "renewed_at, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)", "biii",
	    hash, (size_t)TOKEN_HASH_BYTES, user_id, now, expires_at) == 0 ?
	    0 : -1;
}

/* Where store_token_find puts what it reads of a token. */
struct token_row {
	int64_t *user_id;
	char *username;
	size_t ulen;
	int64_t *expires_at, *renewed_at;
};

static int
token_row(sqlite3_stmt *s, void *arg)
{
	struct token_row *t = arg;

	*t->user_id = sqlite3_column_int64(s, 0);
	snprintf(t->username, t->ulen, "%s", sqlite3_column_text(s, 1));
	*t->expires_at = sqlite3_column_int64(s, 2);
	*t->renewed_at = sqlite3_column_int64(s, 3);
	return 1;
}

int
store_token_find(struct store *st, const unsigned char *hash,
    int64_t *user_id, char *username, size_t ulen, int64_t *expires_at,
    int64_t *renewed_at)
{
	struct token_row t = { user_id, username, ulen, expires_at,
	    renewed_at };

	return store_each(st, "SELECT t.user_id, u.username, t.expires_at, "
	    "t.renewed_at FROM tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.hash = ?1", token_row, &t, "b", hash,
	    (size_t)TOKEN_HASH_BYTES);
}

int
store_token_renew(struct store *st, const unsigned char *hash, int64_t now,
    int64_t expires_at)
{
	return store_exec(st, "UPDATE tokens SET renewed_at = ?2, expires_at "
	    "= ?3 WHERE hash = ?1", "bii", hash, (size_t)TOKEN_HASH_BYTES, now,
	    expires_at) == 0 ? 0 : -1;
}

int
store_token_delete(struct store *st, const unsigned char *hash)
{
	return store_exec(st, "DELETE FROM tokens WHERE hash = ?1", "b", hash,
	    (size_t)TOKEN_HASH_BYTES) == 0 ? 0 : -1;
}

int
store_tokens_purge(struct store *st, int64_t now)
{
	if (store_exec(st, "DELETE FROM tokens WHERE expires_at <= ?1", "i",
	    now) != 0)
		return -1;
	return sqlite3_changes(store_db(st));
}
