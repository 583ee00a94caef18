/*
 * harness-db.c — reading a test server's database file directly (see
 * harness.h), for the tests that check what was really stored: after a
 * crash, a restart, a shutdown, in a backup.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

void
h_db_check_integrity(sqlite3 *db)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
}

static int
count_client_id(sqlite3 *db, const char *cid)
{
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM notes "
	    "WHERE client_id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

void
h_db_check_note(sqlite3 *db, const char *cid, int acked)
{
	int n = count_client_id(db, cid);

	if (acked ? n != 1 : n < 0 || n > 1)
		fail_msg("note %s (acknowledged: %s) is stored %d times", cid,
		    acked ? "yes" : "no", n);
}
