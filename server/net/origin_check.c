/*
 * origin_check.c — the Origin of a WebSocket upgrade (see origin_check.h).
 */
#include "origin_check.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "options.h"
#include "origin.h"
#include "proxy.h"
#include "server.h"

/* The longest Origin or Host read: a host name and a port, with room. */
#define HDR_MAX (ORIGIN_HOST_MAX + 32)

/* Header h into buf: 0, 1 when absent, -1 when longer than buf. */
static int
header(struct lws *wsi, enum lws_token_indexes h, char *buf, size_t len)
{
	int n = lws_hdr_total_length(wsi, h);

	if (n <= 0)
		return 1;
	if ((size_t)n >= len || lws_hdr_copy(wsi, buf, (int)len, h) < 0)
		return -1;
	return 0;
}

/* A header lws has no token for (name lower case, with its colon). */
static int
custom(struct lws *wsi, const char *name, char *buf, size_t len)
{
	int n = lws_hdr_custom_length(wsi, name, (int)strlen(name));

	if (n <= 0)
		return 1;
	if ((size_t)n >= len || lws_hdr_custom_copy(wsi, buf, (int)len, name,
	    (int)strlen(name)) < 0)
		return -1;
	return 0;
}

/* This server's origin as the browser sees it, into *own. */
static int
own_origin(struct lws *wsi, struct origin *own)
{
	char host[HDR_MAX], fwd[HDR_MAX], peer[PROXY_ADDR_MAX] = "", proto[8];
	const char *scheme = srv.opts->tls_cert != NULL ? "https" : "http";

	if (header(wsi, WSI_TOKEN_HOST, host, sizeof host) != 0)
		return -1;
	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (proxy_trusted(peer)) {
		if (custom(wsi, "x-forwarded-proto:", proto,
		    sizeof proto) == 0 && (strcasecmp(proto, "http") == 0 ||
		    strcasecmp(proto, "https") == 0))
			scheme = proto;
		if (custom(wsi, "x-forwarded-host:", fwd, sizeof fwd) == 0)
			return origin_from_host(scheme, fwd, own);
	}
	return origin_from_host(scheme, host, own);
}

int
origin_check(struct lws *wsi, char *why, size_t whylen)
{
	const struct options_list *allowed = &srv.opts->allowed_origins;
	char text[HDR_MAX];
	struct origin got, o;
	int rc = header(wsi, WSI_TOKEN_ORIGIN, text, sizeof text);

	if (rc == 1)
		return 1;	/* not a page in a browser */
	/* Not echoed: only a parsed origin is plain enough to go into the
	 * 403's HTML (lws writes the reason there as it is). */
	if (rc != 0 || origin_parse(text, &got) != 0) {
		snprintf(why, whylen, "pages of an opaque or malformed origin "
		    "may not connect");
		return 0;
	}
	for (size_t i = 0; i < allowed->n; i++)
		if (origin_parse(allowed->v[i], &o) == 0 &&
		    origin_equal(&got, &o))
			return 1;
	if (own_origin(wsi, &o) == 0 && origin_equal(&got, &o))
		return 1;
	snprintf(why, whylen, "pages from %.64s may not connect: not this "
	    "server's origin, nor an --allowed-origin", text);
	return 0;
}
