/*
 * pwhash.h — Argon2id password hashing and verification on libuv's thread
 * pool, never on the loop thread. At most PWHASH_MAX_PENDING jobs wait or
 * run at once; past that a submission is refused so that a login storm
 * costs a bounded amount of memory (each running hash holds memlimit).
 *
 * A verification takes as long whoever asks. An unknown user is verified
 * against a dummy hash made with the current limits (stored == NULL), so
 * it costs what a current user's does. A stored hash made with other
 * limits (before --pwhash-ops/--pwhash-mem were raised) verifies faster:
 * its answer is held back until the usual time of a verification with
 * the current limits has passed (measured, on this machine). Replacing
 * such a hash is the caller's business, after it replied (a plain
 * pwhash_hash, in the background): doing it inside the verification made
 * a known user with an old hash answer visibly later than anyone else.
 */
#ifndef MOCKINT_PWHASH_H
#define MOCKINT_PWHASH_H

#include <stddef.h>

#define PWHASH_MAX_PENDING 64

/*
 * Completion, on the loop thread, never inside the submitting call. For a
 * hash: ok is 1 and hash the new string. For a verify: ok is 1 when the
 * password matched, 0 when not; stale is 1 when the stored hash was made
 * with other limits and should be replaced. ok is -1 when libsodium
 * failed (out of memory) or the job was cancelled.
 */
typedef void (*pwhash_cb)(int ok, const char *hash, int stale, void *arg);

/* Set the limits and make the dummy hash (on the calling thread, at
 * start-up); -1 when libsodium cannot (out of memory). */
int pwhash_configure(unsigned long long opslimit, size_t memlimit);
/* Both return -1 (nothing queued) when too many jobs are pending. */
int pwhash_hash(const char *password, size_t len, pwhash_cb cb, void *arg);
/* stored NULL: against the dummy (nothing matches it). */
int pwhash_verify(const char *stored, const char *password, size_t len,
    pwhash_cb cb, void *arg);

#endif
