/*
 * conn.c — per-connection state and its outbound queue (see conn.h).
 */
#include "conn.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "conn_write.h"
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

/* Serialisation target: an outdata that grows as jansson writes into it. */
static int
outdata_put(const char *buf, size_t size, void *arg)
{
	struct outdata **d = arg;

	if ((*d)->len + size + 1 > (*d)->cap) {
		size_t cap = (*d)->cap;

		while ((*d)->len + size + 1 > cap)
			cap *= 2;
		*d = outdata_grow(*d, LWS_PRE, cap);
	}
	memcpy((*d)->buf + LWS_PRE + (*d)->len, buf, size);
	(*d)->len += size;
	return 0;
}

struct outdata *
conn_serialise(json_t *msg)
{
	struct outdata *d = outdata_new(LWS_PRE, 1024);
	const char *type = json_string_value(json_object_get(msg, "type"));
	const char *code = json_string_value(json_object_get(msg, "code"));

	/*
	 * Straight behind the LWS_PRE bytes lws_write() needs (measuring
	 * first and writing after would cost two passes over large replies
	 * such as a page of a session's history).
	 */
	json_dump_callback(msg, outdata_put, &d, JSON_COMPACT);
	snprintf(d->type, sizeof d->type, "%s", type != NULL ? type : "?");
	snprintf(d->code, sizeof d->code, "%s", code != NULL &&
	    strcmp(d->type, "error") == 0 ? code : "");
	if (d->len > PROTO_MAX_OUTBOUND)
		log_error(0, "BUG: a %s of %zu bytes, over the %d a client "
		    "takes", d->type, d->len, PROTO_MAX_OUTBOUND);
	json_decref(msg);
	return d;
}

/* The slow reader's end: what is queued will never reach it. */
static void
too_slow(struct conn *c)
{
	log_warn(c->id, "outbound queue over %d bytes: closing a slow reader",
	    CONN_OUT_CAP);
	outq_free(&c->out);
	conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too slow reading");
}

void
conn_send_data(struct conn *c, struct outdata *d)
{
	if (!conn_is_open(c))
		return;
	metrics_msg_out(d->type, d->code);
	switch (outq_append(&c->out, d, CONN_OUT_CAP)) {
	case OUTQ_OVER:
		too_slow(c);
		break;
	case OUTQ_FIRST:
		/* Out at the end of this iteration, with whatever else the
		 * connection is sent meanwhile. */
		conn_write_soon(c);
		break;
	case OUTQ_QUEUED:
		/* Not empty before: listed for the end of the iteration, or
		 * the writeable callback is armed and re-arms itself while
		 * anything is left (net.c). */
		break;
	}
}

void
conn_send(struct conn *c, json_t *msg)
{
	struct outdata *d;

	if (!conn_is_open(c)) {
		json_decref(msg);
		return;
	}
	d = conn_serialise(msg);
	conn_send_data(c, d);
	outdata_unref(d);
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
