/*
 * store_users.c — SQL for users and tokens (see store_users.h).
 */
#include "store_users.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "token.h"
#include "xmalloc.h"

static int
step_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	log_error(0, "database: %s", sqlite3_errmsg(store_db(st)));
	return -1;
}

int
store_user_create(struct store *st, const char *username, const char *pwhash,
    int64_t now, int64_t *id)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO users (username, "
	    "pwhash, created_at) VALUES (?1, ?2, ?3)");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = step_done(st, s);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(store_db(st));
	sqlite3_reset(s);
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
store_user_name(struct store *st, int64_t id, char *buf, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT username FROM users "
	    "WHERE id = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(buf, len, "%s", sqlite3_column_text(s, 0));
		rc = 1;
	} else
		rc = rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	return rc;
}

int
store_user_set_pwhash(struct store *st, int64_t id, const char *pwhash)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE users SET pwhash = ?2 "
	    "WHERE id = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, pwhash, -1, SQLITE_STATIC);
	rc = step_done(st, s);
	sqlite3_reset(s);
	return rc == 0 ? 0 : -1;
}

int
store_token_insert(struct store *st, const unsigned char *hash,
    int64_t user_id, int64_t now, int64_t expires_at)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO tokens (hash, "
	    "user_id, created_at, renewed_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?3, ?4)");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, expires_at);
	rc = step_done(st, s);
	sqlite3_reset(s);
	return rc == 0 ? 0 : -1;
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
	sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
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
	sqlite3_stmt *s = store_prepare(st, "UPDATE tokens SET renewed_at = "
	    "?2, expires_at = ?3 WHERE hash = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, expires_at);
	rc = step_done(st, s);
	sqlite3_reset(s);
	return rc == 0 ? 0 : -1;
}

int
store_token_delete(struct store *st, const unsigned char *hash)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM tokens WHERE "
	    "hash = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_BYTES, SQLITE_STATIC);
	rc = step_done(st, s);
	sqlite3_reset(s);
	return rc == 0 ? 0 : -1;
}

int
store_tokens_purge(struct store *st, int64_t now)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM tokens WHERE "
	    "expires_at <= ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	rc = step_done(st, s);
	sqlite3_reset(s);
	return rc == 0 ? sqlite3_changes(store_db(st)) : -1;
}
