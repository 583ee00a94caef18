/*
 * harness-http.c — plain HTTP requests on a raw socket, for the tests of
 * mockintd's HTTP side (/healthz, /metrics) and of its connection limits
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
#include <unistd.h>

#include <cmocka.h>

#include "xmalloc.h"

#define HTTP_TIMEOUT_MS 10000

int
h_http_get_fd(int fd, const char *method, const char *path, char **body)
{
	char req[512], *buf = NULL, *sep;
	size_t len = 0, cap = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int status = -1;

	if (body != NULL)
		*body = NULL;
	snprintf(req, sizeof req, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
	    method, path);
	/* A refused socket may already be reset: then there is no answer. */
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		goto out;
	for (;;) {
		ssize_t n;

		if (poll(&p, 1, HTTP_TIMEOUT_MS) <= 0)
			fail_msg("HTTP %s %s: no answer in %d ms", method, path,
			    HTTP_TIMEOUT_MS);
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (len == 0)
		goto out;
	buf[len] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		fail_msg("HTTP %s %s: not an HTTP answer: %.80s", method, path,
		    buf);
	if (body != NULL && (sep = strstr(buf, "\r\n\r\n")) != NULL)
		*body = xstrdup(sep + 4);
out:
	free(buf);
	close(fd);
	return status;
}

int
h_http_get(const struct hserver *s, const char *path, char **body)
{
	return h_http_get_fd(h_raw_connect(s), "GET", path, body);
}
