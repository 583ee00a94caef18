/*
 * store.c — the core of the SQLite store: opening, pragmas, migrations,
 * the statement cache and transactions (see store.h).
 */
#include "store.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "xmalloc.h"

struct cached_stmt {
	const char *sql;	/* the literal's address is the key */
	sqlite3_stmt *stmt;
	struct cached_stmt *next;
};

struct store {
	sqlite3 *db;
	struct cached_stmt *stmts;
	struct store_watch *watch;
};

int
store_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_migrate(sqlite3 *db, const struct migration *m, int n, char *err,
    size_t errlen)
{
	int have = store_schema_version(db);
	int newest = n > 0 ? m[n - 1].version : 0;
	char *msg = NULL, pragma[64];

	if (have < 0) {
		snprintf(err, errlen, "cannot read the schema version: %s",
		    sqlite3_errmsg(db));
		return -1;
	}
	/* A newer database may hold data this binary would misread. */
	if (have > newest) {
		snprintf(err, errlen, "the database has schema version %d but "
		    "this mockintd understands only up to %d: upgrade mockintd "
		    "(the database was not modified)", have, newest);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (m[i].version <= have)
			continue;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;",
		    m[i].version);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) !=
		    SQLITE_OK ||
		    sqlite3_exec(db, m[i].sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "migration %s failed: %s",
			    m[i].name, msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		log_info(0, "applied migration %s", m[i].name);
	}
	return 0;
}

struct store *
store_open(const char *path, int sync_full, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);
	char *msg = NULL;
	const char *pragmas;

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	/*
	 * busy_timeout bounds how long a write waits for another process
	 * (the sqlite3 shell of an admin): the server itself is the only
	 * writer in normal operation, and a wait stalls the loop, so a
	 * locked database fails the request (internal) rather than the
	 * whole server waiting.
	 */
	sqlite3_busy_timeout(st->db, 250);
	pragmas = sync_full ?
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;" :
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;";
	if (sqlite3_exec(st->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure %s: %s", path,
		    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		goto fail;
	}
	st->watch = store_watch_new(st->db);
	if (store_migrate(st->db, migrations, migrations_count, err,
	    errlen) != 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

struct store *
store_open_reader(const char *path, char *err, size_t errlen)
{
	struct store *st = xcalloc(1, sizeof *st);

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s to read: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return NULL;
	}
	/* A reader never holds the write lock; a checkpoint or recovery
	 * can still make it wait a moment. */
	sqlite3_busy_timeout(st->db, 1000);
	st->watch = store_watch_new(st->db);
	return st;
}

void
store_close(struct store *st)
{
	struct cached_stmt *c, *next;

	if (st == NULL)
		return;
	for (c = st->stmts; c != NULL; c = next) {
		next = c->next;
		sqlite3_finalize(c->stmt);
		free(c);
	}
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_error(0, "closing the database: %s", sqlite3_errmsg(st->db));
	store_watch_free(st->watch);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	struct cached_stmt *c;

	for (c = st->stmts; c != NULL; c = c->next) {
		if (c->sql == sql) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
	}
	c = xcalloc(1, sizeof *c);
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK) {
		log_error(0, "preparing SQL: %s", sqlite3_errmsg(st->db));
		free(c);
		return NULL;
	}
	c->sql = sql;
	c->next = st->stmts;
	st->stmts = c;
	return c->stmt;
}

/* Bind ?1, ?2, ... of s from ap, one letter of fmt each (store.h). */
static void
bind_args(sqlite3_stmt *s, const char *fmt, va_list ap)
{
	int n = 1;

	for (const char *f = fmt; *f != '\0'; f++, n++) {
		switch (*f) {
		case 'i':
			sqlite3_bind_int64(s, n, va_arg(ap, int64_t));
			break;
		case 'I':
		case 'N': {
			int64_t v = va_arg(ap, int64_t);

			if (v > 0 || (v == 0 && *f == 'N'))
				sqlite3_bind_int64(s, n, v);
			break;
		}
		case 't': {
			const char *t = va_arg(ap, const char *);

			if (t != NULL)
				sqlite3_bind_text(s, n, t, -1, SQLITE_STATIC);
			break;
		}
		case 'b': {
			const void *b = va_arg(ap, const void *);

			sqlite3_bind_blob(s, n, b, (int)va_arg(ap, size_t),
			    SQLITE_STATIC);
			break;
		}
		case 'd': {
			double d = va_arg(ap, double);

			if (!isnan(d))
				sqlite3_bind_double(s, n, d);
			break;
		}
		}
	}
}

int
store_exec(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	va_list ap;
	int rc;

	if (s == NULL)
		return -1;
	va_start(ap, fmt);
	bind_args(s, fmt, ap);
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	return store_fail(st, NULL);
}

int
store_each(struct store *st, const char *sql, store_row_fn fn, void *arg,
    const char *fmt, ...)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	va_list ap;
	int rc = SQLITE_DONE, stop = 0;

	if (s == NULL)
		return -1;
	va_start(ap, fmt);
	bind_args(s, fmt, ap);
	va_end(ap);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = fn(s, arg);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return stop;
}

int
store_row_int64s(sqlite3_stmt *row, void *arg)
{
	int64_t *v = arg;

	for (int i = 0; i < sqlite3_column_count(row); i++)
		v[i] = sqlite3_column_int64(row, i);
	return 1;
}

json_t *
store_array(struct store *st, const char *sql, store_row_fn fn, int64_t id)
{
	json_t *a = json_array();

	if (store_each(st, sql, fn, a, "i", id) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
store_fail(struct store *st, sqlite3_stmt *s)
{
	log_error(0, "database: %s", sqlite3_errmsg(st->db));
	if (s != NULL)
		sqlite3_reset(s);
	return -1;
}

int
store_begin(struct store *st)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_error(0, "BEGIN: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_commit(struct store *st)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		log_error(0, "COMMIT: %s", sqlite3_errmsg(st->db));
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
