/*
 * backlog.h — requests that wait for a later loop iteration.
 *
 * libuv hands one iteration every socket that became readable, and lws
 * reads and dispatches them all before a timer may run: when a cohort's
 * 10,000 clients send queue.join in the same moment, that was one
 * iteration of 200-500 ms, every clock and chat on the server waiting
 * behind it. So once an iteration has dispatched requests for
 * BACKLOG_BUDGET_NS, a message read after that is copied and held, and an
 * idle handle dispatches the held messages on the following iterations,
 * oldest first, within the same budget per iteration. A message of a
 * connection that has some held waits behind them, so each connection's
 * order holds.
 *
 * Holding costs a copy, no system call: a connection keeps reading. One
 * that has more than BACKLOG_CONN_MAX bytes held, or that adds a message
 * when all connections' together pass BACKLOG_ALL_MAX, is stopped reading
 * until its messages have been dispatched (ops->reading). So a connection
 * holds at most about what its reassembly buffer may hold already, and
 * past BACKLOG_ALL_MAX each one adds at most one message.
 *
 * Not for a WebSocket inside an HTTP/2 stream, which lws cannot stop
 * reading (c->own_socket): its messages are dispatched at once, as before.
 * Loop thread only.
 */
#ifndef MOCKINT_BACKLOG_H
#define MOCKINT_BACKLOG_H

#include <stddef.h>
#include <uv.h>

#include "proto.h"

struct conn;

/* What one iteration may spend dispatching requests. */
#define BACKLOG_BUDGET_NS	(2 * 1000 * 1000)
/* Held bytes (copies and their bookkeeping) past which a connection
 * stops reading, and past which, all held together, any connection that
 * adds one does. */
#define BACKLOG_CONN_MAX	PROTO_MAX_MESSAGE
#define BACKLOG_ALL_MAX		(16 * 1024 * 1024)

struct backlog_ops {
	/* Dispatch a held message (the request table). */
	void (*deliver)(struct conn *c, const char *buf, size_t len);
	/* Let c read again (lws_rx_flow_control), or stop it. */
	void (*reading)(struct conn *c, int on);
};

void backlog_start(uv_loop_t *loop, const struct backlog_ops *ops);
/* Must a message of c read now wait? Starts the iteration's clock. */
int backlog_must_wait(const struct conn *c);
/* Hold a copy of c's message (the backlog takes a reference to c). */
void backlog_hold(struct conn *c, const char *buf, size_t len);
/* Messages held now (a gauge). */
size_t backlog_len(void);
/* Drop what is held (shutting down: nothing delivered) and close the
 * handles. */
void backlog_stop(void);

#endif
