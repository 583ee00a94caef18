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
#include <stddef.h>
#include <stdint.h>

#include "request.h"

enum lobby_state { LOBBY_IDLE, LOBBY_QUEUED, LOBBY_ROOM, LOBBY_SESSION };

/* Room codes: from an alphabet without look-alikes; single use. */
#define LOBBY_CODE_LEN 6
#define LOBBY_ROOM_TTL_MS (10 * 60 * 1000)

/* Subscribe to presence and the session's requeue; register the gauges. */
void lobby_init(void);
/* Free the queue and the rooms (after the loop has stopped). */
void lobby_shutdown(void);

enum lobby_state lobby_state(int64_t user);
/*
 * When c's user is busy (in a session, the queue, or a room unless
 * room_ok), reply to r with why (invalid_state for a session, conflict
 * otherwise) and return 1; 0 when the user is free.
 */
int lobby_reply_busy(struct conn *c, const struct request *r, int room_ok);

extern const struct proto_field lobby_fields_queue_join[];
extern const struct proto_field lobby_fields_room_create[];
extern const struct proto_field lobby_fields_room_join[];

void lobby_cmd_queue_join(struct conn *c, const struct request *r);
void lobby_cmd_queue_leave(struct conn *c, const struct request *r);
void lobby_cmd_room_create(struct conn *c, const struct request *r);
void lobby_cmd_room_join(struct conn *c, const struct request *r);

/* A room code (exposed for tests): out gets LOBBY_CODE_LEN + 1 bytes. */
void lobby_make_code(char *out);

/*
 * The halves' own parts, for lobby.c: whether the user waits in the queue
 * (holds a room), dropping a user who went offline, putting a user back at
 * the head of the queue with their preferences ({role, category?,
 * difficulty?}) after a no-show, the queue's gauge, and freeing.
 */
int lobby_queue_has(int64_t user);
int lobby_room_has(int64_t user);
void lobby_queue_gone(int64_t user);
void lobby_queue_requeue(int64_t user, const char *username,
    const json_t *prefs);
void lobby_queue_counts(size_t out[3]);
void lobby_queue_free(void);
void lobby_room_free(void);

#endif
