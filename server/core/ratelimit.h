/*
 * ratelimit.h — token buckets: a rate and a burst, for everything a
 * connection, a user or an address may do only so often (requests per
 * connection, pushes a user causes, room codes tried, sessions started).
 *
 * A bucket holds up to `burst` tokens and gains `per_s` a second; an
 * action takes one. rl_table keeps one bucket per 64-bit key (a user id, a
 * connection id, a hashed address) and forgets a bucket once it is full
 * again, so its memory follows the active keys, not all keys ever seen.
 */
#ifndef MOCKINT_RATELIMIT_H
#define MOCKINT_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "idmap.h"

struct rl_bucket {
	double tokens;
	int64_t at;		/* ms of the last refill */
};

/*
 * Take one token from b at now (ms): 0 when there was one, otherwise how
 * many ms until there will be (nothing taken). per_s 0 means no limit.
 * A new bucket (zeroed) starts full.
 */
int64_t rl_take(struct rl_bucket *b, double per_s, double burst, int64_t now);

struct rl_table {
	double per_s, burst;
	struct idmap buckets;	/* key -> struct rl_bucket * */
	size_t max;		/* the most buckets kept at once */
};

void rl_table_init(struct rl_table *t, double per_s, double burst,
    size_t max);
void rl_table_free(struct rl_table *t);
/* rl_take on key's bucket. When the table is full and key is new, the
 * action is refused (a second's wait) rather than the table grown. */
int64_t rl_table_take(struct rl_table *t, int64_t key, int64_t now);
/* Forget the buckets that are full again (call now and then). */
void rl_table_prune(struct rl_table *t, int64_t now);
/* A 64-bit key for a string (an address): FNV-1a, never 0. */
int64_t rl_key(const char *s);

#endif
