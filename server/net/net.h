/*
 * net.h — the transport: the libwebsockets context running on the server's
 * libuv loop, the mockint.v1 WebSocket protocol and the plain HTTP side.
 */
#ifndef MOCKINT_NET_H
#define MOCKINT_NET_H

#include <stddef.h>

struct conn;

/*
 * What the transport hands up, given at start: the layers above net (the
 * request table, accounts) are reached only through these.
 */
struct net_hooks {
	/* One whole inbound text message of c, len bytes (not NUL-ended). */
	void (*message)(struct conn *c, const char *buf, size_t len);
	/* c's transport closed: c is still whole, and loses its wsi next. */
	void (*closed)(struct conn *c);
};

/* Create the context and start listening; returns the bound port or -1.
 * h is copied. */
int net_start(const struct net_hooks *h);

/*
 * Begin a graceful stop: close every connection with 1001, then destroy
 * the context. done() runs on the loop once lws has let go of it.
 */
void net_stop(void (*done)(void));
/* After the loop has stopped: release the context if anything is left. */
void net_free(void);

#endif
