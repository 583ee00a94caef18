/*
 * store_sessions.h — SQL for sessions, their phase timeline and feedback
 * (schema/0004_sessions.sql; notes and chat are store_items.h's). -1
 * means the database failed (logged). The writes run in the writer's
 * transaction (writer.h): a job that fails is rolled back to its
 * savepoint, and nothing is committed until the writer's batch is.
 */
#ifndef MOCKINT_STORE_SESSIONS_H
#define MOCKINT_STORE_SESSIONS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "phase.h"
#include "questions.h"
#include "user.h"

struct store;

/* The longest origin ("queue", "room", "swap") and end reason
 * ("completed", "abandoned", "no_show") a session row may hold
 * (schema/0004_sessions.sql), each with its NUL and to spare. */
#define STORE_ORIGIN_SIZE	8
#define STORE_REASON_SIZE	16

/* A session row as stored (for restoring live sessions at start). */
struct session_row {
	int64_t id;
	int64_t interviewer, candidate;
	char interviewer_name[USERNAME_SIZE], candidate_name[USERNAME_SIZE];
	char question_id[QUESTIONS_ID_SIZE];
	char origin[STORE_ORIGIN_SIZE];
	int64_t swap_of;
	int phase;
	int64_t phase_started_at, phase_ends_at;
	int phase_s[PHASE__TIMED];
	int64_t created_at;
	int64_t extended_ms;	/* phase.extend's total so far */
	json_t *prefs;		/* owned by the row; may be NULL */
};

/*
 * The writes below run inside the caller's transaction (the writer's
 * batch, see writer.h) and do not commit by themselves.
 */
/* Create session id (ids are handed out by session.c) in prep, now. */
int store_session_create(struct store *st, int64_t id, int64_t interviewer,
    int64_t candidate, const char *question_id, const char *origin,
    int64_t swap_of, const int phase_s[PHASE__TIMED], const char *prefs,
    int64_t now);
/* Record leaving phase `from` at `at` for phase `to` (not done), which
 * ends at ends_at. */
int store_session_phase(struct store *st, int64_t id, int from, int to,
    int64_t at, int64_t ends_at);
/* Record the end: leaving phase `from` at `at`, reason, who ended it
 * (0: the clock or the server), overall (NAN when nothing was scored). */
int store_session_finish(struct store *st, int64_t id, int from, int64_t at,
    const char *reason, int64_t ended_by, double overall);
/* The current phase now ends at ends_at; the session's phases were
 * extended by extended_ms in all (phase.extend). */
int store_session_extend(struct store *st, int64_t id, int64_t ends_at,
    int64_t extended_ms);
/* The highest session id ever used (0 for none), -1 on error. */
int64_t store_sessions_max_id(struct store *st);
/* Call fn for every live session; the row is valid during the call. */
int store_sessions_live(struct store *st,
    void (*fn)(const struct session_row *row, void *arg), void *arg);
/* For a session not live in memory: the user's role in it (0 interviewer,
 * 1 candidate) and its phase. 1 found, 0 not a participant/no such, -1. */
int store_session_access(struct store *st, int64_t id, int64_t user,
    int *role, int *phase);
/* The question ids a user has had as candidate (malloc'd array of
 * malloc'd strings). */
int store_seen_questions(struct store *st, int64_t candidate, char ***ids,
    size_t *n);

/* The candidate's feedback on an ended session: 0 stored, STORE_CONFLICT
 * already given, STORE_NOT_FOUND not a participant or no such session,
 * STORE_FORBIDDEN from the interviewer, STORE_INVALID_STATE not ended
 * yet, -1 error. */
int store_feedback_add(struct store *st, int64_t session, int64_t from,
    int rating, const char *text, int64_t now);

#endif
