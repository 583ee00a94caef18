/*
 * outq.c — the outbound queue of a connection (see outq.h).
 */
#include "outq.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

struct outdata *
outq_peek(const struct outq *q)
{
	return q->head != NULL ? q->head->d : NULL;
}

/* RFC 6455 5.2: FIN with opcode 1 (text); a 7-bit length, or 126 and
 * 16 bits, or 127 and 64 bits, in network order; no mask from a server. */
#define WS_FIN_TEXT	0x81
#define WS_LEN_16	126
#define WS_LEN_64	127

size_t
outq_frame_header(unsigned char *out, size_t len)
{
	out[0] = WS_FIN_TEXT;
	if (len < WS_LEN_16) {
		out[1] = (unsigned char)len;
		return 2;
	}
	if (len <= 0xffff) {
		out[1] = WS_LEN_16;
		out[2] = (unsigned char)(len >> 8);
		out[3] = (unsigned char)len;
		return 4;
	}
	out[1] = WS_LEN_64;
	for (int i = 0; i < 8; i++)
		out[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	return 10;
}

size_t
outq_take_frames(struct outq *q, size_t room, unsigned char *out, size_t max)
{
	unsigned char hdr[10];
	struct outdata *d;
	size_t used = 0, h;

	while ((d = outq_peek(q)) != NULL) {
		h = outq_frame_header(hdr, d->len);
		if (h + d->len > max - used)
			break;
		memcpy(out + used, hdr, h);
		memcpy(out + used + h, d->buf + room, d->len);
		used += h + d->len;
		outdata_unref(outq_pop(q));
	}
	return used;
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

int
outq_several(const struct outq *q)
{
	return q->head != NULL && q->head->next != NULL;
}

void
outq_free(struct outq *q)
{
	struct outdata *d;

	while ((d = outq_pop(q)) != NULL)
		outdata_unref(d);
}
