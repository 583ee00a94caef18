/*
 * metrics.c — the counters behind GET /metrics and their rendering in the
 * Prometheus text format (see metrics.h).
 *
 * Labels come only from the server's own vocabulary (request types from
 * the dispatch table, push types, error codes), never from what a client
 * sent, so a label set cannot grow without bound; a fixed cap guards it
 * anyway.
 */
#include "metrics.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uv.h>

#include "bank.h"
#include "conn.h"
#include "connlimit.h"
#include "options.h"
#include "presence.h"
#include "proto.h"
#include "queue.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define LABELS_MAX 64

struct labelled {
	size_t n;
	struct {
		char name[40];
		uint64_t count;
	} v[LABELS_MAX];
	uint64_t other;		/* past LABELS_MAX distinct names */
};

/* Upper bounds of the commit latency buckets, in seconds. */
static const double commit_le[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define NBUCKETS (sizeof commit_le / sizeof commit_le[0])

/* Everything but the commit histogram belongs to the loop thread. */
static struct {
	struct labelled in, out, errors, refused;
	uint64_t login_attempts, login_failures, notes;
} m;

/* The histogram is also fed from the database writer's thread. */
static pthread_mutex_t commit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	uint64_t bucket[NBUCKETS];	/* not cumulative */
	uint64_t count;
	double sum;
} commits;

/* One watched connection: the statement being timed on it. A
 * connection is used by one thread at a time, so a slot needs no lock. */
#define WATCHERS_MAX 8
static struct watcher {
	sqlite3 *db;
	sqlite3_stmt *stmt;
	uint64_t start_ns;
} watchers[WATCHERS_MAX];

static void
count(struct labelled *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0) {
			l->v[i].count++;
			return;
		}
	if (l->n == LABELS_MAX || strlen(name) >= sizeof l->v[0].name) {
		l->other++;
		return;
	}
	snprintf(l->v[l->n].name, sizeof l->v[0].name, "%s", name);
	l->v[l->n++].count = 1;
}

static uint64_t
label_count(const struct labelled *l, const char *name)
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
metrics_msg_out(const json_t *msg)
{
	const char *type = json_string_value(json_object_get(msg, "type"));
	const char *code;

	count(&m.out, type != NULL ? type : "?");
	if (type != NULL && strcmp(type, "error") == 0 &&
	    (code = json_string_value(json_object_get(msg, "code"))) != NULL)
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
metrics_refused(const char *reason)
{
	count(&m.refused, reason);
}

void
metrics_commit_observe(double seconds)
{
	size_t i;

	for (i = 0; i < NBUCKETS && seconds > commit_le[i]; i++)
		;
	pthread_mutex_lock(&commit_lock);
	if (i < NBUCKETS)
		commits.bucket[i]++;
	commits.count++;
	commits.sum += seconds;
	pthread_mutex_unlock(&commit_lock);
}

static int
is_commit(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return strncasecmp(sql, "COMMIT", 6) == 0 ||
	    strncasecmp(sql, "END", 3) == 0;
}

/*
 * SQLITE_TRACE_STMT starts the clock on a statement that may commit;
 * SQLITE_TRACE_PROFILE stops it. It was a commit if the connection is
 * back in autocommit mode: an explicit COMMIT, or a write outside any
 * transaction (which commits by itself). The profile's own time has only
 * millisecond resolution, hence our own clock.
 */
static int
watch(unsigned type, void *ctx, void *p, void *x)
{
	struct watcher *w = ctx;
	sqlite3_stmt *st = p;

	if (type == SQLITE_TRACE_STMT) {
		const char *sql = x;

		/* Trigger programs report "-- name": part of their statement. */
		if (sql != NULL && strncmp(sql, "--", 2) == 0)
			return 0;
		if (!sqlite3_stmt_readonly(st) || is_commit(sqlite3_sql(st))) {
			w->stmt = st;
			w->start_ns = uv_hrtime();
		}
	} else if (type == SQLITE_TRACE_PROFILE && st == w->stmt) {
		w->stmt = NULL;
		if (sqlite3_get_autocommit(sqlite3_db_handle(st)))
			metrics_commit_observe((double)(uv_hrtime() -
			    w->start_ns) / 1e9);
	}
	return 0;
}

void
metrics_watch_db(struct sqlite3 *db)
{
	struct watcher *w = NULL;

	/* Called at start-up, before the threads that use db exist. */
	pthread_mutex_lock(&commit_lock);
	for (size_t i = 0; i < WATCHERS_MAX && w == NULL; i++)
		if (watchers[i].db == db || watchers[i].db == NULL)
			w = &watchers[i];
	if (w != NULL) {
		w->db = db;
		w->stmt = NULL;
	}
	pthread_mutex_unlock(&commit_lock);
	if (w != NULL)
		sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
		    watch, w);
}

void
metrics_reset(void)
{
	memset(&m, 0, sizeof m);
	pthread_mutex_lock(&commit_lock);
	memset(&commits, 0, sizeof commits);
	pthread_mutex_unlock(&commit_lock);
}

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
gauge(struct buf *b, const char *name, const char *help, double v)
{
	head(b, name, "gauge", help);
	put(b, "%s %.17g\n", name, v);
}

static void
counter(struct buf *b, const char *name, const char *help, uint64_t v)
{
	head(b, name, "counter", help);
	put(b, "%s %llu\n", name, (unsigned long long)v);
}

static void
counter_by(struct buf *b, const char *name, const char *help,
    const char *label, const struct labelled *l)
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

/* Live sessions per phase, from the database: memory follows it. */
static void
sessions(struct buf *b)
{
	uint64_t n[PHASE__TIMED] = { 0 };
	sqlite3_stmt *st = NULL;

	if (srv.store != NULL && sqlite3_prepare_v2(store_db(srv.store),
	    "SELECT phase, count(*) FROM sessions WHERE phase <> 'done' "
	    "GROUP BY phase", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *ph = (const char *)sqlite3_column_text(st, 0);

			for (int i = 0; i < PHASE__TIMED; i++)
				if (ph != NULL &&
				    strcmp(ph, options_phase_name(i)) == 0)
					n[i] = (uint64_t)
					    sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	head(b, "mockint_sessions_live", "gauge",
	    "Live interview sessions by phase.");
	for (int i = 0; i < PHASE__TIMED; i++)
		put(b, "mockint_sessions_live{phase=\"%s\"} %llu\n",
		    options_phase_name(i), (unsigned long long)n[i]);
}

static void
histogram(struct buf *b)
{
	uint64_t cum = 0;

	pthread_mutex_lock(&commit_lock);
	head(b, "mockint_commit_duration_seconds", "histogram",
	    "Time to commit a write to the database (fsync included).");
	for (size_t i = 0; i < NBUCKETS; i++) {
		cum += commits.bucket[i];
		put(b, "mockint_commit_duration_seconds_bucket{le=\"%g\"} "
		    "%llu\n", commit_le[i], (unsigned long long)cum);
	}
	put(b, "mockint_commit_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
	    (unsigned long long)commits.count);
	put(b, "mockint_commit_duration_seconds_sum %.9f\n", commits.sum);
	put(b, "mockint_commit_duration_seconds_count %llu\n",
	    (unsigned long long)commits.count);
	pthread_mutex_unlock(&commit_lock);
}

char *
metrics_render(size_t *len)
{
	static const char *const roles[] = { "interviewer", "candidate",
		"either" };
	struct buf b = { xmalloc(8192), 0, 8192 };
	size_t q[3];

	head(&b, "mockint_build_info", "gauge", "The running version.");
	put(&b, "mockint_build_info{version=\"%s\",protocol=\"%s\"} 1\n",
	    MOCKINT_VERSION, PROTO_SUBPROTOCOL);
	gauge(&b, "mockint_uptime_seconds", "Seconds since mockintd started.",
	    srv.started_at > 0 ? (double)(proto_now_ms() - srv.started_at) /
	    1000 : 0);
	gauge(&b, "mockint_connections_open", "Open WebSocket connections.",
	    (double)conn_count());
	gauge(&b, "mockint_sockets_open", "Open client sockets of any kind "
	    "(WebSocket, HTTP, handshakes), as the limits count them.",
	    (double)connlimit_open());
	gauge(&b, "mockint_sockets_max", "The cap on open client sockets "
	    "(--max-conns, or from the open-file limit).",
	    (double)connlimit_max());
	head(&b, "mockint_connections_refused_total", "counter",
	    "Connections refused at accept by a limit.");
	put(&b, "mockint_connections_refused_total{limit=\"per_address\"} "
	    "%llu\nmockint_connections_refused_total{limit=\"total\"} %llu\n",
	    (unsigned long long)label_count(&m.refused, "per_address"),
	    (unsigned long long)label_count(&m.refused, "total"));
	gauge(&b, "mockint_users_online", "Authenticated users with at least "
	    "one connection.", (double)presence_users());
	queue_counts(q);
	head(&b, "mockint_queue_length", "gauge",
	    "Users waiting in the queue by the role they asked for.");
	for (int i = 0; i < 3; i++)
		put(&b, "mockint_queue_length{role=\"%s\"} %zu\n", roles[i],
		    q[i]);
	sessions(&b);
	counter_by(&b, "mockint_messages_in_total", "Messages received by "
	    "request type (invalid: undecodable or unknown).", "type", &m.in);
	counter_by(&b, "mockint_messages_out_total", "Messages queued for "
	    "clients by type.", "type", &m.out);
	counter_by(&b, "mockint_errors_total", "Error replies by code.", "code",
	    &m.errors);
	counter(&b, "mockint_notes_committed_total", "Notes committed (a "
	    "resend of a known note is not counted).", m.notes);
	histogram(&b);
	counter(&b, "mockint_login_attempts_total", "Login requests.",
	    m.login_attempts);
	counter(&b, "mockint_login_failures_total", "Logins refused for a "
	    "wrong username or password.", m.login_failures);
	gauge(&b, "mockint_questions", "Questions in the loaded bank.",
	    srv.bank != NULL ? (double)bank_count(srv.bank) : 0);
	*len = b.len;
	return b.p;
}
