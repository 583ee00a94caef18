/*
 * vm_json.h — reading the server's JSON, for vm*.c only: a field that is
 * missing or of another type reads as the default (a newer or broken
 * server must not crash the screen).
 */
#ifndef MOCKINT_VM_JSON_H
#define MOCKINT_VM_JSON_H

#include <jansson.h>
#include <stdint.h>

/* o's string k, or dflt (which may be NULL). */
static inline const char *
vm_jstr(const json_t *o, const char *k, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : dflt;
}

/* o's integer k, or 0. */
static inline int64_t
vm_jint(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

#endif
