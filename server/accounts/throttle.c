/*
 * throttle.c — decaying event counts per key in a bounded hash table (see
 * throttle.h). Entries sit in one list from the least to the most
 * recently touched, so that the cap pushes out the oldest in O(1).
 */
#include "throttle.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* What a caller waiting for attempts in flight is told to wait: about
 * one password hash. */
#define INFLIGHT_WAIT_MS 1000
/* Doubling stops here: 2^30 times any back-off is past every cap. */
#define MAX_DOUBLINGS 30

struct entry {
	char *key;
	int count;		/* events, decayed up to stamp */
	int64_t stamp;		/* decay is counted from here */
	int64_t last;		/* the last event */
	int inflight;
	struct entry *chain;	/* the bucket's next */
	struct entry *older, *newer;	/* the touch order */
};

struct throttle {
	int64_t decay;
	size_t cap, n, nbuckets;
	uint64_t evicted;
	struct entry **buckets;
	struct entry *oldest, *newest;
};

static size_t
hash(const struct throttle *t, const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h & (t->nbuckets - 1);
}

struct throttle *
throttle_new(int64_t decay_ms, size_t cap)
{
	struct throttle *t = xcalloc(1, sizeof *t);

	t->decay = decay_ms > 0 ? decay_ms : 1;
	t->cap = cap > 0 ? cap : 1;
	/* A power of two, about one bucket per two entries at the cap. */
	for (t->nbuckets = 16; t->nbuckets < t->cap / 2; t->nbuckets *= 2)
		;
	t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
	return t;
}

static void
unlink_order(struct throttle *t, struct entry *e)
{
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		t->newest = e->older;
	e->older = e->newer = NULL;
}

static void
link_newest(struct throttle *t, struct entry *e)
{
	e->older = t->newest;
	e->newer = NULL;
	if (t->newest != NULL)
		t->newest->newer = e;
	else
		t->oldest = e;
	t->newest = e;
}

void
throttle_free(struct throttle *t)
{
	struct entry *e, *next;

	if (t == NULL)
		return;
	for (e = t->oldest; e != NULL; e = next) {
		next = e->newer;
		free(e->key);
		free(e);
	}
	free(t->buckets);
	free(t);
}

static struct entry **
find(struct throttle *t, const char *key)
{
	struct entry **pp;

	for (pp = &t->buckets[hash(t, key)]; *pp != NULL; pp = &(*pp)->chain)
		if (strcmp((*pp)->key, key) == 0)
			break;
	return pp;
}

static void
drop(struct throttle *t, struct entry *e)
{
	struct entry **pp = find(t, e->key);

	*pp = e->chain;
	unlink_order(t, e);
	free(e->key);
	free(e);
	t->n--;
}

/* Bring e's count up to now: one event less per decay since stamp. */
static void
decay(const struct throttle *t, struct entry *e, int64_t now)
{
	int64_t steps;

	if (e->count == 0 || now <= e->stamp) {
		if (e->count == 0)
			e->stamp = now;
		return;
	}
	steps = (now - e->stamp) / t->decay;
	if (steps >= e->count) {
		e->count = 0;
		e->stamp = now;
	} else if (steps > 0) {
		e->count -= (int)steps;
		e->stamp += steps * t->decay;
	}
}

/* Make room for one more: the oldest entry without attempts in flight
 * goes (those in flight are bounded by the hashing queue). */
static void
evict_one(struct throttle *t)
{
	struct entry *e;

	for (e = t->oldest; e != NULL && e->inflight > 0; e = e->newer)
		;
	if (e == NULL)
		return;
	drop(t, e);
	t->evicted++;
}

/* key's entry, created and touched (the newest now). */
static struct entry *
touch(struct throttle *t, const char *key, int64_t now)
{
	struct entry **pp = find(t, key), *e = *pp;

	if (e != NULL) {
		unlink_order(t, e);
		link_newest(t, e);
		decay(t, e, now);
		return e;
	}
	if (t->n >= t->cap) {
		evict_one(t);
		pp = find(t, key);	/* the chain may have changed */
	}
	e = xcalloc(1, sizeof *e);
	e->key = xstrdup(key);
	e->stamp = now;
	*pp = e;
	link_newest(t, e);
	t->n++;
	return e;
}

static int64_t
backoff(const struct throttle_policy *p, int count)
{
	int doublings = count - p->free;
	int64_t ms = p->backoff_ms;

	if (doublings > MAX_DOUBLINGS)
		doublings = MAX_DOUBLINGS;
	for (int i = 0; i < doublings && ms < p->backoff_max_ms; i++)
		ms *= 2;
	return ms < p->backoff_max_ms ? ms : p->backoff_max_ms;
}

int64_t
throttle_wait(struct throttle *t, const char *key,
    const struct throttle_policy *p, int64_t now)
{
	struct entry *e = *find(t, key);
	int64_t until;

	if (e == NULL)
		return 0;
	decay(t, e, now);
	if (p->max_inflight > 0 && e->inflight >= p->max_inflight)
		return INFLIGHT_WAIT_MS;
	if (e->count + e->inflight < p->free)
		return 0;
	if (p->backoff_ms == 0) {
		/* A plain rate: wait for the count to fall below free. */
		if (e->count < p->free)
			return INFLIGHT_WAIT_MS;
		return e->stamp + (e->count - p->free + 1) * t->decay - now;
	}
	if (e->inflight > 0)
		return INFLIGHT_WAIT_MS;
	if (e->count < p->free)
		return 0;
	until = e->last + backoff(p, e->count);
	return until > now ? until - now : 0;
}

int
throttle_count(struct throttle *t, const char *key, int64_t now)
{
	struct entry *e = *find(t, key);

	if (e == NULL)
		return 0;
	decay(t, e, now);
	return e->count;
}

void
throttle_begin(struct throttle *t, const char *key, int64_t now)
{
	touch(t, key, now)->inflight++;
}

static void
count_event(struct entry *e, int64_t now)
{
	e->count++;
	e->last = now;
}

void
throttle_end(struct throttle *t, const char *key, int counted, int64_t now)
{
	struct entry *e = touch(t, key, now);

	if (e->inflight > 0)
		e->inflight--;
	if (counted)
		count_event(e, now);
}

void
throttle_add(struct throttle *t, const char *key, int64_t now)
{
	count_event(touch(t, key, now), now);
}

void
throttle_reset(struct throttle *t, const char *key)
{
	struct entry *e = *find(t, key);

	if (e == NULL)
		return;
	if (e->inflight > 0) {
		e->count = 0;
		e->last = 0;
	} else
		drop(t, e);
}

void
throttle_prune(struct throttle *t, int64_t now)
{
	struct entry *e, *next;

	for (e = t->oldest; e != NULL; e = next) {
		next = e->newer;
		decay(t, e, now);
		if (e->count == 0 && e->inflight == 0)
			drop(t, e);
	}
}

size_t
throttle_size(const struct throttle *t)
{
	return t->n;
}

uint64_t
throttle_evicted(const struct throttle *t)
{
	return t->evicted;
}
