/*
 * net.c — libwebsockets on the server's libuv loop (see net.h).
 *
 * lws runs as a guest on our loop (LWS_SERVER_OPTION_LIBUV + foreign_loops):
 * it adds its own handles to the loop and, on lws_context_destroy(), closes
 * them asynchronously, so the loop must keep running until it is done.
 * Every inbound message is reassembled here and handed up through
 * hooks.message (the request table, which main.c wires in); every
 * outbound one is taken from the connection's queue in the writeable
 * callback, never written from anywhere else.
 */
#include "net.h"

#include <libwebsockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "backlog.h"
#include "conn.h"
#include "conn_write.h"
#include "connlimit.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "origin_check.h"
#include "outq_send.h"
#include "proxy.h"
#include "server.h"
#include "tls.h"
#include "xmalloc.h"

/*
 * The close opcode for lws_write(): lws 4.1 keeps LWS_WRITE_CLOSE (4) out
 * of its public header but still frames it (see on_writeable()).
 */
#define LWS_WRITE_CLOSE_FRAME ((enum lws_write_protocol)4)

/* lws's per-session data: just the pointer to our own connection object,
 * so that the connection can outlive the wsi (see conn.h). */
struct pss {
	struct conn *conn;
};

static struct lws_context *context;
/* The main listener (WebSocket, /healthz), and --metrics-listen's. */
static struct lws_vhost *main_vh, *metrics_vh;
static struct net_hooks hooks;
static void (*stop_done)(void);
static void stop_now(uv_timer_t *t);
static uv_timer_t stop_timer;
static int stop_timer_live;

static int
too_large(struct lws *wsi, struct conn *c)
{
	static const char reason[] = "message too large";

	log_info(c->id, "message over %d bytes: closing", PROTO_MAX_MESSAGE);
	lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
	    (unsigned char *)reason, sizeof reason - 1);
	return -1;
}

/* A whole message: up to the request table now, or after the backlog. */
static void
dispatch(struct lws *wsi, struct conn *c, const char *buf, size_t len)
{
	if (backlog_must_wait(c)) {
		backlog_hold(c, buf, len);
		return;
	}
	hooks.message(c, buf, len);
}

static void
deliver_held(struct conn *c, const char *buf, size_t len)
{
	hooks.message(c, buf, len);
}

/* Off: lws keeps what it read past the message until it is on again. */
static void
reading(struct conn *c, int on)
{
	lws_rx_flow_control(c->wsi, on);
}

static const struct backlog_ops backlog_ops = {
	.deliver = deliver_held,
	.reading = reading,
};

static int
on_receive(struct lws *wsi, struct conn *c, void *in, size_t len)
{
	int first = lws_is_first_fragment(wsi), final = lws_is_final_fragment(wsi);
	size_t remaining = lws_remaining_packet_payload(wsi);

	/*
	 * The common case, a whole message in one piece, is handled straight
	 * from lws's buffer: no copy, and an idle connection keeps no
	 * reassembly buffer of its own.
	 */
	if (first && final && remaining == 0 && c->in.len == 0) {
		if (!proto_reasm_fits(&c->in, len))
			return too_large(wsi, c);
		if (lws_frame_is_binary(wsi))
			goto binary;
		dispatch(wsi, c, in, len);
		return 0;
	}
	if (first)
		proto_reasm_reset(&c->in);
	/* Over the limit, fragmented or not: close with 1009. */
	if (proto_reasm_append(&c->in, in, len) != 0 ||
	    (!final && !proto_reasm_fits(&c->in, remaining)))
		return too_large(wsi, c);
	if (!final || remaining > 0)
		return 0;
	if (lws_frame_is_binary(wsi))
		goto binary;
	dispatch(wsi, c, c->in.buf, c->in.len);
	goto done;
binary:
	conn_reply_error(c, 0, 0, PROTO_E_BAD_REQUEST,
	    "binary frames are not part of mockint.v1: send JSON text");
done:
	/* Reassembly buffers are rare: give each back once it has served. */
	proto_reasm_release(&c->in);
	return 0;
}

static int
on_writeable(struct lws *wsi, struct conn *c)
{
	/* Nothing may follow our close frame. */
	if (c->close_sent)
		return 0;
	if (c->ping_due && c->close_code == 0) {
		unsigned char ping[LWS_PRE + 1];

		c->ping_due = 0;
		if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
	}
	switch (outq_send_drain(&c->out, wsi, c->own_socket)) {
	case -1:
		log_info(c->id, "write failed: closing");
		return -1;
	case 1:		/* the rest in the next callback */
		return 0;
	}
	if (c->close_code != 0) {
		unsigned char frame[LWS_PRE + 2 + sizeof c->close_reason];
		size_t rlen = strlen(c->close_reason);

		/*
		 * lws 4.1 drops the reason set with lws_close_reason() when a
		 * close is started from the writeable callback (the close
		 * frame is never sent), so write the close frame ourselves.
		 */
		log_debug(c->id, "closing with %d", c->close_code);
		frame[LWS_PRE] = (unsigned char)(c->close_code >> 8);
		frame[LWS_PRE + 1] = (unsigned char)(c->close_code & 0xff);
		memcpy(frame + LWS_PRE + 2, c->close_reason, rlen);
		if (lws_write(wsi, frame + LWS_PRE, 2 + rlen,
		    LWS_WRITE_CLOSE_FRAME) < 0)
			return -1;
		/*
		 * Do not close the socket yet: wait for the peer's close
		 * frame (RFC 6455 7.1.1), which ends the connection in
		 * cb_mockint. Closing now, while what the peer sent meanwhile
		 * (a run of pipelined requests) is still unread, makes the
		 * kernel answer with a reset, and a reset can destroy our
		 * close frame, and the replies before it, before the peer
		 * has read them: a client saw no 1001 at shutdown. A peer
		 * that never answers is dropped by conn_close's timeout.
		 */
		c->close_sent = 1;
		return 0;
	}
	return 0;
}

/*
 * The client's address of a handshake: the TCP peer's, or behind a
 * trusted proxy the one its X-Forwarded-For names (proxy.h). *peer gets
 * the TCP peer's. Returns 1 when the address came from the header.
 */
static int
client_addr(struct lws *wsi, char *out, size_t outlen, char *peer,
    size_t peerlen)
{
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_X_FORWARDED_FOR), fwd;
	char *xff = NULL;

	snprintf(peer, peerlen, "?");
	lws_get_peer_simple(wsi, peer, peerlen);
	if (n > 0) {
		/* Bounded by lws's header space. */
		xff = xmalloc((size_t)n + 1);
		if (lws_hdr_copy(wsi, xff, n + 1,
		    WSI_TOKEN_X_FORWARDED_FOR) < 0)
			*xff = '\0';
	}
	fwd = proxy_client(peer, xff, out, outlen);
	free(xff);
	return fwd;
}

static int
cb_mockint(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct pss *pss = user;
	char addr[PROXY_ADDR_MAX], peer[PROXY_ADDR_MAX];
	int fwd;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		/* Headers are still there; the proxy's word was checked
		 * against the cap at HTTP_CONFIRM_UPGRADE. */
		fwd = client_addr(wsi, addr, sizeof addr, peer, sizeof peer);
		pss->conn = conn_new(wsi, addr);
		pss->conn->last_rx = uv_now(srv.loop);
		pss->conn->own_socket = lws_get_network_wsi(wsi) == wsi;
		log_info(pss->conn->id, "connected from %s%s%s", addr,
		    fwd ? " via the trusted proxy " : "", fwd ? peer : "");
		if (srv.shutting_down)
			conn_close(pss->conn, LWS_CLOSE_STATUS_GOINGAWAY,
			    "server shutting down");
		break;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (pss->conn != NULL)
			pss->conn->last_rx = uv_now(srv.loop);
		break;
	case LWS_CALLBACK_RECEIVE:
		if (pss->conn == NULL || pss->conn->close_code != 0)
			break;
		pss->conn->last_rx = uv_now(srv.loop);
		return on_receive(wsi, pss->conn, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (pss->conn == NULL)
			break;
		return on_writeable(wsi, pss->conn);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		/* The answer to our close frame (on_writeable): the
		 * handshake is complete, close the socket now. */
		if (pss->conn != NULL && pss->conn->close_sent)
			return -1;
		break;
	case LWS_CALLBACK_CLOSED:
		if (pss->conn == NULL)
			break;
		log_info(pss->conn->id, "disconnected");
		hooks.closed(pss->conn);
		conn_detach(pss->conn);
		conn_unref(pss->conn);
		pss->conn = NULL;
		/* The last connection gone: no need to wait out the timer. */
		if (srv.shutting_down && conn_count() == 0 && stop_timer_live)
			uv_timer_start(&stop_timer, stop_now, 0, 0);
		break;
	default:
		break;
	}
	return 0;
}

/* The routes wsi's listener serves (http.h). */
static unsigned
serves(struct lws *wsi)
{
	if (metrics_vh == NULL)
		return HTTP_PUBLIC | HTTP_PRIVATE;
	return lws_get_vhost(wsi) == metrics_vh ? HTTP_PRIVATE : HTTP_PUBLIC;
}

/*
 * An upgrade request, before lws answers it: the last moment a refusal
 * can still be an HTTP status. A page from another site is refused with
 * 403 (origin_check.h). Behind a trusted proxy this is where the client
 * gets its own address, and is held to the per-address cap by it
 * (connlimit.h); over the cap the answer is 503, which a client can tell
 * from a refusal at accept (the socket closed without a word). Returns
 * what the callback returns: 0 go on, 1 answered, -1 hang up.
 */
static int
confirm_upgrade(struct lws *wsi)
{
	char addr[PROXY_ADDR_MAX], peer[PROXY_ADDR_MAX], refused[160];
	static const char why[] = "too many connections from your address";

	if (lws_get_vhost(wsi) == metrics_vh)
		return -1;	/* only GET /metrics there */
	client_addr(wsi, addr, sizeof addr, peer, sizeof peer);
	if (!origin_check(wsi, refused, sizeof refused)) {
		log_info(0, "refused a WebSocket upgrade from %s: %s", addr,
		    refused);
		return lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN,
		    refused) != 0 ? -1 : 1;
	}
	if (connlimit_rebind(wsi, addr) == 0)
		return 0;
	return lws_return_http_status(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
	    why) != 0 ? -1 : 1;
}

static int
cb_http(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	switch (reason) {
	/* Every accepted socket, whatever it turns into, for the limits. */
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		return connlimit_admit(user);
	case LWS_CALLBACK_WSI_CREATE:
		connlimit_bind(wsi);
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		connlimit_release(wsi);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/*
		 * A WebSocket upgrade lands here when the client offered no
		 * subprotocol we speak: refuse it at the handshake.
		 */
		log_info(0, "refused a WebSocket handshake without %s",
		    PROTO_SUBPROTOCOL);
		return -1;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return confirm_upgrade(wsi);
	case LWS_CALLBACK_HTTP:
		return http_request(wsi, user, in, serves(wsi));
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_writeable(wsi, user);
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		http_done(user);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static struct lws_protocols protocols[] = {
	{ "http", cb_http, sizeof(struct http_pss), 0, 0, NULL, 0 },
	/*
	 * lws gives each connection a receive buffer of this size: 4 KiB
	 * keeps an idle connection small, and longer messages arrive in
	 * pieces that on_receive reassembles.
	 */
	{ PROTO_SUBPROTOCOL, cb_mockint, sizeof(struct pss), 4096, 0, NULL,
	  0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * Keepalive. lws 4.1 can do it (a "retry policy" with a validity timer),
 * but it keeps every timer of a thread in one sorted list and re-arms a
 * connection's timer on every frame it receives: O(connections) per
 * message, which dominates at thousands of connections. Instead, one
 * sweep of all connections every few seconds pings those silent for half
 * the keepalive and drops those silent for all of it.
 */
static uv_timer_t keepalive_timer;
static int keepalive_live;

/* Without a policy of its own a vhost gets lws's default one (ping after
 * 300 s) and its per-frame timer; zeros turn the validity timer off. */
static const lws_retry_bo_t no_validity = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

/*
 * Any frame is a sign of life, but lws 4.1 hands up no callback for a
 * pong without payload (lib/roles/ws/ops-ws.c, lws_ws_rx_sm: "if
 * (wsi->ws->opcode == LWSWSOPC_PONG && !pmdrx.eb_in.len) goto
 * already_done"), and that is what every client sends back to our empty
 * ping. So for a connection that looks silent, ask the kernel when data
 * last came in on its socket: whatever the peer sent (a frame, or a part
 * of one) shows it is there.
 */
static void
socket_heard(struct conn *c, uint64_t now)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	int fd = lws_get_socket_fd(c->wsi);

	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_last_data_recv) +
	    sizeof ti.tcpi_last_data_recv)
		return;
	if (ti.tcpi_last_data_recv <= now &&
	    now - ti.tcpi_last_data_recv > c->last_rx)
		c->last_rx = now - ti.tcpi_last_data_recv;
}

static void
keepalive_sweep(uv_timer_t *t)
{
	uint64_t now = uv_now(srv.loop);
	uint64_t hangup = (uint64_t)srv.opts->keepalive_s * 1000;

	for (struct conn *c = conn_first(); c != NULL; c = c->next) {
		if (c->wsi == NULL || c->close_code != 0)
			continue;
		if (now - c->last_rx >= hangup / 2)
			socket_heard(c, now);
		if (now - c->last_rx >= hangup) {
			log_info(c->id, "no sign of life for %d s: dropping",
			    srv.opts->keepalive_s);
			/* Dead or unreachable: no close handshake to wait for. */
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
			    LWS_TO_KILL_ASYNC);
		} else if (now - c->last_rx >= hangup / 2 && !c->ping_due) {
			c->ping_due = 1;
			lws_callback_on_writable(c->wsi);
		}
	}
}

static void
keepalive_start(void)
{
	uint64_t every = (uint64_t)srv.opts->keepalive_s * 1000 / 4;

	if (every > 10000)
		every = 10000;
	uv_timer_init(srv.loop, &keepalive_timer);
	uv_timer_start(&keepalive_timer, keepalive_sweep, every, every);
	keepalive_live = 1;
}

static void
keepalive_stop(void)
{
	if (keepalive_live)
		uv_close((uv_handle_t *)&keepalive_timer, NULL);
	keepalive_live = 0;
}

static void
lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_msg(level == LLL_ERR ? LOG_ERROR : level == LLL_WARN ? LOG_WARN :
	    LOG_DEBUG, 0, "lws: %.*s", (int)n, line);
}

static void
gauge_conns(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)conn_count(), ctx);
}

static void
gauge_sockets(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)connlimit_open(), ctx);
}

static void
gauge_sockets_max(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)connlimit_max(), ctx);
}

static void
gauge_held(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)backlog_len(), ctx);
}

static const struct metrics_gauge net_gauges[] = {
	{ "mockint_connections_open", "Open WebSocket connections.", NULL,
	  gauge_conns },
	{ "mockint_sockets_open", "Open client sockets of any kind "
	  "(WebSocket, HTTP, handshakes), as the limits count them.", NULL,
	  gauge_sockets },
	{ "mockint_sockets_max", "The cap on open client sockets "
	  "(--max-conns, or from the open-file limit).", NULL,
	  gauge_sockets_max },
	{ "mockint_requests_held", "Requests waiting for a later loop "
	  "iteration (net/backlog.c).", NULL, gauge_held },
};

/* The metrics listener's: plain HTTP, only its routes, no WebSocket. */
static struct lws_protocols metrics_protocols[] = {
	{ "http", cb_http, sizeof(struct http_pss), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/*
 * The second vhost, for --metrics-listen ADDR:PORT (checked by the option
 * parser): like the main one but without TLS (a monitoring network;
 * Prometheus scrapes plain HTTP by default) and without mockint.v1.
 */
static struct lws_vhost *
metrics_vhost(const struct lws_context_creation_info *main_info)
{
	struct lws_context_creation_info info = *main_info;
	char host[64];
	const char *colon = strrchr(srv.opts->metrics_listen, ':');
	struct lws_vhost *vh;

	snprintf(host, sizeof host, "%.*s",
	    (int)(colon - srv.opts->metrics_listen), srv.opts->metrics_listen);
	info.iface = host;
	info.port = atoi(colon + 1);
	info.protocols = metrics_protocols;
	info.vhost_name = "metrics";
	info.ssl_cert_filepath = NULL;
	info.ssl_private_key_filepath = NULL;
	info.alpn = NULL;
	vh = lws_create_vhost(context, &info);
	if (vh == NULL)
		log_error(0, "cannot listen for /metrics on %s (is the port "
		    "free?)", srv.opts->metrics_listen);
	else
		log_info(0, "serving /metrics on %s only",
		    srv.opts->metrics_listen);
	return vh;
}

int
net_start(const struct net_hooks *h)
{
	struct lws_context_creation_info info;
	void *foreign_loops[1] = { srv.loop };

	hooks = *h;
	for (size_t i = 0; i < sizeof net_gauges / sizeof net_gauges[0]; i++)
		metrics_gauge_register(&net_gauges[i]);
	if (proxy_start(srv.opts) != 0)
		return -1;
	lws_set_log_level(srv.opts->log_level >= LOG_DEBUG ?
	    LLL_ERR | LLL_WARN | LLL_NOTICE : LLL_ERR | LLL_WARN, lws_log);
	memset(&info, 0, sizeof info);
	info.port = srv.opts->port;
	info.iface = srv.opts->host;
	info.protocols = protocols;
	/* No extensions (info.extensions stays NULL): no permessage-deflate,
	 * so conn_write.c may write frames it framed itself. */
	/* The vhosts are made below: the main one, and the metrics one. */
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.foreign_loops = foreign_loops;
	info.pcontext = &context;
	info.retry_and_idle_policy = &no_validity;
	/* The handshake (and any other lws-internal step) must finish in 10 s. */
	info.timeout_secs = 10;
	info.count_threads = 1;
	/*
	 * lws sizes its fd table from this; left at 0 it takes the process
	 * limit, which may be huge or tiny. Size it from the real limit.
	 */
	info.fd_limit_per_thread = connlimit_start(srv.opts);
	info.vhost_name = "mockint";
	info.server_string = "mockintd";
	if (tls_configure(&info, srv.opts) != 0)
		return -1;

	context = lws_create_context(&info);
	if (context == NULL) {
		log_error(0, "cannot create the WebSocket context (is "
		    "libwebsockets-evlib-uv installed?)");
		return -1;
	}
	main_vh = lws_create_vhost(context, &info);
	if (main_vh == NULL) {
		log_error(0, "cannot listen on %s:%d (is the port free?%s)",
		    srv.opts->host, srv.opts->port, srv.opts->tls_cert ?
		    " are --tls-cert and --tls-key a valid PEM pair?" : "");
		goto fail;
	}
	if (srv.opts->metrics_listen != NULL &&
	    (metrics_vh = metrics_vhost(&info)) == NULL)
		goto fail;
	keepalive_start();
	conn_write_start();
	backlog_start(srv.loop, &backlog_ops);
	return lws_get_vhost_listen_port(main_vh);
fail:
	/* On our loop lws closes its handles later: net_free finishes. */
	main_vh = metrics_vh = NULL;
	lws_context_destroy(context);
	return -1;
}

static void
stop_timer_closed(uv_handle_t *h)
{
	backlog_stop();
	conn_write_stop();
	lws_context_destroy(context);
	if (stop_done != NULL)
		stop_done();
}

static void
stop_now(uv_timer_t *t)
{
	stop_timer_live = 0;
	uv_close((uv_handle_t *)t, stop_timer_closed);
}

void
net_stop(void (*done)(void))
{
	struct conn *c;

	if (srv.shutting_down)
		return;
	srv.shutting_down = 1;
	stop_done = done;
	keepalive_stop();
	for (c = conn_first(); c != NULL; c = c->next)
		conn_close(c, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
	/* Give the close frames up to 2 s to go out, then tear down. */
	uv_timer_init(srv.loop, &stop_timer);
	stop_timer_live = 1;
	uv_timer_start(&stop_timer, stop_now, conn_count() ? 2000 : 0, 0);
}

void
net_free(void)
{
	/* lws finished tearing down during the run; this is then a no-op. */
	if (context != NULL)
		lws_context_destroy(context);
	context = NULL;
	main_vh = metrics_vh = NULL;
	proxy_free();
}
