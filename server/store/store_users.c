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

#define TH_BYTES ((size_t)STORE_TOKEN_HASH_BYTES)

/* A statement that returned neither a row nor DONE. */
static int
failed(struct store *st, sqlite3_stmt *s)
{
	log_error(0, "database: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_reset(s);
	return -1;
}

/* The rows the last statement changed, or -1 when it failed. */
static int
changes(struct store *st, int rc)
{
	return rc == 0 ? sqlite3_changes(store_db(st)) : -1;
}

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
	else
		return failed(st, s);
	sqlite3_reset(s);
	return rc;
}

int
store_user_rehash(struct store *st, int64_t id, const char *was,
    const char *pwhash)
{
	return changes(st, store_exec(st, "UPDATE users SET pwhash = ?3 "
	    "WHERE id = ?1 AND pwhash = ?2", "itt", id, was, pwhash));
}

int
store_user_set_password(struct store *st, int64_t id, const char *pwhash,
    const unsigned char *keep)
{
	if (store_exec(st, "UPDATE users SET pwhash = ?2 WHERE id = ?1", "it",
	    id, pwhash) != 0)
		return -1;
	return changes(st, store_exec(st, "DELETE FROM tokens WHERE user_id "
	    "= ?1 AND hash <> ?2", "ib", id, keep, TH_BYTES));
}

int
store_token_insert(struct store *st, const unsigned char *hash,
    int64_t user_id, int64_t now, int64_t expires_at, const char *label,
    const char *address)
{
	return store_exec(st, "INSERT INTO tokens (hash, user_id, created_at, "
	    "renewed_at, expires_at, last_used_at, label, address) VALUES "
	    "(?1, ?2, ?3, ?3, ?4, ?3, ?5, ?6)", "biiitt", hash, TH_BYTES,
	    user_id, now, expires_at, label, address) == 0 ? 0 : -1;
}

int
store_token_find(struct store *st, const unsigned char *hash,
    struct store_token *out)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT t.user_id, u.username, "
	    "t.created_at, t.renewed_at, t.expires_at, t.last_used_at "
	    "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, hash, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(s, 0);
		snprintf(out->username, sizeof out->username, "%s",
		    sqlite3_column_text(s, 1));
		out->created_at = sqlite3_column_int64(s, 2);
		out->renewed_at = sqlite3_column_int64(s, 3);
		out->expires_at = sqlite3_column_int64(s, 4);
		out->last_used_at = sqlite3_column_int64(s, 5);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		return failed(st, s);
	sqlite3_reset(s);
	return rc;
}

int
store_token_touch(struct store *st, const unsigned char *hash,
    int64_t last_used_at, int64_t renewed_at, int64_t expires_at)
{
	return store_exec(st, "UPDATE tokens SET last_used_at = ?2, "
	    "renewed_at = ?3, expires_at = ?4 WHERE hash = ?1", "biii", hash,
	    TH_BYTES, last_used_at, renewed_at, expires_at) == 0 ? 0 : -1;
}

int
store_token_delete(struct store *st, const unsigned char *hash)
{
	return store_exec(st, "DELETE FROM tokens WHERE hash = ?1", "b", hash,
	    TH_BYTES) == 0 ? 0 : -1;
}

int
store_token_revoke(struct store *st, int64_t user_id, int64_t id,
    unsigned char *hash_out)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM tokens WHERE id = ?1 "
	    "AND user_id = ?2 RETURNING hash");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) ==
	    STORE_TOKEN_HASH_BYTES) {
		memcpy(hash_out, sqlite3_column_blob(s, 0), TH_BYTES);
		rc = sqlite3_step(s);	/* to DONE: the delete is done */
		if (rc != SQLITE_DONE)
			return failed(st, s);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		return failed(st, s);
	sqlite3_reset(s);
	return rc;
}

int
store_tokens_revoke_all(struct store *st, int64_t user_id)
{
	return changes(st, store_exec(st, "DELETE FROM tokens WHERE user_id "
	    "= ?1", "i", user_id));
}

/* A text column as JSON: null when NULL. */
static json_t *
text_or_null(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t != NULL ? json_string((const char *)t) : json_null();
}

json_t *
store_tokens_list(struct store *st, int64_t user_id, int64_t now,
    int64_t created_after, const unsigned char *current)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, label, created_at, "
	    "last_used_at, address, hash = ?4 FROM tokens WHERE user_id = ?1 "
	    "AND expires_at > ?2 AND created_at > ?3 ORDER BY id");
	json_t *list;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, created_after);
	sqlite3_bind_blob(s, 4, current, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
	list = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I,s:o,s:I,s:I,s:o,"
		    "s:b}", "id", (json_int_t)sqlite3_column_int64(s, 0),
		    "label", text_or_null(s, 1), "created_at",
		    (json_int_t)sqlite3_column_int64(s, 2), "last_used_at",
		    (json_int_t)sqlite3_column_int64(s, 3), "address",
		    text_or_null(s, 4), "current", sqlite3_column_int(s, 5)));
	if (rc != SQLITE_DONE) {
		json_decref(list);
		failed(st, s);
		return NULL;
	}
	sqlite3_reset(s);
	return list;
}

int
store_tokens_purge(struct store *st, int64_t now, int64_t created_before)
{
	return changes(st, store_exec(st, "DELETE FROM tokens WHERE "
	    "expires_at <= ?1 OR created_at <= ?2", "ii", now,
	    created_before));
}
