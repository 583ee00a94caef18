/*
 * metrics.h — the server's counters, histograms and gauges: a leaf that
 * any layer may bump, with no knowledge of who reads them.
 *
 * Events are counted with one call where they happen (metrics_msg_in in
 * the request table, metrics_msg_out in the connection's queue, the
 * logins in accounts, notes in live). A state rather than an event (open
 * connections, users online, the queue, live sessions, the bank) is a
 * gauge: the module that owns the state registers a callback at start-up
 * and the /metrics page (api/metrics_page.c, above every layer) calls it
 * when it renders. Histograms may be fed from any thread.
 */
#ifndef MOCKINT_METRICS_H
#define MOCKINT_METRICS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Distinct label values kept per labelled counter; the rest are "other". */
#define METRICS_LABELS_MAX 64

struct metrics_labelled {
	size_t n;
	struct {
		char name[40];
		uint64_t count;
	} v[METRICS_LABELS_MAX];
	uint64_t other;		/* past METRICS_LABELS_MAX distinct names */
};

/* The loop thread's counters (read by the page on the same thread). */
struct metrics_counters {
	struct metrics_labelled in, out, errors, refused, limited;
	uint64_t login_attempts, login_failures, notes;
	uint64_t requests_held;	/* made to wait for a later iteration */
	uint64_t reads_paused;	/* connections stopped by what they had held */
};

/* The most buckets a histogram has (each has its own bounds). */
#define METRICS_BUCKETS 24

struct metrics_histogram {
	uint64_t bucket[METRICS_BUCKETS];	/* not cumulative */
	uint64_t count;
	double sum;
};

enum metrics_hist { METRICS_COMMIT, METRICS_LOOP_LAG, METRICS__HIST };

/* A message arrived; type is its table name, or NULL when it had none
 * the server knows (counted as "invalid"). */
void metrics_msg_in(const char *type);
/* A message is being sent to a client: counts its type, and for an error
 * its code (NULL or "" otherwise). */
void metrics_msg_out(const char *type, const char *code);
void metrics_login_attempt(void);
void metrics_login_failed(void);
void metrics_note_committed(void);
/* A request was held for a later loop iteration (net/backlog.c). */
void metrics_request_held(void);
/* A connection stopped reading: its held requests passed their bound. */
void metrics_read_paused(void);
/* A connection was refused by a limit ("per_address", "total"). */
void metrics_refused(const char *reason);
/* A request was refused by a limit (its --limit-* name). */
void metrics_limited(const char *limit);

/* Record one observation of seconds; any thread. */
void metrics_observe(enum metrics_hist h, double seconds);
/* A histogram's bucket bounds (upper, seconds; *n of them) and a
 * consistent copy of it. */
const double *metrics_bucket_bounds(enum metrics_hist h, size_t *n);
void metrics_histogram_read(enum metrics_hist h, struct metrics_histogram *out);

const struct metrics_counters *metrics_counters(void);
uint64_t metrics_label_count(const struct metrics_labelled *l,
    const char *name);

/*
 * Gauges. A gauge's callback reports its current value(s) through emit:
 * once with label_value NULL for a plain gauge, or once per label value
 * for a gauge registered with a label name.
 */
typedef void (*metrics_emit_fn)(const char *label_value, double v,
    void *ctx);
typedef void (*metrics_gauge_fn)(metrics_emit_fn emit, void *ctx);

struct metrics_gauge {
	const char *name;	/* mockint_... */
	const char *help;
	const char *label;	/* NULL for a plain gauge */
	metrics_gauge_fn read;
};

/* Register a gauge (at start-up; g must outlive the server). A second
 * registration of the same name replaces the first. */
void metrics_gauge_register(const struct metrics_gauge *g);
/* The registered gauges, in registration order. */
const struct metrics_gauge *const *metrics_gauges(size_t *n);

#endif
