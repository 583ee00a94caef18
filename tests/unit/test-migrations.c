/*
 * test-migrations.c — schema migrations: a fresh database, a re-run that
 * changes nothing, a failing migration that leaves no trace, and a newer
 * database refused untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

static char path[64];

static int
setup(void **state)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/mockint-mig-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return 0;
}

static int
teardown(void **state)
{
	char p[96];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static int
count_tables(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;

	sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table'", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_fresh_then_rerun(void **state)
{
	char err[512];
	struct store *st = store_open(path, 1, err, sizeof err);
	int tables;

	assert_non_null(st);
	assert_int_equal(store_schema_version(store_db(st)),
	    migrations[migrations_count - 1].version);
	tables = count_tables(store_db(st));
	assert_true(tables >= 3);
	store_close(st);

	/* Opening again applies nothing and changes nothing. */
	st = store_open(path, 1, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(store_db(st)),
	    migrations[migrations_count - 1].version);
	assert_int_equal(count_tables(store_db(st)), tables);
	store_close(st);
}

static void
test_numbering(void **state)
{
	for (int i = 0; i < migrations_count; i++)
		assert_int_equal(migrations[i].version, i + 1);
}

static void
test_failing_migration_rolls_back(void **state)
{
	static const struct migration m[] = {
		{ 1, "0001_a.sql", "CREATE TABLE a (x);" },
		{ 2, "0002_b.sql", "CREATE TABLE b (x); SELECT * FROM nope;" },
	};
	sqlite3 *db;
	char err[512];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(store_migrate(db, m, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "0002_b.sql"));
	/* The first one stuck, the second left nothing behind. */
	assert_int_equal(store_schema_version(db), 1);
	assert_int_equal(count_tables(db), 1);
	sqlite3_close(db);
}

static void
test_newer_database_refused(void **state)
{
	sqlite3 *db;
	char err[512];
	struct store *st;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE future (x); "
	    "PRAGMA user_version = 999;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	st = store_open(path, 1, err, sizeof err);
	assert_null(st);
	assert_non_null(strstr(err, "schema version 999"));
	assert_non_null(strstr(err, "not modified"));

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(store_schema_version(db), 999);
	assert_int_equal(count_tables(db), 1);
	sqlite3_close(db);
}

/* The index of the migration named name, or fail. */
static int
migration_index(const char *name)
{
	for (int i = 0; i < migrations_count; i++)
		if (strcmp(migrations[i].name, name) == 0)
			return i;
	fail_msg("no migration %s", name);
	return -1;
}

/*
 * 0007_tokens.sql rebuilds the tokens table: a token stored before it
 * must keep working, with an id, its last use taken from its renewal, and
 * no label or address.
 */
static void
test_tokens_survive_0007(void **state)
{
	static const unsigned char hash[32] = { 1, 2, 3, 4, 5 };
	int before = migration_index("0007_tokens.sql");
	char err[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	struct store *s;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(store_migrate(db, migrations, before, err,
	    sizeof err), 0);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO users (id, username, "
	    "pwhash, created_at) VALUES (7, 'old', 'x', 1)", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO tokens (hash, "
	    "user_id, created_at, renewed_at, expires_at) VALUES (?1, 7, 100, "
	    "200, 300)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);

	s = store_open(path, 1, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT id, user_id, "
	    "created_at, renewed_at, expires_at, last_used_at, label IS NULL, "
	    "address IS NULL FROM tokens WHERE hash = ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int64(st, 0) >= 1);
	assert_int_equal(sqlite3_column_int64(st, 1), 7);
	assert_int_equal(sqlite3_column_int64(st, 2), 100);
	assert_int_equal(sqlite3_column_int64(st, 3), 200);
	assert_int_equal(sqlite3_column_int64(st, 4), 300);
	assert_int_equal(sqlite3_column_int64(st, 5), 200);
	assert_int_equal(sqlite3_column_int(st, 6), 1);
	assert_int_equal(sqlite3_column_int(st, 7), 1);
	sqlite3_finalize(st);
	/* Deleting the user still takes their tokens with them. */
	assert_int_equal(sqlite3_exec(store_db(s), "DELETE FROM users WHERE "
	    "id = 7", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT count(*) "
	    "FROM tokens", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_then_rerun, setup,
		    teardown),
		cmocka_unit_test(test_numbering),
		cmocka_unit_test_setup_teardown(
		    test_failing_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_database_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_survive_0007,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
