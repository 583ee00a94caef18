/*
 * xmalloc.h — allocation that never returns NULL: out of memory is not a
 * condition mockint tries to survive, so it dies with a message instead of
 * threading NULL checks through every caller.
 */
#ifndef MOCKINT_XMALLOC_H
#define MOCKINT_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
