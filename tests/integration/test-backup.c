/*
 * test-backup.c — mockintd --backup FILE: a consistent copy of a live
 * database taken by a second process while the server keeps committing
 * notes; the copy passes integrity_check, holds everything acknowledged
 * before it started, is a single file, and a server started on it (a
 * restore) lets the same users in. And the refusals: no database, no
 * directory for the copy, the copy being the database itself.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"

/* Start `mockintd --db db --backup dest` without waiting for it. */
static pid_t
spawn_backup(const char *db, const char *dest)
{
	const char *args[] = { "--db", db, "--backup", dest, NULL };

	return h_spawn_mockintd(args);
}

static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Open the copy and check it is whole; returns its note count. */
static long long
check_copy(const char *path)
{
	sqlite3 *db;
	char wal[512];
	long long notes;

	/* A single file: no WAL beside it to carry with it. */
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	h_db_check_integrity(db);
	assert_int_equal(query_int(db, "SELECT count(*) FROM users"), 2);
	assert_true(query_int(db, "PRAGMA user_version") > 0);
	notes = query_int(db, "SELECT count(*) FROM notes");
	sqlite3_close(db);
	return notes;
}

static void
add_note(struct hclient *iv, long long id, const char *item, int n)
{
	char text[64];

	snprintf(text, sizeof text, "note %d", n);
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", item, "text", text)));
}

static void
test_backup_live_and_restore(void **state)
{
	/* Notes as fast as one connection can send them, while the backup
	 * runs: no per-connection request limit here. */
	static const char *const fast[] = { "--limit-requests-per-s", "0",
		NULL };
	struct hserver *s = hs_start_bank(NULL, fast), *r;
	struct hclient *iv, *cd;
	char copy[400], item[128], dir[256] = "/tmp/mockint-test-XXXXXX";
	char restored[400], cmd[1024], token[128];
	const char *args[16];
	long long id, in_copy;
	int acked = 0, before, during = 0, n = 0;
	json_t *sess;
	pid_t pid;

	iv = h_user(s, "bk_ivan", NULL, 0);
	cd = h_user(s, "bk_cora", token, sizeof token);
	id = h_pair(iv, cd);
	sess = hc_wait_push(iv, "session", 5000);
	assert_non_null(sess);
	snprintf(item, sizeof item, "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(json_object_get(sess, "question"),
	    "checklist"), 0), "key")));
	json_decref(sess);
	for (; acked < 20; acked++)
		add_note(iv, id, item, acked);
	before = acked;

	/* The backup runs while notes keep being committed. */
	snprintf(copy, sizeof copy, "%s/copy.db", s->dir);
	pid = spawn_backup(s->db, copy);
	for (;;) {
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
			break;
		}
		assert_true(w == 0 && acked < 100000);
		add_note(iv, id, item, acked++);
		during++;
	}
	in_copy = check_copy(copy);
	/* Everything acknowledged before it began; nothing never sent. */
	assert_true(in_copy >= before);
	assert_true(in_copy <= acked);
	fprintf(stderr, "backup: %lld notes in the copy, %d before it, %d "
	    "acknowledged while it ran\n", in_copy, before, during);

	/* Quiet now: a second backup over the first has every note. */
	pid = spawn_backup(s->db, copy);
	assert_int_equal(h_wait_exit(pid), 0);
	assert_int_equal(check_copy(copy), acked);
	hc_free(iv);
	hc_free(cd);
	assert_int_equal(hs_stop(s, SIGTERM), 0);

	/* Restore: a server on the copy knows the users and their notes. */
	assert_non_null(mkdtemp(dir));
	snprintf(restored, sizeof restored, "%s/mockint.db", dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", copy, restored);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; hs_fast_args[i] != NULL; i++)
		args[n++] = hs_fast_args[i];
	args[n] = NULL;
	r = hs_start_in(dir, args);
	iv = h_user(r, "bk_ivan", NULL, 0);
	cd = hc_connect(r);
	json_decref(hc_ok(cd, "auth", json_pack("{s:s}", "token", token)));
	hc_free(iv);
	hc_free(cd);
	assert_int_equal(hs_stop(r, SIGTERM), 0);
	hs_free(r);
	hs_free(s);
}

static void
test_backup_refusals(void **state)
{
	struct hserver *s = *state;
	char missing[400], nodir[400], copy[400];
	struct stat st;

	snprintf(missing, sizeof missing, "%s/no-such.db", s->dir);
	snprintf(nodir, sizeof nodir, "%s/no/such/dir/copy.db", s->dir);
	snprintf(copy, sizeof copy, "%s/copy.db", s->dir);
	/* A mistyped --db is not made into an empty database. */
	assert_int_equal(h_wait_exit(spawn_backup(missing, copy)), 1);
	assert_int_equal(stat(missing, &st), -1);
	assert_int_equal(stat(copy, &st), -1);
	assert_int_equal(h_wait_exit(spawn_backup(s->db, nodir)), 1);
	assert_int_equal(h_wait_exit(spawn_backup(s->db, s->db)), 1);
	/* None of it disturbed the server. */
	assert_int_equal(h_http_get(s, "/healthz", NULL), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_live_and_restore),
		cmocka_unit_test_setup_teardown(test_backup_refusals,
		    h_setup_bank, h_teardown_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
