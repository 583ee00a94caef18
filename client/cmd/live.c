/*
 * live.c — the interview screen's controller (see live.h). Everything
 * runs on ctx->loop: the WebSocket (rpc), the terminal (a uv_poll on
 * stdin), SIGWINCH and the other signals, a 250 ms tick that redraws the
 * countdown, the reconnect timer and a keepalive ping that notices a
 * server that has silently gone away.
 */
#include "live_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "rpc.h"
#include "sanitize.h"
#include "ui.h"
#include "vm.h"
#include "xmalloc.h"

#define TICK_MS		250
#define PING_EVERY_MS	15000
#define PING_TIMEOUT_MS	10000
#define BACKOFF_MAX_MS	15000
/* After the end, how often session.get learns whether the peer is
 * still there (no peer pushes come then). */
#define DONE_POLL_MS	5000

static void link_down(struct live *l);

struct ref *
live_ref_new(struct live *l)
{
	struct ref *r = xcalloc(1, sizeof *r);

	r->l = l;
	return r;
}

void
live_ref_free(struct ref *r)
{
	free(r->client_id);
	free(r);
}

void
live_finish(struct live *l, int rc, const char *msg)
{
	l->quit = 1;
	l->rc = rc;
	if (msg != NULL)
		snprintf(l->msg, sizeof l->msg, "%s", msg);
}

void
live_redraw(struct live *l)
{
	if (l->ui_on && !l->quit)
		ui_draw(&l->vm, rpc_mono_ms());
}

void
live_status_error(struct live *l, const char *what, const json_t *reply)
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

void
live_session_call(struct live *l, const char *type, const char *what,
    rpc_reply_fn cb, json_t *extra)
{
	struct ref *ref = live_ref_new(l);
	json_t *f = extra != NULL ? extra : json_object();

	json_object_set_new(f, "session_id", json_integer(l->vm.session_id));
	ref->what = what;
	rpc_call(l->ctx->rpc, type, f, CMD_REPLY_MS, cb, ref);
}

/* The bell, or a flash (--flash), unless --quiet. */
static void
alert(struct live *l)
{
	if (!l->o->quiet)
		ui_bell(l->o->flash);
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
		live_finish(l, CMD_FAIL, "you were logged out (the login was "
		    "revoked elsewhere); run 'mockint login USER'");
		return;
	}
	if (l->ui_on) {
		const char *type = json_string_value(json_object_get(msg,
		    "type"));

		/* Draw attention to a pairing; the clock rings for the
		 * phases and the end (on_tick). */
		if (type != NULL && strcmp(type, "match") == 0)
			alert(l);
		if (vm_tick(&l->vm, rpc_mono_ms()) & VM_ALERT_BELL)
			alert(l);
		live_flush(l);
		live_redraw(l);
	}
}

static void
ping_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	live_ref_free(ref);
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
	const char *code = rpc_error_code(reply);

	if (reply != NULL && rpc_is_ok(reply))
		vm_apply_session(&l->vm, json_object_get(reply, "session"),
		    rpc_mono_ms());
	else if (code != NULL && strcmp(code, "invalid_state") == 0 &&
	    l->vm.phase == VM_DONE) {
		/* It has left the server's memory: no swap, no debrief. */
		l->vm.swap_closed = 1;
		l->vm.debrief_ends_at = 0;
		l->vm.dirty = 1;
	}
	live_ref_free(ref);
	live_flush(l);
	live_redraw(l);
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
		live_status_error(l, "back in the queue", reply);
	live_ref_free(ref);
	live_redraw(l);
}

static void
auth_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;
	struct vm *vm = &l->vm;
	json_t *s;

	live_ref_free(ref);
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
			live_finish(l, CMD_FAIL, "your login expired or was "
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
		live_session_call(l, "session.get", "session", session_get_reply,
		    NULL);
	else if (vm->session_id == 0 && !json_is_object(s) &&
	    vm->wait == VM_WAIT_QUEUE)
		/* Dropping the last connection left the queue: rejoin. */
		rpc_call(r, "queue.join", live_queue_fields(l->o), CMD_REPLY_MS,
		    rejoin_reply, live_ref_new(l));
	live_flush(l);
	live_redraw(l);
}

static void
on_open(struct rpc *r, void *arg)
{
	struct live *l = arg;

	if (!l->ui_on)
		return;
	rpc_call(r, "auth", json_pack("{s:s}", "token", l->ctx->cfg.token),
	    CMD_REPLY_MS, auth_reply, live_ref_new(l));
}

static void
on_retry(uv_timer_t *t)
{
	struct live *l = t->data;

	vm_set_link(&l->vm, VM_LINK_RECONNECTING, l->attempt, 0);
	/* A failure comes back through on_close, which tries again. */
	rpc_connect(l->ctx->rpc, l->ctx->server);
	live_redraw(l);
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
	live_redraw(l);
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
		live_act(l, vm_key(&l->vm, key, rpc_mono_ms()));
	}
	live_flush(l);
	live_redraw(l);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct live *l = s->data;

	if (signum == SIGWINCH) {
		ui_resize();
		live_redraw(l);
		return;
	}
	live_finish(l, signum == SIGINT ? CMD_OK : CMD_FAIL, NULL);
}

static void
on_tick(uv_timer_t *t)
{
	struct live *l = t->data;
	struct vm *vm = &l->vm;
	int64_t now = rpc_mono_ms();

	if (l->authed && now - l->last_ping >= PING_EVERY_MS) {
		l->last_ping = now;
		rpc_call(l->ctx->rpc, "ping", NULL, PING_TIMEOUT_MS,
		    ping_reply, live_ref_new(l));
	}
	/* After the end no peer pushes come: ask while it matters. */
	if (l->authed && vm->phase == VM_DONE && !vm->swap_closed &&
	    now - l->last_poll >= DONE_POLL_MS && (vm_swap_left_ms(vm, now) !=
	    0 || vm_debrief_open(vm, now))) {
		l->last_poll = now;
		live_session_call(l, "session.get", "session",
		    session_get_reply, NULL);
	}
	if (vm_tick(vm, now) & VM_ALERT_BELL)
		alert(l);
	/* The countdown and fading messages change without events. */
	live_redraw(l);
}

/* ---- the whole run ---- */

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

	char clean[sizeof l->msg];

	if (l->msg[0] != '\0') {
		if (l->rc != CMD_OK)
			cmd_error("%s", l->msg);
		else
			printf("%s\n", sanitize_into(l->msg, SANITIZE_KEEP_NL,
			    clean, sizeof clean));
		return;
	}
	if (vm->session_id == 0)
		return;
	if (vm->phase == VM_DONE) {
		char how[256];

		vm_ended_text(vm, how, sizeof how);
		printf("Session %lld is over: %s", (long long)vm->session_id,
		    sanitize_into(how, 0, clean, sizeof clean));
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
	if (cmd_connect_auth(ctx, &handlers, l) == -1) {
		rc = CMD_FAIL;
		goto out;
	}
	/* A wrong --category is a usage error, terminal or not. */
	if (ctx->session == NULL && o->how == LIVE_QUEUE &&
	    (rc = live_check_prefs(l)) != CMD_OK)
		goto out;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("the interview screen needs a terminal");
		rc = CMD_FAIL;
		goto out;
	}
	l->vm.my_id = ctx->user_id;
	l->vm.my_name = xstrdup(ctx->username ? ctx->username : "me");
	if (o->how == LIVE_QUEUE) {
		l->vm.queue_role = xstrdup(o->role ? o->role : "either");
		if (o->difficulty != NULL)
			l->vm.queue_difficulty = xstrdup(o->difficulty);
		if (o->category != NULL && l->vm.queue_category == NULL)
			l->vm.queue_category = xstrdup(o->category);
	}
	l->authed = 1;
	/* The first tick pings: the server's clock, for the waiting
	 * screen's "you have waited". */
	l->last_ping = rpc_mono_ms() - PING_EVERY_MS;
	if ((rc = live_join(l)) != CMD_OK)
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
	live_flush(l);
	live_redraw(l);
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
