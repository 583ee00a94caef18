/*
 * conn_write.c — batched writes of connections' queues (see
 * conn_write.h).
 */
#include "conn_write.h"

#include <libwebsockets.h>
#include <stddef.h>

#include "conn.h"
#include "log.h"
#include "server.h"

/*
 * A batch stays within what lws writes in one go: of a raw write it sends
 * at most the protocol's rx_buffer_size (4 KiB, net.c) and copies the
 * rest into a buffer of its own to write later.
 */
#define BATCH_MAX 4096

static unsigned char batch[LWS_PRE + BATCH_MAX];
static uv_check_t check;
static int live;
static struct conn *listed;	/* by write_next; each holds a reference */

int
conn_write_some(struct conn *c)
{
	struct outdata *d = outq_peek(&c->out);
	size_t n = 0;
	int r;

	if (d == NULL)
		return 0;
	/*
	 * Several waiting: frame them here, as many as fit together. Only
	 * on a connection of its own: a WebSocket carried in an HTTP/2
	 * stream (RFC 8441, which lws 4.1 speaks when a client asks) needs
	 * lws to wrap each frame in the stream's framing.
	 */
	if (c->own_socket && outq_several(&c->out))
		n = outq_take_frames(&c->out, LWS_PRE, batch + LWS_PRE,
		    BATCH_MAX);
	if (n > 0)
		/*
		 * Framed already: lws 4.1 writes LWS_WRITE_HTTP on a
		 * WebSocket connection as it is (roles/ws/ops-ws.c,
		 * send_raw), through the same path as its own frames (TLS,
		 * a partial write kept for later). No extension is offered
		 * (net.c), so no frame of ours needs one's transform.
		 */
		r = lws_write(c->wsi, batch + LWS_PRE, n, LWS_WRITE_HTTP);
	else {
		/* Alone, or too large to share: lws frames it in place. */
		d = conn_pop(c);
		r = lws_write(c->wsi, d->buf + LWS_PRE, d->len,
		    LWS_WRITE_TEXT);
		outdata_unref(d);
	}
	return r < 0 ? -1 : 0;
}

static void
write_listed(struct conn *c)
{
	if (!conn_is_open(c) || outq_empty(&c->out))
		return;
	/* A ping or our close frame goes first, and what lws holds
	 * half-sent: the writeable callback keeps that order. */
	if (c->ping_due || c->close_code != 0 ||
	    lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (conn_write_some(c) < 0) {
		log_info(c->id, "write failed: closing");
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		return;
	}
	if (!outq_empty(&c->out))
		lws_callback_on_writable(c->wsi);
}

/* Take the list; write (or not) and let go of each. */
static void
drain(int write)
{
	struct conn *c;

	while ((c = listed) != NULL) {
		listed = c->write_next;
		c->write_next = NULL;
		c->write_listed = 0;
		if (write)
			write_listed(c);
		conn_unref(c);
	}
}

static void
end_of_iteration(uv_check_t *h)
{
	drain(1);
}

void
conn_write_start(void)
{
	uv_check_init(srv.loop, &check);
	uv_check_start(&check, end_of_iteration);
	/* It has work only when something was sent: no reason to keep the
	 * loop running by itself. */
	uv_unref((uv_handle_t *)&check);
	live = 1;
}

void
conn_write_stop(void)
{
	if (!live)
		return;
	live = 0;
	drain(0);
	uv_close((uv_handle_t *)&check, NULL);
}

void
conn_write_soon(struct conn *c)
{
	if (!live) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (c->write_listed)
		return;
	c->write_listed = 1;
	conn_ref(c);
	c->write_next = listed;
	listed = c;
}
