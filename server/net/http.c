/*
 * http.c — answering GETs with the routes registered (see http.h).
 *
 * A response's headers go out from the request callback and its body from
 * the writeable callback in pieces, which is what lws asks of a handler
 * (a body written at once would be copied into a buffer of lws's own when
 * the socket does not take it all).
 */
#include "http.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* Bytes of body written per writeable callback. */
#define HTTP_CHUNK 4096

#define ROUTES_MAX 16

static struct {
	const char *path;
	http_route_fn fn;
} routes[ROUTES_MAX];
static size_t nroutes;

void
http_route(const char *path, http_route_fn fn)
{
	for (size_t i = 0; i < nroutes; i++)
		if (strcmp(routes[i].path, path) == 0) {
			routes[i].fn = fn;
			return;
		}
	if (nroutes < ROUTES_MAX) {
		routes[nroutes].path = path;
		routes[nroutes++].fn = fn;
	}
}

void
http_routes_clear(void)
{
	nroutes = 0;
}

static http_route_fn
route_find(const char *uri)
{
	for (size_t i = 0; i < nroutes; i++)
		if (strcmp(routes[i].path, uri) == 0)
			return routes[i].fn;
	return NULL;
}

void
http_done(struct http_pss *p)
{
	if (p == NULL)
		return;
	free(p->body);
	p->body = NULL;
	p->len = p->off = 0;
}

/* Queue a response: headers now, body (taken over) when writeable. */
static int
respond(struct lws *wsi, struct http_pss *p, unsigned status,
    const char *type, char *body, size_t len)
{
	static const char no_store[] = "no-store", allow[] = "GET";
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *h = start,
	    *end = buf + sizeof buf - 1;

	http_done(p);
	p->body = body;
	p->len = len;
	if (lws_add_http_common_headers(wsi, status, type, len, &h, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)no_store, sizeof no_store - 1, &h, end) ||
	    (status == HTTP_STATUS_METHOD_NOT_ALLOWED &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_ALLOW,
	    (const unsigned char *)allow, sizeof allow - 1, &h, end)) ||
	    lws_finalize_write_http_header(wsi, start, &h, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int
respond_text(struct lws *wsi, struct http_pss *p, unsigned status,
    const char *text)
{
	return respond(wsi, p, status, "text/plain; charset=utf-8",
	    xstrdup(text), strlen(text));
}

int
http_request(struct lws *wsi, struct http_pss *p, const char *uri)
{
	int get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
	http_route_fn fn = route_find(uri);
	struct http_response r;

	/* Whatever body came with another method is unread: no keep-alive. */
	if (!get)
		p->close_after = 1;
	if (fn == NULL) {
		log_debug(0, "http: 404 for %.100s", uri);
		return respond_text(wsi, p, HTTP_STATUS_NOT_FOUND,
		    "not found\n");
	}
	if (!get)
		return respond_text(wsi, p, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "only GET\n");
	memset(&r, 0, sizeof r);
	fn(&r);
	return respond(wsi, p, r.status, r.type, r.body, r.len);
}

int
http_writeable(struct lws *wsi, struct http_pss *p)
{
	unsigned char buf[LWS_PRE + HTTP_CHUNK];
	size_t n;
	int final;

	if (p == NULL || p->body == NULL)
		return 0;
	n = p->len - p->off < HTTP_CHUNK ? p->len - p->off : HTTP_CHUNK;
	final = p->off + n == p->len;
	memcpy(buf + LWS_PRE, p->body + p->off, n);
	if (lws_write(wsi, buf + LWS_PRE, n, final ? LWS_WRITE_HTTP_FINAL :
	    LWS_WRITE_HTTP) != (int)n)
		return -1;
	p->off += n;
	if (!final) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	http_done(p);
	if (p->close_after)
		return -1;
	/* Keep-alive: wait for the next request; otherwise close. */
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}
