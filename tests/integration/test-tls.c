/*
 * test-tls.c — mockintd serving wss:// with --tls-cert and --tls-key: a
 * whole short interview over TLS with a certificate made for the test, a
 * client that does not trust the certificate's CA refused, plain ws://
 * refused on the TLS port, and the start-up errors for bad TLS options.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *
sid(long long id)
{
	return json_pack("{s:I}", "session_id", (json_int_t)id);
}

/* The phase (or session) push of c that says phase. */
static void
expect_phase(struct hclient *c, const char *phase)
{
	json_t *s = hc_wait_phase(c, phase, 5000);

	assert_non_null(s);
	json_decref(s);
}

static void
test_interview_over_tls(void **state)
{
	struct hserver *s = hs_start_tls(NULL, NULL);
	struct hclient *iv, *cd;
	json_t *sess, *m, *e;
	char item[128];
	long long id;

	assert_non_null(strstr(s->url, "wss://"));
	iv = h_user(s, "tls_ivy", NULL, 0);
	cd = h_user(s, "tls_cal", NULL, 0);
	id = h_pair(iv, cd);
	sess = hc_wait_push(iv, "session", 5000);
	assert_non_null(sess);
	snprintf(item, sizeof item, "%s", str(json_array_get(json_object_get(
	    json_object_get(sess, "question"), "checklist"), 0), "key"));
	json_decref(sess);

	json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i,s:s}",
	    "session_id", (json_int_t)id, "item", item, "score", 3, "text",
	    "clear structure, over TLS")));
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s}",
	    "session_id", (json_int_t)id, "text", "can you hear me?")));
	m = hc_wait_push(iv, "chat", 5000);
	assert_non_null(m);
	assert_string_equal(str(m, "text"), "can you hear me?");
	json_decref(m);

	/* prep -> answer -> followup -> scoring -> done, by the interviewer. */
	json_decref(hc_ok(iv, "phase.next", sid(id)));
	expect_phase(cd, "answer");
	json_decref(hc_ok(iv, "phase.next", sid(id)));
	expect_phase(cd, "followup");
	json_decref(hc_ok(iv, "phase.next", sid(id)));
	expect_phase(cd, "scoring");
	json_decref(hc_ok(iv, "phase.next", sid(id)));
	e = hc_wait_push(cd, "ended", 5000);
	assert_non_null(e);
	assert_string_equal(str(e, "reason"), "completed");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e,
	    "scores"), item)), 3);
	json_decref(e);
	expect_phase(cd, "done");

	hc_free(iv);
	hc_free(cd);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	hs_free(s);
}

static void
test_untrusted_refused(void **state)
{
	struct hserver *s = hs_start_tls(NULL, NULL);
	struct hserver *other = hs_start_tls(NULL, NULL);
	struct hserver plain = *s;
	struct hclient *c;
	char why[256];

	/* The system store alone does not know the test CA. */
	c = hc_try_connect_ca(s, NULL, why, sizeof why);
	assert_null(c);
	/* Nor does another CA: the client checks the chain, not just TLS. */
	c = hc_try_connect_ca(s, other->ca, why, sizeof why);
	assert_null(c);
	/* Plain ws:// to the TLS port gets no WebSocket either. */
	snprintf(plain.url, sizeof plain.url, "ws://127.0.0.1:%d", s->port);
	plain.ca[0] = '\0';
	c = hc_try_connect(&plain, "mockint.v1", why, sizeof why);
	assert_null(c);
	/* With its CA it works, and the server is none the worse. */
	c = hc_try_connect_ca(s, s->ca, why, sizeof why);
	assert_non_null(c);
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(c);
	assert_int_equal(hs_stop(s, SIGTERM), 0);
	assert_int_equal(hs_stop(other, SIGTERM), 0);
	hs_free(s);
	hs_free(other);
}

static void
test_bad_tls_options(void **state)
{
	struct hserver *s = hs_start_tls(NULL, NULL);
	char db[400], cert[400], key[400], ca[400], junk[400];
	const char *half[] = { "--port", "0", "--db", db, "--tls-cert", cert,
		NULL };
	const char *missing[] = { "--port", "0", "--db", db, "--tls-cert",
		cert, "--tls-key", "/nonexistent/key.pem", NULL };
	const char *mismatch[] = { "--port", "0", "--db", db, "--tls-cert",
		ca, "--tls-key", key, NULL };
	const char *garbage[] = { "--port", "0", "--db", db, "--tls-cert",
		junk, "--tls-key", key, NULL };

	assert_int_equal(hs_stop(s, SIGTERM), 0);
	snprintf(db, sizeof db, "%s/other.db", s->dir);
	snprintf(cert, sizeof cert, "%s/server.pem", s->dir);
	snprintf(key, sizeof key, "%s/server.key", s->dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", s->dir);
	snprintf(junk, sizeof junk, "%s/ext.cnf", s->dir);
	/* A usage error: 2. What cannot be used at start: 1, and no crash. */
	assert_int_equal(h_wait_exit(h_spawn_mockintd(half)), 2);
	assert_int_equal(h_wait_exit(h_spawn_mockintd(missing)), 1);
	assert_int_equal(h_wait_exit(h_spawn_mockintd(mismatch)), 1);
	assert_int_equal(h_wait_exit(h_spawn_mockintd(garbage)), 1);
	hs_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interview_over_tls),
		cmocka_unit_test(test_untrusted_refused),
		cmocka_unit_test(test_bad_tls_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
