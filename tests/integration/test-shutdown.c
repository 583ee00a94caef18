/*
 * test-shutdown.c — SIGTERM under load. At the moment the signal comes,
 * logins are hashing on several connections, an interviewer has a run of
 * note.add (with client_ids) in flight, history reads are queued, and a
 * `mockintd --backup` runs beside the server. The server must exit 0
 * (under ASan/LSan: nothing leaked, no memory error), close every
 * connection with 1001, leave the backup whole, and keep every note it
 * acknowledged: after a restart on the same database each is there
 * exactly once, also once the interviewer has resent all of them with
 * their client_ids, as a client does after reconnecting.
 *
 * The same run is repeated with the signal at different moments, from
 * "as soon as the requests are on the wire" to "when most have been
 * answered".
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
#include <sqlite3.h>

#include "harness.h"

/* Connections logging in when the signal comes. */
#define LOGINS 6
/*
 * Notes in flight, and notes stored before, of NOTE_BEFORE_LEN bytes
 * each: a history to read and a database for the backup to copy, small
 * enough that the ten history.get replies queued for the candidate stay
 * under the server's outbound cap (CONN_OUT_CAP, 1 MiB).
 */
#define NOTES 300
#define NOTES_BEFORE 200
#define NOTE_BEFORE_LEN 200
/* Rounds of history.list, history.get and history.stats in flight. */
#define READ_ROUNDS 10
/* How long a test waits for the last replies and the close (a server
 * under valgrind, h_slow, is some twenty times slower). */
#define DRAIN_MS (h_slow() ? 60000 : 5000)

/*
 * Argon2id slow enough (tens of ms a hash) that logins are still hashing
 * when the signal comes: these come after, so override, the minimum the
 * other test servers hash with (hs_fast_args). The notes are pipelined as
 * fast as one connection sends: no per-connection request limit.
 */
static const char *const slow_hash[] = { "--pwhash-ops", "3",
	"--pwhash-mem", "16777216", "--limit-requests-per-s", "0", NULL };

struct load {
	struct hserver *s;
	struct hclient *iv, *cd, *login[LOGINS];
	long long sid;
	long long note_re[NOTES];	/* the request id of each note.add */
	int acked[NOTES];
	char cid[NOTES][32];
	char backup[400];
	pid_t backup_pid;
};

static struct hserver *
start(const char *dir)
{
	return hs_start_bank_in(dir, NULL, slow_hash);
}

/* Send note i of the run (its client_id) from the interviewer. */
static long long
add_note(struct load *l, int i)
{
	return hc_send(l->iv, "note.add", json_pack("{s:I,s:s,s:s,s:s}",
	    "session_id", (json_int_t)l->sid, "item", "general", "text",
	    "a note written while the server was asked to stop",
	    "client_id", l->cid[i]));
}

/* Wait for n replies to requests sent meanwhile: each must be ok. */
static void
wait_oks(struct hclient *c, int n)
{
	json_t *m;

	while (n > 0) {
		m = hc_next(c, DRAIN_MS);
		assert_non_null(m);
		if (json_object_get(m, "re") != NULL) {
			assert_string_equal(h_str(m, "type"), "ok");
			n--;
		}
		json_decref(m);
	}
}

/* The pair in session, a history to read, and users to log in. */
static void
prepare(struct load *l, int round)
{
	struct hclient *admin;
	char name[32], text[NOTE_BEFORE_LEN + 1];

	l->s = start(NULL);
	l->iv = h_user(l->s, "sd_ivan", NULL, 0);
	l->cd = h_user(l->s, "sd_cora", NULL, 0);
	l->sid = h_pair(l->iv, l->cd);
	/* Notes before: pipelined, all acknowledged. */
	memset(text, 'x', NOTE_BEFORE_LEN);
	text[NOTE_BEFORE_LEN] = '\0';
	for (int i = 0; i < NOTES_BEFORE; i++)
		hc_send(l->iv, "note.add", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)l->sid, "item", "general",
		    "text", text));
	wait_oks(l->iv, NOTES_BEFORE);
	hc_clear(l->iv);
	hc_clear(l->cd);
	admin = hc_connect(l->s);
	for (int i = 0; i < LOGINS; i++) {
		snprintf(name, sizeof name, "sd_login%d", i);
		json_decref(hc_ok(admin, "register", json_pack("{s:s,s:s}",
		    "username", name, "password", "pw-login-secret")));
		l->login[i] = hc_connect(l->s);
	}
	hc_free(admin);
	for (int i = 0; i < NOTES; i++)
		snprintf(l->cid[i], sizeof l->cid[i], "sd-%d-%d", round, i);
	snprintf(l->backup, sizeof l->backup, "%s/backup.db", l->s->dir);
}

/* Everything at once: the backup, logins (every other one with a wrong
 * password), the notes, the reads. */
static void
fire(struct load *l)
{
	const char *args[] = { "--db", l->s->db, "--backup", l->backup, NULL };
	char name[32];

	l->backup_pid = h_spawn_mockintd(args);
	for (int i = 0; i < LOGINS; i++) {
		snprintf(name, sizeof name, "sd_login%d", i);
		hc_send(l->login[i], "login", json_pack("{s:s,s:s}", "username",
		    name, "password", i % 2 ? "wrong-password" :
		    "pw-login-secret"));
	}
	for (int i = 0; i < NOTES; i++) {
		l->note_re[i] = add_note(l, i);
		if (i % (NOTES / READ_ROUNDS) != 0)
			continue;
		hc_send(l->cd, "history.list", NULL);
		hc_send(l->cd, "history.get", json_pack("{s:I}", "session_id",
		    (json_int_t)l->sid));
		hc_send(l->cd, "history.stats", NULL);
	}
}

/* Take every reply iv got before the close; mark the notes it acked. */
static int
collect_acks(struct load *l)
{
	json_t *m;
	int acked = 0;

	while ((m = hc_next(l->iv, 100)) != NULL) {
		long long re = h_int(m, "re");

		for (int i = 0; i < NOTES; i++) {
			if (re != l->note_re[i] || strcmp(h_str(m, "type"),
			    "ok") != 0)
				continue;
			assert_false(l->acked[i]);
			l->acked[i] = 1;
			acked++;
		}
		json_decref(m);
	}
	return acked;
}

/* Every acknowledged note is in the file once; none is there twice. */
static void
check_file(struct load *l)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open_v2(l->s->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	for (int i = 0; i < NOTES; i++)
		h_db_check_note(db, l->cid[i], l->acked[i]);
	sqlite3_close(db);
}

static void
check_backup(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	h_db_check_integrity(db);
	sqlite3_close(db);
}

/*
 * Restarted: the interviewer resends every note with its client_id, as a
 * client does after reconnecting; each gets ok, and history.get lists
 * each client_id exactly once.
 */
static void
resend_and_check(struct load *l)
{
	json_t *r, *notes;
	int seen[NOTES] = { 0 };
	size_t k;

	l->iv = h_user(l->s, "sd_ivan", NULL, 0);
	for (int i = 0; i < NOTES; i++)
		add_note(l, i);
	wait_oks(l->iv, NOTES);
	r = hc_ok(l->iv, "history.get", json_pack("{s:I}", "session_id",
	    (json_int_t)l->sid));
	notes = json_object_get(r, "notes");
	for (k = 0; k < json_array_size(notes); k++) {
		const char *cid = h_str(json_array_get(notes, k), "client_id");

		for (int i = 0; cid != NULL && i < NOTES; i++)
			if (strcmp(cid, l->cid[i]) == 0)
				seen[i]++;
	}
	for (int i = 0; i < NOTES; i++)
		if (seen[i] != 1)
			fail_msg("after the resend, note %s is listed %d "
			    "times", l->cid[i], seen[i]);
	json_decref(r);
	hc_free(l->iv);
}

static void
close_all(struct load *l)
{
	struct hclient *all[LOGINS + 2] = { l->iv, l->cd };

	for (int i = 0; i < LOGINS; i++)
		all[2 + i] = l->login[i];
	for (int i = 0; i < LOGINS + 2; i++) {
		int code = hc_wait_close(all[i], DRAIN_MS);

		if (code != H_CLOSE_GOING_AWAY)
			fail_msg("connection %d (0: interviewer, 1: candidate, "
			    "2...: logins) closed with %d", i, code);
		hc_free(all[i]);
	}
}

static void
test_sigterm_under_load(void **state)
{
	int delay_ms = *(const int *)*state, rc, acked;
	struct load *l = calloc(1, sizeof *l);
	char dir[256];

	assert_non_null(l);
	prepare(l, delay_ms);
	fire(l);
	/* Let the requests reach the server and some of it happen. */
	h_sleep(delay_ms);
	rc = hs_stop(l->s, SIGTERM);
	if (rc != 0)
		hs_dump_log(l->s);
	assert_int_equal(rc, 0);
	acked = collect_acks(l);
	close_all(l);
	assert_int_equal(h_wait_exit(l->backup_pid), 0);
	check_backup(l->backup);
	check_file(l);
	print_message("signal after %d ms: %d of %d notes acknowledged\n",
	    delay_ms, acked, NOTES);

	snprintf(dir, sizeof dir, "%s", l->s->dir);
	free(l->s);
	l->s = start(dir);
	resend_and_check(l);
	hs_finish(l->s);
	free(l);
}

int
main(void)
{
	/* When the signal comes: ms after the requests were sent. */
	static const int delays[] = { 1, 10, 40, 150 };
	const struct CMUnitTest tests[] = {
		{ "sigterm after 1 ms", test_sigterm_under_load, NULL, NULL,
		  (void *)&delays[0] },
		{ "sigterm after 10 ms", test_sigterm_under_load, NULL, NULL,
		  (void *)&delays[1] },
		{ "sigterm after 40 ms", test_sigterm_under_load, NULL, NULL,
		  (void *)&delays[2] },
		{ "sigterm after 150 ms", test_sigterm_under_load, NULL, NULL,
		  (void *)&delays[3] },
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
