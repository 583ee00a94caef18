/*
 * store_items.c — notes and chat (see store_items.h).
 */
#include "store_items.h"

#include <sqlite3.h>
#include <string.h>

#include "proto.h"
#include "store.h"

/*
 * After an insert that did nothing because its client_id was taken: the
 * id and time of the row stored the first time, and 1 (a resend). sql
 * selects id, at by ?1 session, ?2 client_id and ?3 the sender.
 */
static int
stored_before(struct store *st, const char *sql, int64_t session,
    const char *client_id, int64_t from, int64_t *id, int64_t *at)
{
	int64_t v[2];

	if (store_each(st, sql, store_row_int64s, v, "iti", session,
	    client_id, from) != 1)
		return -1;
	*id = v[0];
	*at = v[1];
	return 1;
}

int
store_note_add(struct store *st, int64_t session, int64_t author,
    const char *client_id, const char *item, const char *text, int score,
    int flag, int64_t now, int64_t *note_id, int64_t *at)
{
	/* Score 0 clears the item's score: stored as cleared, no score. */
	if (store_exec(st, "INSERT INTO notes (session_id, author_id, "
	    "client_id, item, text, score, flag, at, cleared) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (session_id, client_id) "
	    "WHERE client_id IS NOT NULL DO NOTHING", "iitttINii", session,
	    author, client_id, item, text, (int64_t)score, (int64_t)flag, now,
	    (int64_t)(score == 0)) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 1) {
		*note_id = sqlite3_last_insert_rowid(store_db(st));
		*at = now;
		return 0;
	}
	/* A resend: answer with the note stored the first time (notes have
	 * one author per session, the interviewer). */
	return stored_before(st, "SELECT id, at FROM notes WHERE session_id = "
	    "?1 AND client_id = ?2 AND author_id = ?3", session, client_id,
	    author, note_id, at);
}

int
store_chat_add(struct store *st, int64_t session, int64_t from,
    const char *client_id, const char *text, int64_t now, int64_t *chat_id,
    int64_t *at)
{
	if (store_exec(st, "INSERT INTO chat (session_id, from_id, client_id, "
	    "text, at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session_id, "
	    "from_id, client_id) WHERE client_id IS NOT NULL DO NOTHING",
	    "iitti", session, from, client_id, text, now) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 1) {
		*chat_id = sqlite3_last_insert_rowid(store_db(st));
		*at = now;
		return 0;
	}
	/* A resend of the sender's own: the message stored before. */
	return stored_before(st, "SELECT id, at FROM chat WHERE session_id = "
	    "?1 AND client_id = ?2 AND from_id = ?3", session, client_id, from,
	    chat_id, at);
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

size_t
store_note_cost(const json_t *note)
{
	return proto_json_cost(str(note, "text")) +
	    proto_json_cost(str(note, "item")) +
	    proto_json_cost(str(note, "client_id")) + PROTO_ITEM_OVERHEAD;
}

size_t
store_chat_cost(const json_t *chat)
{
	return proto_json_cost(str(chat, "text")) +
	    proto_json_cost(str(chat, "username")) +
	    proto_json_cost(str(chat, "client_id")) + PROTO_ITEM_OVERHEAD;
}

/* Column col as a JSON string, or null. */
static json_t *
col_string(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? json_null() :
	    json_string((const char *)sqlite3_column_text(s, col));
}

static json_t *
note_json(sqlite3_stmt *s)
{
	json_t *n = json_pack("{s:I,s:s,s:s,s:I}", "note_id",
	    (json_int_t)sqlite3_column_int64(s, 0), "item",
	    sqlite3_column_text(s, 1), "text", sqlite3_column_text(s, 2),
	    "at", (json_int_t)sqlite3_column_int64(s, 5));

	/* A cleared score reads as 0, as note.add gave it. */
	json_object_set_new(n, "score", sqlite3_column_int(s, 7) ? json_integer(0) :
	    sqlite3_column_type(s, 3) == SQLITE_NULL ? json_null() :
	    json_integer(sqlite3_column_int(s, 3)));
	json_object_set_new(n, "flag", sqlite3_column_type(s, 4) ==
	    SQLITE_NULL ? json_null() : json_boolean(sqlite3_column_int(s, 4)));
	json_object_set_new(n, "client_id", col_string(s, 6));
	return n;
}

static json_t *
chat_json(sqlite3_stmt *s)
{
	json_t *m = json_pack("{s:I,s:I,s:s,s:s,s:I}", "chat_id",
	    (json_int_t)sqlite3_column_int64(s, 0), "from",
	    (json_int_t)sqlite3_column_int64(s, 1), "username",
	    sqlite3_column_text(s, 2), "text", sqlite3_column_text(s, 3),
	    "at", (json_int_t)sqlite3_column_int64(s, 4));

	json_object_set_new(m, "client_id", col_string(s, 5));
	return m;
}

/* A page being filled, newest first (rows come in descending id). */
struct filling {
	json_t *(*row)(sqlite3_stmt *s);
	size_t (*cost)(const json_t *item);
	json_t *items;		/* newest first */
	size_t budget, used;
	int more;
};

static int
page_row(sqlite3_stmt *s, void *arg)
{
	struct filling *f = arg;
	json_t *item = f->row(s);
	size_t cost = f->cost(item);

	if (json_array_size(f->items) > 0 && f->used + cost > f->budget) {
		json_decref(item);
		f->more = 1;
		return 1;
	}
	f->used += cost;
	json_array_append_new(f->items, item);
	return 0;
}

static int
page(struct store *st, const char *sql, struct filling *f, int64_t session,
    int64_t before, struct store_page *out)
{
	size_t n;

	f->items = json_array();
	out->items = NULL;
	if (store_each(st, sql, page_row, f, "ii", session, before) < 0) {
		json_decref(f->items);
		return -1;
	}
	/* Oldest first, as a conversation reads. */
	out->items = json_array();
	n = json_array_size(f->items);
	for (size_t i = n; i > 0; i--)
		json_array_append(out->items, json_array_get(f->items, i - 1));
	json_decref(f->items);
	out->more = f->more;
	return 0;
}

int
store_notes_page(struct store *st, int64_t session, int64_t before,
    size_t budget, struct store_page *out)
{
	struct filling f = { note_json, store_note_cost, NULL, budget, 0, 0 };

	/* Plan: SEARCH notes USING INDEX notes_by_session (session_id=? AND
	 * rowid<?), backwards: as many rows as the page holds, plus one. */
	return page(st, "SELECT id, item, text, score, flag, at, client_id, "
	    "cleared FROM notes WHERE session_id = ?1 AND id < ?2 ORDER BY id "
	    "DESC",
	    &f, session, before, out);
}

int
store_chat_page(struct store *st, int64_t session, int64_t before,
    size_t budget, struct store_page *out)
{
	struct filling f = { chat_json, store_chat_cost, NULL, budget, 0, 0 };

	/* Plan: SEARCH chat USING INDEX chat_by_session, backwards; the
	 * sender's name by its key. */
	return page(st, "SELECT c.id, c.from_id, u.username, c.text, c.at, "
	    "c.client_id FROM chat c JOIN users u ON u.id = c.from_id WHERE "
	    "c.session_id = ?1 AND c.id < ?2 ORDER BY c.id DESC", &f, session,
	    before, out);
}

int
store_item_counts(struct store *st, int64_t session,
    struct store_item_counts *out)
{
	int64_t v[4] = { 0, 0, 0, 0 };

	/* Bounded by the session's limits: a walk of its rows. */
	if (store_each(st, "SELECT (SELECT count(*) FROM notes WHERE "
	    "session_id = ?1), (SELECT coalesce(sum(length(CAST(text AS BLOB))), "
	    "0) FROM notes WHERE session_id = ?1), (SELECT count(*) FROM chat "
	    "WHERE session_id = ?1), (SELECT coalesce(sum(length(CAST(text AS "
	    "BLOB))), 0) FROM chat WHERE session_id = ?1)", store_row_int64s, v,
	    "i", session) < 0)
		return -1;
	out->notes = v[0];
	out->note_bytes = v[1];
	out->chat = v[2];
	out->chat_bytes = v[3];
	return 0;
}

/* The scores and flags of store_scores, by item. */
struct marks {
	json_t *scores, *flags;
};

static int
mark_row(sqlite3_stmt *s, void *arg)
{
	struct marks *m = arg;
	const char *item = (const char *)sqlite3_column_text(s, 0);

	if (sqlite3_column_int(s, 3))
		json_object_del(m->scores, item);
	else if (sqlite3_column_type(s, 1) != SQLITE_NULL)
		json_object_set_new(m->scores, item,
		    json_integer(sqlite3_column_int(s, 1)));
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		json_object_set_new(m->flags, item,
		    json_boolean(sqlite3_column_int(s, 2)));
	return 0;
}

int
store_scores(struct store *st, int64_t session, json_t **scores,
    json_t **flags)
{
	struct marks m = { json_object(), json_object() };

	*scores = m.scores;
	*flags = m.flags;
	/* In note order, so that the latest one for an item wins. */
	return store_each(st, "SELECT item, score, flag, cleared FROM notes "
	    "WHERE session_id = ?1 AND (score IS NOT NULL OR flag IS NOT NULL "
	    "OR cleared = 1) ORDER BY id", mark_row, &m, "i", session) < 0 ?
	    -1 : 0;
}
