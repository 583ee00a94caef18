/*
 * harness.c — the integration-test harness's clients and its loop (see
 * harness.h); the servers are in harness-server.c.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include <cmocka.h>

#include "envelope.h"
#include "wsclient.h"
#include "xmalloc.h"

#define TIMEOUT_MS 10000
/* The opcode of a WebSocket close frame (RFC 6455 5.5.1). */
#define WS_OPCODE_CLOSE 0x8

static uv_loop_t *loop;
static struct wsc_context *wctx;
/* Bumped on every open, message and close: waits end as soon as one of
 * these happens, instead of sleeping out their slice. */
static unsigned long events;

struct kept {
	json_t *msg;
	struct kept *next;
};

struct hclient {
	struct wsc *ws;
	int opened, closed, close_code;
	char why[256];
	long long next_id;
	struct kept *head, *tail;	/* messages not yet consumed */
};

static void
setup_loop(void)
{
	if (loop != NULL)
		return;
	signal(SIGPIPE, SIG_IGN);
	loop = xmalloc(sizeof *loop);
	uv_loop_init(loop);
	wctx = wsc_context_new(loop, NULL);
	assert_non_null(wctx);
}

static void
on_timer(uv_timer_t *t)
{
	*(int *)t->data = 1;
}

/* Run the loop until *done, an event, or timeout_ms passed. */
static int
pump(int *done, int timeout_ms)
{
	uv_timer_t t;
	int expired = 0;
	unsigned long seen = events;

	setup_loop();
	if (*done)
		return 1;
	uv_timer_init(loop, &t);
	t.data = &expired;
	/*
	 * The loop's clock is stale after the test blocked outside it (raw
	 * sockets, HTTP): a timer set from it would be due at once, fire at
	 * the top of UV_RUN_ONCE, and the poll would then sleep until lws's
	 * next timer, tens of seconds away.
	 */
	uv_update_time(loop);
	uv_timer_start(&t, on_timer, (uint64_t)timeout_ms, 0);
	while (!*done && !expired && events == seen)
		uv_run(loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return *done;
}

static long
mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Run the loop until *done or timeout_ms of real time passed. */
static int
pump_for(int *done, int timeout_ms)
{
	long end = mono_ms() + timeout_ms;

	while (!*done && mono_ms() < end)
		pump(done, (int)(end - mono_ms()) + 1);
	return *done;
}

long
h_elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

void
h_sleep(int ms)
{
	int never = 0;

	pump_for(&never, ms);
}

static void
keep(struct hclient *c, json_t *msg)
{
	struct kept *k = xmalloc(sizeof *k);

	k->msg = msg;
	k->next = NULL;
	if (c->tail != NULL)
		c->tail->next = k;
	else
		c->head = k;
	c->tail = k;
}

static void
cb_open(struct wsc *ws, void *arg)
{
	((struct hclient *)arg)->opened = 1;
	events++;
}

static void
cb_message(struct wsc *ws, const char *buf, size_t len, int binary, void *arg)
{
	struct hclient *c = arg;
	json_error_t e;
	json_t *msg = json_loadb(buf, len, 0, &e);

	if (msg == NULL) {
		fprintf(stderr, "harness: server sent invalid JSON: %.*s\n",
		    (int)len, buf);
		msg = json_pack("{s:s}", "type", "__invalid__");
	}
	keep(c, msg);
	events++;
}

static void
cb_close(struct wsc *ws, int code, const char *why, void *arg)
{
	struct hclient *c = arg;

	c->closed = 1;
	c->close_code = code;
	events++;
	if (getenv("HARNESS_DEBUG"))
		fprintf(stderr, "harness: closed code=%d why=%s\n", code, why);
	snprintf(c->why, sizeof c->why, "%s", why ? why : "");
}

static const struct wsc_callbacks callbacks = { cb_open, cb_message,
	cb_close };

/*
 * The client context trusting ca_file: lws takes a CA per context, so
 * there is one per CA file, kept for the process (like wctx).
 */
static struct wsc_context *
ca_context(const char *ca_file)
{
	static struct {
		char path[320];
		struct wsc_context *ctx;
	} cas[8];
	size_t i;

	setup_loop();
	if (ca_file == NULL)
		return wctx;
	for (i = 0; i < 8 && cas[i].ctx != NULL; i++)
		if (strcmp(cas[i].path, ca_file) == 0)
			return cas[i].ctx;
	assert_true(i < 8);
	snprintf(cas[i].path, sizeof cas[i].path, "%s", ca_file);
	cas[i].ctx = wsc_context_new(loop, ca_file);
	assert_non_null(cas[i].ctx);
	return cas[i].ctx;
}

static struct hclient *
try_connect(struct wsc_context *ctx, const struct hserver *s,
    const char *proto, const char *from, char *why, size_t whylen)
{
	struct hclient *c = xcalloc(1, sizeof *c);
	int done = 0;

	setup_loop();
	c->next_id = 1;
	c->ws = wsc_connect_from(ctx, s->url, proto, from, &callbacks, c, why,
	    whylen);
	if (c->ws == NULL) {
		free(c);
		return NULL;
	}
	for (long end = mono_ms() + TIMEOUT_MS; mono_ms() < end &&
	    !c->opened && !c->closed;)
		pump(&done, 20);
	if (!c->opened) {
		snprintf(why, whylen, "%s", c->closed ? c->why : "timed out");
		hc_free(c);
		return NULL;
	}
	return c;
}

struct hclient *
hc_try_connect(const struct hserver *s, const char *proto, char *why,
    size_t whylen)
{
	return try_connect(ca_context(s->ca[0] ? s->ca : NULL), s, proto, NULL,
	    why, whylen);
}

struct hclient *
hc_try_connect_ca(const struct hserver *s, const char *ca_file, char *why,
    size_t whylen)
{
	return try_connect(ca_context(ca_file), s, "mockint.v1", NULL, why,
	    whylen);
}

struct hclient *
hc_connect_from(const struct hserver *s, const char *from)
{
	char why[256];
	struct hclient *c = try_connect(ca_context(s->ca[0] ? s->ca : NULL),
	    s, "mockint.v1", from, why, sizeof why);

	if (c == NULL) {
		hs_dump_log(s);
		fail_msg("cannot connect to %s from %s: %s", s->url, from, why);
	}
	return c;
}

struct hclient *
hc_connect(const struct hserver *s)
{
	char why[256];
	struct hclient *c = hc_try_connect(s, "mockint.v1", why, sizeof why);

	if (c == NULL) {
		hs_dump_log(s);
		fail_msg("cannot connect to %s: %s", s->url, why);
	}
	return c;
}

void
hc_free(struct hclient *c)
{
	struct kept *k, *next;

	if (c == NULL)
		return;
	for (k = c->head; k != NULL; k = next) {
		next = k->next;
		json_decref(k->msg);
		free(k);
	}
	if (c->ws != NULL) {
		if (c->closed)
			wsc_free(c->ws);
		else {
			/* Let the close go out before the loop forgets it. */
			int done = 0;

			wsc_close(c->ws, 1000);
			for (long end = mono_ms() + 1000; mono_ms() < end &&
			    !c->closed;)
				pump(&done, 20);
			/* Closed: freed now; still open: freed on close. */
			wsc_free(c->ws);
		}
	}
	free(c);
}

long long
hc_next_id(const struct hclient *c)
{
	return c->next_id;
}

/* Take the first kept message matching pred, waiting up to timeout_ms. */
static json_t *
take(struct hclient *c, int (*pred)(json_t *, const void *), const void *arg,
    int timeout_ms)
{
	long end = mono_ms() + timeout_ms;
	int done = 0;

	for (;;) {
		struct kept **pp, *k;

		for (pp = &c->head; (k = *pp) != NULL; pp = &k->next) {
			if (pred(k->msg, arg)) {
				json_t *m = k->msg;

				*pp = k->next;
				if (c->tail == k) {
					c->tail = NULL;
					for (struct kept *q = c->head; q != NULL;
					    q = q->next)
						c->tail = q;
				}
				free(k);
				return m;
			}
		}
		if (mono_ms() >= end || c->closed)
			return NULL;
		pump(&done, 10);
	}
}

static int
is_reply_to(json_t *m, const void *arg)
{
	json_t *re = json_object_get(m, "re");

	return json_is_integer(re) && json_integer_value(re) ==
	    *(const long long *)arg;
}

static int
is_type(json_t *m, const void *arg)
{
	const char *type = json_string_value(json_object_get(m, "type"));

	return json_object_get(m, "re") == NULL && type != NULL &&
	    strcmp(type, (const char *)arg) == 0;
}

static int
is_any(json_t *m, const void *arg)
{
	return 1;
}

/* A `phase` push, or a whole `session` push, in the phase arg. */
static int
is_phase(json_t *m, const void *arg)
{
	const char *phase = json_string_value(json_object_get(m, "phase"));

	return (is_type(m, "phase") || is_type(m, "session")) &&
	    phase != NULL && strcmp(phase, (const char *)arg) == 0;
}

json_t *
hc_wait_phase(struct hclient *c, const char *phase, int timeout_ms)
{
	return take(c, is_phase, phase, timeout_ms);
}

long long
hc_send(struct hclient *c, const char *type, json_t *fields)
{
	long long id = c->next_id++;
	json_t *req = proto_request(type, id, fields);
	char *text = json_dumps(req, JSON_COMPACT);

	json_decref(req);
	hc_send_text(c, text);
	free(text);
	return id;
}

json_t *
hc_request(struct hclient *c, const char *type, json_t *fields)
{
	long long id = hc_send(c, type, fields);

	return take(c, is_reply_to, &id, TIMEOUT_MS);
}

json_t *
hc_ok(struct hclient *c, const char *type, json_t *fields)
{
	json_t *r = hc_request(c, type, fields);
	const char *t;

	if (r == NULL)
		fail_msg("%s: no reply", type);
	t = json_string_value(json_object_get(r, "type"));
	if (t == NULL || strcmp(t, "ok") != 0) {
		char *s = json_dumps(r, JSON_COMPACT);

		fail_msg("%s: expected ok, got %s", type, s);
	}
	return r;
}

void
hc_error(struct hclient *c, const char *type, json_t *fields,
    const char *code)
{
	json_t *r = hc_request(c, type, fields);
	const char *got;

	if (r == NULL)
		fail_msg("%s: no reply", type);
	got = json_string_value(json_object_get(r, "code"));
	if (got == NULL || strcmp(got, code) != 0) {
		char *s = json_dumps(r, JSON_COMPACT);

		fail_msg("%s: expected error %s, got %s", type, code, s);
	}
	json_decref(r);
}

void
hc_send_text(struct hclient *c, const char *text)
{
	assert_int_equal(wsc_send(c->ws, text, strlen(text)), 0);
}

void
hc_send_frame(struct hclient *c, const void *buf, size_t len, int kind)
{
	assert_int_equal(wsc_send_frame(c->ws, buf, len, kind), 0);
}

json_t *
hc_next(struct hclient *c, int timeout_ms)
{
	return take(c, is_any, NULL, timeout_ms);
}

json_t *
hc_wait_push(struct hclient *c, const char *type, int timeout_ms)
{
	return take(c, is_type, type, timeout_ms);
}

void
hc_clear(struct hclient *c)
{
	json_t *m;

	while ((m = take(c, is_any, NULL, 0)) != NULL)
		json_decref(m);
}

int
hc_wait_close(struct hclient *c, int timeout_ms)
{
	int done = 0;

	for (long end = mono_ms() + timeout_ms; mono_ms() < end && !c->closed;)
		pump(&done, 10);
	return c->closed ? c->close_code : -1;
}

int
hc_is_open(const struct hclient *c)
{
	return !c->closed;
}

json_t *
h_obj(const char *k1, json_t *v1, ...)
{
	json_t *o = json_object();
	va_list ap;
	const char *k = k1;
	json_t *v = v1;

	va_start(ap, v1);
	while (k != NULL) {
		json_object_set_new(o, k, v);
		k = va_arg(ap, const char *);
		if (k != NULL)
			v = va_arg(ap, json_t *);
	}
	va_end(ap);
	return o;
}

void
h_password(const char *name, char *buf, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	/* Strong enough for libpwquality, and without the name in it. */
	snprintf(buf, len, "Hq7-%08x-zKw", (unsigned)h);
}

struct hclient *
h_user(const struct hserver *s, const char *name, char *out_token, size_t tlen)
{
	struct hclient *c = hc_connect(s);
	json_t *r;
	char pw[64];

	h_password(name, pw, sizeof pw);
	r = hc_request(c, "register", json_pack("{s:s,s:s}", "username", name,
	    "password", pw));
	assert_non_null(r);
	json_decref(r);		/* ok, or conflict when registered already */
	r = hc_ok(c, "login", json_pack("{s:s,s:s}", "username", name,
	    "password", pw));
	if (out_token != NULL)
		snprintf(out_token, tlen, "%s",
		    json_string_value(json_object_get(r, "token")));
	json_decref(r);
	return c;
}

long long
h_pair(struct hclient *iv, struct hclient *cd)
{
	json_t *r, *m1, *m2;
	long long id;

	r = hc_ok(iv, "queue.join", json_pack("{s:s}", "role", "interviewer"));
	json_decref(r);
	r = hc_ok(cd, "queue.join", json_pack("{s:s}", "role", "candidate"));
	json_decref(r);
	m1 = hc_wait_push(iv, "match", 10000);
	m2 = hc_wait_push(cd, "match", 10000);
	assert_non_null(m1);
	assert_non_null(m2);
	id = json_integer_value(json_object_get(m1, "session_id"));
	assert_int_equal(id, json_integer_value(json_object_get(m2,
	    "session_id")));
	json_decref(m1);
	json_decref(m2);
	return id;
}

int
h_raw_connect(const struct hserver *s)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

int
h_raw_ws(const struct hserver *s)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: mockint.v1\r\n\r\n";
	int fd = h_raw_connect(s);
	char buf[1024];
	size_t off = 0;

	assert_int_equal(write(fd, req, sizeof req - 1), (ssize_t)sizeof req - 1);
	/* Read the 101 response up to the blank line, and nothing more. */
	while (off < sizeof buf - 1) {
		ssize_t n = read(fd, buf + off, 1);

		assert_true(n == 1);
		off++;
		if (off >= 4 && memcmp(buf + off - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	buf[off] = '\0';
	assert_non_null(strstr(buf, " 101 "));
	return fd;
}

void
h_raw_send_text(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;
	unsigned char *f = xmalloc(len + 14);
	static const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };

	f[off++] = 0x81;	/* FIN, text */
	if (len < 126)
		f[off++] = (unsigned char)(0x80 | len);
	else if (len < 65536) {
		f[off++] = 0x80 | 126;
		f[off++] = (unsigned char)(len >> 8);
		f[off++] = (unsigned char)len;
	} else {
		f[off++] = 0x80 | 127;
		for (int i = 7; i >= 0; i--)
			f[off++] = (unsigned char)((uint64_t)len >> (8 * i));
	}
	memcpy(f + off, mask, 4);
	off += 4;
	for (size_t i = 0; i < len; i++)
		f[off + i] = (unsigned char)text[i] ^ mask[i % 4];
	off += len;
	assert_int_equal(write(fd, f, off), (ssize_t)off);
	free(f);
}

/* Read exactly n bytes before the deadline (mono_ms); -1 if not. */
static int
raw_read(int fd, unsigned char *buf, size_t n, long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t off = 0;

	while (off < n) {
		ssize_t got;

		if (poll(&p, 1, (int)(deadline - mono_ms())) <= 0)
			return -1;
		if ((got = read(fd, buf + off, n - off)) <= 0)
			return -1;
		off += (size_t)got;
	}
	return 0;
}

int
h_raw_wait_close(int fd, int timeout_ms)
{
	long deadline = mono_ms() + timeout_ms;
	unsigned char h[2 + 8], skip[4096];	/* header, extended length */
	uint64_t len;

	for (;;) {
		if (raw_read(fd, h, 2, deadline) != 0)
			return -1;
		len = h[1] & 0x7f;
		if (len >= 126) {
			size_t ext = len == 126 ? 2 : 8;

			if (raw_read(fd, h + 2, ext, deadline) != 0)
				return -1;
			len = 0;
			for (size_t i = 0; i < ext; i++)
				len = len << 8 | h[2 + i];
		}
		if ((h[0] & 0x0f) == WS_OPCODE_CLOSE)
			break;
		for (size_t n; len > 0; len -= n) {
			n = len < sizeof skip ? (size_t)len : sizeof skip;
			if (raw_read(fd, skip, n, deadline) != 0)
				return -1;
		}
	}
	if (len < 2 || raw_read(fd, h, 2, deadline) != 0)
		return -1;
	return h[0] << 8 | h[1];
}

int
h_slow(void)
{
	return getenv("MOCKINTD_WRAPPER") != NULL;
}

const char *
h_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

long long
h_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

