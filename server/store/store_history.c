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
	"s.ended_at, s.phase, s.reason, s.question_id, s.overall, " \
	"s.ended_by FROM sessions s LEFT JOIN users u ON u.id = " \
	"s.candidate_id " \
	"WHERE s.interviewer_id = ?1 AND s.id < ?2 " \
	"UNION ALL " \
	"SELECT s.id, 1, s.interviewer_id, u.username, s.created_at, " \
	"s.ended_at, s.phase, s.reason, s.question_id, s.overall, " \
	"s.ended_by FROM sessions s LEFT JOIN users u ON u.id = " \
	"s.interviewer_id " \
	"WHERE s.candidate_id = ?1 AND s.id < ?2 " \
	"ORDER BY 1 DESC LIMIT ?3"

/* Plan: sessions, both users and the next swap each by a key
 * (sessions_by_swap is partial; swap_of = ? implies its IS NOT NULL). */
#define SQL_SESSION \
	"SELECT s.origin, s.phase, s.reason, s.created_at, s.ended_at, " \
	"s.interviewer_id, iu.username, s.candidate_id, cu.username, " \
	"s.question_id, s.overall, s.swap_of, " \
	"(SELECT MIN(n.id) FROM sessions n WHERE n.swap_of = s.id), " \
	"s.ended_by FROM sessions s LEFT JOIN users iu ON iu.id = s.interviewer_id " \
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

/* The newest STORE_TREND_MAX of them (store_history.h). A user is in one
 * live session at a time, so id order is the order the
 * sessions ended in, and the index gives it without a sort. */
#define SQL_TREND \
	"SELECT id, ended_at, overall FROM (SELECT id, ended_at, overall " \
	"FROM sessions WHERE candidate_id = ?1 AND phase = 'done' AND " \
	"overall IS NOT NULL ORDER BY id DESC LIMIT " STORE_TREND_MAX_S ") " \
	"ORDER BY id"

/*
 * The latest score of each item per session (a note that cleared it
 * counts as the latest, and leaves the item unscored), summed per (item,
 * question).
 * With exactly one max() in a group, SQLite takes the bare columns
 * (score, question) from the row holding the max, i.e. the latest note.
 * Plan: sessions_by_candidate, then notes_by_session; the groups are
 * sorted in temp b-trees the size of the user's scored notes.
 */
#define SQL_ITEMS \
	"WITH latest AS (SELECT s.question_id AS q, n.item AS item, " \
	"n.score AS score, MAX(n.id) FROM sessions s " \
	"JOIN notes n ON n.session_id = s.id WHERE s.candidate_id = ?1 " \
	"AND s.phase = 'done' AND (n.score IS NOT NULL OR n.cleared = 1) " \
	"GROUP BY n.session_id, n.item) " \
	"SELECT item, q, SUM(score), COUNT(*) FROM latest " \
	"WHERE score IS NOT NULL GROUP BY item, q ORDER BY item, q"

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

/* The rows of a page, as store_history_list fills them. */
struct page {
	struct history_row *rows;
	int n, got;
};

static int
page_row(sqlite3_stmt *s, void *arg)
{
	struct page *pg = arg;
	struct history_row *r = &pg->rows[pg->got++];

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->role = sqlite3_column_int(s, 1);
	r->peer_id = sqlite3_column_int64(s, 2);
	copy_text(r->peer_name, sizeof r->peer_name, s, 3);
	r->created_at = sqlite3_column_int64(s, 4);
	r->ended_at = sqlite3_column_int64(s, 5);
	r->phase = phase_parse((const char *)sqlite3_column_text(s, 6));
	copy_text(r->reason, sizeof r->reason, s, 7);
	copy_text(r->question_id, sizeof r->question_id, s, 8);
	r->overall = col_real_or_nan(s, 9);
	r->ended_by = sqlite3_column_int64(s, 10);
	return pg->got == pg->n;
}

int
store_history_list(struct store *st, int64_t user, int64_t before,
    struct history_row *rows, int n)
{
	struct page pg = { rows, n, 0 };

	/* LIMIT would read a negative n as no limit at all. */
	if (n <= 0)
		return 0;
	if (store_each(st, SQL_LIST, page_row, &pg, "iii", user, before,
	    (int64_t)n) < 0)
		return -1;
	return pg.got;
}

static int
meta_row(sqlite3_stmt *s, void *arg)
{
	struct history_meta *m = arg;

	memset(m, 0, sizeof *m);
	copy_text(m->origin, sizeof m->origin, s, 0);
	m->phase = phase_parse((const char *)sqlite3_column_text(s, 1));
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
	m->ended_by = sqlite3_column_int64(s, 13);
	return 1;
}

int
store_history_session(struct store *st, int64_t id, struct history_meta *m)
{
	int rc = store_each(st, SQL_SESSION, meta_row, m, "i", id);

	if (rc == 1)
		m->id = id;
	return rc;
}

/* Each phase's entry by its number; a phase seen twice keeps its first. */
static int
phase_row(sqlite3_stmt *s, void *arg)
{
	json_t **by_phase = arg;
	int p = phase_parse((const char *)sqlite3_column_text(s, 0));

	if (p < 0 || by_phase[p] != NULL)
		return 0;
	by_phase[p] = json_pack("{s:s,s:I}", "phase", phase_name(p),
	    "started_at", (json_int_t)sqlite3_column_int64(s, 1));
	json_object_set_new(by_phase[p], "ended_at",
	    sqlite3_column_type(s, 2) == SQLITE_NULL ? json_null() :
	    json_integer(sqlite3_column_int64(s, 2)));
	return 0;
}

json_t *
store_history_phases(struct store *st, int64_t id)
{
	json_t *by_phase[PHASE_DONE + 1] = { NULL }, *a;
	int rc = store_each(st, SQL_PHASES, phase_row, by_phase, "i", id);

	a = json_array();
	for (int p = 0; p <= PHASE_DONE; p++)
		if (by_phase[p] != NULL)
			json_array_append_new(a, by_phase[p]);
	if (rc < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static int
feedback_row(sqlite3_stmt *s, void *arg)
{
	json_t **f = arg;

	*f = json_pack("{s:i,s:s?,s:I}", "rating", sqlite3_column_int(s, 0),
	    "text", (const char *)sqlite3_column_text(s, 1), "at",
	    (json_int_t)sqlite3_column_int64(s, 2));
	return 1;
}

json_t *
store_history_feedback(struct store *st, int64_t id)
{
	json_t *f = NULL;

	switch (store_each(st, SQL_FEEDBACK, feedback_row, &f, "i", id)) {
	case 0:
		return json_null();
	case 1:
		return f;
	default:
		return NULL;
	}
}

int
store_history_counts(struct store *st, int64_t user, int64_t *candidate,
    int64_t *interviewer)
{
	int64_t n[2];

	if (store_each(st, SQL_COUNTS, store_row_int64s, n, "i", user) != 1)
		return -1;
	*candidate = n[0];
	*interviewer = n[1];
	return 0;
}

struct mean {
	double mean;
	int64_t count;
};

static int
mean_row(sqlite3_stmt *s, void *arg)
{
	struct mean *m = arg;

	m->mean = col_real_or_nan(s, 0);
	m->count = sqlite3_column_int64(s, 1);
	return 1;
}

int
store_history_feedback_mean(struct store *st, int64_t user, double *mean,
    int64_t *count)
{
	struct mean m;

	if (store_each(st, SQL_FEEDBACK_MEAN, mean_row, &m, "i", user) != 1)
		return -1;
	*mean = m.mean;
	*count = m.count;
	return 0;
}

static int
trend_row(sqlite3_stmt *s, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I,s:I,s:f}", "session_id",
	    (json_int_t)sqlite3_column_int64(s, 0), "ended_at",
	    (json_int_t)sqlite3_column_int64(s, 1), "overall",
	    sqlite3_column_double(s, 2)));
	return 0;
}

json_t *
store_history_trend(struct store *st, int64_t user)
{
	return store_array(st, SQL_TREND, trend_row, user);
}

struct item_scores {
	void (*fn)(const char *, const char *, int64_t, int64_t, void *);
	void *arg;
};

static int
item_row(sqlite3_stmt *s, void *arg)
{
	struct item_scores *is = arg;

	is->fn((const char *)sqlite3_column_text(s, 0),
	    (const char *)sqlite3_column_text(s, 1),
	    sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3), is->arg);
	return 0;
}

int
store_history_item_scores(struct store *st, int64_t user,
    void (*fn)(const char *item, const char *question_id, int64_t sum,
    int64_t count, void *arg), void *arg)
{
	struct item_scores is = { fn, arg };

	return store_each(st, SQL_ITEMS, item_row, &is, "i", user) < 0 ?
	    -1 : 0;
}

static int
question_row(sqlite3_stmt *s, void *arg)
{
	const char *id = (const char *)sqlite3_column_text(s, 0);
	const char *title = (const char *)sqlite3_column_text(s, 1);

	/* A question row is never deleted; the id stands in anyway. */
	json_array_append_new(arg, json_pack("{s:s,s:s,s:I}", "id", id,
	    "title", title != NULL ? title : id, "times",
	    (json_int_t)sqlite3_column_int64(s, 2)));
	return 0;
}

json_t *
store_history_questions(struct store *st, int64_t user)
{
	return store_array(st, SQL_QUESTIONS, question_row, user);
}

/* Plan: sessions_by_interviewer backwards, each session's feedback by its
 * key: as many sessions as it takes to find STORE_FEEDBACK_MAX. */
#define SQL_FEEDBACK_LIST \
	"SELECT f.session_id, f.rating, f.text, f.at FROM sessions s " \
	"JOIN feedback f ON f.session_id = s.id WHERE s.interviewer_id = ?1 " \
	"ORDER BY s.id DESC LIMIT " STORE_FEEDBACK_MAX_S

static int
feedback_list_row(sqlite3_stmt *s, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I,s:i,s:s,s:I}",
	    "session_id", (json_int_t)sqlite3_column_int64(s, 0), "rating",
	    sqlite3_column_int(s, 1), "text", (const char *)
	    sqlite3_column_text(s, 2), "at", (json_int_t)
	    sqlite3_column_int64(s, 3)));
	return 0;
}

json_t *
store_history_feedback_list(struct store *st, int64_t user)
{
	return store_array(st, SQL_FEEDBACK_LIST, feedback_list_row, user);
}
