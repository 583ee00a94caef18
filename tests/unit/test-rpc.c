/*
 * test-rpc.c — the async rule in rpc: every request's callback is called
 * exactly once and never from inside the rpc_* call that started the
 * work, whether the reply comes, the connection is not open, is dropped
 * by rpc_disconnect or by the peer, the request times out or rpc is shut
 * down; rpc_connect's failures (an unusable URL, a refused connection)
 * arrive later through on_close. Each request's argument is heap memory
 * that only its callback frees, so a lost or doubled callback shows as a
 * leak or a double free under ASan.
 *
 * The peer is a WebSocket server of a few lines on the same loop
 * (libuv TCP, the RFC 6455 handshake by hand): it answers every request,
 * stays silent, or drops the TCP connection at the first request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <uv.h>

#include "loop-test.h"
#include "rpc.h"

/* Bounds on every wait: a broken rule fails the test, never hangs it. */
#define WAIT_MS		5000
#define TIMEOUT_MS	200
#define LONG_MS		60000
#define FAKE_BUF	65536
#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

enum fake_mode { FAKE_REPLY, FAKE_SILENT, FAKE_DROP };

/* The peer: one listener, at most one connection. */
struct fake {
	uv_tcp_t	 listener;
	uv_tcp_t	 conn;
	int		 has_conn, upgraded;
	int		 port;
	enum fake_mode	 mode;
	int		 requests;
	char		 in[FAKE_BUF];
	size_t		 in_len;
};

static uv_loop_t loop;
static struct fake fake;

/* What the callbacks saw. */
static int in_call;		/* set around every rpc_* call under test */
static int replies, null_replies, reentered, opens, closes;
static char close_why[256];
static int replies_at_close;	/* replies received when on_close came */

/* ---- the peer ---- */

struct fake_write {
	uv_write_t	 req;
	char		*buf;
};

static void
fake_wrote(uv_write_t *req, int status)
{
	struct fake_write *w = (struct fake_write *)req;

	free(w->buf);
	free(w);
}

static void
fake_send(const void *buf, size_t len)
{
	struct fake_write *w;
	uv_buf_t b;

	if (!fake.has_conn)
		return;
	w = calloc(1, sizeof *w);
	w->buf = malloc(len);
	memcpy(w->buf, buf, len);
	b = uv_buf_init(w->buf, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&fake.conn, &b, 1,
	    fake_wrote) != 0) {
		free(w->buf);
		free(w);
	}
}

/* One unmasked text frame (the replies here are short). */
static void
fake_send_text(const char *text)
{
	unsigned char frame[256];
	size_t len = strlen(text);

	assert_true(len < 126);
	frame[0] = 0x81;
	frame[1] = (unsigned char)len;
	memcpy(frame + 2, text, len);
	fake_send(frame, len + 2);
}

static void
fake_conn_closed(uv_handle_t *h)
{
	fake.has_conn = 0;
}

static void
fake_drop(void)
{
	if (fake.has_conn && !uv_is_closing((uv_handle_t *)&fake.conn))
		uv_close((uv_handle_t *)&fake.conn, fake_conn_closed);
}

static int
fake_handshake(void)
{
	char *end = strstr(fake.in, "\r\n\r\n"), *key, accept[64], reply[512];
	char keyguid[128];
	unsigned char sha[20];
	size_t klen, used;

	if (end == NULL)
		return 0;
	key = strcasestr(fake.in, "Sec-WebSocket-Key:");
	assert_non_null(key);
	key += strlen("Sec-WebSocket-Key:");
	key += strspn(key, " ");
	klen = strcspn(key, "\r");
	assert_true(klen < 64);
	snprintf(keyguid, sizeof keyguid, "%.*s%s", (int)klen, key, WS_GUID);
	lws_SHA1((unsigned char *)keyguid, strlen(keyguid), sha);
	lws_b64_encode_string((char *)sha, sizeof sha, accept, sizeof accept);
	snprintf(reply, sizeof reply, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n"
	    "Sec-WebSocket-Protocol: mockint.v1\r\n\r\n", accept);
	fake_send(reply, strlen(reply));
	used = (size_t)(end + 4 - fake.in);
	memmove(fake.in, fake.in + used, fake.in_len - used);
	fake.in_len -= used;
	fake.upgraded = 1;
	return 1;
}

/* A request: answer it as the mode says. */
static void
fake_request(const char *text, size_t len)
{
	json_error_t e;
	json_t *req = json_loadb(text, len, 0, &e);
	char reply[128];

	assert_non_null(req);
	fake.requests++;
	if (fake.mode == FAKE_REPLY) {
		snprintf(reply, sizeof reply, "{\"type\":\"ok\",\"re\":%lld}",
		    (long long)json_integer_value(json_object_get(req, "id")));
		fake_send_text(reply);
	} else if (fake.mode == FAKE_DROP)
		fake_drop();
	json_decref(req);
}

/* Take one masked client frame from fake.in; 0 when incomplete. */
static int
fake_frame(void)
{
	unsigned char *b = (unsigned char *)fake.in, *mask, *p;
	size_t hdr = 2, len;
	int opcode;

	if (fake.in_len < 2)
		return 0;
	opcode = b[0] & 0x0f;
	len = b[1] & 0x7f;
	if (len == 126) {
		if (fake.in_len < 4)
			return 0;
		len = (size_t)b[2] << 8 | b[3];
		hdr = 4;
	}
	assert_true(len < 127 || hdr == 4);
	assert_true(b[1] & 0x80);	/* a client masks every frame */
	if (fake.in_len < hdr + 4 + len)
		return 0;
	mask = b + hdr;
	p = mask + 4;
	for (size_t i = 0; i < len; i++)
		p[i] ^= mask[i % 4];
	if (opcode == 0x1)
		fake_request((char *)p, len);
	else if (opcode == 0x8) {
		static const unsigned char close_frame[] = { 0x88, 0 };

		fake_send(close_frame, sizeof close_frame);
		fake_drop();
	}
	memmove(fake.in, p + len, fake.in_len - (hdr + 4 + len));
	fake.in_len -= hdr + 4 + len;
	return 1;
}

static void
fake_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	buf->base = fake.in + fake.in_len;
	buf->len = sizeof fake.in - 1 - fake.in_len;
}

static void
fake_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	if (n < 0) {
		fake_drop();
		return;
	}
	fake.in_len += (size_t)n;
	fake.in[fake.in_len] = '\0';
	if (!fake.upgraded && !fake_handshake())
		return;
	while (fake.has_conn && !uv_is_closing((uv_handle_t *)&fake.conn) &&
	    fake_frame())
		;
}

static void
fake_accept(uv_stream_t *server, int status)
{
	assert_int_equal(status, 0);
	assert_false(fake.has_conn);
	uv_tcp_init(&loop, &fake.conn);
	assert_int_equal(uv_accept(server, (uv_stream_t *)&fake.conn), 0);
	fake.has_conn = 1;
	fake.upgraded = 0;
	fake.in_len = 0;
	uv_read_start((uv_stream_t *)&fake.conn, fake_alloc, fake_read);
}

/* Listen on a free port of 127.0.0.1 (listening: 0 binds and closes). */
static void
fake_start(enum fake_mode mode, int listening)
{
	memset(&fake, 0, sizeof fake);
	fake.mode = mode;
	uv_tcp_init(&loop, &fake.listener);
	fake.port = loop_test_bind(&fake.listener);
	if (listening)
		assert_int_equal(uv_listen((uv_stream_t *)&fake.listener, 8,
		    fake_accept), 0);
	else
		/* Nothing listens there now: connections are refused. */
		uv_close((uv_handle_t *)&fake.listener, NULL);
}

static void
fake_stop(void)
{
	fake_drop();
	if (!uv_is_closing((uv_handle_t *)&fake.listener))
		uv_close((uv_handle_t *)&fake.listener, NULL);
}

static char *
fake_url(void)
{
	static char url[64];

	snprintf(url, sizeof url, "ws://127.0.0.1:%d", fake.port);
	return url;
}

static void
pump(const int *until, int want, int ms)
{
	loop_test_pump(&loop, until, want, ms);
}

/* ---- rpc's side ---- */

static void
h_open(struct rpc *r, void *arg)
{
	assert_false(in_call);
	opens++;
}

static void
h_close(struct rpc *r, int code, const char *why, void *arg)
{
	assert_false(in_call);
	closes++;
	replies_at_close = replies;
	snprintf(close_why, sizeof close_why, "%s", why);
}

static const struct rpc_handlers handlers = { h_open, NULL, h_close };

/* A request's own state: freed by its callback alone. */
struct req {
	int64_t	 serial;
	int	 calls;		/* must end at exactly 1 */
	int	 again;		/* issue one more request from the callback */
};

static void reply_cb(struct rpc *r, json_t *reply, void *arg);

static struct req *
req_new(void)
{
	static int64_t serial;

	struct req *q = calloc(1, sizeof *q);

	q->serial = ++serial;
	return q;
}

static void
call(struct rpc *r, const char *type, int timeout_ms, struct req *q)
{
	in_call = 1;
	rpc_call(r, type, NULL, timeout_ms, reply_cb, q);
	in_call = 0;
}

static void
reply_cb(struct rpc *r, json_t *reply, void *arg)
{
	struct req *q = arg;

	assert_false(in_call);
	assert_int_equal(++q->calls, 1);
	replies++;
	if (reply == NULL)
		null_replies++;
	else
		assert_true(rpc_is_ok(reply));
	if (q->again) {
		/* From inside a callback: the next one still comes later. */
		reentered++;
		call(r, "ping", 0, req_new());
	}
	free(q);
}

static struct rpc *
rpc_up(void)
{
	struct rpc *r = rpc_new(&loop, NULL, &handlers, NULL);

	assert_non_null(r);
	return r;
}

/* Open r to the peer, synchronously. */
static void
rpc_open(struct rpc *r)
{
	char why[256];

	if (rpc_open_sync(r, fake_url(), WAIT_MS, why, sizeof why) != 0)
		fail_msg("cannot open to the test peer: %s", why);
	assert_int_equal(opens, 1);
}

/* Shut r down as the client does, and check the loop is left clean. */
static void
rpc_down(struct rpc *r)
{
	in_call = 1;
	rpc_shutdown(r);
	in_call = 0;
	fake_stop();
	uv_run(&loop, UV_RUN_DEFAULT);
	rpc_free(r);
	uv_run(&loop, UV_RUN_DEFAULT);
}

static int
setup(void **state)
{
	uv_loop_init(&loop);
	in_call = replies = null_replies = reentered = opens = closes = 0;
	replies_at_close = -1;
	close_why[0] = '\0';
	memset(&fake, 0, sizeof fake);
	return 0;
}

static int
teardown(void **state)
{
	/* Every handle closed: rpc, lws and the peer left nothing behind. */
	assert_int_equal(uv_loop_close(&loop), 0);
	return 0;
}

/* ---- the tests ---- */

static void
test_call_never_connected(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_SILENT, 1);
	call(r, "ping", 0, req_new());
	call(r, "ping", TIMEOUT_MS, req_new());
	/* Not from inside rpc_call... */
	assert_int_equal(replies, 0);
	/* ...but on the next turn of the loop, once each. */
	pump(&replies, 2, WAIT_MS);
	assert_int_equal(replies, 2);
	assert_int_equal(null_replies, 2);
	pump(NULL, 0, 2 * TIMEOUT_MS);
	assert_int_equal(replies, 2);
	rpc_down(r);
}

static void
test_connect_bad_url(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_SILENT, 1);
	in_call = 1;
	rpc_connect(r, "http//nowhere");
	in_call = 0;
	assert_int_equal(closes, 0);
	assert_int_equal(rpc_state(r), RPC_CONNECTING);
	/* A request meanwhile fails too, later. */
	call(r, "ping", 0, req_new());
	pump(&closes, 1, WAIT_MS);
	assert_int_equal(closes, 1);
	assert_int_equal(opens, 0);
	assert_non_null(strstr(close_why, "bad server URL"));
	assert_int_equal(rpc_state(r), RPC_CLOSED);
	pump(&replies, 1, WAIT_MS);
	assert_int_equal(null_replies, 1);
	pump(NULL, 0, TIMEOUT_MS);
	assert_int_equal(closes, 1);
	rpc_down(r);
}

static void
test_connect_refused(void **state)
{
	struct rpc *r = rpc_up();
	char why[256];

	fake_start(FAKE_SILENT, 0);
	in_call = 1;
	rpc_connect(r, fake_url());
	in_call = 0;
	assert_int_equal(closes, 0);
	pump(&closes, 1, WAIT_MS);
	assert_int_equal(closes, 1);
	assert_int_equal(opens, 0);
	assert_int_equal(rpc_state(r), RPC_CLOSED);
	/* The blocking form says why. */
	assert_int_equal(rpc_open_sync(r, fake_url(), WAIT_MS, why,
	    sizeof why), -1);
	assert_true(why[0] != '\0');
	assert_int_equal(closes, 2);
	rpc_down(r);
}

static void
test_reply_once(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_REPLY, 1);
	rpc_open(r);
	for (int i = 0; i < 3; i++)
		call(r, "ping", TIMEOUT_MS, req_new());
	assert_int_equal(replies, 0);
	pump(&replies, 3, WAIT_MS);
	assert_int_equal(replies, 3);
	assert_int_equal(null_replies, 0);
	assert_int_equal(fake.requests, 3);
	/* Past the timeout: no second (NULL) call for any of them. */
	pump(NULL, 0, 2 * TIMEOUT_MS);
	assert_int_equal(replies, 3);
	rpc_down(r);
}

static void
test_disconnect_fails_later(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_SILENT, 1);
	rpc_open(r);
	for (int i = 0; i < 3; i++)
		call(r, "ping", 0, req_new());
	pump(&fake.requests, 3, WAIT_MS);
	in_call = 1;
	rpc_disconnect(r);
	in_call = 0;
	assert_int_equal(replies, 0);
	assert_int_equal(rpc_state(r), RPC_CLOSED);
	pump(&replies, 3, WAIT_MS);
	assert_int_equal(null_replies, 3);
	/* rpc_disconnect reports no on_close. */
	pump(NULL, 0, TIMEOUT_MS);
	assert_int_equal(replies, 3);
	assert_int_equal(closes, 0);
	rpc_down(r);
}

static void
test_timeout_once(void **state)
{
	struct rpc *r = rpc_up();
	int64_t t0;

	fake_start(FAKE_SILENT, 1);
	rpc_open(r);
	t0 = rpc_mono_ms();
	call(r, "ping", TIMEOUT_MS, req_new());
	pump(&replies, 1, WAIT_MS);
	assert_int_equal(null_replies, 1);
	assert_true(rpc_mono_ms() - t0 >= TIMEOUT_MS);
	assert_int_equal(rpc_state(r), RPC_OPEN);
	pump(NULL, 0, 2 * TIMEOUT_MS);
	assert_int_equal(replies, 1);
	rpc_down(r);
}

static void
test_peer_drops(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_DROP, 1);
	rpc_open(r);
	call(r, "ping", 0, req_new());
	call(r, "ping", 0, req_new());
	pump(&closes, 1, WAIT_MS);
	assert_int_equal(closes, 1);
	/* Both NULL replies came before on_close, as rpc.h promises. */
	assert_int_equal(replies_at_close, 2);
	assert_int_equal(null_replies, 2);
	/* Closed now: a new request fails later, once. */
	call(r, "ping", 0, req_new());
	assert_int_equal(replies, 2);
	pump(&replies, 3, WAIT_MS);
	assert_int_equal(null_replies, 3);
	pump(NULL, 0, TIMEOUT_MS);
	assert_int_equal(replies, 3);
	assert_int_equal(closes, 1);
	rpc_down(r);
}

static void
test_call_from_callback(void **state)
{
	struct rpc *r = rpc_up();
	struct req *q = req_new();

	fake_start(FAKE_SILENT, 1);
	q->again = 1;
	call(r, "ping", 0, q);
	pump(&replies, 2, WAIT_MS);
	assert_int_equal(reentered, 1);
	assert_int_equal(null_replies, 2);
	pump(NULL, 0, TIMEOUT_MS);
	assert_int_equal(replies, 2);
	rpc_down(r);
}

static void
test_shutdown_with_pending(void **state)
{
	struct rpc *r = rpc_up();

	fake_start(FAKE_SILENT, 1);
	rpc_open(r);
	call(r, "ping", 0, req_new());
	call(r, "ping", LONG_MS, req_new());
	pump(&fake.requests, 2, WAIT_MS);
	/* rpc_down checks nothing is called from inside rpc_shutdown; the
	 * replies come while the loop runs, before rpc_free. */
	rpc_down(r);
	assert_int_equal(replies, 2);
	assert_int_equal(null_replies, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_call_never_connected,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_bad_url, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connect_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reply_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_fails_later,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_drops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_call_from_callback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_with_pending,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
