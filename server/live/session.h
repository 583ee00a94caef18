/*
 * session.h — live interview sessions: pairing two users into one, the
 * phase clock and its timer pushes (session_clock.c), presence of the two
 * participants (the grace period and no-shows), ending, and restoring live
 * sessions after a restart (session_store.c). What each side is shown is
 * built in view.c.
 *
 * A live session is in memory and in SQLite; memory is updated only after
 * the database, so that what a client was told is what a restart finds.
 * A session starts in memory at once but is announced (match, session,
 * timer) only once its row is committed: the question is chosen on the
 * writer thread, in the same job, from the candidate's history. An ended
 * session lingers in memory for the swap window, then is freed.
 */
#ifndef MOCKINT_SESSION_H
#define MOCKINT_SESSION_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "phase.h"
#include "questions.h"
#include "request.h"
#include "user.h"

struct conn;
struct bank_prefs;
struct qviews;
struct store;

/* How long after `done` both may still ask to swap roles. */
#define SESSION_SWAP_WINDOW_MS (2 * 60 * 1000)
/* How long after `done` the chat stays open (the debrief). */
#define SESSION_DEBRIEF_MS (15 * 60 * 1000)
/* phase.extend: each adds this much; a session may add up to the most. */
#define SESSION_EXTEND_MS (2 * 60 * 1000)
#define SESSION_EXTEND_MAX_MS (10 * 60 * 1000)

enum session_origin { ORIGIN_QUEUE, ORIGIN_ROOM, ORIGIN_SWAP };

struct session;
/*
 * The reply to the request that started a session (room.join,
 * session.swap), sent once the session is announced, or with s NULL when
 * it could not start.
 */
typedef void (*session_reply_fn)(struct conn *c, int64_t re,
    const struct session *s);

struct session {
	int64_t id;
	int64_t user[2];		/* by ROLE_* */
	char name[2][USERNAME_SIZE];
	char question_id[QUESTIONS_ID_SIZE];
	const struct qviews *q;		/* shared question views (view.c) */
	enum session_origin origin;
	int64_t swap_of;
	int starting;			/* its row is not committed yet */
	struct conn *reply_c;		/* while starting: who to answer */
	int64_t reply_re;
	session_reply_fn reply;
	int phase;
	int64_t phase_started_at, phase_ends_at;
	int phase_s[PHASE__TIMED];
	int warn;			/* next clock event: 0 60 s, 1 10 s, 2 end */
	int clock_due;			/* queued for the clock's work */
	int64_t created_at;
	json_t *prefs;			/* each side's queue preferences */
	int64_t away_since[2];		/* 0 while connected */
	int64_t swap_asked[2];		/* when each asked to swap, 0 if not */
	int restored;			/* resumed after a restart */
	const char *reason;		/* once done */
	int64_t ended_by;		/* who ended it early, 0: the clock */
	int64_t extended_ms;		/* phase.extend's total */
	double overall;			/* once done; NAN when nothing scored */
	int64_t ended_at;
	/*
	 * What the session pushes show of it, kept here so that a push does
	 * not read them back from the database: loaded at restore, then
	 * appended to as notes and chat commit. notes and chat are the newest
	 * page of each (PROTO_PUSH_BYTES, their cost in *_window); older
	 * ones are read in pages (history.get with a cursor).
	 */
	json_t *notes, *chat, *scores, *flags;
	size_t notes_window, chat_window;
	int64_t notes_total, chat_total;	/* committed */
	/* What it used of its limits, committed or on the way to disk. */
	int used_notes, used_chat;
	long used_note_bytes, used_chat_bytes;
	uv_timer_t clock;		/* phase events, then the linger */
	uv_timer_t away;		/* grace and no-show deadlines */
	int handles;			/* open uv handles, for freeing */
};

/* What a request's session_id resolved to (see session_resolve). */
struct session_ref {
	int64_t id;
	struct session *s;
	int role;
};

/*
 * Restore live sessions from the database st (at start-up, before the
 * loop serves anyone: the only time the loop thread reads the database);
 * subscribe to presence (users coming back to their session, going away).
 */
int session_init(struct store *st);
/* Free every session (after the loop has stopped). */
void session_shutdown(void);
/* Stop every session's timers (the server is stopping). */
void session_stop(void);

/*
 * Start a session between two users with a question unseen by the
 * candidate, honouring prefs (may be NULL; copied). The session is in
 * memory at once (both users are busy from now on) and announced to both
 * once its row committed; reply (may be NULL) then answers request re of
 * c. If the row cannot be written it is announced and ends at once,
 * abandoned (nothing of it could be recorded). The caller has checked
 * that the bank has a question.
 */
struct session *session_start(int64_t interviewer, const char *iname,
    int64_t candidate, const char *cname, enum session_origin origin,
    int64_t swap_of, const struct bank_prefs *prefs, json_t *queue_prefs,
    struct conn *c, int64_t re, session_reply_fn reply);

/* The user's live session, or NULL. */
struct session *session_of_user(int64_t user);
struct session *session_find(int64_t id);

/*
 * After a no-show the one who came is put back at the head of the queue:
 * the lobby (above sessions) gives the function that does it at start-up.
 * prefs are that user's queue preferences ({role, category?,
 * difficulty?}), borrowed.
 */
typedef void (*session_requeue_fn)(int64_t user, const char *username,
    const json_t *prefs);
void session_set_requeue(session_requeue_fn fn);

/*
 * Resolve the request's "session_id" for c's user. 0 with ref filled when
 * it is a session in memory that the user takes part in, in want_role
 * (-1: either). Otherwise the reply is sent (now or, for a session no
 * longer in memory, once the database has said whether the user took
 * part in it) and -1 returned: not_found when not theirs or no such
 * session (the two look the same: ids can't be probed), forbidden for the
 * other role, and invalid_state with `gone` for their session that ended
 * and left memory.
 */
int session_resolve(struct conn *c, const struct request *r, int want_role,
    const char *gone, struct session_ref *ref);
/* Reply invalid_state (with `ended` once done) and return -1 unless the
 * session is live (started and not done); 0 when it is. */
int session_reply_unless_live(struct conn *c, const struct request *r,
    const struct session *s, const char *ended);

/* A note or a chat message, for the session's limits. */
enum session_item { SESSION_NOTE, SESSION_CHAT };

/*
 * Room in s for one more item of kind with bytes of text, by the
 * session's limits (--limit-notes, --limit-note-bytes, --limit-chat-*):
 * reserve it and return 0, or reply too_large to r and return -1. Give
 * it back with session_unreserve when the write did not add an item (it
 * failed, or was a resend).
 */
int session_reserve(struct conn *c, const struct request *r,
    struct session *s, enum session_item kind, size_t bytes);
void session_unreserve(int64_t id, enum session_item kind, size_t bytes);

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
/* Push the whole `session` state to each participant online. */
void session_push_state(struct session *s);

extern const struct proto_field session_fields_id[];
extern const struct proto_field session_fields_get[];
void session_cmd_get(struct conn *c, const struct request *r);
void session_cmd_phase_next(struct conn *c, const struct request *r);
void session_cmd_end(struct conn *c, const struct request *r);
void session_cmd_extend(struct conn *c, const struct request *r);
/* Whether s is ended but its chat still open (the debrief), at now. */
int session_in_debrief(const struct session *s, int64_t now);

#endif
