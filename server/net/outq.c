/*
 * outq.c — the outbound queue of a connection (see outq.h).
 */
#include "outq.h"

#include <stdlib.h>

#include "xmalloc.h"

struct outdata *
outdata_new(size_t room, size_t cap)
{
	struct outdata *d = xmalloc(sizeof *d + room + cap);

	d->refs = 1;
	d->len = 0;
	d->cap = cap;
	d->type[0] = d->code[0] = '\0';
	return d;
}

struct outdata *
outdata_grow(struct outdata *d, size_t room, size_t cap)
{
	if (cap <= d->cap)
		return d;
	d = xrealloc(d, sizeof *d + room + cap);
	d->cap = cap;
	return d;
}

struct outdata *
outdata_ref(struct outdata *d)
{
	d->refs++;
	return d;
}

void
outdata_unref(struct outdata *d)
{
	if (d != NULL && --d->refs == 0)
		free(d);
}

int
outq_append(struct outq *q, struct outdata *d, size_t cap)
{
	struct outmsg *m;

	/* Written so that it cannot overflow: bytes <= cap always holds. */
	if (d->len > cap || q->bytes > cap - d->len)
		return OUTQ_OVER;
	m = xmalloc(sizeof *m);
	m->next = NULL;
	m->d = outdata_ref(d);
	q->bytes += d->len;
	if (q->tail != NULL) {
		q->tail->next = m;
		q->tail = m;
		return OUTQ_QUEUED;
	}
	q->head = q->tail = m;
	return OUTQ_FIRST;
}

struct outdata *
outq_pop(struct outq *q)
{
	struct outmsg *m = q->head;
	struct outdata *d;

	if (m == NULL)
		return NULL;
	q->head = m->next;
	if (q->head == NULL)
		q->tail = NULL;
	d = m->d;
	q->bytes -= d->len;
	free(m);
	return d;
}

size_t
outq_bytes(const struct outq *q)
{
	return q->bytes;
}

int
outq_empty(const struct outq *q)
{
	return q->head == NULL;
}

void
outq_free(struct outq *q)
{
	struct outdata *d;

	while ((d = outq_pop(q)) != NULL)
		outdata_unref(d);
}
