/*
 * secret.h — freeing copies of passwords (made with xstrndup: NUL-
 * terminated for libpwquality, their length kept so that a NUL inside
 * stays the password's own) only after zeroing them.
 */
#ifndef MOCKINT_SECRET_H
#define MOCKINT_SECRET_H

#include <stddef.h>

/* Zero len bytes of s and free it (NULL: nothing). */
void secret_free(char *s, size_t len);

#endif
