/*
 * throttle.h — counting events per key (a username, a client address, a
 * pair of both) so that guessing passwords and creating accounts are
 * slow, in a table of bounded size.
 *
 * A table keeps, per key, a count of events that decays (one event is
 * forgotten per decay_ms without a new one), the time of the last event,
 * and the attempts in flight (begun, not yet ended). It does not decide
 * by itself: the caller judges an entry against a policy (struct
 * throttle_policy), so that one table can be read with two policies (the
 * failures of a username and address pair, strictly once the username is
 * under attack: accounts/guard.c).
 *
 * Memory: an entry exists only while it has a count, an attempt in
 * flight or a back-off running; throttle_prune drops the rest. At most
 * `cap` entries are kept: a new key past the cap pushes out the entry
 * touched longest ago (an attempt in flight is never pushed out). The one
 * an attacker works on is touched by each of their attempts, so an
 * attacker who floods the table with new keys to push out a target's
 * count pays one counted event per key for it.
 *
 * Times are Unix ms; the loop thread only.
 */
#ifndef MOCKINT_THROTTLE_H
#define MOCKINT_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct throttle;

/*
 * How to judge an entry. Up to `free` events (plus the attempts in
 * flight) a key may go on at once. Past them:
 *   - backoff_ms > 0: one attempt at a time, each backoff_ms after the
 *     last event, doubled for every event past `free`, at most
 *     backoff_max_ms (exponential back-off);
 *   - backoff_ms == 0: none until the count has decayed below `free`
 *     (a plain rate: `free` events per free * decay_ms).
 * max_inflight (0: no cap) bounds the attempts in flight whatever the
 * count.
 */
struct throttle_policy {
	int free;
	int64_t backoff_ms;
	int64_t backoff_max_ms;
	int max_inflight;
};

/* A table of at most cap entries whose counts lose one event every
 * decay_ms. */
struct throttle *throttle_new(int64_t decay_ms, size_t cap);
void throttle_free(struct throttle *t);

/* 0 when key may try now under p, else how many ms until it may (an
 * estimate when it waits for attempts in flight). */
int64_t throttle_wait(struct throttle *t, const char *key,
    const struct throttle_policy *p, int64_t now);
/* The count of key now (decayed), 0 when unknown. */
int throttle_count(struct throttle *t, const char *key, int64_t now);

/* An attempt of key starts; every begin is followed by one end. */
void throttle_begin(struct throttle *t, const char *key, int64_t now);
/* It ended; counted: it counts as an event (a failure, an account). */
void throttle_end(struct throttle *t, const char *key, int counted,
    int64_t now);
/* Count an event without an attempt. */
void throttle_add(struct throttle *t, const char *key, int64_t now);
/* Forget key's count and back-off (its attempts in flight stay). */
void throttle_reset(struct throttle *t, const char *key);

/* Drop the entries that hold nothing any more. */
void throttle_prune(struct throttle *t, int64_t now);
size_t throttle_size(const struct throttle *t);
/* Entries pushed out by the cap since the table was made. */
uint64_t throttle_evicted(const struct throttle *t);

#endif
