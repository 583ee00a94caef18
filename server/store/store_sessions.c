/*
 * store_sessions.c — SQL for the live interview (see store_sessions.h).
 */
#include "store_sessions.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "store_users.h"
#include "xmalloc.h"

static int
phase_row(struct store *st, int64_t id, int phase, int64_t at)
{
	return store_exec(st, "INSERT OR REPLACE INTO session_phases "
	    "(session_id, phase, started_at) VALUES (?1, ?2, ?3)", "iti", id,
	    phase_name(phase), at);
}

static int
phase_end(struct store *st, int64_t id, int phase, int64_t at)
{
	return store_exec(st, "UPDATE session_phases SET ended_at = ?3 WHERE "
	    "session_id = ?1 AND phase = ?2", "iti", id,
	    phase_name(phase), at);
}

int
store_session_create(struct store *st, int64_t id, int64_t interviewer,
    int64_t candidate, const char *question_id, const char *origin,
    int64_t swap_of, const int phase_s[PHASE__TIMED], const char *prefs,
    int64_t now)
{
	char lengths[64];

	snprintf(lengths, sizeof lengths, "[%d,%d,%d,%d]", phase_s[0],
	    phase_s[1], phase_s[2], phase_s[3]);
	if (store_exec(st, "INSERT INTO sessions (id, interviewer_id, "
	    "candidate_id, question_id, origin, swap_of, phase, phase_lengths, "
	    "phase_ends_at, prefs, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "'prep', ?7, ?8, ?9, ?10)", "iiittItiti", id, interviewer,
	    candidate, question_id, origin, swap_of, lengths,
	    now + (int64_t)phase_s[PHASE_PREP] * 1000, prefs, now) != 0)
		return -1;
	return phase_row(st, id, PHASE_PREP, now);
}

int
store_session_phase(struct store *st, int64_t id, int from, int to,
    int64_t at, int64_t ends_at)
{
	if (phase_end(st, id, from, at) != 0 || phase_row(st, id, to, at) != 0)
		return -1;
	return store_exec(st, "UPDATE sessions SET phase = ?2, phase_ends_at "
	    "= ?3 WHERE id = ?1", "iti", id, phase_name(to),
	    ends_at) == 0 ? 0 : -1;
}

int
store_session_finish(struct store *st, int64_t id, int from, int64_t at,
    const char *reason, double overall)
{
	if (phase_end(st, id, from, at) != 0 ||
	    phase_row(st, id, PHASE_DONE, at) != 0)
		return -1;
	return store_exec(st, "UPDATE sessions SET phase = 'done', "
	    "phase_ends_at = NULL, ended_at = ?2, reason = ?3, overall = ?4 "
	    "WHERE id = ?1", "iitd", id, at, reason, overall) == 0 ? 0 : -1;
}

int64_t
store_sessions_max_id(struct store *st)
{
	int64_t id = -1;

	if (store_each(st, "SELECT coalesce(max(id), 0) FROM sessions",
	    store_row_int64s, &id, "") < 0)
		return -1;
	return id;
}

/* The caller's function for each live session (store_sessions_live). */
struct live_rows {
	void (*fn)(const struct session_row *row, void *arg);
	void *arg;
};

static int
live_row(sqlite3_stmt *s, void *arg)
{
	struct live_rows *lr = arg;
	struct session_row r;
	json_t *lengths;
	const char *t;

	memset(&r, 0, sizeof r);
	r.id = sqlite3_column_int64(s, 0);
	r.interviewer = sqlite3_column_int64(s, 1);
	r.candidate = sqlite3_column_int64(s, 2);
	snprintf(r.interviewer_name, sizeof r.interviewer_name, "%s",
	    sqlite3_column_text(s, 3));
	snprintf(r.candidate_name, sizeof r.candidate_name, "%s",
	    sqlite3_column_text(s, 4));
	snprintf(r.question_id, sizeof r.question_id, "%s",
	    sqlite3_column_text(s, 5));
	snprintf(r.origin, sizeof r.origin, "%s", sqlite3_column_text(s, 6));
	r.swap_of = sqlite3_column_int64(s, 7);
	r.phase = phase_parse((const char *)sqlite3_column_text(s, 8));
	r.phase_ends_at = sqlite3_column_int64(s, 9);
	lengths = json_loads((const char *)sqlite3_column_text(s, 10), 0,
	    NULL);
	for (int i = 0; i < PHASE__TIMED; i++)
		r.phase_s[i] = (int)json_integer_value(json_array_get(lengths,
		    (size_t)i));
	json_decref(lengths);
	r.created_at = sqlite3_column_int64(s, 11);
	t = (const char *)sqlite3_column_text(s, 12);
	r.prefs = t != NULL ? json_loads(t, 0, NULL) : NULL;
	r.phase_started_at = sqlite3_column_int64(s, 13);
	if (r.phase >= 0 && r.phase < PHASE_DONE && r.phase_s[0] > 0)
		lr->fn(&r, lr->arg);
	else
		log_error(0, "session %lld: unreadable row skipped",
		    (long long)r.id);
	json_decref(r.prefs);
	return 0;
}

int
store_sessions_live(struct store *st,
    void (*fn)(const struct session_row *row, void *arg), void *arg)
{
	struct live_rows lr = { fn, arg };

	return store_each(st, "SELECT s.id, s.interviewer_id, "
	    "s.candidate_id, iu.username, cu.username, s.question_id, "
	    "s.origin, s.swap_of, s.phase, s.phase_ends_at, s.phase_lengths, "
	    "s.created_at, s.prefs, p.started_at FROM sessions s "
	    "JOIN users iu ON iu.id = s.interviewer_id "
	    "JOIN users cu ON cu.id = s.candidate_id "
	    "LEFT JOIN session_phases p ON p.session_id = s.id AND "
	    "p.phase = s.phase WHERE s.phase <> 'done' ORDER BY s.id",
	    live_row, &lr, "") < 0 ? -1 : 0;
}

/* A user's part in a session (store_session_access). */
struct access {
	int64_t user;
	int *role, *phase;
	int found;
};

static int
access_row(sqlite3_stmt *s, void *arg)
{
	struct access *a = arg;

	if (sqlite3_column_int64(s, 0) == a->user) {
		*a->role = 0;
		a->found = 1;
	} else if (sqlite3_column_int64(s, 1) == a->user) {
		*a->role = 1;
		a->found = 1;
	}
	*a->phase = phase_parse((const char *)sqlite3_column_text(s, 2));
	return 1;
}

int
store_session_access(struct store *st, int64_t id, int64_t user, int *role,
    int *phase)
{
	struct access a = { user, role, phase, 0 };

	if (store_each(st, "SELECT interviewer_id, candidate_id, phase FROM "
	    "sessions WHERE id = ?1", access_row, &a, "i", id) < 0)
		return -1;
	return a.found;
}

/* The growing list of store_seen_questions. */
struct seen {
	char **ids;
	size_t n, cap;
};

static int
seen_row(sqlite3_stmt *s, void *arg)
{
	struct seen *sn = arg;

	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? sn->cap * 2 : 16;
		sn->ids = xrealloc(sn->ids, sn->cap * sizeof *sn->ids);
	}
	sn->ids[sn->n++] = xstrdup((const char *)sqlite3_column_text(s, 0));
	return 0;
}

int
store_seen_questions(struct store *st, int64_t candidate, char ***ids,
    size_t *n)
{
	struct seen sn = { NULL, 0, 0 };
	int rc = store_each(st, "SELECT DISTINCT question_id FROM sessions "
	    "WHERE candidate_id = ?1", seen_row, &sn, "i", candidate);

	*ids = sn.ids;
	*n = sn.n;
	return rc < 0 ? -1 : 0;
}

/*
 * After an insert that did nothing because (session, client_id) was taken:
 * the id and time of the row stored the first time, and 1 (a resend).
 * sql selects id, at by ?1 session and ?2 client_id.
 */
static int
stored_before(struct store *st, const char *sql, int64_t session,
    const char *client_id, int64_t *id, int64_t *at)
{
	int64_t v[2];

	if (store_each(st, sql, store_row_int64s, v, "it", session,
	    client_id) != 1)
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
	if (store_exec(st, "INSERT INTO notes (session_id, author_id, "
	    "client_id, item, text, score, flag, at) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8) ON CONFLICT (session_id, client_id) WHERE "
	    "client_id IS NOT NULL DO NOTHING", "iitttNNi", session, author,
	    client_id, item, text, (int64_t)score, (int64_t)flag, now) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 1) {
		*note_id = sqlite3_last_insert_rowid(store_db(st));
		*at = now;
		return 0;
	}
	/* A resend: answer with the note stored the first time. */
	return stored_before(st, "SELECT id, at FROM notes WHERE session_id = "
	    "?1 AND client_id = ?2", session, client_id, note_id, at);
}

/* Column col as a JSON string, or null. */
static json_t *
col_string(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? json_null() :
	    json_string((const char *)sqlite3_column_text(s, col));
}

static int
note_row(sqlite3_stmt *s, void *arg)
{
	json_t *n = json_pack("{s:I,s:s,s:s,s:I}", "note_id",
	    (json_int_t)sqlite3_column_int64(s, 0), "item",
	    sqlite3_column_text(s, 1), "text", sqlite3_column_text(s, 2),
	    "at", (json_int_t)sqlite3_column_int64(s, 5));

	json_object_set_new(n, "score", sqlite3_column_type(s, 3) ==
	    SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int(s, 3)));
	json_object_set_new(n, "flag", sqlite3_column_type(s, 4) ==
	    SQLITE_NULL ? json_null() : json_boolean(sqlite3_column_int(s, 4)));
	json_object_set_new(n, "client_id", col_string(s, 6));
	json_array_append_new(arg, n);
	return 0;
}

json_t *
store_notes(struct store *st, int64_t session)
{
	return store_array(st, "SELECT id, item, text, score, flag, at, "
	    "client_id FROM notes WHERE session_id = ?1 ORDER BY id", note_row,
	    session);
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

	if (sqlite3_column_type(s, 1) != SQLITE_NULL)
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
	return store_each(st, "SELECT item, score, flag FROM notes WHERE "
	    "session_id = ?1 AND (score IS NOT NULL OR flag IS NOT NULL) "
	    "ORDER BY id", mark_row, &m, "i", session) < 0 ? -1 : 0;
}

int
store_chat_add(struct store *st, int64_t session, int64_t from,
    const char *client_id, const char *text, int64_t now, int64_t *at)
{
	int64_t id;

	*at = now;
	if (store_exec(st, "INSERT INTO chat (session_id, from_id, client_id, "
	    "text, at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (session_id, "
	    "client_id) WHERE client_id IS NOT NULL DO NOTHING", "iitti",
	    session, from, client_id, text, now) != 0)
		return -1;
	if (sqlite3_changes(store_db(st)) == 1)
		return 0;
	/* A resend: answer with the time of the message stored before. */
	return stored_before(st, "SELECT id, at FROM chat WHERE session_id = "
	    "?1 AND client_id = ?2", session, client_id, &id, at);
}

static int
chat_row(sqlite3_stmt *s, void *arg)
{
	json_t *m = json_pack("{s:I,s:s,s:s,s:I}", "from",
	    (json_int_t)sqlite3_column_int64(s, 0), "username",
	    sqlite3_column_text(s, 1), "text", sqlite3_column_text(s, 2),
	    "at", (json_int_t)sqlite3_column_int64(s, 3));

	json_object_set_new(m, "client_id", col_string(s, 4));
	json_array_append_new(arg, m);
	return 0;
}

json_t *
store_chat(struct store *st, int64_t session)
{
	return store_array(st, "SELECT c.from_id, u.username, c.text, c.at, "
	    "c.client_id FROM chat c JOIN users u ON u.id = c.from_id "
	    "WHERE c.session_id = ?1 ORDER BY c.id", chat_row, session);
}

int
store_feedback_add(struct store *st, int64_t session, int64_t from,
    int rating, const char *text, int64_t now)
{
	int role, phase, rc;

	/* The writer runs jobs in order: an end submitted before this is
	 * in the database already. */
	rc = store_session_access(st, session, from, &role, &phase);
	if (rc <= 0)
		return rc < 0 ? -1 : STORE_NOT_FOUND;
	if (role != ROLE_CANDIDATE)
		return STORE_FORBIDDEN;
	if (phase != PHASE_DONE)
		return STORE_INVALID_STATE;
	return store_exec(st, "INSERT INTO feedback (session_id, from_id, "
	    "rating, text, at) VALUES (?1, ?2, ?3, ?4, ?5)", "iiiti", session,
	    from, (int64_t)rating, text, now);
}
