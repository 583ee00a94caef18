/*
 * net.h — the transport: the libwebsockets context running on the server's
 * libuv loop, the mockint.v1 WebSocket protocol and the plain HTTP side.
 */
#ifndef MOCKINT_NET_H
#define MOCKINT_NET_H

/* Create the context and start listening; returns the bound port or -1. */
int net_start(void);

/*
 * Begin a graceful stop: close every connection with 1001, then destroy
 * the context. done() runs on the loop once lws has let go of it.
 */
void net_stop(void (*done)(void));

#endif
