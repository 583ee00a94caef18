/*
 * ratelimit.c — token buckets and a table of them (see ratelimit.h).
 */
#include "ratelimit.h"

#include <stdlib.h>

#include "xmalloc.h"

static void
refill(struct rl_bucket *b, double per_s, double burst, int64_t now)
{
	if (b->at == 0) {
		b->tokens = burst;
		b->at = now;
		return;
	}
	if (now > b->at) {
		b->tokens += per_s * (double)(now - b->at) / 1000.0;
		if (b->tokens > burst)
			b->tokens = burst;
		b->at = now;
	}
}

int64_t
rl_take(struct rl_bucket *b, double per_s, double burst, int64_t now)
{
	if (per_s <= 0)
		return 0;
	refill(b, per_s, burst, now);
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return 0;
	}
	/* Round up: a client that waits this long finds a token. */
	return (int64_t)((1 - b->tokens) * 1000.0 / per_s) + 1;
}

void
rl_table_init(struct rl_table *t, double per_s, double burst, size_t max)
{
	t->per_s = per_s;
	t->burst = burst;
	t->max = max;
	idmap_init(&t->buckets);
}

void
rl_table_free(struct rl_table *t)
{
	size_t i = 0;
	int64_t k;
	void *v;

	while (idmap_next(&t->buckets, &i, &k, &v))
		free(v);
	idmap_free(&t->buckets);
}

int64_t
rl_table_take(struct rl_table *t, int64_t key, int64_t now)
{
	struct rl_bucket *b;

	if (t->per_s <= 0)
		return 0;
	if (key == 0)
		key = 1;
	if ((b = idmap_get(&t->buckets, key)) == NULL) {
		if (t->buckets.n >= t->max) {
			rl_table_prune(t, now);
			if (t->buckets.n >= t->max)
				return 1000;
		}
		b = xcalloc(1, sizeof *b);
		idmap_put(&t->buckets, key, b);
	}
	return rl_take(b, t->per_s, t->burst, now);
}

void
rl_table_prune(struct rl_table *t, int64_t now)
{
	int64_t *gone = xcalloc(t->buckets.n + 1, sizeof *gone), k;
	size_t i = 0, n = 0;
	void *v;

	/* Collect first: the map must not change while it is walked. */
	while (idmap_next(&t->buckets, &i, &k, &v)) {
		struct rl_bucket *b = v;

		refill(b, t->per_s, t->burst, now);
		if (b->tokens >= t->burst)
			gone[n++] = k;
	}
	for (i = 0; i < n; i++) {
		free(idmap_get(&t->buckets, gone[i]));
		idmap_del(&t->buckets, gone[i]);
	}
	free(gone);
}

int64_t
rl_key(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	h &= INT64_MAX;
	return h != 0 ? (int64_t)h : 1;
}
