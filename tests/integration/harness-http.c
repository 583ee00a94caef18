/*
 * harness-http.c — plain HTTP requests on a raw socket, for the tests of
 * mockintd's HTTP side (/healthz, /metrics, the browser client's assets)
 * and of its connection limits
 * (see h_http_get in harness.h). Blocking, each step bounded by a poll.
 */
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "xmalloc.h"

#define HTTP_TIMEOUT_MS 10000

/* Read fd to its end into *buf (NUL-terminated): the length. */
static size_t
read_all(int fd, char **buf, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0, cap = 8192;

	*buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (poll(&p, 1, HTTP_TIMEOUT_MS) <= 0)
			fail_msg("HTTP %s: no answer in %d ms", what,
			    HTTP_TIMEOUT_MS);
		if (len + 4096 + 1 > cap) {
			cap *= 2;
			*buf = xrealloc(*buf, cap);
		}
		n = read(fd, *buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	(*buf)[len] = '\0';
	return len;
}

int
h_http_fd(int fd, const char *method, const char *path, const char *headers,
    struct h_http *r)
{
	char req[2048], *buf, *sep;
	size_t len;

	memset(r, 0, sizeof *r);
	r->status = -1;
	snprintf(req, sizeof req, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n",
	    method, path, headers != NULL ? headers : "");
	/* A refused socket may already be reset: then there is no answer. */
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	len = read_all(fd, &buf, path);
	close(fd);
	if (len == 0) {
		free(buf);
		return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1)
		fail_msg("HTTP %s %s: not an HTTP answer: %.80s", method, path,
		    buf);
	if ((sep = strstr(buf, "\r\n\r\n")) == NULL)
		fail_msg("HTTP %s %s: no end of the head", method, path);
	r->len = len - (size_t)(sep + 4 - buf);
	r->body = xmalloc(r->len + 1);
	memcpy(r->body, sep + 4, r->len + 1);
	sep[2] = '\0';
	r->head = buf;
	return r->status;
}

int
h_http(const struct hserver *s, const char *method, const char *path,
    const char *headers, struct h_http *r)
{
	return h_http_fd(h_raw_connect(s), method, path, headers, r);
}

const char *
h_http_header(const struct h_http *r, const char *name, char *buf,
    size_t len)
{
	size_t n = strlen(name);

	for (const char *p = r->head; p != NULL && *p != '\0';) {
		const char *eol = strstr(p, "\r\n");

		if (eol == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			snprintf(buf, len, "%.*s", (int)(eol - v), v);
			return buf;
		}
		p = eol + 2;
	}
	return NULL;
}

void
h_http_free(struct h_http *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof *r);
}

int
h_http_get_fd(int fd, const char *method, const char *path, char **body)
{
	struct h_http r;
	int status = h_http_fd(fd, method, path, NULL, &r);

	if (body != NULL) {
		*body = (char *)r.body;
		r.body = NULL;
	}
	h_http_free(&r);
	return status;
}

int
h_http_get(const struct hserver *s, const char *path, char **body)
{
	return h_http_get_fd(h_raw_connect(s), "GET", path, body);
}

double
h_metric(const char *page, const char *sample)
{
	size_t n = strlen(sample);

	for (const char *p = page; p != NULL && *p != '\0';) {
		if (strncmp(p, sample, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return 0;
}
