/*
 * secret.h — copies of passwords: NUL-terminated (libpwquality wants C
 * strings; the length is kept, so a NUL inside stays the password's own),
 * and zeroed before they are freed.
 */
#ifndef MOCKINT_SECRET_H
#define MOCKINT_SECRET_H

#include <stddef.h>

/* A copy of len bytes of s, plus a NUL. */
char *secret_dup(const char *s, size_t len);
/* Zero len bytes of s and free it (NULL: nothing). */
void secret_free(char *s, size_t len);

#endif
