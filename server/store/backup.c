/*
 * backup.c — the online backup of a live database (see backup.h).
 *
 * The copy is made in one sqlite3_backup_step(-1): a single read
 * transaction, hence one snapshot. Stepping in pieces would let the
 * server's writes restart the copy over and over; in WAL mode a reader
 * does not block the writer, so one long step costs the server nothing
 * but a WAL that cannot be checkpointed past the snapshot until it ends.
 */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* How long to keep retrying while another connection holds a lock. */
#define BACKUP_BUSY_MS 10000

static int
copy(sqlite3 *src, sqlite3 *dst, char *why, size_t whylen)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, waited = 0;

	if (b == NULL) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(dst));
		return -1;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED) {
		if (waited >= BACKUP_BUSY_MS)
			break;
		sqlite3_sleep(100);
		waited += 100;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(why, whylen, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* PRAGMA integrity_check on the copy, and make it a single file (the
 * server switches it back to WAL when it opens it). */
static int
check(sqlite3 *dst, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	const char *r;
	int rc = -1;

	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(dst));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (r = (const char *)sqlite3_column_text(st, 0)) != NULL) {
		if (strcmp(r, "ok") == 0)
			rc = 0;
		else
			snprintf(why, whylen, "integrity_check: %s", r);
	} else
		snprintf(why, whylen, "%s", sqlite3_errmsg(dst));
	sqlite3_finalize(st);
	return rc;
}

static int
page_count(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Make the rename itself durable. */
static void
sync_dir(const char *path)
{
	char *copy_path = xstrdup(path);
	int fd = open(dirname(copy_path), O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy_path);
}

int
backup_run(const char *db, const char *dest)
{
	sqlite3 *src = NULL, *dst = NULL;
	char *tmp = xasprintf("%s.partial", dest), why[512] = "";
	int rc = 1, pages = 0, version = -1, made = 0;

	if (strcmp(db, dest) == 0) {
		log_error(0, "backup: the copy cannot be the database itself");
		goto out;
	}
	/* No SQLITE_OPEN_CREATE: a mistyped --db must not become an empty
	 * database and a "successful" backup of it. */
	if (sqlite3_open_v2(db, &src, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		log_error(0, "backup: cannot open %s: %s", db,
		    src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, BACKUP_BUSY_MS);
	if ((version = store_schema_version(src)) < 0) {
		log_error(0, "backup: %s is not a readable database: %s", db,
		    sqlite3_errmsg(src));
		goto out;
	}
	if (unlink(tmp) != 0 && errno != ENOENT) {
		log_error(0, "backup: cannot remove %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		log_error(0, "backup: cannot create %s: %s", tmp,
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	made = 1;
	if (copy(src, dst, why, sizeof why) != 0) {
		log_error(0, "backup: copying %s: %s", db, why);
		goto out;
	}
	if (check(dst, why, sizeof why) != 0) {
		log_error(0, "backup: the copy of %s is not sound: %s", db, why);
		goto out;
	}
	pages = page_count(dst);
	/* Closing commits and syncs the copy before it takes dest's name. */
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_error(0, "backup: closing %s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	dst = NULL;
	if (rename(tmp, dest) != 0) {
		log_error(0, "backup: cannot rename %s to %s: %s", tmp, dest,
		    strerror(errno));
		goto out;
	}
	sync_dir(dest);
	printf("backed up %s to %s: %d pages, schema version %d, "
	    "integrity ok\n", db, dest, pages, version);
	rc = 0;
out:
	sqlite3_close(dst);
	if (rc != 0 && made)
		unlink(tmp);
	sqlite3_close(src);
	free(tmp);
	return rc;
}
