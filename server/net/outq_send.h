/*
 * outq_send.h — an outbound queue (outq.h) onto a libwebsockets
 * WebSocket: the writes of mockintd's connections (conn_write.c at the
 * loop iteration's end, net.c's writeable callback), and of
 * tests/bench/mockint-echo.c, whose transport ceiling is only a ceiling
 * while it writes exactly as the server does.
 *
 * own_socket: the WebSocket has its TCP connection to itself (conn.h).
 * Only then are several waiting messages framed here and written raw in
 * one write; a WebSocket inside an HTTP/2 stream (RFC 8441) needs lws to
 * wrap each frame in the stream's framing.
 */
#ifndef MOCKINT_OUTQ_SEND_H
#define MOCKINT_OUTQ_SEND_H

struct lws;
struct outq;

/* Write the head of q now: as many whole messages as share one write, or
 * the oldest alone when it is large. -1: the write failed. */
int outq_send_some(struct outq *q, struct lws *wsi, int own_socket);
/* At the end of a loop iteration: one write, unless lws holds part of an
 * earlier one (that goes first: the writeable callback); what is left
 * asks for the callback. -1: the write failed. */
int outq_send_flush(struct outq *q, struct lws *wsi, int own_socket);
/* In the writeable callback: write while the socket takes it. 1: some
 * is left (the callback asked for again), 0: q is empty, -1: failed. */
int outq_send_drain(struct outq *q, struct lws *wsi, int own_socket);

#endif
