/*
 * proto.c — error code names and the protocol clock.
 */
#include "proto.h"

#include <string.h>
#include <time.h>

static const char *const err_names[PROTO_E__COUNT] = {
	[PROTO_OK] = "ok",
	[PROTO_E_BAD_JSON] = "bad_json",
	[PROTO_E_BAD_REQUEST] = "bad_request",
	[PROTO_E_UNKNOWN_TYPE] = "unknown_type",
	[PROTO_E_UNAUTHENTICATED] = "unauthenticated",
	[PROTO_E_FORBIDDEN] = "forbidden",
	[PROTO_E_NOT_FOUND] = "not_found",
	[PROTO_E_CONFLICT] = "conflict",
	[PROTO_E_RATE_LIMITED] = "rate_limited",
	[PROTO_E_INVALID_STATE] = "invalid_state",
	[PROTO_E_TOO_LARGE] = "too_large",
	[PROTO_E_INTERNAL] = "internal",
};

const char *
proto_err_name(enum proto_err err)
{
	if ((unsigned)err >= PROTO_E__COUNT)
		return "internal";
	return err_names[err];
}

enum proto_err
proto_err_from_name(const char *name)
{
	for (int i = 0; i < PROTO_E__COUNT; i++)
		if (strcmp(err_names[i], name) == 0)
			return (enum proto_err)i;
	return PROTO_E__COUNT;
}

int64_t
proto_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t
proto_json_cost(const char *s)
{
	size_t n = 2;		/* the quotes */

	if (s == NULL)
		return 4;
	/* As jansson writes it: \" \\ and the short escapes take two bytes,
	 * other control characters six (\u00XX), the rest themselves. */
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\' || ch == '\b' || ch == '\f' ||
		    ch == '\n' || ch == '\r' || ch == '\t')
			n += 2;
		else if (ch < 0x20)
			n += 6;
		else
			n++;
	}
	return n;
}
