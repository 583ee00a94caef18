/*
 * test-http.c — the HTTP side of mockintd's port: GET /healthz (200 with
 * its JSON; 503 while the database cannot be written, 200 again after),
 * GET /metrics (Prometheus text whose counters follow what clients do),
 * and 404 for every other path that is not the browser client's
 * (test-web.c), 405 for other methods. Paths match
 * exactly: what lws would cut off (";x", "&x", "?x") makes a 404. With
 * --metrics-listen, /metrics is served there alone, and 404 on the port.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"

static char *
scrape(const struct hserver *s)
{
	char *page = NULL;

	assert_int_equal(h_http_get(s, "/metrics", &page), 200);
	assert_non_null(page);
	return page;
}

static void
test_healthz(void **state)
{
	struct hserver *s = *state;
	json_t *j;
	char *body;

	assert_int_equal(h_http_get(s, "/healthz", &body), 200);
	j = json_loads(body, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	    "ok");
	assert_string_equal(json_string_value(json_object_get(j, "db")), "ok");
	assert_string_equal(json_string_value(json_object_get(j, "version")),
	    MOCKINT_VERSION);
	assert_true(json_is_integer(json_object_get(j, "uptime_s")));
	assert_true(json_integer_value(json_object_get(j, "uptime_s")) >= 0);
	json_decref(j);
	free(body);
}

/*
 * GET /healthz until it answers want (the writer's idle probe notices a
 * change within a few seconds); its last body in *body.
 */
static int
healthz_until(const struct hserver *s, int want, char **body)
{
	int status = 0;

	for (int i = 0; i < 100; i++) {
		status = h_http_get(s, "/healthz", body);
		if (status == want)
			break;
		free(*body);
		*body = NULL;
		usleep(100 * 1000);
	}
	return status;
}

static void
test_healthz_db_locked(void **state)
{
	struct hserver *s = *state;
	struct hclient *c;
	sqlite3 *db;
	json_t *j;
	char *body;

	/* Another process holds the write lock: not writable, 503. (It
	 * waits its turn for the lock: the server's writer takes it now and
	 * then, as an admin's sqlite3 shell would find.) */
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	/* Meanwhile every client is still answered at once: nothing on
	 * the loop waits for the lock. */
	c = hc_connect(s);
	json_decref(hc_ok(c, "ping", NULL));
	assert_int_equal(healthz_until(s, 503, &body), 503);
	j = json_loads(body, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	    "error");
	assert_string_equal(json_string_value(json_object_get(j, "db")),
	    "unwritable");
	assert_non_null(json_string_value(json_object_get(j, "error")));
	json_decref(j);
	free(body);
	/* The lock goes: healthy again, and the server never stopped. */
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(healthz_until(s, 200, &body), 200);
	free(body);
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(c);
}

static void
test_metrics_move(void **state)
{
	struct hserver *s = *state;
	struct hclient *iv, *cd, *anon;
	char *before, *after, item[128];
	json_t *sess;
	long long id;

	before = scrape(s);
	assert_non_null(strstr(before, "# TYPE mockint_commit_duration_seconds "
	    "histogram"));
	assert_true(h_metric(before, "mockint_questions") > 0);
	assert_true(h_metric(before, "mockint_connections_open") == 0);
	assert_true(h_metric(before, "mockint_users_online") == 0);

	/* Two users log in (one attempt each), one wrong password. */
	iv = h_user(s, "hm_ivo", NULL, 0);
	cd = h_user(s, "hm_cleo", NULL, 0);
	anon = hc_connect(s);
	hc_error(anon, "login", json_pack("{s:s,s:s}", "username", "hm_ivo",
	    "password", "not-the-password"), "unauthenticated");
	hc_error(anon, "queue.leave", NULL, "unauthenticated");
	/* A session with two notes. */
	id = h_pair(iv, cd);
	sess = hc_wait_push(iv, "session", 5000);
	assert_non_null(sess);
	snprintf(item, sizeof item, "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(json_object_get(sess, "question"),
	    "checklist"), 0), "key")));
	json_decref(sess);
	for (int i = 1; i <= 2; i++)
		json_decref(hc_ok(iv, "note.add", json_pack("{s:I,s:s,s:i}",
		    "session_id", (json_int_t)id, "item", item, "score", i)));

	after = scrape(s);
	assert_true(h_metric(after, "mockint_login_attempts_total") -
	    h_metric(before, "mockint_login_attempts_total") == 3);
	assert_true(h_metric(after, "mockint_login_failures_total") -
	    h_metric(before, "mockint_login_failures_total") == 1);
	assert_true(h_metric(after, "mockint_messages_in_total{type=\"login\"}")
	    == 3);
	assert_true(h_metric(after,
	    "mockint_messages_in_total{type=\"register\"}") == 2);
	assert_true(h_metric(after,
	    "mockint_messages_in_total{type=\"note.add\"}") == 2);
	assert_true(h_metric(after, "mockint_messages_out_total{type=\"match\"}")
	    == 2);
	assert_true(h_metric(after, "mockint_messages_out_total{type=\"ok\"}")
	    >= 8);
	assert_true(h_metric(after,
	    "mockint_errors_total{code=\"unauthenticated\"}") == 2);
	assert_true(h_metric(after, "mockint_notes_committed_total") -
	    h_metric(before, "mockint_notes_committed_total") == 2);
	/* Each note, each registration and login committed and was timed. */
	assert_true(h_metric(after, "mockint_commit_duration_seconds_count") -
	    h_metric(before, "mockint_commit_duration_seconds_count") >= 6);
	assert_true(h_metric(after,
	    "mockint_commit_duration_seconds_bucket{le=\"+Inf\"}") ==
	    h_metric(after, "mockint_commit_duration_seconds_count"));
	assert_true(h_metric(after, "mockint_connections_open") == 3);
	assert_true(h_metric(after, "mockint_users_online") == 2);
	assert_true(h_metric(after, "mockint_sessions_live{phase=\"prep\"}") ==
	    1);
	assert_true(h_metric(after, "mockint_queue_length{role=\"candidate\"}")
	    == 0);
	free(before);
	free(after);

	/* Waiting in the queue shows; leaving the server shows. */
	hc_free(iv);
	hc_free(cd);
	iv = h_user(s, "hm_quinn", NULL, 0);
	json_decref(hc_ok(iv, "queue.join", json_pack("{s:s}", "role",
	    "candidate")));
	after = scrape(s);
	assert_true(h_metric(after, "mockint_queue_length{role=\"candidate\"}")
	    == 1);
	assert_true(h_metric(after, "mockint_users_online") == 1);
	free(after);
	hc_free(iv);
	hc_free(anon);
}

static void
test_other_paths(void **state)
{
	static const char *const paths[] = { "/index.htm", "/healthzz",
		"/metrics/x", "/../../etc/passwd", "/server/bank",
		"/mockint.db", "/README.md", "/CMakeLists.txt" };
	struct hserver *s = *state;
	struct hclient *c;
	char *body;

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		assert_int_equal(h_http_get(s, paths[i], &body), 404);
		assert_null(strstr(body ? body : "", "SQLite"));
		free(body);
	}
	assert_int_equal(h_http_get_fd(h_raw_connect(s), "POST", "/healthz",
	    &body), 405);
	free(body);
	assert_int_equal(h_http_get_fd(h_raw_connect(s), "DELETE", "/metrics",
	    &body), 405);
	free(body);
	/* The WebSocket side is unaffected. */
	c = hc_connect(s);
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(c);
}

static void
test_exact_paths(void **state)
{
	/* Each of these was served as /metrics or /healthz by lws's first
	 * piece of the URI, past a proxy's `location = /metrics`. */
	static const char *const near[] = { "/metrics;x", "/metrics&x",
		"/metrics?x", "/metrics?format=prometheus", "/metrics;",
		"/metrics&", "/metrics/", "/metrics%3bx", "/metrics+",
		"/healthz;x", "/healthz&x", "/healthz?x", "/healthz/" };
	struct hserver *s = *state;
	char *body;

	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		int st = h_http_get(s, near[i], &body);

		if (st != 404)
			fail_msg("GET %s: %d, not 404", near[i], st);
		assert_null(strstr(body ? body : "", "mockint_"));
		free(body);
	}
	assert_int_equal(h_http_get(s, "/metrics", &body), 200);
	free(body);
	assert_int_equal(h_http_get(s, "/healthz", &body), 200);
	free(body);
}

/* A port nobody listens on now (bound and let go). */
static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
test_metrics_listen(void **state)
{
	char listen[32], *body;
	const char *extra[] = { "--metrics-listen", listen, NULL };
	static const char *const public[] = { "/metrics", "/%6detrics",
		"//metrics", "/./metrics", "/metrics;x" };
	struct hserver *s, m;
	struct hclient *c;
	int fd;

	snprintf(listen, sizeof listen, "127.0.0.1:%d", free_port());
	s = hs_start_bank(NULL, extra);
	m = *s;
	m.port = atoi(strchr(listen, ':') + 1);
	/* Not on the public port, under any spelling. */
	for (size_t i = 0; i < sizeof public / sizeof public[0]; i++) {
		assert_int_equal(h_http_get(s, public[i], &body), 404);
		assert_null(strstr(body ? body : "", "mockint_"));
		free(body);
	}
	assert_int_equal(h_http_get(s, "/healthz", &body), 200);
	free(body);
	/* There, and only /metrics. */
	assert_int_equal(h_http_get(&m, "/metrics", &body), 200);
	assert_non_null(strstr(body, "mockint_build_info"));
	free(body);
	assert_int_equal(h_http_get(&m, "/healthz", &body), 404);
	free(body);
	assert_int_equal(h_http_get(&m, "/metrics;x", &body), 404);
	free(body);
	/* No WebSocket there; the port's are unaffected. */
	fd = h_raw_connect(&m);
	assert_int_equal(h_raw_upgrade(fd, NULL), -1);
	close(fd);
	c = hc_connect(s);
	json_decref(hc_ok(c, "ping", NULL));
	hc_free(c);
	/* Both listeners go at shutdown: exit 0 (and no leak, under ASan). */
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthz,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_healthz_db_locked,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_metrics_move,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_other_paths,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test_setup_teardown(test_exact_paths,
		    h_setup_bank, h_teardown_server),
		cmocka_unit_test(test_metrics_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
