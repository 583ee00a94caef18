/*
 * envelope.c — decoding and building mockint.v1 messages (see envelope.h).
 */
#include "envelope.h"

#include <stdio.h>
#include <string.h>

#include "xmalloc.h"

static void
set_why(char *why, size_t whylen, const char *text)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", text);
}

enum proto_err
proto_decode(const char *buf, size_t len, struct proto_msg *m, char *why,
    size_t whylen)
{
	json_error_t jerr;
	json_t *id, *type;

	memset(m, 0, sizeof *m);
	/*
	 * Duplicate keys are refused outright: a request with two "id"s or
	 * two "score"s has no single meaning. jansson also refuses invalid
	 * UTF-8, \u0000 and nesting deeper than its parser limit.
	 */
	m->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (m->root == NULL) {
		if (why != NULL && whylen > 0) {
			snprintf(why, whylen, "invalid JSON: %s", jerr.text);
			/*
			 * jansson quotes the input near the error, cut
			 * anywhere, even inside a UTF-8 sequence; the error
			 * reply's message must be valid UTF-8 (json_string
			 * refuses it otherwise and the reply goes out without
			 * one), so every non-ASCII byte becomes '?'.
			 */
			for (char *p = why; *p != '\0'; p++)
				if ((unsigned char)*p >= 0x80)
					*p = '?';
		}
		return PROTO_E_BAD_JSON;
	}
	if (!json_is_object(m->root)) {
		set_why(why, whylen, "a message must be a JSON object");
		return PROTO_E_BAD_REQUEST;
	}
	id = json_object_get(m->root, "id");
	if (json_is_integer(id) && json_integer_value(id) >= 0 &&
	    json_integer_value(id) <= PROTO_MAX_ID) {
		m->id = json_integer_value(id);
		m->has_id = 1;
	}
	type = json_object_get(m->root, "type");
	if (!json_is_string(type) || json_string_length(type) == 0 ||
	    json_string_length(type) > 64) {
		set_why(why, whylen, "\"type\" must be a string of 1 to 64 "
		    "bytes");
		return PROTO_E_BAD_REQUEST;
	}
	m->type = json_string_value(type);
	if (!m->has_id) {
		set_why(why, whylen, id == NULL ?
		    "\"id\" is missing" :
		    "\"id\" must be an integer from 0 to 2^53-1");
		return PROTO_E_BAD_REQUEST;
	}
	return PROTO_OK;
}

void
proto_msg_clear(struct proto_msg *m)
{
	json_decref(m->root);
	memset(m, 0, sizeof *m);
}

static json_t *
envelope(const char *type)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(type));
	return o;
}

static json_t *
finish(json_t *o, json_t *fields)
{
	if (fields != NULL) {
		json_object_del(fields, "type");
		json_object_del(fields, "re");
		json_object_update(o, fields);
		json_decref(fields);
	}
	return o;
}

json_t *
proto_ok(int64_t re, json_t *fields)
{
	json_t *o = envelope("ok");

	json_object_set_new(o, "re", json_integer(re));
	return finish(o, fields);
}

json_t *
proto_error(int64_t re, int has_re, enum proto_err code, const char *message)
{
	json_t *o = envelope("error"), *m;

	json_object_set_new(o, "re", has_re ? json_integer(re) : json_null());
	json_object_set_new(o, "code", json_string(proto_err_name(code)));
	/* A message that is not valid UTF-8 would be dropped by jansson:
	 * every error still carries one. */
	m = message != NULL ? json_string(message) : NULL;
	json_object_set_new(o, "message", m != NULL ? m :
	    json_string(proto_err_name(code)));
	return o;
}

json_t *
proto_push(const char *type, json_t *fields)
{
	return finish(envelope(type), fields);
}

json_t *
proto_request(const char *type, int64_t id, json_t *fields)
{
	json_t *o = envelope(type);

	json_object_set_new(o, "id", json_integer(id));
	if (fields != NULL)
		json_object_del(fields, "id");
	return finish(o, fields);
}

char *
proto_serialise(const json_t *msg, size_t headroom, size_t *len)
{
	size_t n = json_dumpb(msg, NULL, 0, JSON_COMPACT);
	char *buf = xmalloc(headroom + n + 1);

	if (n > 0)
		n = json_dumpb(msg, buf + headroom, n, JSON_COMPACT);
	buf[headroom + n] = '\0';
	*len = n;
	return buf;
}

static const char *
type_name(enum proto_ftype t)
{
	switch (t) {
	case PF_STRING: return "a string";
	case PF_INT: return "an integer";
	case PF_BOOL: return "a boolean";
	case PF_OBJECT: return "an object";
	case PF_ARRAY: return "an array";
	}
	return "?";
}

static int
type_ok(const json_t *v, enum proto_ftype t)
{
	switch (t) {
	case PF_STRING: return json_is_string(v);
	case PF_INT: return json_is_integer(v);
	case PF_BOOL: return json_is_boolean(v);
	case PF_OBJECT: return json_is_object(v);
	case PF_ARRAY: return json_is_array(v);
	}
	return 0;
}

enum proto_err
proto_check_fields(const json_t *obj, const struct proto_field *rules,
    char *why, size_t whylen)
{
	const struct proto_field *r;
	char tmp[160];

	for (r = rules; r->name != NULL; r++) {
		json_t *v = json_object_get(obj, r->name);

		if (v == NULL || (json_is_null(v) && (r->flags & PF_NULLABLE))) {
			if (r->flags & PF_REQUIRED) {
				snprintf(tmp, sizeof tmp, "\"%s\" is missing", r->name);
				set_why(why, whylen, tmp);
				return PROTO_E_BAD_REQUEST;
			}
			continue;
		}
		if (!type_ok(v, r->type)) {
			snprintf(tmp, sizeof tmp, "\"%s\" must be %s", r->name,
			    type_name(r->type));
			set_why(why, whylen, tmp);
			return PROTO_E_BAD_REQUEST;
		}
		if (r->type == PF_STRING) {
			int64_t n = (int64_t)json_string_length(v);

			if (r->max > 0 && n > r->max) {
				snprintf(tmp, sizeof tmp,
				    "\"%s\" is longer than %lld bytes", r->name,
				    (long long)r->max);
				set_why(why, whylen, tmp);
				return PROTO_E_TOO_LARGE;
			}
			if (n < r->min) {
				snprintf(tmp, sizeof tmp, n == 0 ?
				    "\"%s\" must not be empty" :
				    "\"%s\" is too short", r->name);
				set_why(why, whylen, tmp);
				return PROTO_E_BAD_REQUEST;
			}
			if (r->oneof != NULL) {
				const char *const *o;
				const char *s = json_string_value(v);

				for (o = r->oneof; *o != NULL; o++)
					if (strcmp(*o, s) == 0)
						break;
				if (*o == NULL) {
					size_t off = (size_t)snprintf(tmp,
					    sizeof tmp, "\"%s\" must be one of",
					    r->name);
					for (o = r->oneof; *o != NULL &&
					    off < sizeof tmp; o++)
						off += (size_t)snprintf(tmp + off,
						    sizeof tmp - off, " %s", *o);
					set_why(why, whylen, tmp);
					return PROTO_E_BAD_REQUEST;
				}
			}
		} else if (r->type == PF_INT) {
			int64_t n = json_integer_value(v);

			if (n < r->min || n > r->max) {
				snprintf(tmp, sizeof tmp,
				    "\"%s\" must be from %lld to %lld", r->name,
				    (long long)r->min, (long long)r->max);
				set_why(why, whylen, tmp);
				return PROTO_E_BAD_REQUEST;
			}
		}
	}
	return PROTO_OK;
}

const char *
proto_str(const json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

int64_t
proto_int(const json_t *obj, const char *name, int64_t dflt)
{
	json_t *v = json_object_get(obj, name);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}
