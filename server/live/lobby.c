/*
 * lobby.c — what a user is doing now, and the lobby's ties to presence
 * and to sessions (see lobby.h).
 */
#include "lobby.h"

#include "conn.h"
#include "metrics.h"
#include "presence.h"
#include "session.h"

enum lobby_state
lobby_state(int64_t user)
{
	if (session_of_user(user) != NULL)
		return LOBBY_SESSION;
	if (lobby_queue_has(user))
		return LOBBY_QUEUED;
	if (lobby_room_has(user))
		return LOBBY_ROOM;
	return LOBBY_IDLE;
}

int
lobby_reply_busy(struct conn *c, const struct request *r, int room_ok)
{
	switch (lobby_state(c->user_id)) {
	case LOBBY_SESSION:
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "already in a live session");
		return 1;
	case LOBBY_QUEUED:
		conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
		    "already in the queue");
		return 1;
	case LOBBY_ROOM:
		if (room_ok)
			break;
		conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
		    "already waiting in a room");
		return 1;
	case LOBBY_IDLE:
		break;
	}
	return 0;
}

/* A user who is gone cannot be paired: out of the queue. */
static void
user_offline(int64_t user)
{
	lobby_queue_gone(user);
}

static const struct presence_hooks lobby_presence = { NULL, user_offline };

static void
queue_gauge(metrics_emit_fn emit, void *ctx)
{
	static const char *const roles[] = { "interviewer", "candidate",
		"either" };
	size_t n[3];

	lobby_queue_counts(n);
	for (int i = 0; i < 3; i++)
		emit(roles[i], (double)n[i], ctx);
}

static const struct metrics_gauge queue_length = { "mockint_queue_length",
	"Users waiting in the queue by the role they asked for.", "role",
	queue_gauge };

void
lobby_init(void)
{
	presence_subscribe(&lobby_presence);
	session_set_requeue(lobby_queue_requeue);
	metrics_gauge_register(&queue_length);
}

void
lobby_shutdown(void)
{
	lobby_queue_free();
	lobby_room_free();
}
