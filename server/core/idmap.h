/*
 * idmap.h — a map from 64-bit ids (users, sessions) to pointers: open
 * addressing with linear probing, grown at 1/2 load. The map never owns
 * what it points to.
 */
#ifndef MOCKINT_IDMAP_H
#define MOCKINT_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap {
	int64_t *keys;		/* 0 is the empty slot: ids start at 1 */
	void **vals;
	size_t cap, n;
};

void idmap_init(struct idmap *m);
void idmap_free(struct idmap *m);
void *idmap_get(const struct idmap *m, int64_t key);
/* Insert or replace; key must not be 0. */
void idmap_put(struct idmap *m, int64_t key, void *val);
void idmap_del(struct idmap *m, int64_t key);
/* Iterate: for (i = 0; idmap_next(m, &i, &k, &v); ) — no changes during. */
int idmap_next(const struct idmap *m, size_t *i, int64_t *key, void **val);

#endif
