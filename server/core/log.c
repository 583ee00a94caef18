/*
 * log.c — the server's log (see log.h).
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level current = LOG_INFO;
static const char *const names[] = { "error", "warn", "info", "debug" };

void
log_set_level(enum log_level level)
{
	current = level;
}

int
log_level_parse(const char *s)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
log_enabled(enum log_level level)
{
	return level <= current;
}

void
log_msg(enum log_level level, uint64_t conn, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char when[32], line[1024];
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	(void)n;
	/* One fprintf per line, so lines from one process never interleave. */
	if (conn != 0)
		fprintf(stderr, "%s.%03ldZ %s [c%llu] %s\n", when,
		    ts.tv_nsec / 1000000, names[level], (unsigned long long)conn,
		    line);
	else
		fprintf(stderr, "%s.%03ldZ %s %s\n", when, ts.tv_nsec / 1000000,
		    names[level], line);
}
