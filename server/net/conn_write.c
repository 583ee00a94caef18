/*
 * conn_write.c — batched writes of connections' queues (see
 * conn_write.h).
 */
#include "conn_write.h"

#include <libwebsockets.h>
#include <stddef.h>

#include "conn.h"
#include "log.h"
#include "outq_send.h"
#include "server.h"

static uv_check_t check;
static int live;
static struct conn *listed;	/* by write_next; each holds a reference */

static void
write_listed(struct conn *c)
{
	if (!conn_is_open(c) || outq_empty(&c->out))
		return;
	/* A ping or our close frame goes first: the writeable callback
	 * keeps that order (as it does for what lws holds half-sent). */
	if (c->ping_due || c->close_code != 0) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (outq_send_flush(&c->out, c->wsi, c->own_socket) < 0) {
		log_info(c->id, "write failed: closing");
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
	}
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
