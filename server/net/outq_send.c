/*
 * outq_send.c — an outbound queue onto a WebSocket (see outq_send.h).
 */
#include "outq_send.h"

#include <libwebsockets.h>
#include <stddef.h>

#include "outq.h"

/*
 * A batch stays within what lws writes in one go: of a raw write it sends
 * at most the protocol's rx_buffer_size (4 KiB, net.c) and copies the
 * rest into a buffer of its own to write later.
 */
#define BATCH_MAX 4096

/* Loop thread only: each batch is written before the next is framed. */
static unsigned char batch[LWS_PRE + BATCH_MAX];

int
outq_send_some(struct outq *q, struct lws *wsi, int own_socket)
{
	struct outdata *d;
	size_t n = 0;
	int r;

	if (outq_empty(q))
		return 0;
	if (own_socket && outq_several(q))
		n = outq_take_frames(q, LWS_PRE, batch + LWS_PRE, BATCH_MAX);
	if (n > 0)
		/*
		 * Framed already: lws 4.1 writes LWS_WRITE_HTTP on a
		 * WebSocket connection as it is (roles/ws/ops-ws.c,
		 * send_raw), through the same path as its own frames (TLS,
		 * a partial write kept for later). No extension is offered
		 * (net.c), so no frame of ours needs one's transform.
		 */
		r = lws_write(wsi, batch + LWS_PRE, n, LWS_WRITE_HTTP);
	else {
		/* Alone, or too large to share: lws frames it in place. */
		d = outq_pop(q);
		r = lws_write(wsi, d->buf + LWS_PRE, d->len, LWS_WRITE_TEXT);
		outdata_unref(d);
	}
	return r < 0 ? -1 : 0;
}

int
outq_send_flush(struct outq *q, struct lws *wsi, int own_socket)
{
	if (outq_empty(q))
		return 0;
	if (!lws_partial_buffered(wsi) &&
	    outq_send_some(q, wsi, own_socket) < 0)
		return -1;
	if (!outq_empty(q))
		lws_callback_on_writable(wsi);
	return 0;
}

int
outq_send_drain(struct outq *q, struct lws *wsi, int own_socket)
{
	/*
	 * The callback means the socket can take a write: the first one goes
	 * without asking lws_send_pipe_choked(), which is a poll() each
	 * time; later ones in the same callback ask, and only when there is
	 * something left to write.
	 */
	for (int i = 0; !outq_empty(q) &&
	    (i == 0 || !lws_send_pipe_choked(wsi)); i++)
		if (outq_send_some(q, wsi, own_socket) < 0)
			return -1;
	if (outq_empty(q))
		return 0;
	lws_callback_on_writable(wsi);
	return 1;
}
