/*
 * web.c — the browser client over HTTP (see web.h): the policy every
 * answer carries, the rules for a path, and the assets compiled in.
 */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "http_headers.h"
#include "log.h"
#include "web_assets.h"
#include "web_int.h"

#define WEB_CSP "default-src 'self'; connect-src 'self'; " \
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; " \
	"frame-ancestors 'none'"

/* Enough for any Accept-Encoding a browser sends; a longer one is read
 * as absent (identity). */
#define WEB_AE_MAX 256

/* Whether the files of --web DIR are served instead of web_assets. */
static int from_dir;

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
};

static int
segment_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

const char *
web_type(const char *path)
{
	size_t n = strlen(path);
	const char *p;

	if (n < 2 || n >= WEB_PATH_MAX || *path != '/')
		return NULL;
	for (p = path; *p != '\0'; p++) {
		if (*p == '/') {
			/* Every segment is a name: not empty, no dotfile
			 * (which covers "." and ".."). */
			if (p[1] == '\0' || p[1] == '/' || p[1] == '.')
				return NULL;
		} else if (!segment_char(*p))
			return NULL;
	}
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && strcmp(path + n - e, types[i].ext) == 0 &&
		    path[n - e - 1] != '/')
			return types[i].type;
	}
	return NULL;
}

void
web_answer(struct http_req *req, const struct web_rep *rep,
    const char *if_none_match)
{
	const struct http_header hd[] = {
		{ "Content-Security-Policy", WEB_CSP },
		{ "X-Content-Type-Options", "nosniff" },
		{ "Referrer-Policy", "no-referrer" },
		/* No max-age: the names carry no hash (web.h). */
		{ "Cache-Control", "no-cache" },
		{ "Vary", "Accept-Encoding" },
		{ "ETag", rep->etag },
		{ "Content-Encoding", "gzip" },
	};
	struct http_answer a = { 200, rep->type, rep->body, rep->len,
		rep->owned, hd, sizeof hd / sizeof hd[0] - !rep->gzip };

	if (http_etag_matches(if_none_match, rep->etag))
		a.status = 304;
	http_answer(req, &a);
}

static int
asset_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct web_asset *)elem)->path);
}

/* A header's value, or NULL when absent or longer than buf. */
static const char *
header(struct http_req *req, enum http_req_header h, char *buf, size_t len)
{
	return http_req_header(req, h, buf, len) < 0 ? NULL : buf;
}

static void
serve_embedded(struct http_req *req, const char *path)
{
	const struct web_asset *a = bsearch(path, web_assets,
	    web_assets_count, sizeof web_assets[0], asset_cmp);
	char ae[WEB_AE_MAX], inm[WEB_INM_MAX];
	struct web_rep rep;

	if (a == NULL) {
		http_answer_text(req, 404, "not found\n");
		return;
	}
	rep.type = a->type;
	rep.owned = NULL;
	rep.gzip = a->gz != NULL && http_accepts_gzip(header(req,
	    HTTP_REQ_ACCEPT_ENCODING, ae, sizeof ae));
	rep.body = rep.gzip ? a->gz : a->raw;
	rep.len = rep.gzip ? a->gz_len : a->raw_len;
	rep.etag = rep.gzip ? a->etag_gz : a->etag;
	web_answer(req, &rep, header(req, HTTP_REQ_IF_NONE_MATCH, inm,
	    sizeof inm));
}

static void
serve(struct http_req *req)
{
	const char *path = http_req_path(req);

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if (web_type(path) == NULL) {
		log_debug(0, "web: 404 for %.100s", path);
		http_answer_text(req, 404, "not found\n");
	} else if (from_dir)
		web_dir_serve(req, path);
	else
		serve_embedded(req, path);
}

int
web_init(const char *dir)
{
	if (dir != NULL) {
		if (web_dir_start(dir) != 0)
			return -1;
		from_dir = 1;
	} else if (web_assets_count == 0)
		log_warn(0, "web: no browser client was built in "
		    "(client/web/ was empty)");
	http_route_default(HTTP_PUBLIC, serve);
	return 0;
}

void
web_free(void)
{
	if (from_dir)
		web_dir_free();
	from_dir = 0;
}
