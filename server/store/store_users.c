/*
 * store_users.c — SQL for users and tokens (see store_users.h).
 */
#include "store_users.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
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

int
store_user_find(struct store *st, const char *username, int64_t *id,
    char **pwhash)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, pwhash FROM users "
	    "WHERE username = ?1");
	int rc;

	*pwhash = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, username, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*pwhash = xstrdup((const char *)sqlite3_column_text(s, 1));
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		log_error(0, "database: %s", sqlite3_errmsg(store_db(st)));
		rc = -1;
	}
	sqlite3_reset(s);
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
	    hash, (size_t)STORE_TOKEN_HASH_BYTES, user_id, now, expires_at) == 0 ?
	    0 : -1;
}

int
store_token_find(struct store *st, const unsigned char *hash,
    int64_t *user_id, char *username, size_t ulen, int64_t *expires_at,
    int64_t *renewed_at)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT t.user_id, u.username, "
	    "t.expires_at, t.renewed_at FROM tokens t JOIN users u ON "
	    "u.id = t.user_id WHERE t.hash = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, hash, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(s, 0);
		snprintf(username, ulen, "%s", sqlite3_column_text(s, 1));
		*expires_at = sqlite3_column_int64(s, 2);
		*renewed_at = sqlite3_column_int64(s, 3);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		log_error(0, "database: %s", sqlite3_errmsg(store_db(st)));
		rc = -1;
	}
	sqlite3_reset(s);
	return rc;
}

int
store_token_renew(struct store *st, const unsigned char *hash, int64_t now,
    int64_t expires_at)
{
	return store_exec(st, "UPDATE tokens SET renewed_at = ?2, expires_at "
	    "= ?3 WHERE hash = ?1", "bii", hash, (size_t)STORE_TOKEN_HASH_BYTES, now,
	    expires_at) == 0 ? 0 : -1;
}

int
store_token_delete(struct store *st, const unsigned char *hash)
{
	return store_exec(st, "DELETE FROM tokens WHERE hash = ?1", "b", hash,
	    (size_t)STORE_TOKEN_HASH_BYTES) == 0 ? 0 : -1;
}

int
store_tokens_purge(struct store *st, int64_t now)
{
	if (store_exec(st, "DELETE FROM tokens WHERE expires_at <= ?1", "i",
	    now) != 0)
		return -1;
	return sqlite3_changes(store_db(st));
}
