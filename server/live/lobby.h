/*
 * lobby.h — how two people get into one session, and the one answer to
 * "what is this user doing now".
 *
 * Two ways in: the queue (users who asked for an interview, in the order
 * they asked, paired interviewer-with-candidate as soon as a compatible
 * pair exists; lobby_queue.c has the rules) and rooms (one user opens a
 * room and shares its short code, the friend joins with it and the pair is
 * made at once; lobby_room.c). A user is in at most one of them, and in
 * neither while in a live session: lobby_state() says which, for every
 * request that must not start a second thing at once (joining, opening a
 * room, swapping).
 */
#ifndef MOCKINT_LOBBY_H
#define MOCKINT_LOBBY_H

#include <jansson.h>
#include <stdint.h>

#include "metrics.h"
#include "request.h"

enum lobby_state { LOBBY_IDLE, LOBBY_QUEUED, LOBBY_ROOM, LOBBY_SESSION };

/* Room codes: from an alphabet without look-alikes; single use. */
#define LOBBY_CODE_LEN 8
#define LOBBY_ROOM_TTL_MS (10 * 60 * 1000)
/* Queue positions are pushed at most this often (a burst of joins and
 * leaves is one round of pushes, not one per change). */
#define LOBBY_POSITIONS_MS 250

/* Subscribe to presence and the session's requeue; register the gauges;
 * start the sweep of closed rooms. */
void lobby_init(void);
/* The server is stopping: close the timers. */
void lobby_stop(void);
/* Free the queue and the rooms (after the loop has stopped). */
void lobby_shutdown(void);

enum lobby_state lobby_state(int64_t user);
/*
 * When c's user is busy (in a session, the queue, or a room unless
 * room_ok), reply to r with why (invalid_state for a session, conflict
 * otherwise) and return 1; 0 when the user is free.
 */
int lobby_reply_busy(struct conn *c, const struct request *r, int room_ok);
/*
 * When c's user has started --limit-sessions-per-hour sessions in the
 * last hour, reply rate_limited (with retry_after_ms) and return 1; 0
 * otherwise. lobby_charge_sessions counts a session started by both.
 */
int lobby_reply_quota(struct conn *c, const struct request *r);
void lobby_charge_sessions(int64_t a, int64_t b);
/*
 * A request by which c's user makes others get pushes (queue.join,
 * queue.leave, session.swap): past --limit-pushes-per-s, reply
 * rate_limited and return 1; 0 otherwise.
 */
int lobby_reply_pushes(struct conn *c, const struct request *r);
/* Reply rate_limited with message and retry_after_ms. */
void lobby_reply_limited(struct conn *c, const struct request *r,
    const char *message, int64_t retry_ms);

extern const struct proto_field lobby_fields_queue_join[];
extern const struct proto_field lobby_fields_room_create[];
extern const struct proto_field lobby_fields_room_join[];

void lobby_cmd_queue_join(struct conn *c, const struct request *r);
void lobby_cmd_queue_leave(struct conn *c, const struct request *r);
void lobby_cmd_room_create(struct conn *c, const struct request *r);
void lobby_cmd_room_join(struct conn *c, const struct request *r);

/*
 * The halves' own parts, for lobby.c: whether the user waits in the queue
 * (holds a room), dropping a user who went offline, putting a user back at
 * the head of the queue with their preferences ({role, category?,
 * difficulty?}) after a no-show, the queue's gauge, and freeing.
 */
int lobby_queue_has(int64_t user);
int lobby_room_has(int64_t user);
/* The owner of a room went offline (away 1) or came back (away 0). */
void lobby_room_owner_away(int64_t user, int away);
/* Close rooms that expired or whose owner is gone; forget idle limits. */
void lobby_room_sweep(int64_t now);
void lobby_room_start(void);
/* The server is stopping: close the queue's positions timer (a round
 * still due is dropped: the connections are closing). */
void lobby_queue_stop(void);
void lobby_queue_gone(int64_t user);
void lobby_queue_requeue(int64_t user, const char *username,
    const json_t *prefs);
/* The queue's length by the role asked for (the mockint_queue_length
 * gauge's read). */
void lobby_queue_gauge(metrics_emit_fn emit, void *ctx);
void lobby_queue_free(void);
void lobby_room_free(void);

#endif
