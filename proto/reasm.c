/*
 * reasm.c — reassembling a fragmented message under a cap (see reasm.h).
 */
#include "reasm.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* The first allocation: most fragmented messages are small. */
#define REASM_FIRST_CAP	4096

void
proto_reasm_init(struct proto_reasm *ra, size_t max)
{
	ra->buf = NULL;
	ra->len = ra->cap = 0;
	ra->max = max;
}

int
proto_reasm_fits(const struct proto_reasm *ra, size_t more)
{
	return more <= ra->max - ra->len;
}

int
proto_reasm_append(struct proto_reasm *ra, const void *frag, size_t len)
{
	size_t need, cap;

	if (!proto_reasm_fits(ra, len))
		return -1;
	need = ra->len + len + 1;	/* the NUL */
	if (need > ra->cap) {
		cap = ra->cap != 0 ? ra->cap : REASM_FIRST_CAP;
		while (cap < need)
			cap *= 2;
		ra->buf = xrealloc(ra->buf, cap);
		ra->cap = cap;
	}
	if (len > 0)
		memcpy(ra->buf + ra->len, frag, len);
	ra->len += len;
	ra->buf[ra->len] = '\0';
	return 0;
}

void
proto_reasm_reset(struct proto_reasm *ra)
{
	ra->len = 0;
	if (ra->buf != NULL)
		ra->buf[0] = '\0';
}

void
proto_reasm_release(struct proto_reasm *ra)
{
	free(ra->buf);
	proto_reasm_init(ra, ra->max);
}
