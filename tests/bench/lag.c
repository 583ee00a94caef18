/*
 * lag.c — scraping mockintd's loop-lag histogram (see lag.h).
 */
#include "lag.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAGE_MAX (1024 * 1024)
#define METRIC "mockint_loop_lag_seconds_bucket{le=\""

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The page of GET /metrics, malloc'd, or NULL. */
static char *
fetch(const char *url, int timeout_ms)
{
	char host[64], req[160], *page;
	int port, fd, len = 0;
	long until = now_ms() + timeout_ms;
	struct sockaddr_in sa;

	if (sscanf(url, "ws://%63[^:]:%d", host, &port) != 2)
		return NULL;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return NULL;
	}
	snprintf(req, sizeof req, "GET /metrics HTTP/1.1\r\nHost: %s\r\n"
	    "Connection: close\r\n\r\n", host);
	page = malloc(PAGE_MAX + 1);
	if (page == NULL || write(fd, req, strlen(req)) < 0)
		goto fail;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left = until - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) != 1)
			goto fail;
		n = read(fd, page + len, (size_t)(PAGE_MAX - len));
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (int)n;
		if (len == PAGE_MAX)
			break;
	}
	close(fd);
	page[len] = '\0';
	return page;
fail:
	close(fd);
	free(page);
	return NULL;
}

void
lag_scrape(const char *url, int timeout_ms, struct lag_snap *s)
{
	char *page = fetch(url, timeout_ms), *p;

	memset(s, 0, sizeof *s);
	if (page == NULL)
		return;
	for (p = strstr(page, METRIC); p != NULL;
	    p = strstr(p + 1, METRIC)) {
		char le[32];
		unsigned long long v;

		if (sscanf(p + sizeof METRIC - 1, "%31[^\"]\"} %llu", le,
		    &v) != 2)
			continue;
		if (strcmp(le, "+Inf") == 0) {
			s->count = v;
			s->ok = s->n > 0;
			break;
		}
		if (s->n < LAG_BUCKETS) {
			s->le[s->n] = strtod(le, NULL) * 1000;
			s->cum[s->n++] = v;
		}
	}
	free(page);
}

/* The value under which a fraction q of the window's observations lie. */
static double
quantile(const struct lag_snap *a, const struct lag_snap *b, double q)
{
	double total = (double)(b->count - a->count), want = q * total;
	double lo = 0, below = 0;

	for (int i = 0; i < b->n; i++) {
		double in = (double)(b->cum[i] - a->cum[i]);

		if (in >= want && in > below)
			return lo + (b->le[i] - lo) * (want - below) /
			    (in - below);
		below = in;
		lo = b->le[i];
	}
	return lo;	/* beyond the last bound */
}

void
lag_window(const struct lag_snap *a, const struct lag_snap *b, double *p50,
    double *p99, double *max)
{
	*p50 = *p99 = *max = -1;
	if (!a->ok || !b->ok || a->n != b->n || b->count <= a->count)
		return;
	*p50 = quantile(a, b, 0.5);
	*p99 = quantile(a, b, 0.99);
	*max = b->le[b->n - 1];
	for (int i = 0; i < b->n; i++)
		if (b->cum[i] - a->cum[i] == b->count - a->count) {
			*max = b->le[i];
			break;
		}
	/* Past the last bound: say at least that. */
	if (b->cum[b->n - 1] - a->cum[b->n - 1] < b->count - a->count)
		*max = b->le[b->n - 1];
}
