/*
 * ansi.c — SGR colour escapes, on or off (see ansi.h).
 */
#include "ansi.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int enabled;

static const char *const sgr[ANSI__COUNT] = {
	[ANSI_RESET] = "\033[0m",
	[ANSI_BOLD] = "\033[1m",
	[ANSI_DIM] = "\033[2m",
	[ANSI_RED] = "\033[31m",
	[ANSI_GREEN] = "\033[32m",
	[ANSI_YELLOW] = "\033[33m",
	[ANSI_BLUE] = "\033[34m",
	[ANSI_MAGENTA] = "\033[35m",
	[ANSI_CYAN] = "\033[36m",
};

int
ansi_parse_when(const char *s, enum ansi_when *when)
{
	if (s == NULL || strcmp(s, "auto") == 0)
		*when = ANSI_AUTO;
	else if (strcmp(s, "always") == 0)
		*when = ANSI_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*when = ANSI_NEVER;
	else
		return -1;
	return 0;
}

int
ansi_resolve(enum ansi_when when, int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != ANSI_AUTO)
		return when == ANSI_ALWAYS;
	if (no != NULL && no[0] != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

void
ansi_enable(int on)
{
	enabled = on;
}

int
ansi_enabled(void)
{
	return enabled;
}

const char *
ansi(enum ansi_style s)
{
	if (!enabled || (unsigned)s >= ANSI__COUNT)
		return "";
	return sgr[s];
}

const char *
ansi_score(int score)
{
	static const char *const bold_green = "\033[1;32m";

	if (!enabled)
		return "";
	switch (score) {
	case 1:
		return sgr[ANSI_RED];
	case 2:
		return sgr[ANSI_YELLOW];
	case 3:
		return sgr[ANSI_GREEN];
	case 4:
		return bold_green;
	default:
		return "";
	}
}
