/*
 * http.c — answering GETs and HEADs with the routes registered and the
 * default handler (see http.h).
 *
 * Every request becomes a struct http_req, held by the connection's
 * per-session data and, while it answers, by the handler. An answer's
 * head is built at once (the wsi is there to build it with) and written
 * with its body from the writeable callback, in pieces, which is what lws
 * asks of a handler (a body written at once would be copied into a buffer
 * of lws's own when the socket does not take it all).
 */
#include "http.h"

#include <assert.h>
#include <libwebsockets.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* Bytes of body per lws_write(). */
#define HTTP_CHUNK 16384
/* Writes per writeable callback while the socket takes them. */
#define HTTP_WRITES_PER_CALLBACK 4
/* Room for an answer's head: the status line and every header. */
#define HTTP_HEAD_MAX 2048
/* The longest header name an answer carries. */
#define HTTP_NAME_MAX 64

#define ROUTES_MAX 16

static struct {
	const char *path;
	enum http_where where;
	http_route_fn fn;
} routes[ROUTES_MAX];
static size_t nroutes;
static http_handler_fn default_fn;
static enum http_where default_where;

struct http_req {
	int refs;
	struct lws *wsi;	/* NULL once the connection has gone */
	char *path;
	int head;		/* a HEAD: no body goes out */
	int in_handler;		/* the headers can be read */
	int answered;
	unsigned char *hd;	/* the head, after LWS_PRE bytes */
	size_t hd_len;
	const unsigned char *body;
	size_t len, off;	/* what goes out of body */
	void *owned;
};

void
http_route(const char *path, enum http_where where, http_route_fn fn)
{
	size_t i;

	for (i = 0; i < nroutes; i++)
		if (strcmp(routes[i].path, path) == 0)
			break;
	if (i == ROUTES_MAX) {
		log_error(0, "http: more than %d routes: %s not served",
		    ROUTES_MAX, path);
		return;
	}
	routes[i].path = path;
	routes[i].where = where;
	routes[i].fn = fn;
	if (i == nroutes)
		nroutes++;
}

void
http_route_default(enum http_where where, http_handler_fn fn)
{
	default_where = where;
	default_fn = fn;
}

void
http_routes_clear(void)
{
	nroutes = 0;
	default_fn = NULL;
}

static http_route_fn
route_find(const char *uri, unsigned serves)
{
	for (size_t i = 0; i < nroutes; i++)
		if ((routes[i].where & serves) != 0 &&
		    strcmp(routes[i].path, uri) == 0)
			return routes[i].fn;
	return NULL;
}

/*
 * Whether uri is the whole request target of the method whose URI token
 * is tok. lws 4.1 hands LWS_CALLBACK_HTTP only the first piece of it: it
 * cuts the path at an unescaped ';' or '&' (the rest become more pieces
 * of the token) and at '?' (the query goes to WSI_TOKEN_HTTP_URI_ARGS).
 * An empty query ("/metrics?") leaves no trace there, and is taken as
 * none.
 */
static int
whole_target(struct lws *wsi, const char *uri, enum lws_token_indexes tok)
{
	return lws_hdr_total_length(wsi, tok) == (int)strlen(uri) &&
	    lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS) == 0;
}

static void
req_unref(struct http_req *r)
{
	if (--r->refs > 0)
		return;
	free(r->path);
	free(r->hd);
	free(r->owned);
	free(r);
}

const char *
http_req_path(const struct http_req *req)
{
	return req->path;
}

int
http_req_is_head(const struct http_req *req)
{
	return req->head;
}

int
http_req_header(const struct http_req *req, enum http_req_header h,
    char *buf, size_t len)
{
	static const enum lws_token_indexes tok[] = {
		[HTTP_REQ_IF_NONE_MATCH] = WSI_TOKEN_HTTP_IF_NONE_MATCH,
		[HTTP_REQ_ACCEPT_ENCODING] = WSI_TOKEN_HTTP_ACCEPT_ENCODING,
	};
	int n;

	assert(req->in_handler);
	if (!req->in_handler || req->wsi == NULL || len == 0)
		return -1;
	n = lws_hdr_total_length(req->wsi, tok[h]);
	if (n <= 0 || (size_t)n >= len)
		return -1;
	if (lws_hdr_copy(req->wsi, buf, (int)len, tok[h]) < 0)
		return -1;
	return (int)strlen(buf);
}

void
http_done(struct http_pss *p)
{
	if (p == NULL || p->req == NULL)
		return;
	p->req->wsi = NULL;
	req_unref(p->req);
	p->req = NULL;
}

/* Add "name: value" to the head being built at *h. */
static int
add_header(struct lws *wsi, const struct http_header *hd, unsigned char **h,
    unsigned char *end)
{
	char name[HTTP_NAME_MAX + 2];

	snprintf(name, sizeof name, "%s:", hd->name);
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	    (const unsigned char *)hd->value, (int)strlen(hd->value), h, end);
}

/* Build the head of a into r->hd. */
static int
build_head(struct http_req *r, const struct http_answer *a)
{
	unsigned char *start, *h, *end;

	r->hd = xmalloc(LWS_PRE + HTTP_HEAD_MAX);
	start = h = r->hd + LWS_PRE;
	end = start + HTTP_HEAD_MAX - 1;
	/* A 304 has no Content-Length (RFC 9110 8.6: it would have to be
	 * the 200's); its head alone ends it. */
	if (a->status == HTTP_STATUS_NOT_MODIFIED) {
		if (lws_add_http_header_status(r->wsi, a->status, &h, end))
			return -1;
	} else if (lws_add_http_common_headers(r->wsi, a->status, a->type,
	    a->len, &h, end))
		return -1;
	for (size_t i = 0; i < a->nheaders; i++)
		if (add_header(r->wsi, &a->headers[i], &h, end))
			return -1;
	if (lws_finalize_http_header(r->wsi, &h, end))
		return -1;
	r->hd_len = (size_t)(h - start);
	return 0;
}

void
http_answer(struct http_req *r, const struct http_answer *a)
{
	assert(!r->answered);
	r->answered = 1;
	r->owned = a->owned;
	if (r->wsi == NULL)
		goto out;
	if (build_head(r, a) != 0) {
		free(r->hd);
		r->hd = NULL;
		log_error(0, "http: the answer's head for %.100s does not fit "
		    "in %d bytes: dropping the connection", r->path,
		    HTTP_HEAD_MAX);
		lws_set_timeout(r->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_ASYNC);
		goto out;
	}
	if (!r->head && a->status != HTTP_STATUS_NOT_MODIFIED) {
		r->body = a->body;
		r->len = a->len;
	}
	lws_callback_on_writable(r->wsi);
out:
	req_unref(r);
}

/* Answer with a route's or the transport's own text (owned). */
static void
answer_owned(struct http_req *r, unsigned status, const char *type,
    char *body, size_t len)
{
	static const struct http_header hd[] = {
		{ "Cache-Control", "no-store" },
		{ "Allow", "GET, HEAD" },
	};
	struct http_answer a = { status, type, body, len, body, hd,
		status == HTTP_STATUS_METHOD_NOT_ALLOWED ? 2 : 1 };

	http_answer(r, &a);
}

void
http_answer_text(struct http_req *r, unsigned status, const char *text)
{
	answer_owned(r, status, "text/plain; charset=utf-8", xstrdup(text),
	    strlen(text));
}

int
http_request(struct lws *wsi, struct http_pss *p, const char *uri,
    unsigned serves)
{
	int get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
	int head = !get && lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI) > 0;
	int whole = (get || head) && whole_target(wsi, uri, get ?
	    WSI_TOKEN_GET_URI : WSI_TOKEN_HEAD_URI);
	http_route_fn fn = route_find(uri, serves);
	struct http_response resp;
	struct http_req *r;

	http_done(p);
	r = xcalloc(1, sizeof *r);
	/* The connection's reference, and the answer's. */
	r->refs = 2;
	r->wsi = wsi;
	r->path = xstrdup(uri);
	r->head = head;
	p->req = r;
	/* Whatever body came with another method is unread: no keep-alive. */
	if (!get && !head)
		p->close_after = 1;
	/* Another method is never served: its 405 needs no exact match. */
	if ((get || head) && !whole)
		fn = NULL;
	if (fn != NULL && !get && !head) {
		http_answer_text(r, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "only GET and HEAD\n");
	} else if (fn != NULL) {
		memset(&resp, 0, sizeof resp);
		fn(&resp);
		answer_owned(r, resp.status, resp.type, resp.body, resp.len);
	} else if (whole && default_fn != NULL &&
	    (default_where & serves) != 0) {
		r->in_handler = 1;
		default_fn(r);
		r->in_handler = 0;
	} else {
		log_debug(0, "http: 404 for %.100s", uri);
		http_answer_text(r, HTTP_STATUS_NOT_FOUND, "not found\n");
	}
	return 0;
}

/* The transaction's last byte is out: wait for the next request on the
 * connection (keep-alive), or close it. */
static int
complete(struct lws *wsi, struct http_pss *p)
{
	http_done(p);
	if (p->close_after)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int
http_writeable(struct lws *wsi, struct http_pss *p)
{
	struct http_req *r = p == NULL ? NULL : p->req;
	int writes = 0;

	if (r == NULL || !r->answered || r->hd == NULL)
		return 0;
	if (r->hd_len > 0) {
		if (lws_write(wsi, r->hd + LWS_PRE, r->hd_len,
		    LWS_WRITE_HTTP_HEADERS) != (int)r->hd_len)
			return -1;
		r->hd_len = 0;
		writes++;
	}
	/* The first write goes without asking: the callback says the
	 * socket takes one. */
	for (; r->off < r->len && (writes == 0 ||
	    !lws_send_pipe_choked(wsi)) && writes < HTTP_WRITES_PER_CALLBACK;
	    writes++) {
		size_t n = r->len - r->off < HTTP_CHUNK ? r->len - r->off :
		    HTTP_CHUNK;

		/*
		 * Straight from the body, which has no LWS_PRE bytes in
		 * front (the assets compiled in are const): lws 4.1 writes
		 * HTTP/1.1 with a Content-Length as it is, and only
		 * HTTP/2 framing, chunked encoding or its stream
		 * compression would write in front of buf. None of them
		 * is on (tls.c offers http/1.1 alone; every answer has a
		 * Content-Length). lws_write takes no const.
		 */
		if (lws_write(wsi, (unsigned char *)(uintptr_t)(r->body +
		    r->off), n, r->off + n == r->len ? LWS_WRITE_HTTP_FINAL :
		    LWS_WRITE_HTTP) != (int)n)
			return -1;
		r->off += n;
	}
	if (r->off < r->len) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	return complete(wsi, p);
}
