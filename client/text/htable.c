/*
 * htable.c — the history table's columns (see htable.h).
 */
#include "htable.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

void
htable_result(const json_t *e, char *buf, size_t len)
{
	json_t *ov = json_object_get(e, "overall");
	const char *why = str(e, "reason")[0] ? fmt_reason(str(e,
	    "reason")) : str(e, "phase");

	if (json_is_number(ov))
		snprintf(buf, len, "%s %.2f", why, json_number_value(ov));
	else
		snprintf(buf, len, "%s", why);
}

void
htable_row(const json_t *e, int titlew, char *buf, size_t len)
{
	char t[32], c1[64], c2[64], c4[1024];

	snprintf(buf, len, "%6lld  %-16s  %s  %s  %s  ",
	    (long long)json_integer_value(json_object_get(e, "session_id")),
	    fmt_time(json_integer_value(json_object_get(e, "started_at")), t,
	    sizeof t), fmt_pad(str(e, "role"), HTABLE_ROLE_W, c1,
	    sizeof c1), fmt_pad(str(json_object_get(e, "peer"), "username"),
	    HTABLE_PEER_W, c2, sizeof c2), fmt_pad(str(json_object_get(e,
	    "question"), "title"), titlew, c4, sizeof c4));
}

int
htable_title_width(int columns, int resultw)
{
	/* One column spare: a line as wide as the terminal wraps in some. */
	int w = columns - 1 - HTABLE_FIXED_W - resultw;

	return w < HTABLE_TITLE_MIN ? HTABLE_TITLE_MIN : w;
}

void
htable_header(int titlew, int resultw, char *buf, size_t len)
{
	char c1[64], c2[64], c4[1024];

	snprintf(buf, len, "%6s  %-16s  %s  %s  %s  %-*s", "ID", "DATE",
	    fmt_pad("ROLE", HTABLE_ROLE_W, c1, sizeof c1), fmt_pad("PEER",
	    HTABLE_PEER_W, c2, sizeof c2), fmt_pad("QUESTION", titlew, c4,
	    sizeof c4), resultw, "RESULT");
}
