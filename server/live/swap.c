/*
 * swap.c — session.swap (see swap.h). The new session practises the same
 * kind of question (the old one's category) with one the new candidate
 * has not had.
 */
#include "swap.h"

#include <string.h>

#include "bank.h"
#include "conn.h"
#include "presence.h"
#include "lobby.h"
#include "session.h"
#include "view.h"

/* The reply to the second session.swap, once the new session started. */
static void
swapped(struct conn *c, int64_t re, const struct session *s)
{
	if (s == NULL)
		conn_reply_error(c, re, 1, PROTO_E_INTERNAL,
		    "could not start the swapped session");
	else
		conn_reply_ok(c, re, json_pack("{s:b,s:I}", "pending", 0,
		    "session_id", (json_int_t)s->id));
}

void
swap_cmd_swap(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	struct session *s;
	struct bank_prefs bp;
	int64_t now = proto_now_ms();
	int other;

	if (session_resolve(c, r, -1, "the swap window has passed", &ref) != 0)
		return;
	s = ref.s;
	if (s->phase != PHASE_DONE || now - s->ended_at >
	    SESSION_SWAP_WINDOW_MS) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    s->phase != PHASE_DONE ? "swap once the session is done" :
		    "the swap window has passed");
		return;
	}
	for (int i = 0; i < 2; i++) {
		if (lobby_state(s->user[i]) != LOBBY_IDLE) {
			conn_reply_error(c, r->id, 1, PROTO_E_CONFLICT,
			    "one of you has moved on to another interview");
			return;
		}
	}
	if (bank_count(bank_current()) == 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the question bank is empty");
		return;
	}
	/* Each ask may push the peer: limited like the queue's requests. */
	if (lobby_reply_quota(c, r) || lobby_reply_pushes(c, r))
		return;
	other = 1 - ref.role;
	s->swap_asked[ref.role] = now;
	if (s->swap_asked[other] == 0 ||
	    now - s->swap_asked[other] > SESSION_SWAP_WINDOW_MS) {
		presence_send(s->user[other], proto_push("swap_proposed",
		    json_pack("{s:I,s:I}", "session_id", (json_int_t)s->id,
		    "by", (json_int_t)c->user_id)));
		conn_reply_ok(c, r->id, json_pack("{s:b}", "pending", 1));
		return;
	}
	memset(&bp, 0, sizeof bp);
	bp.category = json_string_value(json_object_get(s->q->interviewer,
	    "category_key"));
	/* Roles reversed: the candidate interviews now. */
	lobby_charge_sessions(s->user[0], s->user[1]);
	session_start(s->user[ROLE_CANDIDATE], s->name[ROLE_CANDIDATE],
	    s->user[ROLE_INTERVIEWER], s->name[ROLE_INTERVIEWER], ORIGIN_SWAP,
	    s->id, &bp, NULL, c, r->id, swapped);
	s->swap_asked[0] = s->swap_asked[1] = 0;
}
