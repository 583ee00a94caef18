/*
 * test-crash.c — crash safety: many short interviews with a stream of
 * notes, mockintd killed with SIGKILL at random (seeded) moments, 20 times,
 * restarted each time. Every acknowledged note must be there exactly once,
 * the database must pass integrity_check, and live sessions must resume.
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

#define KILLS 20
#define MAX_NOTES 20000

static struct hserver *
start(const char *dir)
{
	return hs_start_bank_in(dir, "prep=1,answer=2,followup=1,scoring=1",
	    NULL);
}

/* Authenticate with a token; the live session's id, or 0. */
static long long
resume(struct hclient *c, const char *tok)
{
	json_t *r = hc_ok(c, "auth", json_pack("{s:s}", "token", tok));
	json_t *s = json_object_get(r, "session");
	long long id = json_is_object(s) ?
	    json_integer_value(json_object_get(s, "session_id")) : 0;

	json_decref(r);
	return id;
}

static void
test_twenty_kills(void **state)
{
	struct hserver *s = start(NULL);
	char ivtok[64], cdtok[64], dir[256], cid[32];
	struct hclient *iv = h_user(s, "x_ivan", ivtok, sizeof ivtok);
	struct hclient *cd = h_user(s, "x_cleo", cdtok, sizeof cdtok);
	unsigned char *acked = calloc(MAX_NOTES, 1);
	int next_note = 0, total_acked = 0, resumed = 0;
	unsigned seed = 20261126;
	sqlite3 *db;

	snprintf(dir, sizeof dir, "%s", s->dir);
	for (int round = 0; round < KILLS; round++) {
		long long id = resume(iv, ivtok), first = hc_next_id(iv);
		int burst = 50 + (int)(rand_r(&seed) % 150), wait_ms;

		(void)resume(cd, cdtok);
		if (id != 0)
			resumed++;
		else {
			hc_clear(iv);
			hc_clear(cd);
			id = h_pair(iv, cd);
		}
		/* A burst of notes in flight, then the kill. */
		for (int i = 0; i < burst && next_note < MAX_NOTES; i++) {
			char req[256];

			snprintf(req, sizeof req, "{\"type\":\"note.add\","
			    "\"id\":%lld,\"session_id\":%lld,\"item\":"
			    "\"general\",\"text\":\"x\",\"client_id\":\"x-%d\"}",
			    first + i, id, next_note + i);
			hc_send_text(iv, req);
		}
		wait_ms = (int)(rand_r(&seed) % 120);
		h_sleep(wait_ms);
		hs_stop(s, SIGKILL);
		/* Collect every acknowledgement that made it out. */
		for (json_t *m; (m = hc_next(iv, 300)) != NULL;) {
			long long re = json_integer_value(json_object_get(m,
			    "re")) - first;

			if (strcmp(h_str(m, "type"), "ok") == 0 && re >= 0 &&
			    re < burst && !acked[next_note + re]) {
				acked[next_note + re] = 1;
				total_acked++;
			}
			json_decref(m);
		}
		next_note += burst;
		hc_free(iv);
		hc_free(cd);
		free(s);
		s = start(dir);
		iv = hc_connect(s);
		cd = hc_connect(s);
	}
	print_message("%d kills, %d notes sent, %d acknowledged, %d sessions "
	    "resumed\n", KILLS, next_note, total_acked, resumed);
	assert_true(total_acked > 0);
	assert_true(resumed > 0);
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	for (int i = 0; i < next_note; i++) {
		snprintf(cid, sizeof cid, "x-%d", i);
		h_db_check_note(db, cid, acked[i]);
	}
	h_db_check_integrity(db);
	sqlite3_close(db);
	free(acked);
	hc_free(iv);
	hc_free(cd);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twenty_kills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
