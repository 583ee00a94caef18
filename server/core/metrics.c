/*
 * metrics.c — the server's counters, histograms and gauge registry (see
 * metrics.h).
 *
 * Labels come only from the server's own vocabulary (request types from
 * the request table, push types, error codes, limit names), never from
 * what a client sent, so a label set cannot grow without bound; a fixed
 * cap guards it anyway.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Upper bounds of the buckets, in seconds. Commits: sub-millisecond to
 * the seconds a stalled disk takes. Loop lag: fine where a healthy loop
 * lives (under a few milliseconds), coarse up to a stall, so that a
 * scraper can tell a p99 of 2 ms from one of 8 ms. */
static const double commit_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
static const double lag_bounds[] = { 0.0001, 0.00025, 0.0005, 0.001,
	0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075,
	0.1, 0.2, 0.5, 1, 2, 5, 10 };

static const struct {
	const double *le;
	size_t n;
} bounds[METRICS__HIST] = {
	[METRICS_COMMIT] = { commit_bounds, sizeof commit_bounds /
	    sizeof commit_bounds[0] },
	[METRICS_LOOP_LAG] = { lag_bounds, sizeof lag_bounds /
	    sizeof lag_bounds[0] },
};

_Static_assert(sizeof lag_bounds / sizeof lag_bounds[0] <= METRICS_BUCKETS,
    "METRICS_BUCKETS holds every histogram's buckets");

/* Everything but the histograms belongs to the loop thread. */
static struct metrics_counters m;

/* Histograms are also fed from the store's threads. */
static pthread_mutex_t hist_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_histogram hists[METRICS__HIST];

#define GAUGES_MAX 32
static const struct metrics_gauge *gauges[GAUGES_MAX];
static size_t ngauges;

static void
count(struct metrics_labelled *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0) {
			l->v[i].count++;
			return;
		}
	if (l->n == METRICS_LABELS_MAX || strlen(name) >= sizeof l->v[0].name) {
		l->other++;
		return;
	}
	snprintf(l->v[l->n].name, sizeof l->v[0].name, "%s", name);
	l->v[l->n++].count = 1;
}

uint64_t
metrics_label_count(const struct metrics_labelled *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].count;
	return 0;
}

void
metrics_msg_in(const char *type)
{
	count(&m.in, type != NULL ? type : "invalid");
}

void
metrics_msg_out(const char *type, const char *code)
{
	count(&m.out, type);
	if (code != NULL && code[0] != '\0')
		count(&m.errors, code);
}

void
metrics_login_attempt(void)
{
	m.login_attempts++;
}

void
metrics_login_failed(void)
{
	m.login_failures++;
}

void
metrics_note_committed(void)
{
	m.notes++;
}

void
metrics_request_held(void)
{
	m.requests_held++;
}

void
metrics_read_paused(void)
{
	m.reads_paused++;
}

void
metrics_refused(const char *reason)
{
	count(&m.refused, reason);
}

void
metrics_limited(const char *limit)
{
	count(&m.limited, limit);
}

const struct metrics_counters *
metrics_counters(void)
{
	return &m;
}

void
metrics_observe(enum metrics_hist h, double seconds)
{
	size_t i, n = bounds[h].n;

	for (i = 0; i < n && seconds > bounds[h].le[i]; i++)
		;
	pthread_mutex_lock(&hist_lock);
	if (i < n)
		hists[h].bucket[i]++;
	hists[h].count++;
	hists[h].sum += seconds;
	pthread_mutex_unlock(&hist_lock);
}

const double *
metrics_bucket_bounds(enum metrics_hist h, size_t *n)
{
	*n = bounds[h].n;
	return bounds[h].le;
}

void
metrics_histogram_read(enum metrics_hist h, struct metrics_histogram *out)
{
	pthread_mutex_lock(&hist_lock);
	*out = hists[h];
	pthread_mutex_unlock(&hist_lock);
}

void
metrics_gauge_register(const struct metrics_gauge *g)
{
	for (size_t i = 0; i < ngauges; i++)
		if (strcmp(gauges[i]->name, g->name) == 0) {
			gauges[i] = g;
			return;
		}
	if (ngauges < GAUGES_MAX)
		gauges[ngauges++] = g;
}

const struct metrics_gauge *const *
metrics_gauges(size_t *n)
{
	*n = ngauges;
	return gauges;
}
