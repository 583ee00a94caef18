/*
 * session_int.h — what the parts of the session module share among
 * themselves and nobody else includes: the registry and announcements
 * (session.c), the clock (session_clock.c), and the writes and the
 * restore (session_store.c).
 */
#ifndef MOCKINT_SESSION_INT_H
#define MOCKINT_SESSION_INT_H

#include "session.h"

struct bank;

/* session.c */
struct session *session_new(int64_t id);
/* Register s as each participant's live session. */
void session_bind_users(struct session *s);
/* Drop s from memory (its handles close, then it is freed). */
void session_free(struct session *s);
/*
 * The create job is done: ok, or not (the row could not be written: it is
 * announced and ended at once, so both can start again). question_id is
 * "" and now 0 when the job never ran.
 */
void session_started(struct session *s, int ok, const struct bank *b,
    const char *question_id, int64_t now);
/* The end committed: the last pushes, the requeue, the linger. */
void session_finished(struct session *s, json_t *scores, double overall,
    int64_t requeue, const char *requeue_name, json_t *requeue_prefs);
void session_set_last_id(int64_t last);
/* Append item to a window of the newest items, dropping the oldest past
 * PROTO_PUSH_BYTES; *cost follows. */
void session_window_add(json_t *window, size_t *cost, json_t *item,
    size_t (*cost_of)(const json_t *));
/* Mark s done now (memory only); the store job follows. */
void session_mark_done(struct session *s, const char *reason, int64_t at);

/* session_clock.c */
/* A phase's clock events, in order (struct session's warn). */
#define SESSION_EVENT_MINUTE	0	/* a minute before the end */
#define SESSION_EVENT_TEN_S	1	/* ten seconds before the end */
#define SESSION_EVENT_END	2	/* the end */
/*
 * The clock's decision, pure: of a phase from started_at to ends_at
 * whose next event not yet announced is warn, the event to wait for at
 * now — warn itself, or a later one when a warning would fall at or
 * before the phase's start (a phase of a minute or less has no minute
 * warning) or is already due (a late clock announces only what is still
 * ahead; the end is never skipped). Returns its SESSION_EVENT_* and sets
 * *due to its time, which is in the past when the clock is late for the
 * end.
 */
int session_next_event(int64_t started_at, int64_t ends_at, int warn,
    int64_t now, int64_t *due);
void session_start_phase(struct session *s, int phase, int64_t at);
/* Move from the current phase to the next, which starts at `at`. */
void session_advance(struct session *s, int64_t at);
/* Arm the clock for the next event of this phase still ahead of now. */
void session_schedule(struct session *s, int64_t now);
/* Arm the away timer for the earliest grace or no-show deadline. */
void session_schedule_away(struct session *s, int64_t now);
void session_push_timer(struct session *s, int64_t now);
/* The `phase` push: the new phase and its times, to both. */
void session_push_phase(struct session *s, int64_t now);
/* Close the clock's work handle (stopping); free its queue (after). */
void session_clock_stop(void);
void session_clock_free(void);
/* End s now (reason, at) and requeue the one of role `requeue` (-1). */
void session_finish_at(struct session *s, const char *reason, int64_t at,
    int requeue);

/* session_store.c */
const char *session_origin_name(enum session_origin o);
void session_store_create(struct session *s, const struct bank_prefs *prefs);
void session_store_phase(struct session *s, int from, int to, int64_t at);
/* The current phase's new end and the extension's total (phase.extend). */
void session_store_extend(struct session *s);
void session_store_finish(struct session *s, int from, int64_t at,
    const char *reason, int requeue);
/* Bring back every live session of st (start-up). */
int session_store_restore(struct store *st, int *restored);

#endif
