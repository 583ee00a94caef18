/*
 * lag.h — mockintd's loop lag as a benchmark sees it: the histogram
 * mockint_loop_lag_seconds scraped from GET /metrics at the start and the
 * end of a measuring window, and the percentiles of the difference (what
 * the loop did during the window only, not during set-up).
 */
#ifndef MOCKINT_BENCH_LAG_H
#define MOCKINT_BENCH_LAG_H

#include <stdint.h>

#define LAG_BUCKETS 32

struct lag_snap {
	int ok;				/* scraped */
	int n;				/* buckets */
	double le[LAG_BUCKETS];		/* upper bounds, ms */
	uint64_t cum[LAG_BUCKETS];	/* cumulative counts */
	uint64_t count;			/* +Inf */
};

/*
 * GET /metrics from the server of a ws://HOST:PORT url (blocking, at most
 * timeout_ms) into s; s->ok is 0 when it failed or has no histogram
 * (mockint-echo, an older mockintd).
 */
void lag_scrape(const char *url, int timeout_ms, struct lag_snap *s);

/*
 * From the window between a and b: the 50th and 99th percentiles
 * (interpolated within their bucket) and the maximum (the upper bound of
 * the highest bucket that grew), in ms. -1 each when either scrape failed
 * or nothing was observed.
 */
void lag_window(const struct lag_snap *a, const struct lag_snap *b,
    double *p50, double *p99, double *max);

#endif
