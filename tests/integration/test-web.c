/*
 * test-web.c — the browser client over HTTP (api/web.h), from a real
 * mockintd over real sockets. / is index.html with every policy header,
 * exactly; each asset compiled in is its file under client/web/, byte for
 * byte, with its type; gzip only when the client takes it, and then it
 * gunzips (gzip -d) to those same bytes; If-None-Match makes a 304
 * without a body that keeps the connection; HEAD has the length and no
 * body; anything else is 404; over HTTP/2 (an h2c upgrade) the same
 * bytes, and the server stays up. With --web DIR the files of a temporary
 * directory are served, an edited file at once with a new ETag, and
 * nothing outside DIR, no dotfile, no other extension, no directory, no
 * file over 4 MiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "xmalloc.h"

#define CSP "default-src 'self'; connect-src 'self'; img-src 'self' " \
	"data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
#define HDR 512
/* --web's limit on a file (web_dir.c). */
#define WEB_FILE_MAX (4 * 1024 * 1024)

/* The whole of a file (NUL-terminated); its length in *len. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *
source_dir(void)
{
	const char *src = getenv("MOCKINT_SOURCE_DIR");

	return src != NULL ? src : ".";
}

/* Fail unless r's header name is exactly want (NULL: absent). */
static void
header_is(const struct h_http *r, const char *name, const char *want)
{
	char buf[HDR];
	const char *v = h_http_header(r, name, buf, sizeof buf);

	if (want == NULL && v != NULL)
		fail_msg("%s: '%s', expected none", name, v);
	if (want != NULL && (v == NULL || strcmp(v, want) != 0))
		fail_msg("%s: '%s', expected '%s'", name, v ? v : "(none)",
		    want);
}

/* The headers every answer with an asset carries, whatever else. */
static void
policy_headers(const struct h_http *r)
{
	header_is(r, "Content-Security-Policy", CSP);
	header_is(r, "X-Content-Type-Options", "nosniff");
	header_is(r, "Referrer-Policy", "no-referrer");
	header_is(r, "Cache-Control", "no-cache");
	header_is(r, "Vary", "Accept-Encoding");
}

/* r's ETag into buf (failing when it has none). */
static const char *
etag(const struct h_http *r, char *buf, size_t len)
{
	const char *v = h_http_header(r, "ETag", buf, len);

	assert_non_null(v);
	assert_true(strlen(v) > 2 && v[0] == '"' && v[strlen(v) - 1] == '"');
	return v;
}

/* body (len bytes, gzip) gunzipped by gzip -d, in a file of dir. */
static unsigned char *
gunzip(const char *dir, const unsigned char *body, size_t len, size_t *out)
{
	char in[512], res[512], cmd[1200];
	FILE *f;

	snprintf(in, sizeof in, "%s/body.gz", dir);
	snprintf(res, sizeof res, "%s/body", dir);
	f = fopen(in, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", in, res);
	assert_int_equal(system(cmd), 0);
	return slurp(res, out);
}

/* Fail unless r's body is the len bytes at want. */
static void
body_is(const struct h_http *r, const unsigned char *want, size_t len,
    const char *what)
{
	if (r->len != len || memcmp(r->body, want, len) != 0)
		fail_msg("%s: a body of %zu bytes, not the %zu expected", what,
		    r->len, len);
}

static void
test_index(void **state)
{
	struct hserver *s = *state;
	struct h_http r, again;
	char path[512], len_text[32], tag[HDR], tag2[HDR];
	unsigned char *file;
	size_t len;

	snprintf(path, sizeof path, "%s/client/web/index.html", source_dir());
	file = slurp(path, &len);
	assert_int_equal(h_http(s, "GET", "/", NULL, &r), 200);
	header_is(&r, "Content-Type", "text/html; charset=utf-8");
	policy_headers(&r);
	header_is(&r, "Content-Encoding", NULL);
	snprintf(len_text, sizeof len_text, "%zu", len);
	header_is(&r, "Content-Length", len_text);
	etag(&r, tag, sizeof tag);
	/* A strong ETag, from the content: 20 hex digits. */
	assert_int_equal(strlen(tag), 22);
	assert_int_equal(strspn(tag + 1, "0123456789abcdef"), 20);
	body_is(&r, file, len, "/");
	assert_int_equal(h_http(s, "GET", "/index.html", NULL, &again), 200);
	body_is(&again, file, len, "/index.html");
	assert_string_equal(etag(&again, tag2, sizeof tag2), tag);
	h_http_free(&r);
	h_http_free(&again);
	free(file);
}

/* Each file of client/web/, compared with its answer (nftw's callback). */
static const struct hserver *walk_srv;
static size_t walk_files;

static int
check_asset(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
	};
	const char *rel = strstr(path, "/client/web/") + strlen("/client/web");
	const char *type = NULL;
	unsigned char *file;
	struct h_http r;
	size_t len;

	if (flag != FTW_F || strstr(rel, "/.") != NULL)
		return 0;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t n = strlen(rel), e = strlen(types[i][0]);

		if (n > e && strcmp(rel + n - e, types[i][0]) == 0)
			type = types[i][1];
	}
	if (type == NULL)
		return 0;
	file = slurp(path, &len);
	if (h_http(walk_srv, "GET", rel, NULL, &r) != 200)
		fail_msg("GET %s: %d", rel, r.status);
	header_is(&r, "Content-Type", type);
	policy_headers(&r);
	body_is(&r, file, len, rel);
	h_http_free(&r);
	free(file);
	walk_files++;
	return 0;
}

static void
test_every_asset(void **state)
{
	char dir[512];

	snprintf(dir, sizeof dir, "%s/client/web", source_dir());
	walk_srv = *state;
	walk_files = 0;
	assert_int_equal(nftw(dir, check_asset, 16, FTW_PHYS), 0);
	assert_true(walk_files >= 1);
}

static void
test_gzip(void **state)
{
	static const char *const takes[] = {
		"Accept-Encoding: gzip, deflate, br\r\n",
		"Accept-Encoding: *\r\n",
		"Accept-Encoding: identity;q=0.5, GZIP;q=0.8\r\n",
	};
	static const char *const refuses[] = {
		"Accept-Encoding: gzip;q=0\r\n",
		"Accept-Encoding: identity\r\n",
		"Accept-Encoding: *;q=0\r\n",
		"Accept-Encoding: br, gzip;q=0.000\r\n",
		"",
	};
	struct hserver *s = *state;
	struct h_http raw, r;
	unsigned char *plain;
	char len_text[32], tag[HDR], gztag[HDR];
	size_t len;

	assert_int_equal(h_http(s, "GET", "/", NULL, &raw), 200);
	etag(&raw, tag, sizeof tag);
	for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
		assert_int_equal(h_http(s, "GET", "/", takes[i], &r), 200);
		header_is(&r, "Content-Encoding", "gzip");
		header_is(&r, "Content-Type", "text/html; charset=utf-8");
		policy_headers(&r);
		snprintf(len_text, sizeof len_text, "%zu", r.len);
		header_is(&r, "Content-Length", len_text);
		/* Another representation: another strong ETag. */
		etag(&r, gztag, sizeof gztag);
		assert_string_not_equal(gztag, tag);
		assert_true(r.len < raw.len);
		plain = gunzip(s->dir, r.body, r.len, &len);
		body_is(&raw, plain, len, "gunzipped");
		free(plain);
		h_http_free(&r);
	}
	for (size_t i = 0; i < sizeof refuses / sizeof refuses[0]; i++) {
		assert_int_equal(h_http(s, "GET", "/", refuses[i], &r), 200);
		header_is(&r, "Content-Encoding", NULL);
		header_is(&r, "ETag", tag);
		body_is(&r, raw.body, raw.len, refuses[i]);
		h_http_free(&r);
	}
	h_http_free(&raw);
}

static void
test_not_modified(void **state)
{
	struct hserver *s = *state;
	struct h_http r;
	char tag[HDR], gztag[HDR], hdr[HDR * 2];
	int fd;

	assert_int_equal(h_http(s, "GET", "/", NULL, &r), 200);
	etag(&r, tag, sizeof tag);
	h_http_free(&r);
	assert_int_equal(h_http(s, "GET", "/", "Accept-Encoding: gzip\r\n",
	    &r), 200);
	etag(&r, gztag, sizeof gztag);
	h_http_free(&r);

	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", tag);
	assert_int_equal(h_http(s, "GET", "/", hdr, &r), 304);
	assert_int_equal(r.len, 0);
	header_is(&r, "ETag", tag);
	header_is(&r, "Content-Length", NULL);
	policy_headers(&r);
	h_http_free(&r);
	/* Weakly compared, in a list. */
	snprintf(hdr, sizeof hdr, "If-None-Match: \"x\", W/%s\r\n", tag);
	assert_int_equal(h_http(s, "GET", "/index.html", hdr, &r), 304);
	h_http_free(&r);
	/* Each representation is its own. */
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", gztag);
	assert_int_equal(h_http(s, "GET", "/", hdr, &r), 200);
	h_http_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\nAccept-Encoding: "
	    "gzip\r\n", gztag);
	assert_int_equal(h_http(s, "GET", "/", hdr, &r), 304);
	h_http_free(&r);
	assert_int_equal(h_http(s, "GET", "/", "If-None-Match: \"0000\"\r\n",
	    &r), 200);
	h_http_free(&r);

	/* A 304 has no body and ends the answer: the connection goes on
	 * (HTTP/1.1) with the next request. */
	fd = h_raw_connect(s);
	snprintf(hdr, sizeof hdr, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "If-None-Match: %s\r\n\r\n", tag);
	assert_int_equal(write(fd, hdr, strlen(hdr)), (ssize_t)strlen(hdr));
	{
		char head[2048];
		size_t off = 0;

		while (off < sizeof head - 1 && (off < 4 ||
		    memcmp(head + off - 4, "\r\n\r\n", 4) != 0)) {
			assert_int_equal(read(fd, head + off, 1), 1);
			off++;
		}
		head[off] = '\0';
		assert_non_null(strstr(head, "HTTP/1.1 304"));
	}
	assert_int_equal(h_http_fd(fd, "GET", "/healthz", NULL, &r), 200);
	h_http_free(&r);
}

/* A HEAD with headers hdr: a GET's head, no body (encoding: the GET's
 * Content-Encoding, NULL for none). */
static void
head_like_get(const struct hserver *s, const char *hdr,
    const char *encoding)
{
	struct h_http get, head;
	char want[32];

	assert_int_equal(h_http(s, "GET", "/", hdr, &get), 200);
	assert_int_equal(h_http(s, "HEAD", "/", hdr, &head), 200);
	assert_int_equal(head.len, 0);
	snprintf(want, sizeof want, "%zu", get.len);
	header_is(&head, "Content-Length", want);
	header_is(&head, "Content-Type", "text/html; charset=utf-8");
	header_is(&head, "Content-Encoding", encoding);
	policy_headers(&head);
	h_http_free(&get);
	h_http_free(&head);
}

static void
test_head(void **state)
{
	struct hserver *s = *state;
	struct h_http head;

	head_like_get(s, NULL, NULL);
	head_like_get(s, "Accept-Encoding: gzip\r\n", "gzip");
	/* HEAD of a route, and of nothing. */
	assert_int_equal(h_http(s, "HEAD", "/healthz", NULL, &head), 200);
	assert_int_equal(head.len, 0);
	h_http_free(&head);
	assert_int_equal(h_http(s, "HEAD", "/nope.js", NULL, &head), 404);
	h_http_free(&head);
}

static void
test_not_found(void **state)
{
	static const char *const paths[] = { "/nope.js", "/../etc/passwd",
		"/js/", "/js", "/index.html/", "/index.html?x=1", "/?x=1",
		"/INDEX.HTML", "/.index.html", "/index.htm", "/js/../.x.js",
		"/index.html;x", "/favicon.ico",
		"/client/web/index.html", "/%2e%2e/%2e%2e/etc/passwd" };
	struct hserver *s = *state;
	struct h_http r;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		if (h_http(s, "GET", paths[i], NULL, &r) != 404)
			fail_msg("GET %s: %d, not 404", paths[i], r.status);
		header_is(&r, "Content-Security-Policy", NULL);
		h_http_free(&r);
	}
	/* lws hangs up on an encoded NUL: no answer, and no file. */
	assert_int_equal(h_http(s, "GET", "/index.html%00.js", NULL, &r), -1);
	h_http_free(&r);
	/* Another method is not served either. */
	assert_int_equal(h_http(s, "POST", "/", NULL, &r), 404);
	h_http_free(&r);
}

/* HTTP/2 (RFC 9113), as much as an h2c upgrade needs. */
#define H2_DATA 0x0
#define H2_SETTINGS 0x4
#define H2_GOAWAY 0x7
#define H2_RST_STREAM 0x3
#define H2_FLAG_END_STREAM 0x1
#define H2_FLAG_ACK 0x1
#define H2_FRAME_HDR 9
#define H2_FRAME_MAX 16384
#define H2_TIMEOUT_MS 10000

static void
h2_frame(int fd, int type, int flags, const void *payload, size_t len)
{
	unsigned char h[H2_FRAME_HDR] = { (unsigned char)(len >> 16),
		(unsigned char)(len >> 8), (unsigned char)len,
		(unsigned char)type, (unsigned char)flags, 0, 0, 0, 0 };

	assert_int_equal(write(fd, h, sizeof h), (ssize_t)sizeof h);
	if (len > 0)
		assert_int_equal(write(fd, payload, len), (ssize_t)len);
}

/*
 * The frames of the answer to the upgraded request (stream 1) up to its
 * END_STREAM, acknowledging the server's settings: the DATA bytes, which
 * must be want (len bytes).
 */
static void
h2_answer_is(int fd, const unsigned char *want, size_t len)
{
	unsigned char h[H2_FRAME_HDR], payload[H2_FRAME_MAX];
	unsigned char *got = xmalloc(len + H2_FRAME_MAX);
	size_t glen = 0;

	for (;;) {
		size_t n;
		unsigned stream;

		assert_int_equal(h_raw_read(fd, h, sizeof h, H2_TIMEOUT_MS), 0);
		n = (size_t)h[0] << 16 | (size_t)h[1] << 8 | h[2];
		stream = ((unsigned)h[5] & 0x7f) << 24 | (unsigned)h[6] << 16 |
		    (unsigned)h[7] << 8 | h[8];
		assert_true(n <= sizeof payload);
		if (n > 0)
			assert_int_equal(h_raw_read(fd, payload, n,
			    H2_TIMEOUT_MS), 0);
		if (h[3] == H2_GOAWAY || h[3] == H2_RST_STREAM)
			fail_msg("h2c: the server ended the stream (frame %d)",
			    h[3]);
		if (h[3] == H2_SETTINGS && !(h[4] & H2_FLAG_ACK))
			h2_frame(fd, H2_SETTINGS, H2_FLAG_ACK, NULL, 0);
		if (stream != 1)
			continue;
		if (h[3] == H2_DATA) {
			assert_true(glen + n <= len);
			memcpy(got + glen, payload, n);
			glen += n;
		}
		if (h[4] & H2_FLAG_END_STREAM)
			break;
	}
	assert_int_equal(glen, len);
	assert_memory_equal(got, want, len);
	free(got);
}

static void
test_h2c_upgrade(void **state)
{
	static const char up[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
	    "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	struct hserver *s = *state;
	char path[512], head[1024];
	unsigned char *file;
	struct h_http r;
	size_t len, off = 0;
	int fd;

	/*
	 * lws speaks HTTP/2 on the plain port to a client that asks, and
	 * then writes each frame's header in front of the buffer it is
	 * given: the assets, const, must not be that buffer.
	 */
	snprintf(path, sizeof path, "%s/client/web/index.html", source_dir());
	file = slurp(path, &len);
	fd = h_raw_connect(s);
	assert_int_equal(write(fd, up, strlen(up)), (ssize_t)strlen(up));
	while (off < sizeof head - 1 && (off < 4 ||
	    memcmp(head + off - 4, "\r\n\r\n", 4) != 0)) {
		assert_int_equal(h_raw_read(fd, head + off, 1, H2_TIMEOUT_MS),
		    0);
		off++;
	}
	head[off] = '\0';
	assert_non_null(strstr(head, "HTTP/1.1 101"));
	assert_int_equal(write(fd, preface, strlen(preface)),
	    (ssize_t)strlen(preface));
	h2_frame(fd, H2_SETTINGS, 0, NULL, 0);
	h2_answer_is(fd, file, len);
	close(fd);
	free(file);
	/* And the server is still there. */
	assert_int_equal(h_http(s, "GET", "/", NULL, &r), 200);
	h_http_free(&r);
}

/* The --web directory: DIR/site, with DIR/outside beside it. */
struct site {
	struct hserver *s;
	char dir[256], site[300];
};

static void
site_file(const struct site *w, const char *rel, const char *text)
{
	char path[512];

	snprintf(path, sizeof path, "%s%s", w->site, rel);
	spit(path, text);
}

static void
make_site(struct site *w)
{
	char path[512], target[512];
	const char *dirs[] = { "", "/js", "/js/history", "/sub.js", NULL };
	FILE *f;

	snprintf(w->dir, sizeof w->dir, "/tmp/mockint-web-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	snprintf(w->site, sizeof w->site, "%s/site", w->dir);
	for (int i = 0; dirs[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s%s", w->site, dirs[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	site_file(w, "/index.html", "<!doctype html><title>dev</title>\n");
	site_file(w, "/app.css", "body { margin: 0 }\n");
	site_file(w, "/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
	site_file(w, "/js/app.js", "export const v = 1;\n");
	site_file(w, "/js/history/list.js", "export const l = [];\n");
	site_file(w, "/.env.js", "secret\n");
	site_file(w, "/notes.txt", "notes\n");
	/* Outside the site: reachable only through links. */
	snprintf(path, sizeof path, "%s/outside", w->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/outside/secret.js", w->dir);
	spit(path, "export const secret = 1;\n");
	snprintf(target, sizeof target, "%s/outside/secret.js", w->dir);
	snprintf(path, sizeof path, "%s/escape.js", w->site);
	assert_int_equal(symlink(target, path), 0);
	snprintf(target, sizeof target, "%s/outside", w->dir);
	snprintf(path, sizeof path, "%s/ext", w->site);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof path, "%s/dot.js", w->site);
	assert_int_equal(symlink(".env.js", path), 0);
	snprintf(path, sizeof path, "%s/inside.js", w->site);
	assert_int_equal(symlink("js/app.js", path), 0);
	/* Just over the limit. */
	snprintf(path, sizeof path, "%s/big.js", w->site);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fseek(f, WEB_FILE_MAX, SEEK_SET), 0);
	fputc('\n', f);
	fclose(f);
}

static void
test_web_dir(void **state)
{
	static const char *const types[][2] = {
		{ "/", "text/html; charset=utf-8" },
		{ "/app.css", "text/css; charset=utf-8" },
		{ "/icon.svg", "image/svg+xml" },
		{ "/js/app.js", "text/javascript; charset=utf-8" },
		{ "/js/history/list.js", "text/javascript; charset=utf-8" },
		{ "/inside.js", "text/javascript; charset=utf-8" },
	};
	static const char *const refused[] = { "/.env.js", "/notes.txt",
		"/escape.js", "/ext/secret.js", "/dot.js", "/sub.js", "/js/",
		"/../outside/secret.js", "/nope.js", "/js/history" };
	struct site w;
	const char *args[] = { "--web", w.site, NULL };
	struct h_http r;
	char tag[HDR], tag2[HDR], hdr[HDR * 2], path[512];
	struct timeval later[2];

	make_site(&w);
	w.s = hs_start_bank(NULL, args);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (h_http(w.s, "GET", types[i][0], "Accept-Encoding: gzip\r\n",
		    &r) != 200)
			fail_msg("GET %s: %d", types[i][0], r.status);
		header_is(&r, "Content-Type", types[i][1]);
		policy_headers(&r);
		h_http_free(&r);
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		if (h_http(w.s, "GET", refused[i], NULL, &r) != 404)
			fail_msg("GET %s: %d, not 404", refused[i], r.status);
		assert_null(strstr((char *)r.body, "secret"));
		h_http_free(&r);
	}
	assert_int_equal(h_http(w.s, "GET", "/big.js", NULL, &r), 500);
	assert_non_null(strstr((char *)r.body, "4 MiB"));
	h_http_free(&r);

	/* An edit shows at once, with a new ETag. */
	assert_int_equal(h_http(w.s, "GET", "/js/app.js", NULL, &r), 200);
	assert_string_equal((char *)r.body, "export const v = 1;\n");
	etag(&r, tag, sizeof tag);
	h_http_free(&r);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", tag);
	assert_int_equal(h_http(w.s, "GET", "/js/app.js", hdr, &r), 304);
	h_http_free(&r);
	site_file(&w, "/js/app.js", "export const v = 2;\n");
	/* The same size: only the time tells, so make it differ. */
	gettimeofday(&later[0], NULL);
	later[0].tv_sec += 5;
	later[1] = later[0];
	snprintf(path, sizeof path, "%s/js/app.js", w.site);
	assert_int_equal(utimes(path, later), 0);
	assert_int_equal(h_http(w.s, "GET", "/js/app.js", hdr, &r), 200);
	assert_string_equal((char *)r.body, "export const v = 2;\n");
	assert_string_not_equal(etag(&r, tag2, sizeof tag2), tag);
	h_http_free(&r);
	assert_int_equal(h_http(w.s, "HEAD", "/js/app.js", NULL, &r), 200);
	assert_int_equal(r.len, 0);
	header_is(&r, "Content-Length", "20");
	h_http_free(&r);
	hs_finish(w.s);
	snprintf(hdr, sizeof hdr, "rm -rf '%s'", w.dir);
	assert_int_equal(system(hdr), 0);
}

static void
test_web_dir_missing(void **state)
{
	char dir[] = "/tmp/mockint-web-XXXXXX", db[64], rm[96];
	const char *args[] = { "--db", db, "--port", "0", "--web",
		"/nonexistent/web", NULL };

	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/mockint.db", dir);
	/* A start-up error, not a server without its client. */
	assert_int_equal(h_wait_exit(h_spawn_mockintd(args)), 1);
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_every_asset),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_not_modified),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_h2c_upgrade),
		cmocka_unit_test(test_web_dir),
		cmocka_unit_test(test_web_dir_missing),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_server,
	    h_teardown_server));
}
