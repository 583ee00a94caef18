/*
 * lobby.c — what a user is doing now, the lobby's limits, and its ties to
 * presence and to sessions (see lobby.h).
 */
#include "lobby.h"

#include "conn.h"
#include "metrics.h"
#include "options.h"
#include "presence.h"
#include "ratelimit.h"
#include "server.h"
#include "session.h"

/* Closed rooms and idle limits are swept this often. */
#define SWEEP_MS 5000
/* The most users whose limits are kept at once (each a few bytes). */
#define LIMITED_USERS_MAX (1 << 20)

static struct rl_table sessions_by_user;	/* --limit-sessions-per-hour */
static struct rl_table pushes_by_user;		/* --limit-pushes-per-s */
static uv_timer_t sweep_timer;
static int started;

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

void
lobby_reply_limited(struct conn *c, const struct request *r,
    const char *message, int64_t retry_ms)
{
	json_t *e = proto_error(r->id, 1, PROTO_E_RATE_LIMITED, message);

	json_object_set_new(e, "retry_after_ms", json_integer(retry_ms));
	conn_send(c, e);
}

/*
 * Sessions per hour as a bucket: a user may start the whole hour's
 * allowance at once, then one more each 3600/N seconds. It is looked at
 * when a user asks (so that a refused user is told at once) and charged
 * when a session really starts.
 */
int
lobby_reply_quota(struct conn *c, const struct request *r)
{
	struct rl_bucket *b = idmap_get(&sessions_by_user.buckets,
	    c->user_id);
	struct rl_bucket peek;
	int64_t wait;

	if (b == NULL)
		return 0;
	peek = *b;
	wait = rl_take(&peek, sessions_by_user.per_s, sessions_by_user.burst,
	    proto_now_ms());
	if (wait == 0)
		return 0;
	metrics_limited("sessions_per_hour");
	lobby_reply_limited(c, r, "too many sessions started in the last "
	    "hour; take a break", wait);
	return 1;
}

void
lobby_charge_sessions(int64_t a, int64_t b)
{
	int64_t now = proto_now_ms();

	rl_table_take(&sessions_by_user, a, now);
	rl_table_take(&sessions_by_user, b, now);
}

int
lobby_reply_pushes(struct conn *c, const struct request *r)
{
	int64_t wait = rl_table_take(&pushes_by_user, c->user_id,
	    proto_now_ms());

	if (wait == 0)
		return 0;
	metrics_limited("pushes_per_s");
	lobby_reply_limited(c, r, "too many queue or swap requests; slow down",
	    wait);
	return 1;
}

/* A user who is gone cannot be paired: out of the queue; their room
 * starts counting down. */
static void
user_offline(int64_t user)
{
	lobby_queue_gone(user);
	lobby_room_owner_away(user, 1);
}

static void
user_online(struct conn *c, int first)
{
	if (first)
		lobby_room_owner_away(c->user_id, 0);
}

static const struct presence_hooks lobby_presence = { user_online,
	user_offline };

static const struct metrics_gauge queue_length = { "mockint_queue_length",
	"Users waiting in the queue by the role they asked for.", "role",
	lobby_queue_gauge };

static void
sweep(uv_timer_t *t)
{
	int64_t now = proto_now_ms();

	lobby_room_sweep(now);
	rl_table_prune(&sessions_by_user, now);
	rl_table_prune(&pushes_by_user, now);
}

void
lobby_init(void)
{
	const struct options_limits *l = &srv.opts->limits;
	double pushes = l->pushes_per_s;

	rl_table_init(&sessions_by_user, (double)l->sessions_per_hour / 3600,
	    l->sessions_per_hour, LIMITED_USERS_MAX);
	/* A burst of five seconds' worth: a user may leave and join again
	 * at once, but not keep doing it. */
	rl_table_init(&pushes_by_user, pushes, 5 * pushes, LIMITED_USERS_MAX);
	presence_subscribe(&lobby_presence);
	session_set_requeue(lobby_queue_requeue);
	metrics_gauge_register(&queue_length);
	lobby_room_start();
	uv_timer_init(srv.loop, &sweep_timer);
	uv_timer_start(&sweep_timer, sweep, SWEEP_MS, SWEEP_MS);
	uv_unref((uv_handle_t *)&sweep_timer);
	started = 1;
}

void
lobby_stop(void)
{
	if (!started)
		return;
	uv_close((uv_handle_t *)&sweep_timer, NULL);
	lobby_queue_stop();
	started = 0;
}

void
lobby_shutdown(void)
{
	lobby_queue_free();
	lobby_room_free();
	rl_table_free(&sessions_by_user);
	rl_table_free(&pushes_by_user);
}
