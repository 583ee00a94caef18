/*
 * store.h — the SQLite store: one database in WAL mode, opened once,
 * migrated at start, with prepared statements kept for the life of the
 * connection. The core (this header's first half) lives in store.c; the
 * per-domain queries live in store_*.c files, each declared in its own
 * store_*.h, and read their rows with store_each.
 *
 * Every statement is parameterised. A write is reported committed only
 * after COMMIT returned SQLITE_OK.
 */
#ifndef MOCKINT_STORE_H
#define MOCKINT_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "migrations.h"

struct store;

/*
 * Open (creating if needed) and migrate the database at path. sync_full
 * selects PRAGMA synchronous=FULL (survives power loss) over NORMAL
 * (survives a process crash). Returns NULL with a reason in err.
 */
struct store *store_open(const char *path, int sync_full, char *err,
    size_t errlen);
/* A read-only connection to the database at path, which must exist and
 * be migrated (readers.h). */
struct store *store_open_reader(const char *path, char *err, size_t errlen);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);

/*
 * A prepared statement for sql, compiled on first use and kept; sql must
 * be a string literal (the pointer is the cache key). The statement comes
 * back reset with its bindings cleared. NULL (logged) on a compile error.
 */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* A write refused by a constraint (a taken name, a second feedback). */
#define STORE_CONFLICT 1
/* Writes that check what they write to answer why they did not. */
#define STORE_NOT_FOUND 2
#define STORE_FORBIDDEN 3
#define STORE_INVALID_STATE 4

/*
 * Run one cached statement to completion, binding its parameters ?1, ?2,
 * ... in order from the arguments, one letter of fmt each:
 *   i  int64_t          t  const char * (NULL binds NULL)
 *   b  const void *, size_t (a blob)    d  double (NAN binds NULL)
 *   I  int64_t, bound as NULL when <= 0 (an absent id)
 *   N  int64_t, bound as NULL when < 0 (an absent score or flag)
 * Returns 0, STORE_CONFLICT, or -1 (logged).
 */
int store_exec(struct store *st, const char *sql, const char *fmt, ...);

/*
 * Run one cached statement, binding its parameters from the arguments as
 * store_exec does (fmt), and call fn for each row it returns, in order;
 * the row's columns are valid only during the call. fn returns 0 for the
 * next row, or a positive number to stop there. The statement is reset
 * before store_each returns, so no read snapshot is left open.
 * Returns 0 when the rows ran out, fn's number when it stopped, or -1
 * (logged) when the database failed (rows before the failure were seen).
 */
typedef int (*store_row_fn)(sqlite3_stmt *row, void *arg);
int store_each(struct store *st, const char *sql, store_row_fn fn,
    void *arg, const char *fmt, ...);
/*
 * A store_row_fn for a query that answers one row of integers: every
 * column of the first row into the int64_t array arg, which has room for
 * each; then stop (store_each returns 1, or 0 when there was no row).
 */
int store_row_int64s(sqlite3_stmt *row, void *arg);
/*
 * A new JSON array, passed to fn as arg to append to, for the rows of sql
 * with its one parameter ?1 bound to id; NULL (logged) when the database
 * failed.
 */
json_t *store_array(struct store *st, const char *sql, store_row_fn fn,
    int64_t id);

/*
 * A failed statement: log the database's error, reset s (may be NULL) so
 * that it holds no read snapshot, and return -1.
 */
int store_fail(struct store *st, sqlite3_stmt *s);

/* Transactions. Each returns 0 or -1 (logged). */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * Apply migrations[0..n) to db: each pending one in its own transaction,
 * then PRAGMA user_version = its number. A database whose user_version is
 * above the newest known migration is refused, untouched.
 */
int store_migrate(sqlite3 *db, const struct migration *m, int n, char *err,
    size_t errlen);

/* The schema version of an open database (PRAGMA user_version). */
int store_schema_version(sqlite3 *db);

/*
 * Watching (store_watch.c): every connection store_open makes times its
 * commits into the commit latency histogram, and, in builds with
 * MOCKINT_THREAD_CHECKS (Debug and sanitizer builds), aborts on any
 * statement run on the thread that called store_forbid_this_thread():
 * the loop thread, once it serves clients, must leave every database
 * call to the store's threads (writer.h, readers.h).
 */
struct store_watch;
struct store_watch *store_watch_new(sqlite3 *db);
void store_watch_free(struct store_watch *w);
void store_forbid_this_thread(void);
/* Lift the rule again (the loop has stopped serving). */
void store_allow_all_threads(void);
/* Whether the calling thread is the forbidden one (and the rule is on). */
int store_on_forbidden_thread(void);

#endif
