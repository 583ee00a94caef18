/*
 * wsclient.c — the libwebsockets client on a libuv loop (see wsclient.h).
 *
 * A connection's end is never reported from where lws notices it: lws
 * can fail a connection inside lws_client_connect_via_info(), that is
 * inside wsc_connect(), and a caller must not get on_close (and free the
 * wsc) before wsc_connect has even returned it. Ended connections wait
 * on the context's list, and a zero-delay timer reports them from the
 * loop.
 */
#include "wsclient.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "xmalloc.h"

/* A client accepts larger messages than it sends: history can be big. */
#define WSC_MAX_MESSAGE (16 * 1024 * 1024)

struct frame {
	struct frame *next;
	size_t len;
	int kind;
	unsigned char buf[];	/* LWS_PRE, then len bytes */
};

struct wsc_context {
	struct lws_context *lws;
	int destroying;		/* the first wsc_context_free has run */
	int no_keepalive;	/* wsc_context_no_keepalive() */
	/*
	 * Reports ends (report_ends); on the heap so that it can finish
	 * closing after the context is gone. NULL once closed.
	 */
	uv_timer_t *later;
	struct wsc *ends, *ends_tail;	/* ended, not yet reported */
};

/* lws's keepalive off: no validity timer, no pings of our own. */
static const lws_retry_bo_t no_validity = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

struct wsc {
	struct wsc_context *ctx;
	struct lws *wsi;
	struct wsc_callbacks cb;
	void *arg;
	int open, closing, close_code, peer_code, freed, ended;
	char peer_reason[128];
	/* On ctx's list of ends to report (reporting), with the report. */
	struct wsc *end_prev, *end_next;
	int reporting, end_code;
	char end_why[256];
	struct frame *head, *tail;
	size_t queued;
	struct proto_reasm in;	/* the message being received */
	int in_binary;
	char host[256], path[512], proto[64], iface[64];
};

static void
drop_queue(struct wsc *ws)
{
	struct frame *f, *next;

	for (f = ws->head; f != NULL; f = next) {
		next = f->next;
		free(f);
	}
	ws->head = ws->tail = NULL;
	ws->queued = 0;
}

static void
ends_unlink(struct wsc_context *ctx, struct wsc *ws)
{
	if (ws->end_prev != NULL)
		ws->end_prev->end_next = ws->end_next;
	else
		ctx->ends = ws->end_next;
	if (ws->end_next != NULL)
		ws->end_next->end_prev = ws->end_prev;
	else
		ctx->ends_tail = ws->end_prev;
	ws->end_prev = ws->end_next = NULL;
	ws->reporting = 0;
}

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
later_close(struct wsc_context *ctx)
{
	if (ctx->later == NULL)
		return;
	uv_close((uv_handle_t *)ctx->later, free_handle);
	ctx->later = NULL;
}

/* Report every end waiting, in the order they happened. */
static void
report_ends(struct wsc_context *ctx)
{
	struct wsc *ws;

	while ((ws = ctx->ends) != NULL) {
		ends_unlink(ctx, ws);
		/* The callback may free ws: nothing touches it after. */
		if (ws->cb.on_close != NULL)
			ws->cb.on_close(ws, ws->end_code, ws->end_why, ws->arg);
	}
}

static void
on_later(uv_timer_t *t)
{
	struct wsc_context *ctx = t->data;

	report_ends(ctx);
	/* Destroying: that was the last report; the timer can go. */
	if (ctx->destroying)
		later_close(ctx);
}

static void
ended(struct wsc *ws, int code, const char *why)
{
	struct wsc_context *ctx = ws->ctx;

	ws->wsi = NULL;
	ws->open = 0;
	drop_queue(ws);
	proto_reasm_release(&ws->in);
	if (ws->ended)
		return;
	ws->ended = 1;
	if (ws->freed) {
		free(ws);
		return;
	}
	ws->end_code = code;
	snprintf(ws->end_why, sizeof ws->end_why, "%s", why);
	ws->end_prev = ctx->ends_tail;
	if (ctx->ends_tail != NULL)
		ctx->ends_tail->end_next = ws;
	else
		ctx->ends = ws;
	ctx->ends_tail = ws;
	ws->reporting = 1;
	if (ctx->later != NULL)
		uv_timer_start(ctx->later, on_later, 0, 0);
	else
		/*
		 * The context is being destroyed and its timer is gone: lws
		 * is closing what is left, from its own callbacks on the
		 * loop, never from inside a wsc_connect.
		 */
		report_ends(ctx);
}

static int
receive(struct wsc *ws, struct lws *wsi, const void *in, size_t len)
{
	if (lws_is_first_fragment(wsi)) {
		proto_reasm_reset(&ws->in);
		ws->in_binary = lws_frame_is_binary(wsi);
	}
	if (proto_reasm_append(&ws->in, in, len) == -1)
		return -1;
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
	if (ws->cb.on_message != NULL)
		ws->cb.on_message(ws, ws->in.buf, ws->in.len, ws->in_binary,
		    ws->arg);
	return 0;
}

static int
writeable(struct wsc *ws, struct lws *wsi)
{
	struct frame *f;

	while (ws->head != NULL && !lws_send_pipe_choked(wsi)) {
		enum lws_write_protocol wp;
		int n;

		f = ws->head;
		ws->head = f->next;
		if (ws->head == NULL)
			ws->tail = NULL;
		ws->queued -= f->len;
		wp = (f->kind & WSC_CONT) ? LWS_WRITE_CONTINUATION :
		    (f->kind & WSC_BINARY) ? LWS_WRITE_BINARY : LWS_WRITE_TEXT;
		if (f->kind & WSC_NO_FIN)
			wp |= LWS_WRITE_NO_FIN;
		n = lws_write(wsi, f->buf + LWS_PRE, f->len, wp);
		free(f);
		if (n < 0)
			return -1;
	}
	if (ws->head != NULL) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	if (ws->closing) {
		lws_close_reason(wsi, (enum lws_close_status)ws->close_code,
		    NULL, 0);
		return -1;
	}
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	/*
	 * The user pointer is not there yet for errors early in a
	 * connection (refused at accept, say); the opaque pointer always is.
	 */
	struct wsc *ws = user != NULL ? user : lws_get_opaque_user_data(wsi);
	char why[256];

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->open = 1;
		if (ws->cb.on_open != NULL && !ws->freed)
			ws->cb.on_open(ws, ws->arg);
		if (ws->head != NULL || ws->closing)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		snprintf(why, sizeof why, "%s", in ? (const char *)in :
		    "connection failed");
		if (ws != NULL)
			ended(ws, 0, why);
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		/*
		 * The peer closed before the upgrade (as a server refusing a
		 * connection at accept does): lws 4.1 reports neither
		 * CONNECTION_ERROR nor CLIENT_CLOSED here, then frees the
		 * wsi. Without this the wsc would wait forever on a freed wsi.
		 */
		if (ws != NULL && !ws->ended)
			ended(ws, 0, "connection closed during the handshake");
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (ws == NULL || ws->freed)
			break;
		return receive(ws, wsi, in, len);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (ws == NULL)
			break;
		return writeable(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (ws != NULL && len >= 2) {
			const unsigned char *p = in;

			ws->peer_code = (p[0] << 8) | p[1];
			snprintf(ws->peer_reason, sizeof ws->peer_reason,
			    "%.*s", (int)(len - 2), (const char *)in + 2);
		}
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (ws != NULL)
			ended(ws, ws->peer_code, ws->peer_code ?
			    ws->peer_reason : "connection closed");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "mockint-client", callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct wsc_context *
wsc_context_new(uv_loop_t *loop, const char *ca_file)
{
	struct lws_context_creation_info info;
	struct wsc_context *ctx = xcalloc(1, sizeof *ctx);
	void *foreign_loops[1] = { loop };

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign_loops;
	info.pcontext = &ctx->lws;
	info.client_ssl_ca_filepath = ca_file;
	info.fd_limit_per_thread = 1 + 65536;
	info.timeout_secs = 10;
	ctx->lws = lws_create_context(&info);
	if (ctx->lws == NULL) {
		free(ctx);
		return NULL;
	}
	ctx->later = xcalloc(1, sizeof *ctx->later);
	uv_timer_init(loop, ctx->later);
	ctx->later->data = ctx;
	return ctx;
}

void
wsc_context_free(struct wsc_context *ctx)
{
	if (ctx == NULL)
		return;
	if (!ctx->destroying) {
		/* Stage one: the loop must run for the handles to close. */
		ctx->destroying = 1;
		if (ctx->lws != NULL)
			lws_context_destroy(ctx->lws);
		/* Ends still to report keep the timer until on_later. */
		if (ctx->ends == NULL)
			later_close(ctx);
		return;
	}
	/*
	 * Stage two (the loop has run dry, so on_later has reported
	 * everything and closed the timer; if the caller did not run it,
	 * report now rather than never). Then finish the context: lws
	 * clears ctx->lws (its pcontext) when it frees the context.
	 */
	report_ends(ctx);
	later_close(ctx);
	if (ctx->lws != NULL)
		lws_context_destroy(ctx->lws);
	free(ctx);
}

void
wsc_context_no_keepalive(struct wsc_context *ctx)
{
	ctx->no_keepalive = 1;
}

struct wsc *
wsc_connect(struct wsc_context *ctx, const char *url, const char *subprotocol,
    const struct wsc_callbacks *cb, void *arg, char *why, size_t whylen)
{
	return wsc_connect_from(ctx, url, subprotocol, NULL, cb, arg, why,
	    whylen);
}

struct wsc *
wsc_connect_from(struct wsc_context *ctx, const char *url,
    const char *subprotocol, const char *local_addr,
    const struct wsc_callbacks *cb, void *arg, char *why, size_t whylen)
{
	struct lws_client_connect_info ci;
	struct wsc *ws;
	char buf[1024];
	const char *scheme, *addr, *path;
	int port, tls;

	if (strlen(url) >= sizeof buf) {
		snprintf(why, whylen, "server URL too long");
		return NULL;
	}
	snprintf(buf, sizeof buf, "%s", url);
	if (lws_parse_uri(buf, &scheme, &addr, &port, &path) != 0 ||
	    *addr == '\0') {
		snprintf(why, whylen, "bad server URL '%s' (want "
		    "ws://HOST:PORT or wss://HOST:PORT)", url);
		return NULL;
	}
	if (strcmp(scheme, "ws") == 0)
		tls = 0;
	else if (strcmp(scheme, "wss") == 0)
		tls = 1;
	else {
		snprintf(why, whylen, "bad server URL '%s': the scheme must be "
		    "ws or wss", url);
		return NULL;
	}
	ws = xcalloc(1, sizeof *ws);
	ws->ctx = ctx;
	ws->cb = *cb;
	ws->arg = arg;
	proto_reasm_init(&ws->in, WSC_MAX_MESSAGE);
	snprintf(ws->host, sizeof ws->host, "%s", addr);
	snprintf(ws->path, sizeof ws->path, "/%s", path);
	if (subprotocol != NULL)
		snprintf(ws->proto, sizeof ws->proto, "%s", subprotocol);
	if (local_addr != NULL)
		snprintf(ws->iface, sizeof ws->iface, "%s", local_addr);

	memset(&ci, 0, sizeof ci);
	ci.context = ctx->lws;
	ci.address = ws->host;
	ci.port = port;
	ci.path = ws->path;
	ci.host = ws->host;
	/*
	 * No Origin: this is not a page in a browser. (lws would send
	 * "http://HOST" without the port, which is no origin of a wss://
	 * server's, and mockintd refuses a handshake whose Origin is not
	 * its own.)
	 */
	ci.origin = NULL;
	ci.protocol = subprotocol != NULL ? ws->proto : NULL;
	ci.local_protocol_name = "mockint-client";
	/* lws binds the socket to this address before connecting. */
	ci.iface = local_addr != NULL ? ws->iface : NULL;
	if (ctx->no_keepalive)
		ci.retry_and_idle_policy = &no_validity;
	ci.userdata = ws;
	ci.opaque_user_data = ws;
	ci.pwsi = &ws->wsi;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	/*
	 * On failure here lws has usually run the error callback already
	 * (ended() has queued the report); when it has not, as on a name it
	 * cannot resolve, this is the end to report. Either way on_close
	 * comes later, from the loop.
	 */
	if (lws_client_connect_via_info(&ci) == NULL && !ws->ended) {
		char reason[sizeof buf + 32];

		snprintf(reason, sizeof reason, "cannot connect to %s", url);
		ended(ws, 0, reason);
	}
	return ws;
}

static int
enqueue(struct wsc *ws, const void *buf, size_t len, int kind)
{
	struct frame *f;

	if (ws->wsi == NULL || ws->closing)
		return -1;
	f = xmalloc(sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	f->kind = kind;
	memcpy(f->buf + LWS_PRE, buf, len);
	if (ws->tail != NULL)
		ws->tail->next = f;
	else
		ws->head = f;
	ws->tail = f;
	ws->queued += len;
	if (ws->open)
		lws_callback_on_writable(ws->wsi);
	return 0;
}

int
wsc_send(struct wsc *ws, const char *buf, size_t len)
{
	return enqueue(ws, buf, len, WSC_TEXT);
}

int
wsc_send_frame(struct wsc *ws, const void *buf, size_t len, int kind)
{
	return enqueue(ws, buf, len, kind);
}

void
wsc_close(struct wsc *ws, int code)
{
	if (ws->wsi == NULL || ws->closing)
		return;
	ws->closing = 1;
	ws->close_code = code;
	if (ws->open)
		lws_callback_on_writable(ws->wsi);
}

void
wsc_free(struct wsc *ws)
{
	if (ws == NULL)
		return;
	if (ws->ended || ws->wsi == NULL) {
		/* Ended but not reported yet: it never will be now. */
		if (ws->reporting)
			ends_unlink(ws->ctx, ws);
		drop_queue(ws);
		proto_reasm_release(&ws->in);
		free(ws);
		return;
	}
	/* Still connected: close, and let the close callback free it. */
	ws->freed = 1;
	drop_queue(ws);
	ws->closing = 1;
	ws->close_code = LWS_CLOSE_STATUS_NORMAL;
	lws_callback_on_writable(ws->wsi);
	lws_set_timeout(ws->wsi, PENDING_TIMEOUT_CLOSE_SEND, 1);
}

int
wsc_is_open(const struct wsc *ws)
{
	return ws->open && ws->wsi != NULL;
}

size_t
wsc_queued(const struct wsc *ws)
{
	return ws->queued;
}
