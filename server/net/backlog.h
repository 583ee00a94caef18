/*
 * backlog.h — requests that wait for the next loop iteration.
 *
 * libuv hands one iteration every socket that became readable, and lws
 * reads and dispatches them all before a timer may run: when a cohort's
 * 10,000 clients send queue.join in the same moment, that was one
 * iteration of 200-500 ms, every clock and chat on the server waiting
 * behind it. So once an iteration has dispatched requests for
 * BACKLOG_BUDGET_NS, a message read after that is copied and held, and its
 * connection stops reading (lws keeps the rest of what it read); an idle
 * handle dispatches the held messages in slices of the same budget on the
 * following iterations, oldest first, and lets each connection read again
 * after its message. A connection's order holds, and it has at most one
 * message held: no more than its reassembly buffer may hold already.
 *
 * Not for a WebSocket inside an HTTP/2 stream, which lws cannot stop
 * reading (c->own_socket): its messages are dispatched at once, as before.
 * Loop thread only.
 */
#ifndef MOCKINT_BACKLOG_H
#define MOCKINT_BACKLOG_H

#include <stddef.h>
#include <uv.h>

struct conn;

/* What one iteration may spend dispatching requests, and each slice. */
#define BACKLOG_BUDGET_NS	(2 * 1000 * 1000)

struct backlog_ops {
	/* Dispatch a held message (the request table). */
	void (*deliver)(struct conn *c, const char *buf, size_t len);
	/* Let c read again (lws_rx_flow_control). */
	void (*resume)(struct conn *c);
};

void backlog_start(uv_loop_t *loop, const struct backlog_ops *ops);
/* Must a message of c read now wait? Starts the iteration's clock. */
int backlog_must_wait(const struct conn *c);
/* Hold a copy of c's message (a reference to c taken); the caller stops
 * c reading until ops->resume. */
void backlog_hold(struct conn *c, const char *buf, size_t len);
/* Messages held now (a gauge). */
size_t backlog_len(void);
/* Drop what is held (shutting down: neither delivered nor resumed) and
 * close the handles. */
void backlog_stop(void);

#endif
