/*
 * http.h — the plain HTTP side of the listeners. The transport knows how
 * to answer a GET; what is answered on which path, and on which listener,
 * is registered by the layers above at start-up (api/: /healthz and
 * /metrics). A path is matched exactly, byte for byte, against the whole
 * request target as lws parsed it: "/metrics;x", "/metrics&x",
 * "/metrics/" and "/metrics?x" are not "/metrics" (a query string is
 * refused too: neither page takes one). Everything not registered is 404;
 * nothing is served from the file system. net.c routes lws's HTTP
 * callbacks of protocol 0 here.
 *
 * lws 4.1 itself decodes %XX and folds "//", "/./" and "/../" before any
 * callback sees the path (lib/roles/http/parsers.c, lws_parse_urldecode),
 * and keeps no raw copy: "/%6detrics" reaches us as "/metrics". nginx
 * matches its locations on the same decoded, folded path, so these are
 * no way around a `location = /metrics` in front.
 */
#ifndef MOCKINT_HTTP_H
#define MOCKINT_HTTP_H

#include <stddef.h>

struct lws;

/* What a route answers. body is malloc'd and taken over by the caller. */
struct http_response {
	unsigned status;
	const char *type;	/* Content-Type, a literal */
	char *body;
	size_t len;
};

/* Fill *out for a GET of the route's path (runs on the loop: no I/O). */
typedef void (*http_route_fn)(struct http_response *out);

/* Which listeners serve a route (a mask). */
enum http_where {
	HTTP_PUBLIC = 1,	/* the main port (--port) */
	/* --metrics-listen when it is given (and then never the main
	 * port), else the main port */
	HTTP_PRIVATE = 2,
};

/* Answer GET path (a literal) with fn where said; a second one for the
 * same path replaces the first. */
void http_route(const char *path, enum http_where where, http_route_fn fn);
/* Forget every route (at shutdown). */
void http_routes_clear(void);

/* lws's per-session data of the HTTP protocol: the response body being
 * written (a body is sent from the writeable callback). */
struct http_pss {
	char *body;
	size_t len, off;
	int close_after;	/* a request body we did not read follows */
};

/* LWS_CALLBACK_HTTP on a listener that serves the routes in the mask
 * serves: answer the request for uri (lws's first piece of it). Returns
 * what the callback should return. */
int http_request(struct lws *wsi, struct http_pss *p, const char *uri,
    unsigned serves);
/* LWS_CALLBACK_HTTP_WRITEABLE: write the next piece of the body. */
int http_writeable(struct lws *wsi, struct http_pss *p);
/* The transaction is over or the connection closed: free what is left. */
void http_done(struct http_pss *p);

#endif
