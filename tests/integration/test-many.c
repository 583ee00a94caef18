/*
 * test-many.c — 200 interviews at once on one server, with no cross-talk:
 * every chat message and note reaches exactly its own session's people.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PAIRS 200

static void
test_200_pairs(void **state)
{
	/* 400 connections from one address: lift the per-address cap. */
	static const char *const extra[] = { "--max-conns-per-ip", "0", NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *iv[PAIRS], *cd[PAIRS];
	long long sid[PAIRS];
	char name[32], text[192];

	for (int i = 0; i < PAIRS; i++) {
		snprintf(name, sizeof name, "m_iv%d", i);
		iv[i] = h_user(s, name, NULL, 0);
		snprintf(name, sizeof name, "m_cd%d", i);
		cd[i] = h_user(s, name, NULL, 0);
		/* Paired one after the other: iv[i] with cd[i]. */
		sid[i] = h_pair(iv[i], cd[i]);
	}
	/* All at once: each candidate says who they are, each interviewer
	 * notes it. */
	for (int i = 0; i < PAIRS; i++) {
		snprintf(text, sizeof text, "{\"type\":\"chat.send\",\"id\":900,"
		    "\"session_id\":%lld,\"text\":\"from cd%d\"}", sid[i], i);
		hc_send_text(cd[i], text);
		snprintf(text, sizeof text, "{\"type\":\"note.add\",\"id\":901,"
		    "\"session_id\":%lld,\"item\":\"general\",\"text\":\"on %d\"}",
		    sid[i], i);
		hc_send_text(iv[i], text);
	}
	for (int i = 0; i < PAIRS; i++) {
		json_t *m = hc_wait_push(iv[i], "chat", 10000);

		assert_non_null(m);
		snprintf(text, sizeof text, "from cd%d", i);
		assert_string_equal(h_str(m, "text"), text);
		assert_int_equal(json_integer_value(json_object_get(m,
		    "session_id")), sid[i]);
		json_decref(m);
	}
	for (int i = 0; i < PAIRS; i++) {
		json_t *r = hc_ok(iv[i], "session.get", json_pack("{s:I}",
		    "session_id", (json_int_t)sid[i]));
		json_t *notes = json_object_get(json_object_get(r, "session"),
		    "notes");

		snprintf(text, sizeof text, "on %d", i);
		assert_int_equal(json_array_size(notes), 1);
		assert_string_equal(h_str(json_array_get(notes, 0), "text"), text);
		json_decref(r);
		/* Nobody got a chat that was not theirs. */
		assert_null(hc_wait_push(iv[i], "chat", 0));
		assert_null(hc_wait_push(cd[i], "chat", 0));
	}
	for (int i = 0; i < PAIRS; i++) {
		json_decref(hc_ok(iv[i], "session.end", json_pack("{s:I}",
		    "session_id", (json_int_t)sid[i])));
		hc_free(iv[i]);
		hc_free(cd[i]);
	}
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_200_pairs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
