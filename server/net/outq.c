/*
 * outq.c — the outbound queue of a connection (see outq.h).
 */
#include "outq.h"

#include <stdlib.h>

int
outq_append(struct outq *q, struct outmsg *m, size_t cap)
{
	/* Written so that it cannot overflow: bytes <= cap always holds. */
	if (m->len > cap || q->bytes > cap - m->len)
		return OUTQ_OVER;
	m->next = NULL;
	q->bytes += m->len;
	if (q->tail != NULL) {
		q->tail->next = m;
		q->tail = m;
		return OUTQ_QUEUED;
	}
	q->head = q->tail = m;
	return OUTQ_FIRST;
}

struct outmsg *
outq_pop(struct outq *q)
{
	struct outmsg *m = q->head;

	if (m == NULL)
		return NULL;
	q->head = m->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->bytes -= m->len;
	m->next = NULL;
	return m;
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
	struct outmsg *m;

	while ((m = outq_pop(q)) != NULL)
		free(m);
}
