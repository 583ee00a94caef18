/*
 * metrics.h — counters for GET /metrics (Prometheus text format).
 *
 * Modules count what happens with one call at the place it happens
 * (metrics_msg_in in dispatch.c, metrics_msg_out in conn.c, the logins in
 * auth.c, notes in notes.c); what is a state rather than an event (open
 * connections, users online, the queue, live sessions, the bank) is read
 * from its module when the page is rendered. Commit latency is measured
 * by watching the database connection (metrics_watch_db), so the store
 * needs no timing code of its own (the connection may belong to another
 * thread, such as the database writer).
 */
#ifndef MOCKINT_METRICS_H
#define MOCKINT_METRICS_H

#include <jansson.h>
#include <stddef.h>

struct sqlite3;

/* A message arrived; type is its table name, or NULL when it had none
 * the server knows (counted as "invalid"). */
void metrics_msg_in(const char *type);
/* A message is being queued for a client: counts its type, and for an
 * error its code. */
void metrics_msg_out(const json_t *msg);
void metrics_login_attempt(void);
void metrics_login_failed(void);
void metrics_note_committed(void);
/* A connection was refused by a limit ("per_address", "total"). */
void metrics_refused(const char *reason);

/*
 * Time every commit on db (an explicit COMMIT, or a write statement in
 * autocommit mode) into the commit latency histogram. Takes over the
 * connection's sqlite3_trace_v2 callback.
 */
void metrics_watch_db(struct sqlite3 *db);
/* Record one commit that took seconds (the watcher calls this). */
void metrics_commit_observe(double seconds);

/* The whole page, malloc'd; *len its length. */
char *metrics_render(size_t *len);
/* Forget every counter (tests). */
void metrics_reset(void);

#endif
