/*
 * dispatch.h — the request table: one row per request type with its
 * handler, whether it needs an authenticated connection, and its field
 * rules. Decoding and validation happen here, once, for every type; a
 * handler only ever sees a request whose fields passed their rules.
 */
#ifndef MOCKINT_DISPATCH_H
#define MOCKINT_DISPATCH_H

#include <jansson.h>
#include <stddef.h>

#include "envelope.h"

#include "request.h"

struct conn;

struct cmd_entry {
	const char *name;
	cmd_handler handler;
	int needs_auth;
	const struct proto_field *fields;
};

/* The row for a type name, or NULL. */
const struct cmd_entry *dispatch_find(const char *type);
/* The whole table (for tests that walk every request type). */
const struct cmd_entry *dispatch_table(size_t *n);

/*
 * Decode and validate one message without acting on it: the part of
 * dispatch that depends only on the bytes (used by the fuzzers). On
 * PROTO_OK *entry is set and m holds the message.
 */
enum proto_err dispatch_parse(const char *buf, size_t len,
    struct proto_msg *m, const struct cmd_entry **entry, char *why,
    size_t whylen);

/* Handle one complete inbound text message from c. */
void dispatch_message(struct conn *c, const char *buf, size_t len);

#endif
