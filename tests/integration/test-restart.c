/*
 * test-restart.c — kill -9 in the middle of a run of notes: after a
 * restart every acknowledged note is there exactly once, and the live
 * session resumes where the clock says it should be.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"
#include "proto.h"

static void
test_kill9_keeps_acknowledged_notes(void **state)
{
	const char *phases = "prep=2,answer=30,followup=30,scoring=30";
	struct hserver *s = hs_start_bank(phases, NULL);
	char ivtok[64], cdtok[64], dir[256], cid[32];
	struct hclient *iv = h_user(s, "k_ivan", ivtok, sizeof ivtok);
	struct hclient *cd = h_user(s, "k_cora", cdtok, sizeof cdtok);
	long long id = h_pair(iv, cd), first_id = hc_next_id(iv);
	int sent = 400, acked = 0, *ok = calloc((size_t)sent, sizeof *ok);
	int64_t prep_end;
	json_t *m, *r;
	sqlite3 *db;

	m = hc_wait_push(iv, "session", 5000);
	prep_end = json_integer_value(json_object_get(m, "phase_ends_at"));
	json_decref(m);
	/* Pipeline 400 notes, then kill -9 while they are being stored. */
	for (int i = 0; i < sent; i++) {
		char req[256];

		snprintf(req, sizeof req, "{\"type\":\"note.add\",\"id\":%lld,"
		    "\"session_id\":%lld,\"item\":\"general\",\"text\":\"n%d\","
		    "\"client_id\":\"n-%d\"}", first_id + i, id, i, i);
		hc_send_text(iv, req);
	}
	for (;;) {
		m = hc_next(iv, 2000);
		if (m == NULL)
			break;
		if (strcmp(h_str(m, "type"), "ok") == 0) {
			long long re = json_integer_value(json_object_get(m,
			    "re")) - first_id;

			if (re >= 0 && re < sent)
				ok[re] = 1, acked++;
		}
		json_decref(m);
		if (acked >= 50)
			break;
	}
	assert_true(acked >= 50);
	hs_stop(s, SIGKILL);
	/* Whatever else arrived before the kill counts as acknowledged. */
	while ((m = hc_next(iv, 200)) != NULL) {
		if (strcmp(h_str(m, "type"), "ok") == 0) {
			long long re = json_integer_value(json_object_get(m,
			    "re")) - first_id;

			if (re >= 0 && re < sent && !ok[re])
				ok[re] = 1, acked++;
		}
		json_decref(m);
	}
	hc_free(iv);
	hc_free(cd);
	/* Down long enough for prep to have run out. */
	h_sleep(2500);
	snprintf(dir, sizeof dir, "%s", s->dir);
	free(s);
	s = hs_start_bank_in(dir, phases, NULL);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	for (int i = 0; i < sent; i++) {
		snprintf(cid, sizeof cid, "n-%d", i);
		h_db_check_note(db, cid, ok[i]);
	}
	h_db_check_integrity(db);
	sqlite3_close(db);
	/* The session resumed, in answer, which started when prep was due
	 * to end (the server was down then). */
	iv = hc_connect(s);
	r = hc_ok(iv, "auth", json_pack("{s:s}", "token", ivtok));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r,
	    "session"), "session_id")), id);
	json_decref(r);
	m = hc_wait_push(iv, "session", 5000);
	assert_non_null(m);
	assert_string_equal(h_str(m, "phase"), "answer");
	assert_int_equal(json_integer_value(json_object_get(m,
	    "phase_started_at")), prep_end);
	assert_int_equal(json_integer_value(json_object_get(m,
	    "phase_ends_at")), prep_end + 30000);
	assert_true(json_array_size(json_object_get(m, "notes")) >=
	    (size_t)acked);
	json_decref(m);
	/* Resending an acknowledged note stores nothing new. */
	r = hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:s,s:s}", "session_id",
	    (json_int_t)id, "item", "general", "text", "n0", "client_id",
	    "n-0"));
	json_decref(r);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	h_db_check_note(db, "n-0", 1);
	sqlite3_close(db);
	json_decref(hc_ok(iv, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	hc_free(iv);
	free(ok);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_keeps_acknowledged_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
