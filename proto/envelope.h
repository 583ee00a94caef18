/*
 * envelope.h — the mockint.v1 message envelope: decoding one text frame
 * into a request, and building replies, errors, pushes and requests.
 *
 * A request is {"type": NAME, "id": INTEGER, ...fields}; a reply is
 * {"type":"ok","re":ID,...} or {"type":"error","re":ID|null,"code":..,
 * "message":..}; a push is {"type": NAME, ...} without "re".
 */
#ifndef MOCKINT_ENVELOPE_H
#define MOCKINT_ENVELOPE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct proto_msg {
	json_t *root;     /* owned: the whole message object */
	const char *type; /* borrowed from root */
	int64_t id;
	int has_id;       /* whether id could be read (for the error's "re") */
};

/*
 * Decode one complete message of len bytes (not NUL-terminated). On
 * PROTO_OK, m holds the message; otherwise m->has_id tells whether the
 * error reply can name the request, and why (if not NULL) explains.
 * The message is released with proto_msg_clear() in both cases.
 */
enum proto_err proto_decode(const char *buf, size_t len, struct proto_msg *m,
    char *why, size_t whylen);
void proto_msg_clear(struct proto_msg *m);

/* Builders. `fields` (may be NULL) is consumed; the result is a new object. */
json_t *proto_ok(int64_t re, json_t *fields);
json_t *proto_error(int64_t re, int has_re, enum proto_err code,
    const char *message);
json_t *proto_push(const char *type, json_t *fields);
json_t *proto_request(const char *type, int64_t id, json_t *fields);

/*
 * Serialise msg compactly into a new buffer with `headroom` spare bytes in
 * front (the transport's header space); *len gets the JSON length. The
 * buffer is NUL-terminated after the JSON.
 */
char *proto_serialise(const json_t *msg, size_t headroom, size_t *len);

/*
 * Field rules: one table per request type, checked in one place.
 */
enum proto_ftype { PF_STRING, PF_INT, PF_BOOL, PF_OBJECT, PF_ARRAY };

#define PF_REQUIRED 0x1u /* must be present */
#define PF_NULLABLE 0x2u /* null is accepted as "absent" */

struct proto_field {
	const char *name;
	enum proto_ftype type;
	unsigned flags;
	int64_t min, max;           /* string: byte length; int: value */
	const char *const *oneof;   /* string: allowed values, NULL-ended */
};

/*
 * Check obj against rules (terminated by a row with name == NULL).
 * Returns PROTO_OK, PROTO_E_BAD_REQUEST (missing, wrong type, out of
 * range, not one of) or PROTO_E_TOO_LARGE (string over its limit), with a
 * message naming the field in why. Unknown fields are ignored.
 */
enum proto_err proto_check_fields(const json_t *obj,
    const struct proto_field *rules, char *why, size_t whylen);

/* Convenience accessors for fields already checked. */
const char *proto_str(const json_t *obj, const char *name);  /* NULL if absent */
int64_t proto_int(const json_t *obj, const char *name, int64_t dflt);

#endif
