/*
 * http.c — GET /healthz and GET /metrics (see http.h).
 *
 * A response's headers go out from the request callback and its body from
 * the writeable callback in pieces, which is what lws asks of a handler
 * (a body written at once would be copied into a buffer of lws's own when
 * the socket does not take it all).
 */
#include "http.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "proto.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

/* Bytes of body written per writeable callback. */
#define HTTP_CHUNK 4096

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
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *h = start,
	    *end = buf + sizeof buf - 1;

	http_done(p);
	p->body = body;
	p->len = len;
	if (lws_add_http_common_headers(wsi, status, type, len, &h, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)"no-store", 8, &h, end) ||
	    (status == HTTP_STATUS_METHOD_NOT_ALLOWED &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_ALLOW,
	    (const unsigned char *)"GET", 3, &h, end)) ||
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

/*
 * Can the database take a write? BEGIN IMMEDIATE takes the write lock
 * (so a file gone read-only or a lock held elsewhere shows) and costs no
 * I/O; the ROLLBACK leaves nothing behind. The server commits every
 * transaction within the callback that opened it, so none is open here.
 */
static int
db_writable(char *why, size_t whylen)
{
	sqlite3 *db;

	if (srv.store == NULL) {
		snprintf(why, whylen, "no database");
		return -1;
	}
	db = store_db(srv.store);
	if (!sqlite3_get_autocommit(db))
		return 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

static int
healthz(struct lws *wsi, struct http_pss *p)
{
	char why[256] = "", *body;
	int ok = 1;
	json_t *j;

	j = json_pack("{s:s,s:I}", "version", MOCKINT_VERSION, "uptime_s",
	    (json_int_t)((proto_now_ms() - srv.started_at) / 1000));
	if (db_writable(why, sizeof why) != 0) {
		log_warn(0, "healthz: the database is not writable: %s", why);
		json_object_set_new(j, "db", json_string("unwritable"));
		json_object_set_new(j, "error", json_string(why));
		ok = 0;
	} else
		json_object_set_new(j, "db", json_string("ok"));
	/* A load balancer should stop sending new clients to a server that
	 * is on its way out. */
	if (srv.shutting_down)
		ok = 0;
	json_object_set_new(j, "status", json_string(ok ? "ok" :
	    srv.shutting_down ? "stopping" : "error"));
	body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return respond(wsi, p, ok ? HTTP_STATUS_OK :
	    HTTP_STATUS_SERVICE_UNAVAILABLE, "application/json", body,
	    strlen(body));
}

int
http_request(struct lws *wsi, struct http_pss *p, const char *uri)
{
	int get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
	size_t len;
	char *body;

	/* Whatever body came with another method is unread: no keep-alive. */
	if (!get)
		p->close_after = 1;
	if (strcmp(uri, "/healthz") != 0 && strcmp(uri, "/metrics") != 0) {
		log_debug(0, "http: 404 for %.100s", uri);
		return respond_text(wsi, p, HTTP_STATUS_NOT_FOUND,
		    "not found\n");
	}
	if (!get)
		return respond_text(wsi, p, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "only GET\n");
	if (strcmp(uri, "/healthz") == 0)
		return healthz(wsi, p);
	body = metrics_render(&len);
	return respond(wsi, p, HTTP_STATUS_OK,
	    "text/plain; version=0.0.4; charset=utf-8", body, len);
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
