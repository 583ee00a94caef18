/*
 * lobby_room.c — rooms and their codes (see lobby.h). Codes are drawn from an
 * alphabet without look-alikes (no 0/O, 1/I/L) so they survive being read
 * out over a call; 31^6 ≈ 887 million codes, single-use, ten minutes.
 */
#include "lobby.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "conn.h"
#include "log.h"
#include "session.h"
#include "user.h"
#include "xmalloc.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
static const char *const roles[] = { "interviewer", "candidate", NULL };

const struct proto_field lobby_fields_room_create[] = {
	{ "role", PF_STRING, PF_REQUIRED, 1, 0, roles },
	{ NULL, 0, 0, 0, 0, NULL }
};

const struct proto_field lobby_fields_room_join[] = {
	{ "code", PF_STRING, PF_REQUIRED, 1, 16, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

struct room {
	char code[LOBBY_CODE_LEN + 1];
	int64_t owner;
	char owner_name[USERNAME_SIZE];
	int owner_role;		/* ROLE_* */
	int64_t expires_at;
	struct room *next;
};

static struct room *rooms;

void
lobby_make_code(char *out)
{
	for (int i = 0; i < LOBBY_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[LOBBY_CODE_LEN] = '\0';
}

static void
prune(int64_t now)
{
	struct room **pp = &rooms, *r;

	while ((r = *pp) != NULL) {
		if (r->expires_at <= now) {
			*pp = r->next;
			free(r);
		} else
			pp = &r->next;
	}
}

static struct room **
find_code(const char *code)
{
	struct room **pp;

	for (pp = &rooms; *pp != NULL; pp = &(*pp)->next)
		if (strcmp((*pp)->code, code) == 0)
			break;
	return pp;
}

static struct room **
find_owner(int64_t user)
{
	struct room **pp;

	for (pp = &rooms; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->owner == user)
			break;
	return pp;
}

int
lobby_room_has(int64_t user)
{
	prune(proto_now_ms());
	return *find_owner(user) != NULL;
}

void
lobby_cmd_room_create(struct conn *c, const struct request *r)
{
	int64_t now = proto_now_ms();
	struct room **pp, *room;

	if (lobby_reply_busy(c, r, 1))
		return;
	if (bank_count(bank_current()) == 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the question bank is empty");
		return;
	}
	prune(now);
	/* A new room replaces the user's previous one. */
	if (*(pp = find_owner(c->user_id)) != NULL) {
		room = *pp;
		*pp = room->next;
		free(room);
	}
	room = xcalloc(1, sizeof *room);
	do
		lobby_make_code(room->code);
	while (*find_code(room->code) != NULL);
	room->owner = c->user_id;
	snprintf(room->owner_name, sizeof room->owner_name, "%s", c->username);
	room->owner_role = strcmp(proto_str(r->body, "role"),
	    "interviewer") == 0 ? ROLE_INTERVIEWER : ROLE_CANDIDATE;
	room->expires_at = now + LOBBY_ROOM_TTL_MS;
	room->next = rooms;
	rooms = room;
	log_info(c->id, "opened a room");
	conn_reply_ok(c, r->id, json_pack("{s:s,s:I}", "code", room->code,
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

void
lobby_cmd_room_join(struct conn *c, const struct request *r)
{
	const char *in = proto_str(r->body, "code");
	char code[LOBBY_CODE_LEN + 1];
	struct room **pp, *room;
	size_t len = strlen(in);

	if (lobby_reply_busy(c, r, 1))
		return;
	prune(proto_now_ms());
	pp = NULL;
	if (len == LOBBY_CODE_LEN) {
		for (size_t i = 0; i <= len; i++)
			code[i] = (char)toupper((unsigned char)in[i]);
		pp = find_code(code);
	}
	if (pp == NULL || *pp == NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND,
		    "no such room (codes are single-use and last 10 minutes)");
		return;
	}
	room = *pp;
	if (room->owner == c->user_id) {
		conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
		    "this is your own room: share the code with a friend");
		return;
	}
	if (session_of_user(room->owner) != NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND,
		    "no such room (codes are single-use and last 10 minutes)");
		return;
	}
	if (room->owner_role == ROLE_INTERVIEWER)
		session_start(room->owner, room->owner_name, c->user_id,
		    c->username, ORIGIN_ROOM, 0, NULL, NULL, c, r->id, joined);
	else
		session_start(c->user_id, c->username, room->owner,
		    room->owner_name, ORIGIN_ROOM, 0, NULL, NULL, c, r->id,
		    joined);
	/* Single use: the room is gone once the pair is made. */
	*pp = room->next;
	free(room);
}

void
lobby_room_free(void)
{
	struct room *r, *next;

	for (r = rooms; r != NULL; r = next) {
		next = r->next;
		free(r);
	}
	rooms = NULL;
}
