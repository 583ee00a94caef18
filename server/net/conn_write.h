/*
 * conn_write.h — how a connection's outbound queue reaches its socket.
 *
 * A message sent to a connection with nothing waiting is not written at
 * once: the connection is listed, and at the end of the loop iteration
 * (a uv_check handle: after every callback of the iteration) what it was
 * sent meanwhile leaves in one write. A reply and a relayed message for
 * the same client, a store batch's completions, a phase push to a user's
 * two tabs: one system call rather than one each, and no writeable
 * callback (two epoll_ctl calls and a loop turn) for the common case.
 * What the socket does not take, lws keeps; the writeable callback
 * (net.c) carries on, in batches too. A message a client may not see yet
 * waits behind nothing but the iteration it was sent in.
 */
#ifndef MOCKINT_CONN_WRITE_H
#define MOCKINT_CONN_WRITE_H

struct conn;

/* From net_start, once the transport is up; until then, and after
 * conn_write_stop, a connection is written from its writeable callback. */
void conn_write_start(void);
/* When the transport is torn down: let go of what is listed (closing
 * connections' queues need not go out) and close the handle. */
void conn_write_stop(void);

/* c's queue has just had its first message: write it by the end of this
 * loop iteration. */
void conn_write_soon(struct conn *c);

#endif
