/*
 * dispatch.c — the request table and the path every inbound message takes:
 * decode, look up, check authentication, validate fields, call the handler
 * (see dispatch.h). The table is the protocol: a new request type is one
 * row here plus one handler in the module that owns it.
 */
#include "dispatch.h"

#include <string.h>

#include "auth.h"
#include "catalog.h"
#include "chat.h"
#include "conn.h"
#include "feedback.h"
#include "history.h"
#include "lobby.h"
#include "log.h"
#include "metrics.h"
#include "notes.h"
#include "options.h"
#include "server.h"
#include "session.h"
#include "swap.h"

static void
cmd_ping(struct conn *c, const struct request *r)
{
	json_t *f = json_object();

	json_object_set_new(f, "server_time", json_integer(proto_now_ms()));
	conn_reply_ok(c, r->id, f);
}

/*
 * session.get: the live state from memory; with a cursor (notes_before,
 * chat_before), an older page of its notes or chat, which the database
 * holds: the same answer as history.get gives.
 */
static void
cmd_session_get(struct conn *c, const struct request *r)
{
	if (proto_int(r->body, "notes_before", 0) > 0 ||
	    proto_int(r->body, "chat_before", 0) > 0)
		history_cmd_get(c, r);
	else
		session_cmd_get(c, r);
}

static const struct proto_field no_fields[] = { { NULL, 0, 0, 0, 0, NULL } };

static const struct cmd_entry table[] = {
	/* name		handler			auth	fields */
	{ "ping",	cmd_ping,		0,	no_fields },
	{ "register",	auth_cmd_register,	0,	auth_fields_credentials },
	{ "login",	auth_cmd_login,		0,	auth_fields_login },
	{ "auth",	auth_cmd_auth,		0,	auth_fields_token },
	{ "logout",	auth_cmd_logout,	1,	auth_fields_logout },
	{ "password.change", auth_cmd_password_change, 1,
	    auth_fields_password_change },
	{ "tokens.list", auth_cmd_tokens_list,	1,	no_fields },
	{ "tokens.revoke", auth_cmd_tokens_revoke, 1,	auth_fields_tokens_revoke },
	{ "queue.join",	lobby_cmd_queue_join,	1,	lobby_fields_queue_join },
	{ "queue.leave", lobby_cmd_queue_leave,	1,	no_fields },
	{ "room.create", lobby_cmd_room_create,	1,	lobby_fields_room_create },
	{ "room.join",	lobby_cmd_room_join,	1,	lobby_fields_room_join },
	{ "session.get", cmd_session_get,	1,	session_fields_get },
	{ "phase.next",	session_cmd_phase_next,	1,	session_fields_id },
	{ "phase.extend", session_cmd_extend,	1,	session_fields_id },
	{ "session.end", session_cmd_end,	1,	session_fields_id },
	{ "session.swap", swap_cmd_swap,	1,	session_fields_id },
	{ "note.add",	notes_cmd_add,		1,	notes_fields_add },
	{ "chat.send",	chat_cmd_send,		1,	chat_fields_send },
	{ "feedback.give", feedback_cmd_give,	1,	feedback_fields_give },
	{ "history.list", history_cmd_list,	1,	history_fields_list },
	{ "history.get", history_cmd_get,	1,	history_fields_get },
	{ "history.stats", history_cmd_stats,	1,	history_fields_stats },
	{ "questions.list", catalog_cmd_list,	1,	catalog_fields_list },
};

const struct cmd_entry *
dispatch_find(const char *type)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].name, type) == 0)
			return &table[i];
	return NULL;
}

const struct cmd_entry *
dispatch_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

enum proto_err
dispatch_parse(const char *buf, size_t len, struct proto_msg *m,
    const struct cmd_entry **entry, char *why, size_t whylen)
{
	enum proto_err err;

	*entry = NULL;
	err = proto_decode(buf, len, m, why, whylen);
	if (err != PROTO_OK)
		return err;
	*entry = dispatch_find(m->type);
	if (*entry == NULL) {
		snprintf(why, whylen, "unknown type \"%.64s\"", m->type);
		return PROTO_E_UNKNOWN_TYPE;
	}
	return proto_check_fields(m->root, (*entry)->fields, why, whylen);
}

/*
 * The connection's request bucket (--limit-requests-per-s, with a burst
 * of --limit-requests-burst): past it, rate_limited with how long to wait.
 */
static int
over_rate(struct conn *c, const struct proto_msg *m)
{
	const struct options_limits *l = &srv.opts->limits;
	int64_t wait = rl_take(&c->requests, l->requests_per_s,
	    l->requests_burst, proto_now_ms());
	json_t *e;

	if (wait == 0)
		return 0;
	metrics_limited("requests");
	e = proto_error(m->id, m->has_id, PROTO_E_RATE_LIMITED,
	    "too many requests on this connection; slow down");
	json_object_set_new(e, "retry_after_ms", json_integer(wait));
	conn_send(c, e);
	return 1;
}

void
dispatch_message(struct conn *c, const char *buf, size_t len)
{
	const struct cmd_entry *e;
	struct proto_msg m;
	struct request r;
	enum proto_err err;
	char why[256] = "";

	err = dispatch_parse(buf, len, &m, &e, why, sizeof why);
	metrics_msg_in(e != NULL ? e->name : NULL);
	/* Every message counts, valid or not: each one costs a parse. */
	if (over_rate(c, &m))
		goto out;
	/* Authentication is checked before the fields: an anonymous peer
	 * learns nothing about a protected request's rules. */
	if (e != NULL && e->needs_auth && c->user_id == 0) {
		conn_reply_error(c, m.id, m.has_id, PROTO_E_UNAUTHENTICATED,
		    "log in or authenticate first");
		goto out;
	}
	if (err != PROTO_OK) {
		conn_reply_error(c, m.id, m.has_id, err, why);
		goto out;
	}
	log_debug(c->id, "request %s id=%lld", m.type, (long long)m.id);
	r.id = m.id;
	r.type = m.type;
	r.body = m.root;
	e->handler(c, &r);
out:
	proto_msg_clear(&m);
}
