/*
 * session.h — live interview sessions: pairing two users into one, the
 * phase clock and its timer pushes, presence of the two participants (the
 * grace period and no-shows), ending, and restoring live sessions after a
 * restart. What each side is shown is built in view.c.
 *
 * A live session is in memory and in SQLite; memory is updated only after
 * the database, so that what a client was told is what a restart finds.
 * An ended session lingers in memory for the swap window, then is freed.
 */
#ifndef MOCKINT_SESSION_H
#define MOCKINT_SESSION_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "dispatch.h"
#include "options.h"

struct conn;
struct bank_prefs;
struct qviews;

enum { ROLE_INTERVIEWER = 0, ROLE_CANDIDATE = 1 };

/* How long after `done` both may still ask to swap roles. */
#define SESSION_SWAP_WINDOW_MS (2 * 60 * 1000)

struct session {
	int64_t id;
	int64_t user[2];		/* by ROLE_* */
	char name[2][40];
	char question_id[128];
	const struct qviews *q;		/* shared question views (view.c) */
	char origin[8];			/* queue, room, swap */
	int64_t swap_of;
	int phase;
	int64_t phase_started_at, phase_ends_at;
	int phase_s[PHASE__TIMED];
	int warn;			/* next clock event: 0 60 s, 1 10 s, 2 end */
	int64_t created_at;
	json_t *prefs;			/* each side's queue preferences */
	int64_t away_since[2];		/* 0 while connected */
	int64_t swap_asked[2];		/* when each asked to swap, 0 if not */
	int restored;			/* resumed after a restart */
	const char *reason;		/* once done */
	double overall;			/* once done; NAN when nothing scored */
	int64_t ended_at;
	/*
	 * What the session pushes show of it, kept here so that a phase
	 * change does not read them back from the database: loaded on first
	 * use (after a restart), then appended to as notes and chat commit.
	 * NULL until loaded.
	 */
	json_t *notes, *chat, *scores, *flags;
	uv_timer_t clock;		/* phase events, then the linger */
	uv_timer_t away;		/* grace and no-show deadlines */
	int handles;			/* open uv handles, for freeing */
	struct session *next;		/* hash chain by id */
};

/* What a request's session_id resolved to (see session_resolve). */
struct session_ref {
	int64_t id;
	struct session *s;	/* NULL when not in memory (ended long ago) */
	int role;
	int phase;
};

/* Restore live sessions from the database (after a restart). */
int session_init(void);
void session_shutdown(void);

/*
 * Start a session between two users: choose a question (unseen by the
 * candidate, honouring prefs), store it, and push match, session and timer
 * to both. NULL (logged) when no question or the database failed.
 */
struct session *session_start(int64_t interviewer, const char *iname,
    int64_t candidate, const char *cname, const char *origin,
    int64_t swap_of, const struct bank_prefs *prefs, json_t *queue_prefs);

/* The user's live session, or NULL. */
struct session *session_of_user(int64_t user);
struct session *session_find(int64_t id);

/* c was just authenticated (first: the user's first connection). */
void session_user_online(struct conn *c, int first);
/* The user's last connection went away. */
void session_user_offline(int64_t user);

/*
 * Resolve the request's "session_id" for c's user. Replies not_found (not
 * a participant, no such session) or forbidden (want_role given and the
 * user has the other role) and returns -1; 0 with ref filled otherwise.
 */
int session_resolve(struct conn *c, const struct request *r, int want_role,
    struct session_ref *ref);

/* End a live session now with reason ("completed", "abandoned", ...). */
void session_finish(struct session *s, const char *reason);
/* A note or chat message of a session committed: keep its shown state
 * current (note and chat are borrowed; score and flag -1 when absent). */
void session_note_committed(int64_t id, json_t *note, const char *item,
    int score, int flag);
void session_chat_committed(int64_t id, json_t *chat);
/* Send msg (consumed) to every connection of both users but `except`. */
void session_broadcast(struct session *s, json_t *msg,
    const struct conn *except);

extern const struct proto_field session_fields_id[];
void session_cmd_get(struct conn *c, const struct request *r);
void session_cmd_phase_next(struct conn *c, const struct request *r);
void session_cmd_end(struct conn *c, const struct request *r);

#endif
