/*
 * conn.h — one WebSocket connection: its identity, what it is
 * authenticated as, its inbound reassembly buffer and its outbound queue.
 *
 * Handlers never write to the socket: they enqueue with conn_send(), and
 * what a connection was sent in one loop iteration is written at its end,
 * together (conn_write.h); the transport's writeable callback (net.c)
 * drains whatever the socket did not take. A
 * connection is reference-counted: timers, thread-pool jobs and sessions
 * that hold one take a reference, so a connection closed by its peer stays
 * valid (with conn_is_open() false) until the last holder lets go.
 */
#ifndef MOCKINT_CONN_H
#define MOCKINT_CONN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "outq.h"
#include "proto.h"
#include "ratelimit.h"
#include "reasm.h"
#include "user.h"

struct lws;

/* Past this many queued outbound bytes a reader is too slow: cut it off. */
#define CONN_OUT_CAP (1024 * 1024)

struct conn {
	uint64_t id;
	struct lws *wsi;	/* NULL once the transport closed */
	int refs;
	char addr[64];		/* peer address, for logs and limits */

	struct proto_reasm in;	/* a fragmented message being reassembled */

	struct outq out;	/* messages behind LWS_PRE bytes of room */
	int close_code;		/* non-zero: close after draining */
	char close_reason[64];
	int close_sent;		/* our close frame is out: awaiting the peer's */
	uint64_t last_rx;	/* loop time of the last sign of life (net.c) */
	struct rl_bucket requests;	/* --limit-requests-per-s */
	int ping_due;		/* the keepalive sweep wants a ping sent */
	/* Listed to be written at the end of the iteration (conn_write.c). */
	int write_listed;
	struct conn *write_next;
	/*
	 * The WebSocket has its socket to itself, so frames may be written
	 * raw (conn_write.c); not when it rides in an HTTP/2 stream (RFC
	 * 8441), which lws must wrap. Fixed at ESTABLISHED (net.c).
	 */
	int own_socket;
	/* Messages held for a later iteration (backlog.c): how many, the
	 * bytes they take (copies and bookkeeping), and whether that stopped
	 * the connection reading. */
	size_t held_n, held_bytes;
	int held_stopped;

	/* Authentication (auth.c). user_id 0: not authenticated. */
	int64_t user_id;
	char username[USERNAME_SIZE];
	unsigned char token_hash[TOKEN_HASH_BYTES];
	int has_token;
	struct conn *user_next;	/* the user's other connections */

	struct conn *prev, *next;	/* every open connection */
};

/* Create for a new transport; the transport holds the first reference. */
struct conn *conn_new(struct lws *wsi, const char *addr);
void conn_ref(struct conn *c);
void conn_unref(struct conn *c);
int conn_is_open(const struct conn *c);

/* Queue msg (consumed) for sending; dropped if the connection closed. */
void conn_send(struct conn *c, json_t *msg);
/*
 * For a message that goes to several connections: serialise it once
 * (msg consumed; one reference to the result), then conn_send_data it to
 * each (each takes its own reference), then outdata_unref it.
 */
struct outdata *conn_serialise(json_t *msg);
void conn_send_data(struct conn *c, struct outdata *d);
void conn_reply_ok(struct conn *c, int64_t re, json_t *fields);
void conn_reply_error(struct conn *c, int64_t re, int has_re,
    enum proto_err code, const char *message);

/* Close after what is queued, with a WebSocket close code and reason. */
void conn_close(struct conn *c, int code, const char *reason);

/* The transport's side (net.c). */
void conn_detach(struct conn *c);	/* transport closed: wsi gone */

/* Every open connection, for shutdown and broadcasts. */
struct conn *conn_first(void);
size_t conn_count(void);

#endif
