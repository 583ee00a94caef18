/*
 * mockint-echo.c — the transport's ceiling: a bare libwebsockets relay on
 * the same libuv foreign-loop set-up as mockintd (server/net.c: the same
 * context options, UTF-8 validation, receive buffer, keepalive, message
 * reassembly, and the same way out: each connection's queue (net/outq.c)
 * written at the loop iteration's end by the server's own functions
 * (net/outq_send.c: several messages framed into one write, the
 * writeable callback only for what a write left), with no JSON and no
 * database.
 * It pairs connections and relays every message to the partner, so that
 * `mockint-load --echo` measures the same path as a chat relay minus
 * everything mockintd does on top.
 *
 * --ack also answers the sender of each message with a frame of the size
 * of mockintd's `ok {chat_id, at}` (fixed bytes, no JSON), so the same
 * run can show the transport's cost for the frames mockintd's protocol
 * sends: two per chat message (the relay and the ok), not one.
 *
 * Pairing: a connection opened on the path /pair/K pairs with the other
 * one on /pair/K (the load generator opens many at once, and arrival
 * order is not connection order); any other path pairs consecutive
 * connections. A message for a connection without a partner is dropped.
 *
 *   mockint-echo [--host ADDR] [--port N] [--ack] [--retry-policy
 *       default|none|keepalive]
 *
 * prints "listening on HOST:PORT". --retry-policy picks lws's connection
 * validity timers, to measure what they cost (lws 4.1 keeps a thread's
 * timers in one sorted list, and every re-arm walks it): "default" gives
 * lws none, as mockintd does (lws then applies its own default), "none"
 * an explicit policy without validity checks, "keepalive" the 30 s ping,
 * 60 s hang-up mockintd used to ask lws for. mockintd's own keepalive
 * sweep (one pass over the connections every 10 s) is not copied here.
 */
#include <errno.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "outq.h"
#include "outq_send.h"
#include "proto.h"
#include "reasm.h"
#include "xmalloc.h"

#define OUT_CAP (1024 * 1024)	/* as mockintd's CONN_OUT_CAP */
#define MAX_KEY (1L << 22)	/* pair keys above this pair consecutively */

struct econn {
	struct lws *wsi;
	struct econn *partner;
	long key;		/* -1: paired consecutively */
	struct outq out;
	/* On the list written at the iteration's end. */
	struct econn *lnext, *lprev;
	int listed;
	struct proto_reasm in;	/* the message being received */
	int close_code;
};

struct pss {
	struct econn *c;
};

static uv_loop_t loop;
static uv_signal_t sig_int, sig_term;
static uv_check_t check;
static struct econn *listed;
static struct lws_context *ctx;
static struct econn *waiting;		/* consecutive pairing */
static struct econn **slots;		/* pair key -> the first to come */
static size_t nslots;
static unsigned long long relayed, dropped;
static size_t nconns;
static int ack;		/* --ack */

/* What --ack sends: mockintd's ok to a chat.send, in size. */
static const char ack_frame[] =
    "{\"type\":\"ok\",\"re\":12345,\"chat_id\":1234567,"
    "\"at\":1764185820123}";

static void
list_conn(struct econn *c)
{
	if (c->listed)
		return;
	c->listed = 1;
	c->lprev = NULL;
	c->lnext = listed;
	if (listed != NULL)
		listed->lprev = c;
	listed = c;
}

static void
unlist(struct econn *c)
{
	if (!c->listed)
		return;
	c->listed = 0;
	if (c->lprev != NULL)
		c->lprev->lnext = c->lnext;
	else
		listed = c->lnext;
	if (c->lnext != NULL)
		c->lnext->lprev = c->lprev;
	c->lnext = c->lprev = NULL;
}

static void
close_conn(struct econn *c, int code)
{
	if (c->close_code != 0)
		return;
	c->close_code = code;
	outq_free(&c->out);
	lws_callback_on_writable(c->wsi);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 5);
}

/* The pair key from a /pair/K path, or -1. */
static long
pair_key(struct lws *wsi)
{
	char uri[128], *end;
	long k;

	if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strncmp(uri, "/pair/", 6) != 0)
		return -1;
	errno = 0;
	k = strtol(uri + 6, &end, 10);
	if (errno != 0 || *end != '\0' || end == uri + 6 || k < 0 ||
	    k >= MAX_KEY)
		return -1;
	return k;
}

static void
pair_up(struct econn *c)
{
	struct econn **spot = &waiting;

	if (c->key >= 0) {
		if ((size_t)c->key >= nslots) {
			size_t n = nslots ? nslots : 1024;

			while (n <= (size_t)c->key)
				n *= 2;
			slots = xrealloc(slots, n * sizeof *slots);
			memset(slots + nslots, 0, (n - nslots) * sizeof *slots);
			nslots = n;
		}
		spot = &slots[c->key];
	}
	if (*spot == NULL) {
		*spot = c;
		return;
	}
	c->partner = *spot;
	(*spot)->partner = c;
	*spot = NULL;
}

static void
unpair(struct econn *c)
{
	if (c->partner != NULL) {
		c->partner->partner = NULL;
		c->partner = NULL;
	} else if (c->key >= 0 && (size_t)c->key < nslots &&
	    slots[c->key] == c)
		slots[c->key] = NULL;
	else if (waiting == c)
		waiting = NULL;
}

/* Queue len bytes of buf for to, written at the iteration's end. */
static int
queue_out(struct econn *to, const void *buf, size_t len)
{
	struct outdata *d = outdata_new(LWS_PRE, len);
	int r;

	memcpy(d->buf + LWS_PRE, buf, len);
	d->len = len;
	r = outq_append(&to->out, d, OUT_CAP);
	outdata_unref(d);
	if (r == OUTQ_OVER) {
		close_conn(to, LWS_CLOSE_STATUS_POLICY_VIOLATION);
		return -1;
	}
	list_conn(to);
	return 0;
}

/* The iteration's last phase: what each connection was sent leaves
 * (net/conn_write.c's end of iteration). */
static void
end_of_iteration(uv_check_t *h)
{
	struct econn *c;

	while ((c = listed) != NULL) {
		unlist(c);
		/* 1: its WebSockets have their sockets (no HTTP/2 here). */
		if (c->close_code == 0 &&
		    outq_send_flush(&c->out, c->wsi, 1) < 0)
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
			    LWS_TO_KILL_ASYNC);
	}
}

static void
relay(struct econn *from, const char *buf, size_t len)
{
	struct econn *to = from->partner;

	if (to == NULL || to->close_code != 0) {
		dropped++;
		return;
	}
	if (queue_out(to, buf, len) == 0)
		relayed++;
	if (ack && from->close_code == 0)
		queue_out(from, ack_frame, sizeof ack_frame - 1);
}

static int
on_receive(struct lws *wsi, struct econn *c, const void *in, size_t len)
{
	if (lws_is_first_fragment(wsi))
		proto_reasm_reset(&c->in);
	/* Reassemble, as mockintd does, even though a relay could stream. */
	if (proto_reasm_append(&c->in, in, len) == -1) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    (unsigned char *)"message too large", 17);
		return -1;
	}
	if (!lws_is_final_fragment(wsi) ||
	    lws_remaining_packet_payload(wsi) > 0)
		return 0;
	relay(c, c->in.buf, c->in.len);
	proto_reasm_reset(&c->in);
	return 0;
}

static int
on_writeable(struct lws *wsi, struct econn *c)
{
	if (c->close_code != 0) {
		lws_close_reason(wsi, (enum lws_close_status)c->close_code,
		    NULL, 0);
		return -1;
	}
	return outq_send_drain(&c->out, wsi, 1) < 0 ? -1 : 0;
}

static int
cb_relay(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct pss *pss = user;
	struct econn *c = pss != NULL ? pss->c : NULL;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		c = pss->c = xcalloc(1, sizeof *c);
		proto_reasm_init(&c->in, PROTO_MAX_MESSAGE);
		c->wsi = wsi;
		c->key = pair_key(wsi);
		nconns++;
		pair_up(c);
		break;
	case LWS_CALLBACK_RECEIVE:
		if (c == NULL || c->close_code != 0)
			break;
		return on_receive(wsi, c, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c == NULL)
			break;
		return on_writeable(wsi, c);
	case LWS_CALLBACK_CLOSED:
		if (c == NULL)
			break;
		unpair(c);
		unlist(c);
		outq_free(&c->out);
		proto_reasm_release(&c->in);
		free(c);
		pss->c = NULL;
		nconns--;
		break;
	default:
		break;
	}
	return 0;
}

static int
cb_http(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION)
		return -1;	/* a WebSocket without mockint.v1 */
	if (reason == LWS_CALLBACK_HTTP) {
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL))
			return -1;
		return lws_http_transaction_completed(wsi);
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* The same receive buffer as mockintd's protocol entry. */
static struct lws_protocols protocols[] = {
	{ "http", cb_http, 0, 0, 0, NULL, 0 },
	{ PROTO_SUBPROTOCOL, cb_relay, sizeof(struct pss), 16384, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static const lws_retry_bo_t keepalive = {
	.secs_since_valid_ping = 30,
	.secs_since_valid_hangup = 60,
};
static const lws_retry_bo_t no_keepalive = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

static void
on_signal(uv_signal_t *h, int signum)
{
	fprintf(stderr, "mockint-echo: signal %d: %llu messages relayed, %llu "
	    "dropped, %zu connections open\n", signum, relayed, dropped,
	    nconns);
	uv_close((uv_handle_t *)&sig_int, NULL);
	uv_close((uv_handle_t *)&sig_term, NULL);
	uv_close((uv_handle_t *)&check, NULL);
	/* Stage one: lws closes its handles while the loop runs on. */
	lws_context_destroy(ctx);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	void *foreign_loops[1] = { &loop };
	const char *host = "127.0.0.1";
	struct lws_vhost *vh;
	struct rlimit rl;
	const lws_retry_bo_t *policy = NULL;
	int port = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
			host = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--ack") == 0)
			ack = 1;
		else if (strcmp(argv[i], "--retry-policy") == 0 &&
		    i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "none") == 0)
				policy = &no_keepalive;
			else if (strcmp(argv[i], "keepalive") == 0)
				policy = &keepalive;
			else if (strcmp(argv[i], "default") != 0)
				goto usage;
		} else
			goto usage;
	}
	signal(SIGPIPE, SIG_IGN);
	uv_loop_init(&loop);
	uv_signal_init(&loop, &sig_int);
	uv_signal_init(&loop, &sig_term);
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);
	uv_check_init(&loop, &check);
	uv_check_start(&check, end_of_iteration);

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = host;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_DISABLE_IPV6;
	info.foreign_loops = foreign_loops;
	info.pcontext = &ctx;
	info.retry_and_idle_policy = policy;
	info.timeout_secs = 10;
	info.count_threads = 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		info.fd_limit_per_thread = (unsigned int)rl.rlim_cur;
	else
		info.fd_limit_per_thread = 65536;
	info.vhost_name = "echo";
	ctx = lws_create_context(&info);
	if (ctx == NULL || (vh = lws_get_vhost_by_name(ctx, "echo")) == NULL) {
		fprintf(stderr, "mockint-echo: cannot listen on %s:%d\n", host,
		    port);
		return 1;
	}
	printf("listening on %s:%d\n", host, lws_get_vhost_listen_port(vh));
	fflush(stdout);
	uv_run(&loop, UV_RUN_DEFAULT);
	/* Stage two: the loop ran dry, finish the context. */
	if (ctx != NULL)
		lws_context_destroy(ctx);
	free(slots);
	return uv_loop_close(&loop) == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: mockint-echo [--host ADDR] [--port N] [--ack] "
	    "[--retry-policy default|none|keepalive]\n");
	return 2;
}
