/*
 * reasm.h — reassembling one WebSocket message from its fragments, with
 * a cap: what mockintd, the client's wsclient and the bench's echo relay
 * each need for every inbound message. No libwebsockets here: the caller
 * says where a message starts (lws_is_first_fragment) and when it is
 * whole (lws_is_final_fragment and no lws_remaining_packet_payload).
 *
 * Use:
 *	proto_reasm_init(&ra, PROTO_MAX_MESSAGE);
 *	on each fragment:
 *		if (first) proto_reasm_reset(&ra);
 *		if (proto_reasm_append(&ra, in, len) == -1) close with 1009;
 *		if (whole) { use ra.buf, ra.len; proto_reasm_reset(&ra) or
 *		    proto_reasm_release(&ra) to give the buffer back; }
 *	at the end: proto_reasm_release(&ra).
 */
#ifndef MOCKINT_REASM_H
#define MOCKINT_REASM_H

#include <stddef.h>

/*
 * A message being reassembled. buf and len are for reading: buf holds
 * the len bytes appended since the last reset, followed by a NUL (so
 * that a text message can be used as a string); buf is NULL while
 * nothing has been appended since init or release. Change it only
 * through the functions below.
 */
struct proto_reasm {
	char	*buf;
	size_t	 len;
	size_t	 cap;	/* bytes allocated, the NUL included */
	size_t	 max;	/* the largest message accepted */
};

/* Empty, holding no memory, accepting messages of up to max bytes. */
void proto_reasm_init(struct proto_reasm *ra, size_t max);
/*
 * Append a fragment (len may be 0). 0, or -1 when the message would
 * grow over max: then nothing is appended and the message should be
 * refused (WebSocket close 1009); reset before reusing ra.
 */
int proto_reasm_append(struct proto_reasm *ra, const void *frag,
    size_t len);
/*
 * Whether more bytes still fit under max: a caller that knows how much
 * of a frame is still to come can refuse a message before buffering it.
 */
int proto_reasm_fits(const struct proto_reasm *ra, size_t more);
/* Start a new message, keeping the buffer for it. */
void proto_reasm_reset(struct proto_reasm *ra);
/*
 * Start a new message and free the buffer: for a connection that should
 * hold no memory while idle. ra stays usable (max is kept).
 */
void proto_reasm_release(struct proto_reasm *ra);

#endif
