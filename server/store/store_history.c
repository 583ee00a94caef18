/*
 * store_history.c — SQL for history.list, history.get and history.stats
 * (see store_history.h). The query plans are noted above each statement;
 * none scans a table or sorts more than the rows it returns, except the
 * statistics, which group the user's own rows.
 */
#include "store_history.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "phase.h"
#include "store.h"
#include "store_sessions.h"

/*
 * A page of one user's sessions. Each arm walks its index backwards from
 * `before` and the compound's ORDER BY ... LIMIT merges the two ordered
 * streams, so a page reads about LIMIT rows whatever the history's size
 * (plan: MERGE (UNION ALL) of SEARCH sessions USING INDEX
 * sessions_by_interviewer (interviewer_id=? AND id<?) and ..._by_candidate,
 * each with the peer by INTEGER PRIMARY KEY; no temp b-tree). A user is
 * never paired with themself, so the arms never hold the same session.
 */
#define SQL_LIST \
	"SELECT s.id, 0, s.candidate_id, u.username, s.created_at, " \
	"s.ended_at, s.phase, s.reason, s.question_id, s.overall " \
	"FROM sessions s LEFT JOIN users u ON u.id = s.candidate_id " \
	"WHERE s.interviewer_id = ?1 AND s.id < ?2 " \
	"UNION ALL " \
	"SELECT s.id, 1, s.interviewer_id, u.username, s.created_at, " \
	"s.ended_at, s.phase, s.reason, s.question_id, s.overall " \
	"FROM sessions s LEFT JOIN users u ON u.id = s.interviewer_id " \
	"WHERE s.candidate_id = ?1 AND s.id < ?2 " \
	"ORDER BY 1 DESC LIMIT ?3"

/* Plan: sessions, both users and the next swap each by a key
 * (sessions_by_swap is partial; swap_of = ? implies its IS NOT NULL). */
#define SQL_SESSION \
	"SELECT s.origin, s.phase, s.reason, s.created_at, s.ended_at, " \
	"s.interviewer_id, iu.username, s.candidate_id, cu.username, " \
	"s.question_id, s.overall, s.swap_of, " \
	"(SELECT MIN(n.id) FROM sessions n WHERE n.swap_of = s.id) " \
	"FROM sessions s LEFT JOIN users iu ON iu.id = s.interviewer_id " \
	"LEFT JOIN users cu ON cu.id = s.candidate_id WHERE s.id = ?1"

/* Plan: SEARCH session_phases USING PRIMARY KEY (session_id=?). The key
 * orders phases by name; phase order is restored in C. */
#define SQL_PHASES \
	"SELECT phase, started_at, ended_at FROM session_phases " \
	"WHERE session_id = ?1"

/* Plan: SEARCH feedback USING INTEGER PRIMARY KEY. */
#define SQL_FEEDBACK \
	"SELECT rating, text, at FROM feedback WHERE session_id = ?1"

/* Plan: each count a SEARCH on its user index. */
#define SQL_COUNTS \
	"SELECT (SELECT COUNT(*) FROM sessions WHERE candidate_id = ?1 " \
	"AND phase = 'done'), (SELECT COUNT(*) FROM sessions " \
	"WHERE interviewer_id = ?1 AND phase = 'done')"

/* Feedback can only be given once a session is done, so no phase test is
 * needed. Plan: COVERING INDEX sessions_by_interviewer, feedback by key. */
#define SQL_FEEDBACK_MEAN \
	"SELECT AVG(f.rating), COUNT(f.rating) FROM sessions s " \
	"JOIN feedback f ON f.session_id = s.id WHERE s.interviewer_id = ?1"

/* A user is in one live session at a time, so id order is the order the
 * sessions ended in, and the index gives it without a sort. */
#define SQL_TREND \
	"SELECT id, ended_at, overall FROM sessions WHERE candidate_id = ?1 " \
	"AND phase = 'done' AND overall IS NOT NULL ORDER BY id"

/*
 * The latest score of each item per session, summed per (item, question).
 * With exactly one max() in a group, SQLite takes the bare columns
 * (score, question) from the row holding the max, i.e. the latest note.
 * Plan: sessions_by_candidate, then notes_by_session; the groups are
 * sorted in temp b-trees the size of the user's scored notes.
 */
#define SQL_ITEMS \
	"WITH latest AS (SELECT s.question_id AS q, n.item AS item, " \
	"n.score AS score, MAX(n.id) FROM sessions s " \
	"JOIN notes n ON n.session_id = s.id WHERE s.candidate_id = ?1 " \
	"AND s.phase = 'done' AND n.score IS NOT NULL " \
	"GROUP BY n.session_id, n.item) " \
	"SELECT item, q, SUM(score), COUNT(*) FROM latest " \
	"GROUP BY item, q ORDER BY item, q"

/* Plan: sessions_by_candidate, the question by its primary key. */
#define SQL_QUESTIONS \
	"SELECT s.question_id, q.title, COUNT(*), MAX(s.id) AS last " \
	"FROM sessions s LEFT JOIN questions q ON q.id = s.question_id " \
	"WHERE s.candidate_id = ?1 AND s.phase = 'done' " \
	"GROUP BY s.question_id ORDER BY last DESC"

static void
copy_text(char *buf, size_t len, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(buf, len, "%s", t != NULL ? (const char *)t : "");
}

static double
col_real_or_nan(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(s, col);
}

int
store_history_snapshot(struct store *st)
{
	if (sqlite3_exec(store_db(st), "BEGIN DEFERRED", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return store_fail(st, NULL);
	return 0;
}

void
store_history_snapshot_end(struct store *st)
{
	/* Nothing was written: ending it only lets go of the snapshot. */
	if (!sqlite3_get_autocommit(store_db(st)) &&
	    sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		store_fail(st, NULL);
}

int
store_history_list(struct store *st, int64_t user, int64_t before,
    struct history_row *rows, int n)
{
	sqlite3_stmt *s = store_prepare(st, SQL_LIST);
	int rc = SQLITE_DONE, got = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user);
	sqlite3_bind_int64(s, 2, before);
	sqlite3_bind_int(s, 3, n);
	while (got < n && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct history_row *r = &rows[got++];
		char phase[16];

		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(s, 0);
		r->role = sqlite3_column_int(s, 1);
		r->peer_id = sqlite3_column_int64(s, 2);
		copy_text(r->peer_name, sizeof r->peer_name, s, 3);
		r->created_at = sqlite3_column_int64(s, 4);
		r->ended_at = sqlite3_column_int64(s, 5);
		copy_text(phase, sizeof phase, s, 6);
		r->phase = phase_parse(phase);
		copy_text(r->reason, sizeof r->reason, s, 7);
		copy_text(r->question_id, sizeof r->question_id, s, 8);
		r->overall = col_real_or_nan(s, 9);
	}
	if (got < n && rc != SQLITE_DONE)
		return store_fail(st, s);
	sqlite3_reset(s);
	return got;
}

int
store_history_session(struct store *st, int64_t id, struct history_meta *m)
{
	sqlite3_stmt *s = store_prepare(st, SQL_SESSION);
	char phase[16];
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, s);
	memset(m, 0, sizeof *m);
	m->id = id;
	copy_text(m->origin, sizeof m->origin, s, 0);
	copy_text(phase, sizeof phase, s, 1);
	m->phase = phase_parse(phase);
	copy_text(m->reason, sizeof m->reason, s, 2);
	m->created_at = sqlite3_column_int64(s, 3);
	m->ended_at = sqlite3_column_int64(s, 4);
	m->user[0] = sqlite3_column_int64(s, 5);
	copy_text(m->name[0], sizeof m->name[0], s, 6);
	m->user[1] = sqlite3_column_int64(s, 7);
	copy_text(m->name[1], sizeof m->name[1], s, 8);
	copy_text(m->question_id, sizeof m->question_id, s, 9);
	m->overall = col_real_or_nan(s, 10);
	m->swap_of = sqlite3_column_int64(s, 11);
	m->swap_next = sqlite3_column_int64(s, 12);
	sqlite3_reset(s);
	return 1;
}

json_t *
store_history_phases(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_PHASES);
	json_t *by_phase[PHASE_DONE + 1] = { NULL }, *a;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char name[16];
		int p;

		copy_text(name, sizeof name, s, 0);
		if ((p = phase_parse(name)) < 0 || by_phase[p] != NULL)
			continue;
		by_phase[p] = json_pack("{s:s,s:I}", "phase", name,
		    "started_at", (json_int_t)sqlite3_column_int64(s, 1));
		json_object_set_new(by_phase[p], "ended_at",
		    sqlite3_column_type(s, 2) == SQLITE_NULL ? json_null() :
		    json_integer(sqlite3_column_int64(s, 2)));
	}
	a = json_array();
	for (int p = 0; p <= PHASE_DONE; p++)
		if (by_phase[p] != NULL)
			json_array_append_new(a, by_phase[p]);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		store_fail(st, s);
		return NULL;
	}
	sqlite3_reset(s);
	return a;
}

json_t *
store_history_feedback(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FEEDBACK);
	json_t *f;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return json_null();
	}
	if (rc != SQLITE_ROW) {
		store_fail(st, s);
		return NULL;
	}
	f = json_pack("{s:i,s:s?,s:I}", "rating", sqlite3_column_int(s, 0),
	    "text", (const char *)sqlite3_column_text(s, 1), "at",
	    (json_int_t)sqlite3_column_int64(s, 2));
	sqlite3_reset(s);
	return f;
}

int
store_history_counts(struct store *st, int64_t user, int64_t *candidate,
    int64_t *interviewer)
{
	sqlite3_stmt *s = store_prepare(st, SQL_COUNTS);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user);
	if (sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, s);
	*candidate = sqlite3_column_int64(s, 0);
	*interviewer = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

int
store_history_feedback_mean(struct store *st, int64_t user, double *mean,
    int64_t *count)
{
	sqlite3_stmt *s = store_prepare(st, SQL_FEEDBACK_MEAN);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user);
	if (sqlite3_step(s) != SQLITE_ROW)
		return store_fail(st, s);
	*mean = col_real_or_nan(s, 0);
	*count = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

json_t *
store_history_trend(struct store *st, int64_t user)
{
	sqlite3_stmt *s = store_prepare(st, SQL_TREND);
	json_t *a;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, user);
	a = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{s:I,s:I,s:f}",
		    "session_id", (json_int_t)sqlite3_column_int64(s, 0),
		    "ended_at", (json_int_t)sqlite3_column_int64(s, 1),
		    "overall", sqlite3_column_double(s, 2)));
	if (rc != SQLITE_DONE) {
		json_decref(a);
		store_fail(st, s);
		return NULL;
	}
	sqlite3_reset(s);
	return a;
}

int
store_history_item_scores(struct store *st, int64_t user,
    void (*fn)(const char *item, const char *question_id, int64_t sum,
    int64_t count, void *arg), void *arg)
{
	sqlite3_stmt *s = store_prepare(st, SQL_ITEMS);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, user);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3), arg);
	if (rc != SQLITE_DONE)
		return store_fail(st, s);
	sqlite3_reset(s);
	return 0;
}

json_t *
store_history_questions(struct store *st, int64_t user)
{
	sqlite3_stmt *s = store_prepare(st, SQL_QUESTIONS);
	json_t *a;
	int rc;

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, user);
	a = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		const char *title = (const char *)sqlite3_column_text(s, 1);

		/* A question row is never deleted; the id stands in anyway. */
		json_array_append_new(a, json_pack("{s:s,s:s,s:I}", "id", id,
		    "title", title != NULL ? title : id, "times",
		    (json_int_t)sqlite3_column_int64(s, 2)));
	}
	if (rc != SQLITE_DONE) {
		json_decref(a);
		store_fail(st, s);
		return NULL;
	}
	sqlite3_reset(s);
	return a;
}
