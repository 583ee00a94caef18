/*
 * health.c — GET /healthz (see health.h).
 */
#include "health.h"

#include <jansson.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "proto.h"
#include "readers.h"
#include "server.h"
#include "writer.h"

static void
healthz(struct http_response *r)
{
	struct writer_status ws;
	struct readers_status rs;
	int64_t now = proto_now_ms();
	int ok;
	json_t *j;

	writer_status(&ws);
	readers_status(&rs);
	ok = ws.running && ws.ok && rs.threads > 0;
	j = json_pack("{s:s,s:I,s:s}", "version", MOCKINT_VERSION, "uptime_s",
	    (json_int_t)((now - srv.started_at) / 1000), "db", ws.running &&
	    ws.ok ? "ok" : "unwritable");
	if (!ws.ok) {
		log_warn(0, "healthz: the database is not writable: %s",
		    ws.error);
		json_object_set_new(j, "error", json_string(ws.error));
	}
	json_object_set_new(j, "writer", json_pack("{s:b,s:b,s:o,s:I,s:I}",
	    "running", ws.running, "last_ok", ws.ok, "last_age_ms",
	    ws.checked_at > 0 ? json_integer(now - ws.checked_at) :
	    json_null(), "queued", (json_int_t)ws.queued, "limit",
	    (json_int_t)ws.limit));
	json_object_set_new(j, "readers", json_pack("{s:i,s:i,s:I}",
	    "threads", rs.threads, "busy", rs.busy, "queued",
	    (json_int_t)rs.queued));
	/* A load balancer should stop sending new clients to a server that
	 * is on its way out. */
	if (srv.shutting_down)
		ok = 0;
	json_object_set_new(j, "status", json_string(ok ? "ok" :
	    srv.shutting_down ? "stopping" : "error"));
	r->status = ok ? 200 : 503;
	r->type = "application/json";
	r->body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	r->len = strlen(r->body);
	json_decref(j);
}

void
health_init(void)
{
	http_route("/healthz", HTTP_PUBLIC, healthz);
}
