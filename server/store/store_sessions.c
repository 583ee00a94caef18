/*
 * store_sessions.c — SQL for the live interview (see store_sessions.h).
 */
#include "store_sessions.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "store.h"
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
    const char *reason, int64_t ended_by, double overall)
{
	if (phase_end(st, id, from, at) != 0 ||
	    phase_row(st, id, PHASE_DONE, at) != 0)
		return -1;
	return store_exec(st, "UPDATE sessions SET phase = 'done', "
	    "phase_ends_at = NULL, ended_at = ?2, reason = ?3, overall = ?4, "
	    "ended_by = ?5 WHERE id = ?1", "iitdI", id, at, reason, overall,
	    ended_by) == 0 ? 0 : -1;
}

int
store_session_extend(struct store *st, int64_t id, int64_t ends_at,
    int64_t extended_ms)
{
	return store_exec(st, "UPDATE sessions SET phase_ends_at = ?2, "
	    "extended_ms = ?3 WHERE id = ?1 AND phase <> 'done'", "iii", id,
	    ends_at, extended_ms) == 0 ? 0 : -1;
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
	r.extended_ms = sqlite3_column_int64(s, 14);
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
	    "s.created_at, s.prefs, p.started_at, s.extended_ms "
	    "FROM sessions s "
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
