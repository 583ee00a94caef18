/*
 * metrics_page.c — the Prometheus text page (see metrics_page.h).
 */
#include "metrics_page.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "bank.h"
#include "http.h"
#include "metrics.h"
#include "proto.h"
#include "server.h"
#include "xmalloc.h"

struct buf {
	char *p;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (n > 0 ? (size_t)n : 0);
		b->p = xrealloc(b->p, b->cap);
	}
	b->len += (size_t)n;
}

static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
counter(struct buf *b, const char *name, const char *help, uint64_t v)
{
	head(b, name, "counter", help);
	put(b, "%s %llu\n", name, (unsigned long long)v);
}

static void
counter_by(struct buf *b, const char *name, const char *help,
    const char *label, const struct metrics_labelled *l)
{
	head(b, name, "counter", help);
	/* Names are our own identifiers: nothing in them needs escaping. */
	for (size_t i = 0; i < l->n; i++)
		put(b, "%s{%s=\"%s\"} %llu\n", name, label, l->v[i].name,
		    (unsigned long long)l->v[i].count);
	if (l->other > 0)
		put(b, "%s{%s=\"other\"} %llu\n", name, label,
		    (unsigned long long)l->other);
}

static void
histogram(struct buf *b, enum metrics_hist h, const char *name,
    const char *help)
{
	size_t n;
	const double *le = metrics_bucket_bounds(h, &n);
	struct metrics_histogram v;
	uint64_t cum = 0;

	metrics_histogram_read(h, &v);
	head(b, name, "histogram", help);
	for (size_t i = 0; i < n; i++) {
		cum += v.bucket[i];
		put(b, "%s_bucket{le=\"%g\"} %llu\n", name, le[i],
		    (unsigned long long)cum);
	}
	put(b, "%s_bucket{le=\"+Inf\"} %llu\n", name,
	    (unsigned long long)v.count);
	put(b, "%s_sum %.9f\n%s_count %llu\n", name, v.sum, name,
	    (unsigned long long)v.count);
}

struct emit_ctx {
	struct buf *b;
	const struct metrics_gauge *g;
};

static void
emit(const char *label_value, double v, void *arg)
{
	struct emit_ctx *e = arg;

	if (e->g->label == NULL || label_value == NULL)
		put(e->b, "%s %.17g\n", e->g->name, v);
	else
		put(e->b, "%s{%s=\"%s\"} %.17g\n", e->g->name, e->g->label,
		    label_value, v);
}

static void
gauges(struct buf *b)
{
	size_t n;
	const struct metrics_gauge *const *g = metrics_gauges(&n);

	for (size_t i = 0; i < n; i++) {
		struct emit_ctx e = { b, g[i] };

		head(b, g[i]->name, "gauge", g[i]->help);
		g[i]->read(emit, &e);
	}
}

char *
metrics_page_render(size_t *len)
{
	const struct metrics_counters *m = metrics_counters();
	struct buf b = { xmalloc(8192), 0, 8192 };

	head(&b, "mockint_build_info", "gauge", "The running version.");
	put(&b, "mockint_build_info{version=\"%s\",protocol=\"%s\"} 1\n",
	    MOCKINT_VERSION, PROTO_SUBPROTOCOL);
	head(&b, "mockint_uptime_seconds", "gauge",
	    "Seconds since mockintd started.");
	put(&b, "mockint_uptime_seconds %.17g\n", srv.started_at > 0 ?
	    (double)(proto_now_ms() - srv.started_at) / 1000 : 0);
	gauges(&b);
	head(&b, "mockint_connections_refused_total", "counter",
	    "Connections refused by a limit (at accept; per forwarded "
	    "address at the handshake).");
	put(&b, "mockint_connections_refused_total{limit=\"per_address\"} "
	    "%llu\nmockint_connections_refused_total{limit=\"total\"} %llu\n",
	    (unsigned long long)metrics_label_count(&m->refused,
	    "per_address"), (unsigned long long)metrics_label_count(
	    &m->refused, "total"));
	counter_by(&b, "mockint_requests_limited_total", "Requests refused "
	    "by a limit (rate_limited or too_large), by limit.", "limit",
	    &m->limited);
	counter_by(&b, "mockint_messages_in_total", "Messages received by "
	    "request type (invalid: undecodable or unknown).", "type", &m->in);
	counter_by(&b, "mockint_messages_out_total", "Messages queued for "
	    "clients by type.", "type", &m->out);
	counter_by(&b, "mockint_errors_total", "Error replies by code.", "code",
	    &m->errors);
	counter(&b, "mockint_notes_committed_total", "Notes committed (a "
	    "resend of a known note is not counted).", m->notes);
	counter(&b, "mockint_requests_held_total", "Requests read after "
	    "their loop iteration had spent its budget, dispatched on a later "
	    "one.", m->requests_held);
	counter(&b, "mockint_reads_paused_total", "Times a connection "
	    "stopped reading until its held requests were dispatched (they "
	    "passed 64 KiB, or all held passed 16 MiB).", m->reads_paused);
	histogram(&b, METRICS_COMMIT, "mockint_commit_duration_seconds",
	    "Time to commit a write to the database (fsync included).");
	histogram(&b, METRICS_LOOP_LAG, "mockint_loop_lag_seconds",
	    "How late a 10 ms repeating timer fires on the event loop.");
	counter(&b, "mockint_login_attempts_total", "Login requests.",
	    m->login_attempts);
	counter(&b, "mockint_login_failures_total", "Logins refused for a "
	    "wrong username or password.", m->login_failures);
	*len = b.len;
	return b.p;
}

static void
page(struct http_response *r)
{
	r->status = 200;
	r->type = "text/plain; version=0.0.4; charset=utf-8";
	r->body = metrics_page_render(&r->len);
}

static void
bank_gauge(metrics_emit_fn e, void *ctx)
{
	e(NULL, (double)bank_count(bank_current()), ctx);
}

static const struct metrics_gauge questions = { "mockint_questions",
	"Questions in the loaded bank.", NULL, bank_gauge };

void
metrics_page_init(void)
{
	metrics_gauge_register(&questions);
	http_route("/metrics", HTTP_PRIVATE, page);
}
