/*
 * store.h — the SQLite store: one database in WAL mode, opened once,
 * migrated at start, with prepared statements kept for the life of the
 * connection. The core (this header's first half) lives in store.c; the
 * per-domain queries live in store_*.c files and are declared in the
 * headers of the modules that use them.
 *
 * Every statement is parameterised. A write is reported committed only
 * after COMMIT returned SQLITE_OK.
 */
#ifndef MOCKINT_STORE_H
#define MOCKINT_STORE_H

#include <sqlite3.h>
#include <stddef.h>

#include "migrations.h"

struct store;

/*
 * Open (creating if needed) and migrate the database at path. sync_full
 * selects PRAGMA synchronous=FULL (survives power loss) over NORMAL
 * (survives a process crash). Returns NULL with a reason in err.
 */
struct store *store_open(const char *path, int sync_full, char *err,
    size_t errlen);
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

#endif
