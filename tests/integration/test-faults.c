/*
 * test-faults.c — peers and conditions that would hurt a naive server: a
 * client that stops reading, a handshake sent one byte a second, and a
 * database locked by someone else. The server answers everyone else
 * throughout, loses nothing it acknowledged, and recovers.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"
#include "proto.h"

static long
mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int
log_has(const char *needle)
{
	FILE *f = fopen(h_srv->log, "r");
	char line[2048];
	int found = 0;

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strstr(line, needle) != NULL)
			found = 1;
	if (f != NULL)
		fclose(f);
	return found;
}

static void
test_slow_reader_is_cut_off(void **state)
{
	char tok[64], req[256], text[4001];
	struct hclient *iv = h_user(h_srv, "f_slow", tok, sizeof tok);
	struct hclient *cd = h_user(h_srv, "f_peer", NULL, 0);
	struct hclient *other = hc_connect(h_srv);
	long long id = h_pair(iv, cd);
	long t0, worst = 0;
	int fd, closed = 0;

	/* Make the session's snapshot big: 20 notes of 4,000 bytes. */
	memset(text, 'n', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (int i = 0; i < 20; i++)
		json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)id, "item", "general", "text",
		    text)));
	/* The same user on a raw connection that asks and never reads. */
	fd = h_raw_ws(h_srv);
	snprintf(req, sizeof req, "{\"type\":\"auth\",\"id\":1,\"token\":"
	    "\"%s\"}", tok);
	h_raw_send_text(fd, req);
	snprintf(req, sizeof req, "{\"type\":\"session.get\",\"id\":2,"
	    "\"session_id\":%lld}", id);
	for (int i = 0; i < 2000 && !closed; i++) {
		h_raw_send_text(fd, req);
		if (i % 50 == 0) {
			t0 = mono_ms();
			json_decref(hc_ok(other, "ping", NULL));
			if (mono_ms() - t0 > worst)
				worst = mono_ms() - t0;
			closed = log_has("slow reader");
		}
	}
	for (long end = mono_ms() + 10000; !closed && mono_ms() < end;) {
		h_sleep(20);
		closed = log_has("slow reader");
	}
	print_message("worst ping of another client meanwhile: %ld ms\n",
	    worst);
	assert_true(closed);
	/* What was queued is dropped; the close frame says why. */
	assert_int_equal(h_raw_wait_close(fd, 10000), H_CLOSE_POLICY);
	/* The others were answered all along and still are. */
	json_decref(hc_ok(other, "ping", NULL));
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	close(fd);
	hc_free(other);
	hc_free(iv);
	hc_free(cd);
}

static void
test_slow_handshake_is_dropped(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	int fd = h_raw_connect(h_srv), gone = 0;
	long t0 = mono_ms();
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (size_t i = 0; i < sizeof req - 1 && !gone; i++) {
		char c;

		if (write(fd, req + i, 1) != 1)
			gone = 1;
		/* A byte a second; see whether the server hung up. */
		if (poll(&p, 1, 1000) == 1 && read(fd, &c, 1) <= 0)
			gone = 1;
	}
	print_message("dropped after %ld ms\n", mono_ms() - t0);
	assert_true(gone);
	/* lws's handshake timeout is 10 s. */
	assert_true(mono_ms() - t0 < 16000);
	close(fd);
}

static void
test_locked_database(void **state)
{
	struct hclient *iv = h_user(h_srv, "f_ivy", NULL, 0);
	struct hclient *cd = h_user(h_srv, "f_cyd", NULL, 0);
	long long id = h_pair(iv, cd);
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *r;

	/* The session's row is written after the match is announced: an ok
	 * for a note behind it says it is there before we lock. */
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text",
	    "before the lock")));
	assert_int_equal(sqlite3_open(h_srv->db, &db), SQLITE_OK);
	/* The server's writer may be mid-commit: wait our turn. */
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	/* Someone else holds the write lock: the write fails, clearly. */
	hc_error(iv, "note.add", json_pack("{s:I,s:s,s:s}", "session_id",
	    (json_int_t)id, "item", "general", "text", "while locked"),
	    "internal");
	hc_error(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
	    (json_int_t)id, "text", "while locked"), "internal");
	/* Reads and everything else go on. */
	json_decref(hc_ok(iv, "ping", NULL));
	r = hc_ok(iv, "session.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	json_decref(r);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	/* The lock is gone: it works again, and the failed note was never
	 * stored. */
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text",
	    "after the lock")));
	sqlite3_prepare_v2(db, "SELECT group_concat(text, '|') FROM notes "
	    "WHERE session_id = ?1", -1, &st, NULL);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	    "before the lock|after the lock");
	sqlite3_finalize(st);
	sqlite3_close(db);
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_free(iv);
	hc_free(cd);
}

static void
test_unrecorded_start_ends_the_session(void **state)
{
	struct hclient *iv = h_user(h_srv, "f_ira", NULL, 0);
	struct hclient *cd = h_user(h_srv, "f_cal", NULL, 0);
	sqlite3 *db;
	json_t *e;
	long long id;

	/* Locked before the pair is made: the session's row cannot be
	 * written, so nothing of it could be; both are told it ended. */
	assert_int_equal(sqlite3_open(h_srv->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	id = h_pair(iv, cd);
	e = hc_wait_push(cd, "ended", 10000);
	assert_non_null(e);
	assert_int_equal(h_int(e, "session_id"), id);
	assert_string_equal(h_str(e, "reason"), "abandoned");
	json_decref(e);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	/* Both are free to start again, and it works. */
	id = h_pair(iv, cd);
	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "item", "general", "text", "ok")));
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_free(iv);
	hc_free(cd);
}

static void
test_half_open_is_dropped(void **state)
{
	/* A peer that completed its handshake, then went silent for good:
	 * it never answers the server's pings. */
	static const char *const extra[] = { "--keepalive", "3", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *alive = hc_connect(s);
	int fd = h_raw_ws(s), gone = 0;
	long t0 = mono_ms();
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[256];

	/* Read what comes (pings) without ever answering, until EOF. */
	while (!gone && mono_ms() - t0 < 15000) {
		/* The live client keeps talking, and so stays. */
		json_decref(hc_ok(alive, "ping", NULL));
		if (poll(&p, 1, 200) == 1 && read(fd, buf, sizeof buf) <= 0)
			gone = 1;
	}
	print_message("half-open connection dropped after %ld ms\n",
	    mono_ms() - t0);
	assert_true(gone);
	assert_true(mono_ms() - t0 >= 2500);
	assert_true(hc_is_open(alive));
	close(fd);
	hc_free(alive);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_reader_is_cut_off),
		cmocka_unit_test(test_slow_handshake_is_dropped),
		cmocka_unit_test(test_locked_database),
		cmocka_unit_test(test_unrecorded_start_ends_the_session),
		cmocka_unit_test(test_half_open_is_dropped),
	};

	return h_failures(cmocka_run_group_tests(tests, h_setup_bank,
	    h_teardown_server));
}
