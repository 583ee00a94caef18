/*
 * pwhash.h — Argon2id password hashing and verification on libuv's thread
 * pool, never on the loop thread. At most PWHASH_MAX_PENDING jobs wait or
 * run at once; past that a submission is refused so that a login storm
 * costs a bounded amount of memory (each running hash holds memlimit).
 */
#ifndef MOCKINT_PWHASH_H
#define MOCKINT_PWHASH_H

#include <stddef.h>

#define PWHASH_MAX_PENDING 64

/*
 * Completion, on the loop thread. For a hash: ok is 1 and hash the new
 * string. For a verify: ok is 1 when the password matched; rehash, when
 * not NULL, is a fresh hash with the current limits that should replace
 * the stored one. ok is -1 when libsodium failed (out of memory).
 */
typedef void (*pwhash_cb)(int ok, const char *hash, const char *rehash,
    void *arg);

void pwhash_configure(unsigned long long opslimit, size_t memlimit);
/* Both return -1 (nothing queued) when too many jobs are pending. */
int pwhash_hash(const char *password, size_t len, pwhash_cb cb, void *arg);
int pwhash_verify(const char *stored, const char *password, size_t len,
    pwhash_cb cb, void *arg);

#endif
