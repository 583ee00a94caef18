/*
 * throttle.c — failed-attempt windows in a small chained hash table (see
 * throttle.h). Entries are created only on failure and pruned when their
 * window has passed, so memory follows the attackers, not the users.
 */
#include "throttle.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define NBUCKETS 1024

struct entry {
	char *key;
	int count;
	int64_t start;
	struct entry *next;
};

struct throttle {
	int max;
	int64_t window;
	size_t n;
	struct entry *buckets[NBUCKETS];
};

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % NBUCKETS;
}

struct throttle *
throttle_new(int max, int64_t window_ms)
{
	struct throttle *t = xcalloc(1, sizeof *t);

	t->max = max;
	t->window = window_ms;
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < NBUCKETS; i++) {
		struct entry *e, *next;

		for (e = t->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e->key);
			free(e);
		}
	}
	free(t);
}

static struct entry **
find(struct throttle *t, const char *key)
{
	struct entry **pp;

	for (pp = &t->buckets[hash(key)]; *pp != NULL; pp = &(*pp)->next)
		if (strcmp((*pp)->key, key) == 0)
			break;
	return pp;
}

int64_t
throttle_check(struct throttle *t, const char *key, int64_t now)
{
	struct entry *e = *find(t, key);

	if (e == NULL || now - e->start >= t->window || e->count < t->max)
		return 0;
	return e->start + t->window - now;
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now)
{
	struct entry **pp = find(t, key), *e = *pp;

	if (e == NULL) {
		e = xcalloc(1, sizeof *e);
		e->key = xstrdup(key);
		e->start = now;
		*pp = e;
		t->n++;
	} else if (now - e->start >= t->window) {
		e->count = 0;
		e->start = now;
	}
	e->count++;
}

void
throttle_reset(struct throttle *t, const char *key)
{
	struct entry **pp = find(t, key), *e = *pp;

	if (e == NULL)
		return;
	*pp = e->next;
	free(e->key);
	free(e);
	t->n--;
}

void
throttle_undo(struct throttle *t, const char *key)
{
	struct entry *e = *find(t, key);

	if (e != NULL && e->count > 0)
		e->count--;
}

void
throttle_prune(struct throttle *t, int64_t now)
{
	for (int i = 0; i < NBUCKETS; i++) {
		struct entry **pp = &t->buckets[i], *e;

		while ((e = *pp) != NULL) {
			if (now - e->start >= t->window) {
				*pp = e->next;
				free(e->key);
				free(e);
				t->n--;
			} else
				pp = &e->next;
		}
	}
}

size_t
throttle_size(const struct throttle *t)
{
	return t->n;
}
