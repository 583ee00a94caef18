/*
 * store_items.h — what is said in a session: the interviewer's notes
 * (with scores and red-flag ticks) and the chat (schema/0004_sessions.sql).
 *
 * Lists are read in pages (proto.h: PROTO_PAGE_BYTES), newest first, so
 * that no reply is larger than a client can take however long a session
 * grew: a page holds the newest items older than a cursor whose cost fits
 * the budget, returned oldest first, and says whether older ones remain.
 * Writes run inside the writer's batch (writer.h); reads on any store
 * thread. -1 means the database failed (logged).
 */
#ifndef MOCKINT_STORE_ITEMS_H
#define MOCKINT_STORE_ITEMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* The cost of a note or a chat message in a page (proto.h). */
size_t store_note_cost(const json_t *note);
size_t store_chat_cost(const json_t *chat);

/* Add a note. 0 stored, 1 a note with this client_id already was (its
 * id and time are returned), -1 error. score/flag -1 when absent; score 0
 * clears the item's score. */
int store_note_add(struct store *st, int64_t session, int64_t author,
    const char *client_id, const char *item, const char *text, int score,
    int flag, int64_t now, int64_t *note_id, int64_t *at);
/* Add a chat message (client_id may be NULL): 0 stored, 1 the sender
 * sent this client_id before (the first one's id and time are returned),
 * -1 error. */
int store_chat_add(struct store *st, int64_t session, int64_t from,
    const char *client_id, const char *text, int64_t now, int64_t *chat_id,
    int64_t *at);

/* One page: the items, oldest first, and whether older ones remain. */
struct store_page {
	json_t *items;
	int more;
};

/*
 * The newest notes (chat messages) of a session with an id below before
 * (INT64_MAX: the newest of all) that fit in budget bytes. Notes:
 * [{note_id, item, text, score, flag, at, client_id}]; chat: [{chat_id,
 * from, username, text, at, client_id}]. 0 or -1 (page->items NULL).
 */
int store_notes_page(struct store *st, int64_t session, int64_t before,
    size_t budget, struct store_page *page);
int store_chat_page(struct store *st, int64_t session, int64_t before,
    size_t budget, struct store_page *page);

/* How many notes and chat messages a session holds, and their text in
 * bytes (what the session's limits count). */
struct store_item_counts {
	int64_t notes, note_bytes, chat, chat_bytes;
};
int store_item_counts(struct store *st, int64_t session,
    struct store_item_counts *out);

/* The latest score per item (none for an item whose latest note cleared
 * it) and the latest flag per item. */
int store_scores(struct store *st, int64_t session, json_t **scores,
    json_t **flags);

#endif
