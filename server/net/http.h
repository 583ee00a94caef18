/*
 * http.h — the plain HTTP side of the listeners. The transport knows how
 * to answer a GET or a HEAD; what is answered on which path, and on which
 * listener, is registered by the layers above at start-up (api/: /healthz
 * and /metrics as exact routes, the browser client as the default
 * handler). A route's path is matched exactly, byte for byte, against the
 * whole request target as lws parsed it: "/metrics;x", "/metrics&x",
 * "/metrics/" and "/metrics?x" are not "/metrics" (a query string is
 * refused too: nothing served here takes one). What no route matches goes
 * to the default handler, when one is registered for the listener, with
 * the same exactness (no query string), and is otherwise 404. Nothing is
 * served from the file system by net itself. net.c routes lws's HTTP
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
 * same path replaces the first. Routes answer HEAD too (no body). */
void http_route(const char *path, enum http_where where, http_route_fn fn);
/* Forget every route and the default handler (at shutdown). */
void http_routes_clear(void);

/*
 * A request handed to the default handler. It is reference-counted: the
 * transport holds one reference while the connection lasts, the handler
 * gets one that http_answer gives back. So a handler may answer later
 * (after work off the loop): if the client has gone meanwhile, the
 * answer goes nowhere and only what it owns is freed.
 */
struct http_req;

/* A header of an answer, besides those the transport writes itself
 * (status, Content-Type, Content-Length). */
struct http_header {
	const char *name;	/* "ETag": no colon */
	const char *value;
};

struct http_answer {
	unsigned status;
	const char *type;	/* Content-Type; NULL for none (a 304) */
	/*
	 * len bytes, written as they are (never copied: they must stay put
	 * until written). Not sent for a HEAD, where Content-Length still
	 * says len, nor with a 304, which has no Content-Length.
	 */
	const void *body;
	size_t len;
	void *owned;		/* free()d when done with; NULL: body is
				 * static */
	const struct http_header *headers;	/* copied by http_answer */
	size_t nheaders;
};

/* The default handler: called on the loop for a GET or HEAD that no
 * route matched; must call http_answer(req, ...) once, now or later. */
typedef void (*http_handler_fn)(struct http_req *req);

/* Send what no route matches on the listeners in where to fn. */
void http_route_default(enum http_where where, http_handler_fn fn);

/* The request's path (decoded and folded by lws; see above). */
const char *http_req_path(const struct http_req *req);
/* Whether it is a HEAD (answer as a GET; the body is left out). */
int http_req_is_head(const struct http_req *req);

/* The request headers a handler may read. */
enum http_req_header {
	HTTP_REQ_IF_NONE_MATCH,
	HTTP_REQ_ACCEPT_ENCODING,
};

/*
 * Copy header h of the request into buf (NUL-terminated; several
 * occurrences joined by commas): its length, or -1 when absent or
 * longer than len - 1. Only during the handler's call: lws may let the
 * headers go as soon as it returns.
 */
int http_req_header(const struct http_req *req, enum http_req_header h,
    char *buf, size_t len);

/* Answer req (the handler's reference goes with it; a->owned is taken
 * over even when the client has gone). */
void http_answer(struct http_req *req, const struct http_answer *a);

/* Answer req with text (text/plain, not cached), as http_answer does. */
void http_answer_text(struct http_req *req, unsigned status,
    const char *text);

/* lws's per-session data of the HTTP protocol. */
struct http_pss {
	struct http_req *req;	/* the request being answered */
	int close_after;	/* a request body we did not read follows */
};

/* LWS_CALLBACK_HTTP on a listener that serves the routes in the mask
 * serves: answer the request for uri (lws's first piece of it). Returns
 * what the callback should return. */
int http_request(struct lws *wsi, struct http_pss *p, const char *uri,
    unsigned serves);
/* LWS_CALLBACK_HTTP_WRITEABLE: write the head, then the body in pieces. */
int http_writeable(struct lws *wsi, struct http_pss *p);
/* The transaction is over or the connection closed: let go of the
 * request (a handler still holding it answers into nothing). */
void http_done(struct http_pss *p);

#endif
