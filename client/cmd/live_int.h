/*
 * live_int.h — inside the interview screen's controller (cmd/live*.c
 * only). live.c runs the loop: the connection and its reconnects, the
 * terminal, the signals and the tick. live_send.c sends the notes and
 * chat messages the user made, and sends them again when needed.
 * live_act.c does what keys ask for (phase.next, phase.extend, the end,
 * the swap, feedback, the queue) and, before the screen opens, the join:
 * the queue with its category checked, a room, or a session that ended
 * a moment ago.
 */
#ifndef MOCKINT_LIVE_INT_H
#define MOCKINT_LIVE_INT_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "cmd.h"
#include "live.h"
#include "rpc.h"
#include "vm.h"

#define LIVE_MIN_RESEND_MS	100	/* the least wait after rate_limited */

struct live {
	struct cmd_ctx		*ctx;
	const struct live_opts	*o;
	struct vm		 vm;
	int			 ui_on;		/* the screen runs: reconnect */
	int			 quit;
	int			 rc;
	char			 msg[512];	/* said after the screen closes */
	int			 authed;
	int			 attempt;
	int64_t			 last_ping;
	int64_t			 last_poll;	/* session.get after the end */
	uv_poll_t		 input;
	uv_signal_t		 sigs[4];
	uv_timer_t		 tick, retry;
	uv_timer_t		 resend;	/* after rate_limited */
};

/* What a request's reply must find again. */
struct ref {
	struct live	*l;
	char		*client_id;	/* a note */
	uint64_t	 chat_id;	/* a chat message */
	const char	*what;		/* a session request, for its error */
};

/* live.c */
struct ref *live_ref_new(struct live *l);
void live_ref_free(struct ref *r);
void live_finish(struct live *l, int rc, const char *msg);
void live_redraw(struct live *l);
/* A one-line status from an error reply, or from none (NULL). */
void live_status_error(struct live *l, const char *what,
    const json_t *reply);
/* Send type {session_id, ...extra} with an error shown under what. */
void live_session_call(struct live *l, const char *type, const char *what,
    rpc_reply_fn cb, json_t *extra);

/* live_send.c: send everything UNSENT, when we can. */
void live_flush(struct live *l);

/* live_act.c */
void live_act(struct live *l, enum vm_act a);
/* queue.join's fields from the options. */
json_t *live_queue_fields(const struct live_opts *o);
/* Before the screen: join, or find the session to go back to. */
int live_join(struct live *l);
/* --category and --difficulty against the bank: CMD_USAGE after
 * saying which ones there are. */
int live_check_prefs(struct live *l);

#endif
