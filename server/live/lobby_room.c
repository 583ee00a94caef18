/*
 * lobby_room.c — rooms and their codes (see lobby.h).
 *
 * Codes are drawn from an alphabet without look-alikes (no 0/O, 1/I/L) so
 * they survive being read out over a call: 31^8 ≈ 852 billion codes,
 * single-use, ten minutes. Guessing is slowed where it is tried: joins are
 * limited per connection and per address, and a room closes as soon as
 * its owner has been gone a minute, so few rooms are open to be found.
 */
#include "lobby.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "conn.h"
#include "idmap.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "ratelimit.h"
#include "server.h"
#include "session.h"
#include "user.h"
#include "xmalloc.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define ALPHABET_LEN (sizeof alphabet - 1)
static const char *const roles[] = { "interviewer", "candidate", NULL };

const struct proto_field lobby_fields_room_create[] = {
	{ "role", PF_STRING, PF_REQUIRED, 1, 0, roles },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field lobby_fields_room_join[] = {
	{ "code", PF_STRING, PF_REQUIRED, 1, 16, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* What a failed join says, whatever the reason: codes can't be probed. */
#define NO_ROOM "no such room (codes are single-use and last 10 minutes)"

struct room {
	int64_t code;		/* the code's number (code_value) */
	int64_t owner;
	char owner_name[USERNAME_SIZE];
	int owner_role;		/* ROLE_* */
	int64_t expires_at;
	int64_t owner_away_since;	/* 0 while the owner is online */
};

static struct idmap by_code;	/* code value -> room */
static struct idmap by_owner;	/* user -> their room */
/* room.join attempts, per connection and per client address. */
static struct rl_table joins_by_conn, joins_by_addr;
static int tables_ready;

/* A code as a number: its letters as digits of base ALPHABET_LEN, plus one
 * (0 is the id map's empty key). -1 when a letter is not in the
 * alphabet. */
static int64_t
code_value(const char *code)
{
	int64_t v = 0;

	for (int i = 0; i < LOBBY_CODE_LEN; i++) {
		const char *p = memchr(alphabet, toupper((unsigned char)code[i]),
		    ALPHABET_LEN);

		if (code[i] == '\0' || p == NULL)
			return -1;
		v = v * (int64_t)ALPHABET_LEN + (p - alphabet);
	}
	return v + 1;
}

/* A new random room code: out gets LOBBY_CODE_LEN + 1 bytes. */
static void
make_code(char *out)
{
	for (int i = 0; i < LOBBY_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(ALPHABET_LEN)];
	out[LOBBY_CODE_LEN] = '\0';
}

static void
room_free(struct room *r)
{
	idmap_del(&by_code, r->code);
	if (idmap_get(&by_owner, r->owner) == r)
		idmap_del(&by_owner, r->owner);
	free(r);
}

/* Whether r is still open at now: not expired, its owner not gone for
 * --room-linger, not in a session already. */
static int
open_at(const struct room *r, int64_t now)
{
	return r->expires_at > now && (r->owner_away_since == 0 ||
	    now - r->owner_away_since < (int64_t)srv.opts->room_linger_s *
	    1000) && session_of_user(r->owner) == NULL;
}

/* r, or NULL after freeing it when it is no longer open. */
static struct room *
still_open(struct room *r, int64_t now)
{
	if (r != NULL && !open_at(r, now)) {
		room_free(r);
		r = NULL;
	}
	return r;
}

int
lobby_room_has(int64_t user)
{
	return still_open(idmap_get(&by_owner, user), proto_now_ms()) != NULL;
}

void
lobby_room_owner_away(int64_t user, int away)
{
	struct room *r = idmap_get(&by_owner, user);

	if (r != NULL)
		r->owner_away_since = away ? proto_now_ms() : 0;
}

void
lobby_room_sweep(int64_t now)
{
	struct room **gone = xcalloc(by_code.n + 1, sizeof *gone);
	size_t i = 0, n = 0;
	int64_t k;
	void *v;

	while (idmap_next(&by_code, &i, &k, &v))
		if (!open_at(v, now))
			gone[n++] = v;
	for (i = 0; i < n; i++)
		room_free(gone[i]);
	free(gone);
	if (tables_ready) {
		rl_table_prune(&joins_by_conn, now);
		rl_table_prune(&joins_by_addr, now);
	}
}

static void
tables_init(void)
{
	double per_min = srv.opts->limits.room_joins_per_min;

	if (tables_ready)
		return;
	/* A burst of the whole minute's allowance, then its rate. */
	rl_table_init(&joins_by_conn, per_min / 60, per_min, 1 << 16);
	rl_table_init(&joins_by_addr, 4 * per_min / 60, 4 * per_min, 1 << 16);
	tables_ready = 1;
}

void
lobby_cmd_room_create(struct conn *c, const struct request *r)
{
	int64_t now = proto_now_ms();
	struct room *room;
	char code[LOBBY_CODE_LEN + 1];

	if (lobby_reply_busy(c, r, 1) || lobby_reply_quota(c, r))
		return;
	if (bank_count(bank_current()) == 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the question bank is empty");
		return;
	}
	/* A new room replaces the user's previous one: one each. */
	if ((room = idmap_get(&by_owner, c->user_id)) != NULL)
		room_free(room);
	room = xcalloc(1, sizeof *room);
	do {
		make_code(code);
		room->code = code_value(code);
	} while (idmap_get(&by_code, room->code) != NULL);
	room->owner = c->user_id;
	snprintf(room->owner_name, sizeof room->owner_name, "%s", c->username);
	room->owner_role = strcmp(proto_str(r->body, "role"),
	    "interviewer") == 0 ? ROLE_INTERVIEWER : ROLE_CANDIDATE;
	room->expires_at = now + LOBBY_ROOM_TTL_MS;
	idmap_put(&by_code, room->code, room);
	idmap_put(&by_owner, room->owner, room);
	log_info(c->id, "opened a room");
	conn_reply_ok(c, r->id, json_pack("{s:s,s:I}", "code", code,
	    "expires_at", (json_int_t)room->expires_at));
}

/* The reply to room.join, once the session started (or could not). */
static void
joined(struct conn *c, int64_t re, const struct session *s)
{
	if (s == NULL)
		conn_reply_error(c, re, 1, PROTO_E_INTERNAL,
		    "could not start the session");
	else
		conn_reply_ok(c, re, json_pack("{s:I}", "session_id",
		    (json_int_t)s->id));
}

/* Count one attempt; reply rate_limited and return -1 past a limit. */
static int
join_allowed(struct conn *c, const struct request *r, int64_t now)
{
	int64_t w1 = rl_table_take(&joins_by_conn, (int64_t)c->id, now);
	int64_t w2 = rl_table_take(&joins_by_addr, rl_key(c->addr), now);

	if (w1 == 0 && w2 == 0)
		return 0;
	metrics_limited("room_joins");
	lobby_reply_limited(c, r, "too many room codes tried; wait a moment",
	    w1 > w2 ? w1 : w2);
	return -1;
}

void
lobby_cmd_room_join(struct conn *c, const struct request *r)
{
	const char *in = proto_str(r->body, "code");
	int64_t now = proto_now_ms(), code;
	struct room *room = NULL;

	tables_init();
	if (join_allowed(c, r, now) != 0 || lobby_reply_busy(c, r, 1) ||
	    lobby_reply_quota(c, r))
		return;
	if (strlen(in) == LOBBY_CODE_LEN && (code = code_value(in)) > 0)
		room = still_open(idmap_get(&by_code, code), now);
	if (room == NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND, NO_ROOM);
		return;
	}
	if (room->owner == c->user_id) {
		conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
		    "this is your own room: share the code with a friend");
		return;
	}
	lobby_charge_sessions(room->owner, c->user_id);
	if (room->owner_role == ROLE_INTERVIEWER)
		session_start(room->owner, room->owner_name, c->user_id,
		    c->username, ORIGIN_ROOM, 0, NULL, NULL, c, r->id, joined);
	else
		session_start(c->user_id, c->username, room->owner,
		    room->owner_name, ORIGIN_ROOM, 0, NULL, NULL, c, r->id,
		    joined);
	/* Single use: the room is gone once the pair is made. */
	room_free(room);
}

void
lobby_room_start(void)
{
	tables_init();
}

void
lobby_room_free(void)
{
	size_t i = 0;
	int64_t k;
	void *v;

	while (idmap_next(&by_code, &i, &k, &v))
		free(v);
	idmap_free(&by_code);
	idmap_free(&by_owner);
	if (tables_ready) {
		rl_table_free(&joins_by_conn);
		rl_table_free(&joins_by_addr);
	}
	tables_ready = 0;
}
