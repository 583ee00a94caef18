/*
 * rpc.c — request/reply over wsclient (see rpc.h).
 *
 * Nothing here calls back from inside the rpc_* function that started
 * the work. A connection's end is reported from a zero-delay timer (the
 * reaper): rpc_connect can fail at once, on an unusable URL, and the
 * handler must not run before rpc_connect has returned. A reply that
 * cannot come (not connected, dropped by rpc_disconnect) is a pending
 * request marked due, failed with NULL by the ticker on the next turn
 * of the loop, exactly as a timed-out one is.
 */
#include "rpc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "proto.h"
#include "wsclient.h"
#include "xmalloc.h"

/* How often the ticker looks for timed-out requests. */
#define RPC_TICK_MS		100
/* rpc_call_sync waits this much past the request's own timeout. */
#define RPC_SYNC_SLACK_MS	1000

struct pending {
	struct pending	*next;
	int64_t		 id;
	int64_t		 deadline;	/* rpc_mono_ms; 0: none */
	int		 due;		/* no reply can come: fail it next tick */
	rpc_reply_fn	 cb;
	void		*arg;
};

/* One connection attempt: the wsclient callback argument. */
struct conn {
	struct rpc	*r;
	struct wsc	*ws;
	int		 closed;
	int		 code;
	char		 why[256];
};

struct rpc {
	uv_loop_t		*loop;
	struct wsc_context	*ctx;
	struct rpc_handlers	 h;
	void			*arg;
	struct conn		*conn;
	struct conn		*dead;		/* ended, waiting to be reaped */
	enum rpc_state		 state;
	int			 close_code;
	char			 close_why[256];
	char			 url[512];
	int64_t			 next_id;
	struct pending		*pending;
	uv_timer_t		 reaper;	/* reports a connection's end */
	uv_timer_t		 ticker;	/* due and timed-out requests */
	int			 open_handles;	/* our two timers */
	int			 shut;		/* rpc_shutdown has run */
	int			 ticker_closed;	/* the last NULL reply is out */
};

int64_t
rpc_mono_ms(void)
{
	return (int64_t)(uv_hrtime() / 1000000);
}

/*
 * Reply NULL to the requests that will get no other reply: all of them,
 * or those due or past their deadline.
 */
static void
fail_pending(struct rpc *r, int all)
{
	struct pending **pp = &r->pending, *p;
	int64_t now = rpc_mono_ms();

	while ((p = *pp) != NULL) {
		if (!all && !p->due && (p->deadline == 0 || p->deadline > now)) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		if (p->cb != NULL)
			p->cb(r, NULL, p->arg);
		free(p);
		/* The callback may have added or failed others: restart. */
		pp = &r->pending;
	}
}

static void
handle_closed(uv_handle_t *h)
{
	struct rpc *r = h->data;

	r->open_handles--;
}

static void
on_tick(uv_timer_t *t)
{
	struct rpc *r = t->data;

	fail_pending(r, 0);
	if (r->pending != NULL)
		return;
	uv_timer_stop(&r->ticker);
	/* Shutting down: that was the last reply owed; nothing follows. */
	if (r->shut && !r->ticker_closed) {
		r->ticker_closed = 1;
		uv_close((uv_handle_t *)&r->ticker, handle_closed);
	}
}

/* Fail every pending request with NULL, from the loop. */
static void
fail_later(struct rpc *r)
{
	struct pending *p;

	for (p = r->pending; p != NULL; p = p->next)
		p->due = 1;
	if (r->pending != NULL)
		uv_timer_start(&r->ticker, on_tick, 0, RPC_TICK_MS);
}

static void
reap(uv_timer_t *t)
{
	struct rpc *r = t->data;
	struct conn *c = r->dead;

	if (c == NULL)
		return;
	r->dead = NULL;
	if (c == r->conn) {
		r->conn = NULL;
		r->state = RPC_CLOSED;
		r->close_code = c->code;
		snprintf(r->close_why, sizeof r->close_why, "%s", c->why);
		fail_pending(r, 1);
		if (c->ws != NULL)
			wsc_free(c->ws);
		free(c);
		if (r->h.on_close != NULL)
			r->h.on_close(r, r->close_code, r->close_why, r->arg);
		return;
	}
	if (c->ws != NULL)
		wsc_free(c->ws);
	free(c);
}

static void
cb_open(struct wsc *ws, void *arg)
{
	struct conn *c = arg;
	struct rpc *r = c->r;

	if (c != r->conn)
		return;
	r->state = RPC_OPEN;
	if (r->h.on_open != NULL)
		r->h.on_open(r, r->arg);
}

static void
cb_message(struct wsc *ws, const char *buf, size_t len, int binary, void *arg)
{
	struct conn *c = arg;
	struct rpc *r = c->r;
	json_t *msg, *re;
	json_error_t e;
	struct pending **pp, *p;

	if (c != r->conn || binary)
		return;
	msg = json_loadb(buf, len, 0, &e);
	if (msg == NULL || !json_is_object(msg)) {
		json_decref(msg);
		return;
	}
	re = json_object_get(msg, "re");
	if (re == NULL) {
		if (r->h.on_push != NULL)
			r->h.on_push(r, msg, r->arg);
		json_decref(msg);
		return;
	}
	for (pp = &r->pending; (p = *pp) != NULL; pp = &p->next) {
		if (!p->due && json_is_integer(re) &&
		    json_integer_value(re) == p->id) {
			*pp = p->next;
			if (p->cb != NULL)
				p->cb(r, msg, p->arg);
			free(p);
			break;
		}
	}
	/* A reply to nothing we wait for (timed out, or "re": null). */
	json_decref(msg);
}

/* Connection c ended: the reaper reports it, from the loop. */
static void
conn_ended(struct conn *c, int code, const char *why)
{
	struct rpc *r = c->r;

	c->closed = 1;
	c->code = code;
	snprintf(c->why, sizeof c->why, "%s", why != NULL ? why : "closed");
	/*
	 * Only the current connection can still end (rpc_disconnect forgets
	 * the others without callbacks), so one slot is enough.
	 */
	r->dead = c;
	uv_timer_start(&r->reaper, reap, 0, 0);
}

static void
cb_close(struct wsc *ws, int code, const char *why, void *arg)
{
	conn_ended(arg, code, why);
}

static const struct wsc_callbacks callbacks = { cb_open, cb_message,
	cb_close };

struct rpc *
rpc_new(uv_loop_t *loop, const char *ca_file, const struct rpc_handlers *h,
    void *arg)
{
	struct rpc *r = xcalloc(1, sizeof *r);

	r->loop = loop;
	r->ctx = wsc_context_new(loop, ca_file);
	if (r->ctx == NULL) {
		free(r);
		return NULL;
	}
	if (h != NULL)
		r->h = *h;
	r->arg = arg;
	r->next_id = 1;
	r->state = RPC_IDLE;
	uv_timer_init(loop, &r->reaper);
	r->reaper.data = r;
	uv_timer_init(loop, &r->ticker);
	r->ticker.data = r;
	r->open_handles = 2;
	return r;
}

void
rpc_disconnect(struct rpc *r)
{
	struct conn *c = r->conn;

	if (c == NULL)
		return;
	r->conn = NULL;
	r->state = RPC_CLOSED;
	snprintf(r->close_why, sizeof r->close_why, "disconnected");
	r->close_code = 0;
	if (r->dead == c)
		r->dead = NULL;
	/*
	 * An open wsc frees itself once closed and calls nothing more (it is
	 * marked freed), so c can go now.
	 */
	if (c->ws != NULL)
		wsc_free(c->ws);
	free(c);
	fail_later(r);
}

void
rpc_shutdown(struct rpc *r)
{
	if (r == NULL || r->shut)
		return;
	r->shut = 1;
	rpc_disconnect(r);
	if (r->dead != NULL) {
		if (r->dead->ws != NULL)
			wsc_free(r->dead->ws);
		free(r->dead);
		r->dead = NULL;
	}
	wsc_context_free(r->ctx);
	uv_close((uv_handle_t *)&r->reaper, handle_closed);
	/* With replies still owed, on_tick closes the ticker after them. */
	if (r->pending == NULL) {
		r->ticker_closed = 1;
		uv_close((uv_handle_t *)&r->ticker, handle_closed);
	}
}

void
rpc_free(struct rpc *r)
{
	if (r == NULL)
		return;
	rpc_shutdown(r);
	/* The handles are in r: they must be closed before r goes. */
	while (r->open_handles > 0)
		uv_run(r->loop, UV_RUN_ONCE);
	wsc_context_free(r->ctx);
	free(r);
}

void
rpc_connect(struct rpc *r, const char *url)
{
	struct conn *c;
	char why[256];

	rpc_disconnect(r);
	c = xcalloc(1, sizeof *c);
	c->r = r;
	r->conn = c;
	r->state = RPC_CONNECTING;
	snprintf(r->url, sizeof r->url, "%s", url);
	c->ws = wsc_connect(r->ctx, url, PROTO_SUBPROTOCOL, &callbacks, c,
	    why, sizeof why);
	/* An unusable URL ends the attempt like any failure: on_close. */
	if (c->ws == NULL)
		conn_ended(c, 0, why);
}

enum rpc_state
rpc_state(const struct rpc *r)
{
	return r->state;
}

const char *
rpc_close_reason(const struct rpc *r)
{
	return r->close_why;
}

int
rpc_close_code(const struct rpc *r)
{
	return r->close_code;
}

void
rpc_call(struct rpc *r, const char *type, json_t *fields, int timeout_ms,
    rpc_reply_fn cb, void *arg)
{
	struct pending *p, **pp;
	json_t *req;
	char *text;
	int sent = 0;

	/* After the last reply of rpc_shutdown nothing could answer. */
	assert(!r->ticker_closed);
	p = xcalloc(1, sizeof *p);
	p->id = r->next_id++;
	p->cb = cb;
	p->arg = arg;
	req = proto_request(type, p->id, fields);
	if (r->state == RPC_OPEN && r->conn != NULL && !r->conn->closed) {
		text = json_dumps(req, JSON_COMPACT);
		sent = wsc_send(r->conn->ws, text, strlen(text)) == 0;
		free(text);
	}
	json_decref(req);
	if (!sent) {
		/* No reply can come: NULL, on the next turn of the loop. */
		p->due = 1;
		uv_timer_start(&r->ticker, on_tick, 0, RPC_TICK_MS);
	} else if (timeout_ms > 0) {
		p->deadline = rpc_mono_ms() + timeout_ms;
		if (!uv_is_active((uv_handle_t *)&r->ticker))
			uv_timer_start(&r->ticker, on_tick, RPC_TICK_MS,
			    RPC_TICK_MS);
	}
	/* Appended: replies come in request order, so this finds them fast. */
	for (pp = &r->pending; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = p;
}

static void
wake(uv_timer_t *t)
{
	/* Nothing to do: firing makes UV_RUN_ONCE return. */
}

/* Run the loop until *done, or ms passed. */
static void
run_until(struct rpc *r, const int *done, int ms)
{
	int64_t deadline = rpc_mono_ms() + ms;
	uv_timer_t t;

	/* The timer only makes UV_RUN_ONCE return in time. */
	uv_timer_init(r->loop, &t);
	while (!*done && rpc_mono_ms() < deadline) {
		int64_t left = deadline - rpc_mono_ms();

		uv_timer_start(&t, wake, (uint64_t)(left > 0 ? left : 0), 0);
		uv_run(r->loop, UV_RUN_ONCE);
	}
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(r->loop, UV_RUN_NOWAIT);
}

int
rpc_open_sync(struct rpc *r, const char *url, int timeout_ms, char *why,
    size_t whylen)
{
	int64_t deadline;

	rpc_connect(r, url);
	deadline = rpc_mono_ms() + timeout_ms;
	while (r->state == RPC_CONNECTING && rpc_mono_ms() < deadline) {
		int never = 0;

		run_until(r, &never, 50);
	}
	if (r->state == RPC_OPEN)
		return 0;
	if (r->state == RPC_CONNECTING) {
		rpc_disconnect(r);
		snprintf(why, whylen, "timed out after %d s",
		    timeout_ms / 1000);
	} else
		snprintf(why, whylen, "%s", r->close_why);
	return -1;
}

struct call_wait {
	int	 done;
	json_t	*reply;
};

static void
sync_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct call_wait *w = arg;

	w->done = 1;
	w->reply = reply != NULL ? json_incref(reply) : NULL;
}

json_t *
rpc_call_sync(struct rpc *r, const char *type, json_t *fields, int timeout_ms,
    char *why, size_t whylen)
{
	struct call_wait w = { 0, NULL };

	rpc_call(r, type, fields, timeout_ms, sync_reply, &w);
	/* A little slack: the request's own timeout fires first. */
	run_until(r, &w.done, timeout_ms + RPC_SYNC_SLACK_MS);
	if (!w.done) {
		/*
		 * Cannot happen unless the loop stalls. The reply must not
		 * outlive w: drop the connection and take the NULL reply,
		 * which comes on the next turn of the loop.
		 */
		rpc_disconnect(r);
		while (!w.done)
			uv_run(r->loop, UV_RUN_ONCE);
	}
	if (w.reply == NULL) {
		if (r->state == RPC_OPEN)
			snprintf(why, whylen, "no reply to %s within %d s",
			    type, timeout_ms / 1000);
		else
			snprintf(why, whylen, "connection lost (%s)",
			    r->close_why[0] ? r->close_why : "closed");
	}
	return w.reply;
}

void
rpc_sleep(struct rpc *r, int ms)
{
	int never = 0;

	run_until(r, &never, ms);
}

int
rpc_is_ok(const json_t *reply)
{
	const char *t = json_string_value(json_object_get(reply, "type"));

	return t != NULL && strcmp(t, "ok") == 0;
}

const char *
rpc_error_code(const json_t *reply)
{
	const char *t = json_string_value(json_object_get(reply, "type"));

	if (t == NULL || strcmp(t, "error") != 0)
		return NULL;
	return json_string_value(json_object_get(reply, "code"));
}

const char *
rpc_error_message(const json_t *reply)
{
	const char *m = json_string_value(json_object_get(reply, "message"));

	return m != NULL ? m : "";
}
