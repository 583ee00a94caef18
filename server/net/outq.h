/*
 * outq.h — a connection's outbound queue: whole messages waiting for the
 * socket, in order, and the bytes they hold, so that a peer that does
 * not read can be cut off at a cap instead of growing the queue without
 * bound. It knows nothing of the transport: each message keeps `pre`
 * bytes of room before its text for the transport's header (LWS_PRE for
 * lws_write), which the queue neither reads nor counts.
 */
#ifndef MOCKINT_OUTQ_H
#define MOCKINT_OUTQ_H

#include <stddef.h>

struct outmsg {
	struct outmsg *next;
	size_t len;		/* the text's bytes, after the room */
	unsigned char buf[];	/* the transport's room, then len bytes */
};

struct outq {
	struct outmsg *head, *tail;
	size_t bytes;		/* sum of the queued messages' len */
};

/* What outq_append did. */
#define OUTQ_OVER	(-1)	/* over the cap: not queued, m is still yours */
#define OUTQ_QUEUED	0	/* queued behind others */
#define OUTQ_FIRST	1	/* queued into an empty queue: start writing */

/*
 * Queue m at the tail (the queue owns it from then on), unless the queue
 * would then hold more than cap bytes. A message larger than cap alone
 * never fits.
 */
int outq_append(struct outq *q, struct outmsg *m, size_t cap);
/* Take the oldest message (the caller frees it), or NULL when empty. */
struct outmsg *outq_pop(struct outq *q);
size_t outq_bytes(const struct outq *q);
int outq_empty(const struct outq *q);
/* Free every queued message; the queue is empty (and usable) after. */
void outq_free(struct outq *q);

#endif
