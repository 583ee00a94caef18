/*
 * throttle.h — counting failed logins per key (a username, a client
 * address) in fixed windows, so that guessing passwords is slow.
 */
#ifndef MOCKINT_THROTTLE_H
#define MOCKINT_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct throttle;

/* Allow max failures per key in every window of window_ms. */
struct throttle *throttle_new(int max, int64_t window_ms);
void throttle_free(struct throttle *t);
/* 0 when key may try now, else how many ms until it may. */
int64_t throttle_check(struct throttle *t, const char *key, int64_t now);
void throttle_fail(struct throttle *t, const char *key, int64_t now);
void throttle_reset(struct throttle *t, const char *key);
/* Take back one failure counted in advance (an attempt that succeeded). */
void throttle_undo(struct throttle *t, const char *key);
/* Forget windows that have ended (bounded memory). */
void throttle_prune(struct throttle *t, int64_t now);
size_t throttle_size(const struct throttle *t);

#endif
