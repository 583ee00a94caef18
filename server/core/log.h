/*
 * log.h — one line per event on stderr: time, level, connection id, what
 * happened. Callers never pass a password or a token.
 */
#ifndef MOCKINT_LOG_H
#define MOCKINT_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Parse "error|warn|info|debug"; -1 when unknown. */
int log_level_parse(const char *s);
int log_enabled(enum log_level level);

/* conn is the connection id, 0 for events that belong to no connection. */
void log_msg(enum log_level level, uint64_t conn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(c, ...) log_msg(LOG_ERROR, (c), __VA_ARGS__)
#define log_warn(c, ...) log_msg(LOG_WARN, (c), __VA_ARGS__)
#define log_info(c, ...) log_msg(LOG_INFO, (c), __VA_ARGS__)
#define log_debug(c, ...) \
	do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, (c), __VA_ARGS__); } while (0)

#endif
