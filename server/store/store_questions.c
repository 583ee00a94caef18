/*
 * store_questions.c — the question bank's copy in SQLite (table questions,
 * schema/0003_questions.sql). The files are the source of truth; the table
 * exists so that interview history keeps pointing at a question, with the
 * text the interviewer saw, after its file is edited or removed.
 */
#include <sqlite3.h>
#include <stdlib.h>

#include "bank.h"
#include "store_questions.h"
#include "log.h"
#include "proto.h"
#include "store.h"

/*
 * A row is rewritten only when something changed, so updated_at says
 * when the question last changed rather than when the server last
 * started.
 */
#define SQL_UPSERT \
	"INSERT INTO questions (id, title, category, difficulty, company, " \
	"round, data, active, created_at, updated_at) " \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8) " \
	"ON CONFLICT (id) DO UPDATE SET title = excluded.title, " \
	"category = excluded.category, difficulty = excluded.difficulty, " \
	"company = excluded.company, round = excluded.round, " \
	"data = excluded.data, active = 1, updated_at = excluded.updated_at " \
	"WHERE questions.active <> 1 OR questions.data IS NOT excluded.data"

/* ?1 is a JSON array of the ids in the bank. */
#define SQL_RETIRE \
	"UPDATE questions SET active = 0, updated_at = ?2 " \
	"WHERE active = 1 AND id NOT IN (SELECT value FROM json_each(?1))"

#define SQL_LOAD "SELECT data FROM questions WHERE id = ?1"

static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static int
upsert(struct store *st, const struct question *q, int64_t now)
{
	sqlite3_stmt	*s;
	json_t		*view;
	char		*data;
	int		 rc = -1;

	if ((s = store_prepare(st, SQL_UPSERT)) == NULL)
		return -1;
	view = bank_view_interviewer(q);
	data = json_dumps(view, JSON_COMPACT);
	json_decref(view);
	if (data == NULL) {
		log_error(0, "question %s: cannot serialise", q->id);
		return -1;
	}
	if (bind_text(s, 1, q->id) != SQLITE_OK ||
	    bind_text(s, 2, q->title) != SQLITE_OK ||
	    bind_text(s, 3, q->category_key) != SQLITE_OK ||
	    bind_text(s, 4, questions_difficulty_name(q->difficulty)) !=
	    SQLITE_OK ||
	    bind_text(s, 5, q->company) != SQLITE_OK ||
	    bind_text(s, 6, q->round) != SQLITE_OK ||
	    bind_text(s, 7, data) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 8, now) != SQLITE_OK)
		goto out;
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_error(0, "question %s: %s", q->id,
		    sqlite3_errmsg(sqlite3_db_handle(s)));
	sqlite3_reset(s);
	free(data);
	return rc;
}

int
store_questions_sync_in(struct store *st, const struct bank *b)
{
	sqlite3_stmt	*s;
	json_t		*ids = json_array();
	char		*idlist = NULL;
	int64_t		 now = proto_now_ms();
	int		 rc = -1;

	for (size_t i = 0; i < bank_count(b); i++) {
		const struct question *q = bank_at(b, i);

		if (upsert(st, q, now) != 0)
			goto out;
		json_array_append_new(ids, json_string(q->id));
	}
	if ((idlist = json_dumps(ids, JSON_COMPACT)) == NULL ||
	    (s = store_prepare(st, SQL_RETIRE)) == NULL)
		goto out;
	if (bind_text(s, 1, idlist) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, now) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		log_error(0, "retiring questions: %s",
		    sqlite3_errmsg(store_db(st)));
		sqlite3_reset(s);
		goto out;
	}
	sqlite3_reset(s);
	rc = 0;
out:
	free(idlist);
	json_decref(ids);
	return rc;
}

int
store_questions_sync(struct store *st, const struct bank *b)
{
	if (store_begin(st) != 0)
		return -1;
	if (store_questions_sync_in(st, b) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

json_t *
store_questions_load_json(struct store *st, const char *id)
{
	sqlite3_stmt	*s;
	json_t		*j = NULL;
	json_error_t	 e;
	int		 r;

	if ((s = store_prepare(st, SQL_LOAD)) == NULL)
		return NULL;
	if (bind_text(s, 1, id) != SQLITE_OK)
		goto out;
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *data = (const char *)sqlite3_column_text(s, 0);

		if (data != NULL && (j = json_loads(data, 0, &e)) == NULL)
			log_error(0, "question %s: stored data is not JSON: %s",
			    id, e.text);
	} else if (r != SQLITE_DONE)
		log_error(0, "loading question %s: %s", id,
		    sqlite3_errmsg(store_db(st)));
out:
	/* Reset now: a statement left mid-step holds a read snapshot. */
	sqlite3_reset(s);
	return j;
}
