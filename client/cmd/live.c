/*
 * live.c — the interview screen's controller (see live.h). Everything
 * runs on ctx->loop: the WebSocket (rpc), the terminal (a uv_poll on
 * stdin), SIGWINCH and the other signals, a 250 ms tick that redraws the
 * countdown, the reconnect timer and a keepalive ping that notices a
 * server that has silently gone away.
 */
#include "live.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "rpc.h"
#include "ui.h"
#include "vm.h"
#include "xmalloc.h"

#define TICK_MS		250
#define PING_EVERY_MS	15000
#define PING_TIMEOUT_MS	10000
#define BACKOFF_MAX_MS	15000
#define MIN_RESEND_MS	100	/* the least wait after rate_limited */
#define LEAVE_TIMEOUT_MS	2000

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

static void flush(struct live *l);
static void link_down(struct live *l);

static struct ref *
ref_new(struct live *l)
{
	struct ref *r = xcalloc(1, sizeof *r);

	r->l = l;
	return r;
}

static void
ref_free(struct ref *r)
{
	free(r->client_id);
	free(r);
}

static void
finish(struct live *l, int rc, const char *msg)
{
	l->quit = 1;
	l->rc = rc;
	if (msg != NULL)
		snprintf(l->msg, sizeof l->msg, "%s", msg);
}

static void
redraw(struct live *l)
{
	if (l->ui_on && !l->quit)
		ui_draw(&l->vm, rpc_mono_ms());
}

/* A one-line status from an error reply, or from none (NULL). */
static void
status_error(struct live *l, const char *what, const json_t *reply)
{
	if (reply == NULL && rpc_state(l->ctx->rpc) == RPC_OPEN)
		vm_set_status(&l->vm, rpc_mono_ms(), "%s: no answer from the "
		    "server", what);
	else if (reply == NULL)
		vm_set_status(&l->vm, rpc_mono_ms(), "%s: not connected; try "
		    "again when the connection is back", what);
	else
		vm_set_status(&l->vm, rpc_mono_ms(), "%s: %s", what,
		    rpc_error_message(reply));
}

/* ---- sending what the user made ---- */

static void flush(struct live *l);

static void
on_resend(uv_timer_t *t)
{
	struct live *l = t->data;

	flush(l);
	redraw(l);
}

/*
 * Whether reply is rate_limited: then send again what was refused, when
 * the server said to (retry_after_ms), rather than drop it.
 */
static int
slow_down(struct live *l, const json_t *reply)
{
	const char *code = rpc_error_code(reply);
	json_int_t wait;

	if (code == NULL || strcmp(code, "rate_limited") != 0)
		return 0;
	wait = json_integer_value(json_object_get(reply, "retry_after_ms"));
	if (wait < MIN_RESEND_MS)
		wait = MIN_RESEND_MS;
	if (!uv_is_active((uv_handle_t *)&l->resend))
		uv_timer_start(&l->resend, on_resend, (uint64_t)wait, 0);
	return 1;
}

static void
note_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	/* No reply: the connection dropped; vm_link_lost requeues it. */
	if (reply != NULL && slow_down(l, reply))
		vm_note_retry(&l->vm, ref->client_id);
	else if (reply != NULL && rpc_is_ok(reply))
		vm_note_acked(&l->vm, ref->client_id, json_integer_value(
		    json_object_get(reply, "note_id")), json_integer_value(
		    json_object_get(reply, "at")));
	else if (reply != NULL) {
		vm_note_refused(&l->vm, ref->client_id,
		    rpc_error_message(reply));
		status_error(l, "note not saved", reply);
	}
	ref_free(ref);
	redraw(l);
}

static void
chat_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && slow_down(l, reply))
		vm_chat_retry(&l->vm, ref->chat_id);
	else if (reply != NULL && rpc_is_ok(reply))
		vm_chat_delivered(&l->vm, ref->chat_id, json_integer_value(
		    json_object_get(reply, "at")));
	else if (reply != NULL) {
		vm_chat_refused(&l->vm, ref->chat_id);
		status_error(l, "message not sent", reply);
	}
	ref_free(ref);
	redraw(l);
}

/*
 * Send everything UNSENT, when we can. Should the connection turn out
 * to be gone after all, the NULL replies change nothing and the link's
 * loss (vm_link_lost) makes the messages UNSENT again.
 */
static void
flush(struct live *l)
{
	struct vm *vm = &l->vm;

	if (!l->authed || vm->session_id == 0 ||
	    rpc_state(l->ctx->rpc) != RPC_OPEN)
		return;
	for (size_t i = 0; i < vm->n_notes; i++) {
		struct ref *ref;

		if (vm->notes[i].state != VM_SEND_UNSENT)
			continue;
		ref = ref_new(l);
		ref->client_id = xstrdup(vm->notes[i].client_id);
		rpc_call(l->ctx->rpc, "note.add", vm_note_request(vm, i), 0,
		    note_reply, ref);
		vm->notes[i].state = VM_SEND_INFLIGHT;
	}
	for (size_t i = 0; i < vm->n_chat; i++) {
		struct ref *ref;

		if (vm->chat[i].state != VM_SEND_UNSENT)
			continue;
		ref = ref_new(l);
		ref->chat_id = vm->chat[i].local_id;
		/* The client_id makes a resend after a reconnect safe: the
		 * server stores a message once per client_id. */
		rpc_call(l->ctx->rpc, "chat.send", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)vm->session_id, "text",
		    vm->chat[i].text, "client_id", vm->chat[i].client_id), 0,
		    chat_reply, ref);
		vm->chat[i].state = VM_SEND_INFLIGHT;
	}
}

/* ---- the actions keys ask for ---- */

static void
simple_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply == NULL || !rpc_is_ok(reply))
		status_error(l, ref->what, reply);
	ref_free(ref);
	redraw(l);
}

static void
swap_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply)) {
		if (json_is_true(json_object_get(reply, "pending"))) {
			l->vm.swap_pending = 1;
			vm_set_status(&l->vm, rpc_mono_ms(), "swap proposed: "
			    "waiting for %s", l->vm.peer_name ?
			    l->vm.peer_name : "your peer");
		}
	} else
		status_error(l, "swap", reply);
	ref_free(ref);
	redraw(l);
}

static void
feedback_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply)) {
		l->vm.feedback_sent = 1;
		vm_line_clear(&l->vm.note_line);
		vm_set_status(&l->vm, rpc_mono_ms(), "thank you: feedback "
		    "sent");
	} else {
		l->vm.feedback_rating = 0;
		status_error(l, "feedback", reply);
	}
	ref_free(ref);
	redraw(l);
}

static void
leave_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;

	finish(ref->l, CMD_OK, "Left the queue.");
	ref_free(ref);
}

/* Send type {session_id} with an error shown under the name what. */
static void
session_call(struct live *l, const char *type, const char *what,
    rpc_reply_fn cb, json_t *extra)
{
	struct ref *ref = ref_new(l);
	json_t *f = extra != NULL ? extra : json_object();

	json_object_set_new(f, "session_id", json_integer(l->vm.session_id));
	ref->what = what;
	rpc_call(l->ctx->rpc, type, f, CMD_REPLY_MS, cb, ref);
}

static void
act(struct live *l, enum vm_act a)
{
	struct vm *vm = &l->vm;
	json_t *f;

	switch (a) {
	case VM_ACT_PHASE_NEXT:
		session_call(l, "phase.next", "next phase", simple_reply,
		    NULL);
		break;
	case VM_ACT_END:
		session_call(l, "session.end", "end", simple_reply, NULL);
		break;
	case VM_ACT_SWAP:
		session_call(l, "session.swap", "swap", swap_reply, NULL);
		break;
	case VM_ACT_FEEDBACK:
		f = json_pack("{s:i}", "rating", vm->feedback_rating);
		if (vm->note_line.len > 0)
			json_object_set_new(f, "text", json_string(
			    vm_line_text(&vm->note_line)));
		session_call(l, "feedback.give", "feedback", feedback_reply,
		    f);
		break;
	case VM_ACT_QUIT:
		if (vm->session_id == 0 && vm->wait == VM_WAIT_QUEUE &&
		    l->authed) {
			/* Leave the queue politely, but never wait long: the
			 * reply, or its absence, finishes. */
			rpc_call(l->ctx->rpc, "queue.leave", NULL,
			    LEAVE_TIMEOUT_MS, leave_reply, ref_new(l));
			break;
		}
		if (vm->session_id == 0)
			finish(l, CMD_OK, vm->wait == VM_WAIT_QUEUE ?
			    "Left the queue." : NULL);
		else
			finish(l, CMD_OK, NULL);
		break;
	default:
		break;
	}
}

/* ---- the connection ---- */

static void
on_push(struct rpc *r, json_t *msg, void *arg)
{
	struct live *l = arg;

	vm_apply(&l->vm, msg, rpc_mono_ms());
	if (l->vm.logged_out) {
		config_clear_login(&l->ctx->cfg);
		cmd_save_config(l->ctx);
		finish(l, CMD_FAIL, "you were logged out (the login was "
		    "revoked elsewhere); run 'mockint login USER'");
		return;
	}
	if (l->ui_on) {
		const char *type = json_string_value(json_object_get(msg,
		    "type"));

		/* Draw attention to a pairing and to the end. */
		if (type != NULL && (strcmp(type, "match") == 0 ||
		    strcmp(type, "ended") == 0))
			ui_bell();
		flush(l);
		redraw(l);
	}
}

static void
ping_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	ref_free(ref);
	if (reply != NULL) {
		vm_set_clock(&l->vm, json_integer_value(json_object_get(reply,
		    "server_time")), rpc_mono_ms());
		return;
	}
	/* No answer on an open connection: the server is gone silently. */
	if (rpc_state(r) == RPC_OPEN && !l->quit) {
		rpc_disconnect(r);
		link_down(l);
	}
}

static void
session_get_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply))
		vm_apply_session(&l->vm, json_object_get(reply, "session"),
		    rpc_mono_ms());
	ref_free(ref);
	flush(l);
	redraw(l);
}

static void
rejoin_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply))
		l->vm.queue_position = (int)json_integer_value(
		    json_object_get(reply, "position"));
	else if (reply != NULL)
		status_error(l, "back in the queue", reply);
	ref_free(ref);
	redraw(l);
}

static json_t *
queue_fields(const struct live_opts *o)
{
	json_t *f = json_pack("{s:s}", "role", o->role ? o->role : "either");

	if (o->category != NULL)
		json_object_set_new(f, "category", json_string(o->category));
	if (o->difficulty != NULL)
		json_object_set_new(f, "difficulty",
		    json_string(o->difficulty));
	return f;
}

static void
auth_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;
	struct vm *vm = &l->vm;
	json_t *s;

	ref_free(ref);
	if (reply == NULL) {
		/* Dropped again (on_close retries), or silence: retry. */
		if (rpc_state(r) == RPC_OPEN && !l->quit) {
			rpc_disconnect(r);
			link_down(l);
		}
		return;
	}
	if (!rpc_is_ok(reply)) {
		const char *code = rpc_error_code(reply);

		if (code != NULL && strcmp(code, "unauthenticated") == 0) {
			config_clear_login(&l->ctx->cfg);
			cmd_save_config(l->ctx);
			finish(l, CMD_FAIL, "your login expired or was "
			    "revoked (run 'mockint login USER')");
			return;
		}
		rpc_disconnect(r);
		link_down(l);
		return;
	}
	l->authed = 1;
	l->attempt = 0;
	vm_set_link(vm, VM_LINK_ONLINE, 0, 0);
	vm_set_status(vm, rpc_mono_ms(), "reconnected");
	s = json_object_get(reply, "session");
	if (vm->session_id != 0 && !json_is_object(s))
		/* It ended while we were away: fetch how. */
		session_call(l, "session.get", "session", session_get_reply,
		    NULL);
	else if (vm->session_id == 0 && !json_is_object(s) &&
	    vm->wait == VM_WAIT_QUEUE)
		/* Dropping the last connection left the queue: rejoin. */
		rpc_call(r, "queue.join", queue_fields(l->o), CMD_REPLY_MS,
		    rejoin_reply, ref_new(l));
	flush(l);
	redraw(l);
}

static void
on_open(struct rpc *r, void *arg)
{
	struct live *l = arg;

	if (!l->ui_on)
		return;
	rpc_call(r, "auth", json_pack("{s:s}", "token", l->ctx->cfg.token),
	    CMD_REPLY_MS, auth_reply, ref_new(l));
}

static void
on_retry(uv_timer_t *t)
{
	struct live *l = t->data;

	vm_set_link(&l->vm, VM_LINK_RECONNECTING, l->attempt, 0);
	/* A failure comes back through on_close, which tries again. */
	rpc_connect(l->ctx->rpc, l->ctx->server);
	redraw(l);
}

/* The connection is gone: keep everything, try again later. */
static void
link_down(struct live *l)
{
	int64_t delay;

	if (l->quit)
		return;
	l->authed = 0;
	vm_link_lost(&l->vm);
	l->attempt++;
	/* 0.5 s, 1, 2, 4, 8, then every 15 s; a little jitter spreads
	 * clients out after a server restart. */
	delay = l->attempt > 6 ? BACKOFF_MAX_MS : 500LL << (l->attempt - 1);
	if (delay > BACKOFF_MAX_MS)
		delay = BACKOFF_MAX_MS;
	delay += rand() % 250;
	vm_set_link(&l->vm, VM_LINK_RECONNECTING, l->attempt,
	    rpc_mono_ms() + delay);
	uv_timer_start(&l->retry, on_retry, (uint64_t)delay, 0);
	redraw(l);
}

static void
on_close(struct rpc *r, int code, const char *why, void *arg)
{
	struct live *l = arg;

	if (!l->ui_on || l->quit)
		return;
	vm_set_status(&l->vm, rpc_mono_ms(), "connection lost: %s", why);
	link_down(l);
}

static const struct rpc_handlers handlers = { on_open, on_push, on_close };

/* ---- the terminal ---- */

static void
on_input(uv_poll_t *p, int status, int events)
{
	struct live *l = p->data;
	int key;
	enum ui_input in;

	while (!l->quit && (in = ui_read_key(&key)) != UI_NONE) {
		/*
		 * curses has resized itself when it reports KEY_RESIZE (and
		 * resizing again would queue another): just redraw, below.
		 */
		if (in == UI_RESIZE)
			continue;
		act(l, vm_key(&l->vm, key, rpc_mono_ms()));
	}
	flush(l);
	redraw(l);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct live *l = s->data;

	if (signum == SIGWINCH) {
		ui_resize();
		redraw(l);
		return;
	}
	finish(l, signum == SIGINT ? CMD_OK : CMD_FAIL, NULL);
}

static void
on_tick(uv_timer_t *t)
{
	struct live *l = t->data;
	int64_t now = rpc_mono_ms();

	if (l->authed && now - l->last_ping >= PING_EVERY_MS) {
		l->last_ping = now;
		rpc_call(l->ctx->rpc, "ping", NULL, PING_TIMEOUT_MS,
		    ping_reply, ref_new(l));
	}
	/* The countdown and fading messages change without events. */
	redraw(l);
}

/* ---- the whole run ---- */

/* Before the screen: join, or find the session to resume. */
static int
join(struct live *l)
{
	struct cmd_ctx *ctx = l->ctx;
	const struct live_opts *o = l->o;
	const char *code;
	json_t *r;

	/* Already in a live session: that is where we go (its session
	 * push follows the auth reply). */
	if (ctx->session != NULL)
		return CMD_OK;
	switch (o->how) {
	case LIVE_QUEUE:
		if ((r = cmd_request(ctx, "queue.join", queue_fields(o))) ==
		    NULL)
			return CMD_FAIL;
		l->vm.wait = VM_WAIT_QUEUE;
		if (l->vm.queue_position == 0)
			l->vm.queue_position = (int)json_integer_value(
			    json_object_get(r, "position"));
		break;
	case LIVE_ROOM_CREATE:
		if ((r = cmd_request(ctx, "room.create", json_pack("{s:s}",
		    "role", o->role ? o->role : "candidate"))) == NULL)
			return CMD_FAIL;
		l->vm.wait = VM_WAIT_ROOM;
		free(l->vm.room_code);
		code = json_string_value(json_object_get(r, "code"));
		l->vm.room_code = xstrdup(code != NULL ? code : "?");
		printf("Room code: %s\nYour partner runs: mockint room join "
		    "%s\n", l->vm.room_code, l->vm.room_code);
		fflush(stdout);
		break;
	case LIVE_ROOM_JOIN:
		if ((r = cmd_request(ctx, "room.join", json_pack("{s:s}",
		    "code", o->code))) == NULL)
			return CMD_FAIL;
		break;
	default:
		return CMD_FAIL;
	}
	json_decref(r);
	return CMD_OK;
}

static void
handles_start(struct live *l)
{
	static const int signums[4] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
	uv_loop_t *loop = &l->ctx->loop;

	uv_poll_init(loop, &l->input, STDIN_FILENO);
	l->input.data = l;
	uv_poll_start(&l->input, UV_READABLE, on_input);
	for (int i = 0; i < 4; i++) {
		uv_signal_init(loop, &l->sigs[i]);
		l->sigs[i].data = l;
		uv_signal_start(&l->sigs[i], on_signal, signums[i]);
	}
	uv_timer_init(loop, &l->tick);
	l->tick.data = l;
	uv_timer_start(&l->tick, on_tick, TICK_MS, TICK_MS);
	uv_timer_init(loop, &l->retry);
	l->retry.data = l;
	uv_timer_init(loop, &l->resend);
	l->resend.data = l;
}

static void
handles_stop(struct live *l)
{
	uv_close((uv_handle_t *)&l->input, NULL);
	for (int i = 0; i < 4; i++)
		uv_close((uv_handle_t *)&l->sigs[i], NULL);
	uv_close((uv_handle_t *)&l->tick, NULL);
	uv_close((uv_handle_t *)&l->retry, NULL);
	uv_close((uv_handle_t *)&l->resend, NULL);
	/* The handles live in l: let them finish closing now. */
	uv_run(&l->ctx->loop, UV_RUN_NOWAIT);
}

/* What to say on the way out. */
static void
farewell(struct live *l)
{
	struct vm *vm = &l->vm;

	if (l->msg[0] != '\0') {
		if (l->rc != CMD_OK)
			cmd_error("%s", l->msg);
		else
			printf("%s\n", l->msg);
		return;
	}
	if (vm->session_id == 0)
		return;
	if (vm->phase == VM_DONE) {
		printf("Session %lld is over (%s)", (long long)vm->session_id,
		    vm->reason ? vm->reason : "ended");
		if (vm->has_overall)
			printf(": overall %.2f / 4", vm->overall);
		printf(".\nReview it with: mockint history show %lld\n",
		    (long long)vm->session_id);
	} else
		printf("Left session %lld; it goes on without you for a "
		    "while. 'mockint interview' takes you back.\n",
		    (long long)vm->session_id);
}

int
live_run(struct cmd_ctx *ctx, const struct live_opts *o)
{
	struct live *l = xcalloc(1, sizeof *l);
	int rc;

	l->ctx = ctx;
	l->o = o;
	vm_init(&l->vm);
	/* Only the reconnect jitter uses it: clients must not move in step. */
	srand((unsigned)getpid() ^ (unsigned)rpc_mono_ms());
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("the interview screen needs a terminal");
		rc = CMD_FAIL;
		goto out;
	}
	if (cmd_connect_auth(ctx, &handlers, l) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	l->vm.my_id = ctx->user_id;
	l->vm.my_name = xstrdup(ctx->username ? ctx->username : "me");
	l->authed = 1;
	l->last_ping = rpc_mono_ms();
	if ((rc = join(l)) != CMD_OK)
		goto out;
	if (ui_start() == -1) {
		cmd_error("cannot start the screen (is TERM set?)");
		rc = CMD_FAIL;
		goto out;
	}
	l->ui_on = 1;
	vm_set_link(&l->vm, VM_LINK_ONLINE, 0, 0);
	handles_start(l);
	/* Pushes that came during the join were applied already. */
	flush(l);
	redraw(l);
	while (!l->quit)
		uv_run(&ctx->loop, UV_RUN_ONCE);
	handles_stop(l);
	ui_stop();
	l->ui_on = 0;
	farewell(l);
	rc = l->rc;
out:
	/* The connection goes before l: its callbacks point at l. */
	cmd_close(ctx);
	vm_free(&l->vm);
	free(l);
	return rc;
}
