/*
 * rehash.h — replacing a password hash made with weaker limits than the
 * current ones, after the login that found it has been answered: a hash
 * in the background, then a write that takes effect only while the old
 * hash is still the stored one (a password changed meanwhile wins).
 * Nobody waits for it; a full hashing queue or a failure only leaves the
 * old hash for the next login. Loop thread.
 */
#ifndef MOCKINT_REHASH_H
#define MOCKINT_REHASH_H

#include <stddef.h>
#include <stdint.h>

void rehash_start(int64_t user_id, const char *was, const char *password,
    size_t len);

#endif
