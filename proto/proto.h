/*
 * proto.h — the constants of the mockint.v1 wire protocol that server and
 * client must agree on: the subprotocol name, size limits and the stable
 * error codes. proto/PROTOCOL.md is the specification; this is its mirror.
 */
#ifndef MOCKINT_PROTO_H
#define MOCKINT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_SUBPROTOCOL "mockint.v1"

/* Largest inbound message (after reassembling fragments). */
#define PROTO_MAX_MESSAGE (64 * 1024)
/* Largest free text (notes, chat) in bytes. */
#define PROTO_MAX_TEXT 4096
/*
 * The largest message the server sends. Every reply and push fits by
 * construction (lists of notes and chat come in pages, question views are
 * bounded when the bank is loaded): a client must accept messages up to
 * this size, and needs no more.
 */
#define PROTO_MAX_OUTBOUND (512 * 1024)
/*
 * A page of notes or of chat (in a `session` push, a history.get, or a
 * page asked for with notes_before/chat_before): the newest items whose
 * cost, summed, fits in PROTO_PAGE_BYTES — at least one item, whatever
 * its cost. An item's cost is its text and its other strings as JSON
 * escapes them (proto_json_cost) plus PROTO_ITEM_OVERHEAD for the rest.
 */
#define PROTO_PAGE_BYTES (64 * 1024)
#define PROTO_ITEM_OVERHEAD 128
/*
 * The `session` push shows the newest PROTO_PUSH_BYTES of each list (a
 * page by the same rule): the server keeps that much of every live
 * session in memory for its pushes, and a client rarely needs more on
 * screen; the rest is a history.get away.
 */
#define PROTO_PUSH_BYTES (16 * 1024)
/* Largest request id: JSON numbers above 2^53 lose precision in many clients. */
#define PROTO_MAX_ID 9007199254740991LL

/*
 * Error codes. The numeric values are internal; the names are the wire
 * format and are never reused or renamed.
 */
enum proto_err {
	PROTO_OK = 0,
	PROTO_E_BAD_JSON,
	PROTO_E_BAD_REQUEST,
	PROTO_E_UNKNOWN_TYPE,
	PROTO_E_UNAUTHENTICATED,
	PROTO_E_FORBIDDEN,
	PROTO_E_NOT_FOUND,
	PROTO_E_CONFLICT,
	PROTO_E_RATE_LIMITED,
	PROTO_E_INVALID_STATE,
	PROTO_E_TOO_LARGE,
	PROTO_E_INTERNAL,
	PROTO_E__COUNT
};

/* The wire name of an error code ("bad_json", ...). */
const char *proto_err_name(enum proto_err err);
/* The code for a wire name, or PROTO_E__COUNT when unknown. */
enum proto_err proto_err_from_name(const char *name);

/* The bytes s takes in compact JSON, quotes included (NULL: "null"). */
size_t proto_json_cost(const char *s);

/* Wall-clock time in Unix milliseconds: the protocol's only time unit. */
int64_t proto_now_ms(void);

#endif
