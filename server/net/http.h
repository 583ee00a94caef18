/*
 * http.h — the plain HTTP side of the port. The transport knows how to
 * answer a GET; what is answered on which path is registered by the layers
 * above at start-up (api/: /healthz and /metrics). A path is matched
 * exactly, byte for byte: "/metrics;x" is not "/metrics". Everything not
 * registered is 404; nothing is served from the file system. net.c routes
 * lws's HTTP callbacks of protocol 0 here.
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

/* Answer GET path (a literal) with fn; a second one replaces the first. */
void http_route(const char *path, http_route_fn fn);
/* Forget every route (at shutdown). */
void http_routes_clear(void);

/* lws's per-session data of the HTTP protocol: the response body being
 * written (a body is sent from the writeable callback). */
struct http_pss {
	char *body;
	size_t len, off;
	int close_after;	/* a request body we did not read follows */
};

/* LWS_CALLBACK_HTTP: answer the request for uri. Returns what the
 * callback should return. */
int http_request(struct lws *wsi, struct http_pss *p, const char *uri);
/* LWS_CALLBACK_HTTP_WRITEABLE: write the next piece of the body. */
int http_writeable(struct lws *wsi, struct http_pss *p);
/* The transaction is over or the connection closed: free what is left. */
void http_done(struct http_pss *p);

#endif
