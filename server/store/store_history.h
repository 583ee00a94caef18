/*
 * store_history.h — the read-only SQL behind history.list, history.get and
 * history.stats (schema/0004_sessions.sql). Every query is driven by an
 * index: a user's sessions by sessions_by_interviewer/_by_candidate, a
 * session's rows by their (session_id, ...) keys. Functions return -1 when
 * the database failed (logged); nothing here writes.
 *
 * The notes, scores and chat of one session are read with store_notes,
 * store_scores and store_chat (store_sessions.h), shared with the live
 * interview so that history shows exactly what the session showed.
 */
#ifndef MOCKINT_STORE_HISTORY_H
#define MOCKINT_STORE_HISTORY_H

#include <jansson.h>
#include <stdint.h>

#include "store_sessions.h"
#include "user.h"

struct store;

/* One row of a user's history (history.list). */
struct history_row {
	int64_t id;
	int role;			/* ROLE_* of the user it was read for */
	int64_t peer_id;
	char peer_name[USERNAME_SIZE];
	int64_t created_at;
	int64_t ended_at;		/* 0 while live */
	int phase;			/* PHASE_*, -1 if unreadable */
	char reason[STORE_REASON_SIZE];		/* "" while live */
	char question_id[QUESTIONS_ID_SIZE];
	double overall;			/* NAN when nothing was scored */
	int64_t ended_by;		/* who ended it early; 0: nobody */
};

/*
 * The user's sessions with id < before, newest first, at most n of them
 * into rows[0..n). Returns how many, or -1.
 */
int store_history_list(struct store *st, int64_t user, int64_t before,
    struct history_row *rows, int n);

/* One session as history.get shows it. */
struct history_meta {
	int64_t id;
	char origin[STORE_ORIGIN_SIZE];
	int phase;
	char reason[STORE_REASON_SIZE];		/* "" while live */
	int64_t created_at;
	int64_t ended_at;		/* 0 while live */
	int64_t user[2];		/* by ROLE_* */
	char name[2][USERNAME_SIZE];
	char question_id[QUESTIONS_ID_SIZE];
	double overall;			/* NAN when nothing was scored */
	int64_t swap_of;		/* 0: none */
	int64_t swap_next;		/* the session swapped from this; 0: none */
	int64_t ended_by;		/* who ended it early; 0: nobody */
};

/* 1 found, 0 no such session, -1 error. */
int store_history_session(struct store *st, int64_t id,
    struct history_meta *m);
/* [{phase, started_at, ended_at|null}] in phase order; NULL on error. */
json_t *store_history_phases(struct store *st, int64_t id);
/* {rating, text, at}, json null when none was given, NULL on error. */
json_t *store_history_feedback(struct store *st, int64_t id);

/*
 * Statistics over the user's ended sessions (phase done, any reason).
 */
/* How many as candidate and as interviewer. */
int store_history_counts(struct store *st, int64_t user, int64_t *candidate,
    int64_t *interviewer);
/* The mean feedback rating given to the user's interviewing (NAN when
 * none) and how many ratings there were. */
int store_history_feedback_mean(struct store *st, int64_t user, double *mean,
    int64_t *count);
/* [{session_id, ended_at, overall}] as candidate with an overall, oldest
 * first: the newest STORE_TREND_MAX of them; NULL on error. */
#define STORE_TREND_MAX 200
#define STORE_TREND_MAX_S "200"
json_t *store_history_trend(struct store *st, int64_t user);
/*
 * As candidate: for every (checklist item, question) pair, the sum and
 * number of the item's latest score per session. Called in order of item
 * key, then question id, so all rows for one item are adjacent.
 */
int store_history_item_scores(struct store *st, int64_t user,
    void (*fn)(const char *item, const char *question_id, int64_t sum,
    int64_t count, void *arg), void *arg);
/* [{id, title, times}] of the questions had as candidate, the most
 * recently had first; NULL on error. */
json_t *store_history_questions(struct store *st, int64_t user);

/* [{session_id, rating, text, at}] given to the user's interviewing, the
 * newest STORE_FEEDBACK_MAX, newest first; NULL on error. */
#define STORE_FEEDBACK_MAX 50
#define STORE_FEEDBACK_MAX_S "50"
json_t *store_history_feedback_list(struct store *st, int64_t user);

#endif
