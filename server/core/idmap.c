/*
 * idmap.c — id → pointer map (see idmap.h). Deletion shifts the following
 * cluster back (no tombstones), so lookups stay short after churn.
 */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static size_t
slot(int64_t key, size_t cap)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h >> 17) & (cap - 1);
}

void
idmap_init(struct idmap *m)
{
	memset(m, 0, sizeof *m);
}

void
idmap_free(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

void *
idmap_get(const struct idmap *m, int64_t key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = slot(key, m->cap); m->keys[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return NULL;
}

static void
grow(struct idmap *m)
{
	struct idmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i] != 0)
			idmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

void
idmap_put(struct idmap *m, int64_t key, void *val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	for (i = slot(key, m->cap); m->keys[i] != 0; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return;
		}
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

void
idmap_del(struct idmap *m, int64_t key)
{
	size_t i, j, mask = m->cap - 1;

	if (m->cap == 0)
		return;
	for (i = slot(key, m->cap); m->keys[i] != key; i = (i + 1) & mask)
		if (m->keys[i] == 0)
			return;
	m->keys[i] = 0;
	m->vals[i] = NULL;
	m->n--;
	/* Move back any entry of the cluster that the hole now hides. */
	for (j = (i + 1) & mask; m->keys[j] != 0; j = (j + 1) & mask) {
		size_t home = slot(m->keys[j], m->cap);

		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = 0;
			m->vals[j] = NULL;
			i = j;
		}
	}
}

int
idmap_next(const struct idmap *m, size_t *i, int64_t *key, void **val)
{
	for (; *i < m->cap; (*i)++) {
		if (m->keys[*i] != 0) {
			*key = m->keys[*i];
			*val = m->vals[*i];
			(*i)++;
			return 1;
		}
	}
	return 0;
}
