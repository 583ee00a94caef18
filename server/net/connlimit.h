/*
 * connlimit.h — how many client sockets mockintd keeps open: per client
 * address (--max-conns-per-ip) and in total (--max-conns, by default what
 * the open-file limit leaves after a reserve). A socket past a limit is
 * closed at accept, before any handshake, with a log line.
 *
 * The transport reports every accepted socket's life: connlimit_admit()
 * when lws has accepted it (refuse or not), connlimit_bind() when lws
 * creates the wsi for it, connlimit_release() when lws destroys that wsi.
 *
 * Behind a trusted proxy (proxy.h) the accepted socket comes from the
 * proxy, whose own address has no per-address cap; when the WebSocket
 * handshake names the client (X-Forwarded-For), connlimit_rebind() counts
 * the socket against the client's address instead, and refuses it there
 * when that address is over the cap.
 */
#ifndef MOCKINT_CONNLIMIT_H
#define MOCKINT_CONNLIMIT_H

#include <stddef.h>

struct lws;
struct options;

/*
 * Raise the soft RLIMIT_NOFILE to the hard one (where allowed) and work
 * out the caps from o. Returns the number of descriptors the process may
 * use, for sizing lws's tables.
 */
unsigned connlimit_start(const struct options *o);
/* 0 to accept the socket described by filt (lws's struct
 * lws_filter_network_conn_args), -1 to refuse it (logged). */
int connlimit_admit(const void *filt);
void connlimit_bind(struct lws *wsi);
void connlimit_release(struct lws *wsi);
/* Count wsi's socket against ip from now on: 0, or -1 (logged, counted,
 * the socket left where it was) when ip is at the per-address cap. */
int connlimit_rebind(struct lws *wsi, const char *ip);
/* Client sockets open now. */
size_t connlimit_open(void);
/* The total cap in force. */
size_t connlimit_max(void);
void connlimit_free_all(void);

#endif
