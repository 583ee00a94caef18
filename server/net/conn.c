/*
 * conn.c — per-connection state and its outbound queue (see conn.h).
 */
#include "conn.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

static struct conn *all;
static size_t nconns;
static uint64_t next_id = 1;

struct conn *
conn_new(struct lws *wsi, const char *addr)
{
	struct conn *c = xcalloc(1, sizeof *c);

	c->id = next_id++;
	c->wsi = wsi;
	c->refs = 1;
	proto_reasm_init(&c->in, PROTO_MAX_MESSAGE);
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	c->next = all;
	if (all != NULL)
		all->prev = c;
	all = c;
	nconns++;
	return c;
}

void
conn_detach(struct conn *c)
{
	if (c->wsi == NULL)
		return;
	c->wsi = NULL;
	outq_free(&c->out);
	proto_reasm_release(&c->in);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		all = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	nconns--;
}

void
conn_ref(struct conn *c)
{
	c->refs++;
}

void
conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	conn_detach(c);
	free(c);
}

int
conn_is_open(const struct conn *c)
{
	return c->wsi != NULL && c->close_code == 0;
}

/* Serialisation target: an outmsg that grows as jansson writes into it. */
struct outbuf {
	struct outmsg *m;
	size_t cap;		/* bytes for JSON behind LWS_PRE */
};

static int
outbuf_put(const char *buf, size_t size, void *data)
{
	struct outbuf *b = data;

	if (b->m->len + size + 1 > b->cap) {
		while (b->m->len + size + 1 > b->cap)
			b->cap *= 2;
		b->m = xrealloc(b->m, sizeof *b->m + LWS_PRE + b->cap);
	}
	memcpy(b->m->buf + LWS_PRE + b->m->len, buf, size);
	b->m->len += size;
	return 0;
}

void
conn_send(struct conn *c, json_t *msg)
{
	struct outbuf b;

	if (!conn_is_open(c)) {
		json_decref(msg);
		return;
	}
	metrics_msg_out(msg);
	/*
	 * Serialise once, straight behind the LWS_PRE bytes lws_write()
	 * needs (measuring first and writing after would cost two passes
	 * over large replies such as a whole session's history).
	 */
	b.cap = 1024;
	b.m = xmalloc(sizeof *b.m + LWS_PRE + b.cap);
	b.m->next = NULL;
	b.m->len = 0;
	json_dump_callback(msg, outbuf_put, &b, JSON_COMPACT);
	json_decref(msg);
	switch (outq_append(&c->out, b.m, CONN_OUT_CAP)) {
	case OUTQ_OVER:
		free(b.m);
		log_warn(c->id, "outbound queue over %d bytes: closing a slow "
		    "reader", CONN_OUT_CAP);
		/* Nothing queued will reach a peer that does not read. */
		outq_free(&c->out);
		conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    "too slow reading");
		break;
	case OUTQ_FIRST:
		lws_callback_on_writable(c->wsi);
		break;
	case OUTQ_QUEUED:
		/* Not empty before: the writeable callback is armed already,
		 * and re-arms itself while anything is left (net.c). */
		break;
	}
}

struct outmsg *
conn_pop(struct conn *c)
{
	return outq_pop(&c->out);
}

void
conn_reply_ok(struct conn *c, int64_t re, json_t *fields)
{
	conn_send(c, proto_ok(re, fields));
}

void
conn_reply_error(struct conn *c, int64_t re, int has_re, enum proto_err code,
    const char *message)
{
	log_debug(c->id, "error %s: %s", proto_err_name(code),
	    message ? message : "");
	conn_send(c, proto_error(re, has_re, code, message));
}

void
conn_close(struct conn *c, int code, const char *reason)
{
	if (c->wsi == NULL || c->close_code != 0)
		return;
	c->close_code = code;
	snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
	lws_callback_on_writable(c->wsi);
	/* A peer that never lets us write still goes, within 5 s. */
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 5);
}

struct conn *
conn_first(void)
{
	return all;
}

size_t
conn_count(void)
{
	return nconns;
}
