/*
 * store_users.c — SQL for users and tokens (see store_users.h).
 */
#include "store_users.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

#define TH_BYTES ((size_t)TOKEN_HASH_BYTES)

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

/* Where store_user_find puts what it reads of a user. */
struct user_row {
	int64_t *id;
	char *pwhash;
	size_t len;
};

static int
user_row(sqlite3_stmt *s, void *arg)
{
	struct user_row *u = arg;
	const unsigned char *h = sqlite3_column_text(s, 1);

	*u->id = sqlite3_column_int64(s, 0);
	snprintf(u->pwhash, u->len, "%s", h != NULL ? (const char *)h : "");
	return 1;
}

int
store_user_find(struct store *st, const char *username, int64_t *id,
    char *pwhash, size_t len)
{
	struct user_row u = { id, pwhash, len };
	int rc;

	pwhash[0] = '\0';
	rc = store_each(st, "SELECT id, pwhash FROM users WHERE username = ?1",
	    user_row, &u, "t", username);
	return rc == 1 && pwhash[0] == '\0' ? 0 : rc;
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

static int
token_row(sqlite3_stmt *s, void *arg)
{
	struct store_token *t = arg;

	t->user_id = sqlite3_column_int64(s, 0);
	snprintf(t->username, sizeof t->username, "%s",
	    sqlite3_column_text(s, 1));
	t->created_at = sqlite3_column_int64(s, 2);
	t->renewed_at = sqlite3_column_int64(s, 3);
	t->expires_at = sqlite3_column_int64(s, 4);
	t->last_used_at = sqlite3_column_int64(s, 5);
	return 1;
}

int
store_token_find(struct store *st, const unsigned char *hash,
    struct store_token *out)
{
	return store_each(st, "SELECT t.user_id, u.username, t.created_at, "
	    "t.renewed_at, t.expires_at, t.last_used_at FROM tokens t "
	    "JOIN users u ON u.id = t.user_id WHERE t.hash = ?1", token_row,
	    out, "b", hash, TH_BYTES);
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

static int
hash_row(sqlite3_stmt *s, void *arg)
{
	if (sqlite3_column_bytes(s, 0) == TOKEN_HASH_BYTES)
		memcpy(arg, sqlite3_column_blob(s, 0), TH_BYTES);
	/* Not 1: the DELETE runs to its end whatever it returns. */
	return 0;
}

int
store_token_revoke(struct store *st, int64_t user_id, int64_t id,
    unsigned char *hash_out)
{
	int rc = store_each(st, "DELETE FROM tokens WHERE id = ?1 AND user_id "
	    "= ?2 RETURNING hash", hash_row, hash_out, "ii", id, user_id);

	return rc < 0 ? -1 : sqlite3_changes(store_db(st)) > 0;
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

static int
device_row(sqlite3_stmt *s, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I,s:o,s:I,s:I,s:o,s:b}",
	    "id", (json_int_t)sqlite3_column_int64(s, 0), "label",
	    text_or_null(s, 1), "created_at",
	    (json_int_t)sqlite3_column_int64(s, 2), "last_used_at",
	    (json_int_t)sqlite3_column_int64(s, 3), "address",
	    text_or_null(s, 4), "current", sqlite3_column_int(s, 5)));
	return 0;
}

json_t *
store_tokens_list(struct store *st, int64_t user_id, int64_t now,
    int64_t created_after, const unsigned char *current)
{
	json_t *list = json_array();

	if (store_each(st, "SELECT id, label, created_at, last_used_at, "
	    "address, hash = ?4 FROM tokens WHERE user_id = ?1 AND expires_at "
	    "> ?2 AND created_at > ?3 ORDER BY id", device_row, list, "iiib",
	    user_id, now, created_after, current, TH_BYTES) < 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int
store_tokens_purge(struct store *st, int64_t now, int64_t created_before)
{
	return changes(st, store_exec(st, "DELETE FROM tokens WHERE "
	    "expires_at <= ?1 OR created_at <= ?2", "ii", now,
	    created_before));
}
