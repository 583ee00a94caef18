/*
 * store_watch.c — what the store sees of every statement on its
 * connections (see store.h): commit latency for the metrics, and, in
 * checked builds, the rule that no statement runs on the loop thread.
 *
 * SQLITE_TRACE_STMT starts the clock on a statement that may commit;
 * SQLITE_TRACE_PROFILE stops it. It was a commit if the connection is
 * back in autocommit mode: an explicit COMMIT, or a write outside any
 * transaction (which commits by itself). The profile's own time has only
 * millisecond resolution, hence our own clock.
 */
#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <strings.h>
#include <uv.h>

#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

struct store_watch {
	sqlite3_stmt *stmt;	/* the statement being timed */
	uint64_t start_ns;
};

/* The loop thread, once it serves clients (store_forbid_this_thread). */
static pthread_t forbidden;
static atomic_int forbidding;

void
store_forbid_this_thread(void)
{
	forbidden = pthread_self();
	atomic_store(&forbidding, 1);
}

void
store_allow_all_threads(void)
{
	atomic_store(&forbidding, 0);
}

int
store_on_forbidden_thread(void)
{
	return atomic_load(&forbidding) &&
	    pthread_equal(pthread_self(), forbidden);
}

static int
is_commit(const char *sql)
{
	static const char commit[] = "COMMIT", end[] = "END";

	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return strncasecmp(sql, commit, sizeof commit - 1) == 0 ||
	    strncasecmp(sql, end, sizeof end - 1) == 0;
}

static int
watch(unsigned type, void *ctx, void *p, void *x)
{
	struct store_watch *w = ctx;
	sqlite3_stmt *st = p;

	if (type == SQLITE_TRACE_STMT) {
		const char *sql = x;

		/* Trigger programs report "-- name": part of their statement. */
		if (sql != NULL && sql[0] == '-' && sql[1] == '-')
			return 0;
#ifdef MOCKINT_THREAD_CHECKS
		if (store_on_forbidden_thread()) {
			log_error(0, "BUG: SQL on the loop thread: %.200s",
			    sqlite3_sql(st));
			abort();
		}
#endif
		if (!sqlite3_stmt_readonly(st) || is_commit(sqlite3_sql(st))) {
			w->stmt = st;
			w->start_ns = uv_hrtime();
		}
	} else if (type == SQLITE_TRACE_PROFILE && st == w->stmt) {
		w->stmt = NULL;
		if (sqlite3_get_autocommit(sqlite3_db_handle(st)))
			metrics_observe(METRICS_COMMIT, (double)(uv_hrtime() -
			    w->start_ns) / 1e9);
	}
	return 0;
}

struct store_watch *
store_watch_new(sqlite3 *db)
{
	struct store_watch *w = xcalloc(1, sizeof *w);

	sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, watch,
	    w);
	return w;
}

void
store_watch_free(struct store_watch *w)
{
	free(w);
}
