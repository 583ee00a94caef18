/*
 * outq.h — a connection's outbound queue: whole messages waiting for the
 * socket, in order, and the bytes they hold, so that a peer that does
 * not read can be cut off at a cap instead of growing the queue without
 * bound. It knows nothing of the transport: each message keeps `room`
 * bytes before its text for the transport's header (LWS_PRE for
 * lws_write), which the queue neither reads nor counts.
 *
 * A message's bytes are shared: a push to both participants of a session,
 * or to a user's every connection, is serialised once, and each queue
 * holding it holds a reference (struct outdata). The transport may write
 * its frame header into the room of a shared message: it does so for one
 * write at a time, on one thread, and the header is the same for every
 * connection (a server's frames are not masked).
 */
#ifndef MOCKINT_OUTQ_H
#define MOCKINT_OUTQ_H

#include <stddef.h>

/* One serialised message, and who still needs it. */
struct outdata {
	unsigned refs;
	size_t len;		/* the text's bytes, after the room */
	size_t cap;		/* bytes allocated after the room */
	char type[24];		/* its "type", and an error's "code", for */
	char code[24];		/* the metrics of each send */
	unsigned char buf[];	/* the transport's room, then len bytes */
};

/* A new message with room bytes before cap bytes of text, one reference. */
struct outdata *outdata_new(size_t room, size_t cap);
/* Make room for more text (the pointer may move; one reference only). */
struct outdata *outdata_grow(struct outdata *d, size_t room, size_t cap);
struct outdata *outdata_ref(struct outdata *d);
void outdata_unref(struct outdata *d);

/* A queue's node: one queue's place in line for a shared message. */
struct outmsg {
	struct outmsg *next;
	struct outdata *d;
};

struct outq {
	struct outmsg *head, *tail;
	size_t bytes;		/* sum of the queued messages' len */
};

/* What outq_append did. */
#define OUTQ_OVER	(-1)	/* over the cap: not queued */
#define OUTQ_QUEUED	0	/* queued behind others */
#define OUTQ_FIRST	1	/* queued into an empty queue: start writing */

/*
 * Queue d at the tail, taking a reference, unless the queue would then
 * hold more than cap bytes. A message larger than cap alone never fits.
 */
int outq_append(struct outq *q, struct outdata *d, size_t cap);
/* Take the oldest message (its reference is the caller's), or NULL. */
struct outdata *outq_pop(struct outq *q);
/* The oldest message, left queued (the queue's reference), or NULL. */
struct outdata *outq_peek(const struct outq *q);
size_t outq_bytes(const struct outq *q);
int outq_empty(const struct outq *q);
/* More than one message queued: worth framing together. */
int outq_several(const struct outq *q);

/*
 * Take from the head as many whole messages as fit, each as one
 * unmasked, final WebSocket text frame (RFC 6455 5.2: server to client),
 * into out (max bytes), and let go of them: returns the bytes written.
 * room: the bytes each message keeps before its text (outdata_new's).
 * 0 when the oldest alone does not fit (it stays queued). Several small
 * messages then leave in one system call instead of one each.
 */
size_t outq_take_frames(struct outq *q, size_t room, unsigned char *out,
    size_t max);
/* The bytes of a text frame's header for a payload of len bytes. */
size_t outq_frame_header(unsigned char *out, size_t len);
/* Drop every queued message; the queue is empty (and usable) after. */
void outq_free(struct outq *q);

#endif
