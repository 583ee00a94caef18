/*
 * request.h — one decoded, validated request as a handler sees it, and
 * the handler's type. A leaf header, so that every layer's handlers can be
 * written without knowing the request table (api/dispatch.c) that routes
 * to them.
 */
#ifndef MOCKINT_REQUEST_H
#define MOCKINT_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "envelope.h"	/* the field rules each handler declares */

struct conn;

struct request {
	int64_t id;
	const char *type;
	json_t *body;		/* the whole message; borrowed */
};

/*
 * A handler replies (conn_reply_ok/_error) or enqueues work whose
 * completion replies; it never writes to the socket and never blocks.
 */
typedef void (*cmd_handler)(struct conn *c, const struct request *r);

#endif
