/*
 * http.h — the plain HTTP side of the port, for operators and their
 * tools: GET /healthz (is the server up, is the database writable) and
 * GET /metrics (Prometheus). Everything else is 404; nothing is served
 * from the file system. net.c routes lws's HTTP callbacks of protocol 0
 * here.
 */
#ifndef MOCKINT_HTTP_H
#define MOCKINT_HTTP_H

#include <stddef.h>

struct lws;

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
