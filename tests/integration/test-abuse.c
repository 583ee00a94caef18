/*
 * test-abuse.c — what one registered user could do to take the service
 * from everyone, each attack against a real mockintd, asserting the
 * defended outcome: a connection pipelining requests, a pair flooding a
 * session's chat and notes, a session grown to its limits (it must still
 * be rejoined, read and exported by both, a page at a time), room codes
 * guessed, queue and swap requests spammed, sessions started back to
 * back. While a flood runs, another user's ping must stay quick.
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
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "harness.h"

/* A bystander's ping round trip, under ASan, while a flood runs. */
#define BYSTANDER_P99_MS 50
/* One page of history.get, under ASan: the median page, and the
 * slowest (the machine is shared: one page may meet a busy moment). */
#define PAGE_MS 100
#define PAGE_MAX_MS 1000

/* Page times of one read, in ms. */
struct pages {
	long ms[1024];
	int n;
};

static void
page_time(struct pages *p, long ms)
{
	if (p->n < (int)(sizeof p->ms / sizeof p->ms[0]))
		p->ms[p->n++] = ms;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* n pings from c, one at a time: the 99th percentile of their round
 * trips (the worst of fewer than 100). */
static long
ping_p99(struct hclient *c, int n)
{
	long *t = calloc((size_t)n, sizeof *t), p99;

	assert_non_null(t);
	for (int i = 0; i < n; i++) {
		long t0 = now_ms();

		json_decref(hc_ok(c, "ping", NULL));
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof *t, cmp_long);
	p99 = t[(size_t)((n - 1) * 99 / 100)];
	free(t);
	return p99;
}

/* A request as raw text, sent without waiting for its reply. */
static void
pipeline(struct hclient *c, const char *type, json_t *fields, long long id)
{
	json_t *m = fields != NULL ? fields : json_object();
	char *text;

	json_object_set_new(m, "type", json_string(type));
	json_object_set_new(m, "id", json_integer(id));
	text = json_dumps(m, JSON_COMPACT);
	hc_send_text(c, text);
	free(text);
	json_decref(m);
}

/* Replies to n pipelined requests: how many ok, and of each error code
 * given (up to 3), counted; pushes are skipped. */
struct tally {
	int ok, codes[3], other;
	long long retry_ms;	/* the last retry_after_ms seen */
};

static void
collect(struct hclient *c, int n, const char *const codes[3],
    struct tally *t)
{
	memset(t, 0, sizeof *t);
	while (n > 0) {
		json_t *m = hc_next(c, 20000);
		const char *type;

		assert_non_null(m);
		type = h_str(m, "type");
		if (strcmp(type, "ok") == 0 || strcmp(type, "error") == 0)
			n--;
		if (strcmp(type, "ok") == 0)
			t->ok++;
		else if (strcmp(type, "error") == 0) {
			int i;

			for (i = 0; i < 3 && codes[i] != NULL; i++)
				if (strcmp(h_str(m, "code"), codes[i]) == 0)
					break;
			if (i < 3 && codes[i] != NULL)
				t->codes[i]++;
			else
				t->other++;
			if (json_object_get(m, "retry_after_ms") != NULL)
				t->retry_ms = h_int(m, "retry_after_ms");
		}
		json_decref(m);
	}
}

static long long
db_count(const struct hserver *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * One connection pipelines 400 pings: past the burst they get
 * rate_limited with retry_after_ms, the connection stays open and usable
 * after the wait, and a bystander's pings stay quick meanwhile.
 */
static void
test_request_flood(void **state)
{
	static const char *const codes[3] = { "rate_limited", NULL, NULL };
	struct hserver *s = hs_start_bank(NULL, NULL);
	struct hclient *flood = h_user(s, "a_flood", NULL, 0);
	struct hclient *by = h_user(s, "a_by", NULL, 0);
	struct tally t;
	long p99;

	for (int i = 0; i < 400; i++)
		pipeline(flood, "ping", NULL, 1000 + i);
	p99 = ping_p99(by, 50);
	collect(flood, 400, codes, &t);
	printf("request flood: %d ok, %d rate_limited; bystander ping p99 "
	    "%ld ms\n", t.ok, t.codes[0], p99);
	/* The burst (60, less what logging in took) and the trickle. */
	assert_true(t.ok >= 50 && t.ok < 200);
	assert_true(t.codes[0] > 200);
	assert_int_equal(t.other, 0);
	assert_true(t.retry_ms > 0 && t.retry_ms <= 1000);
	if (!h_slow())
		assert_true(p99 < BYSTANDER_P99_MS);
	h_sleep((int)t.retry_ms + 50);
	json_decref(hc_ok(flood, "ping", NULL));
	assert_true(hc_is_open(flood));
	hc_free(flood);
	hc_free(by);
	hs_finish(s);
}

/*
 * A pair floods its session's chat and notes as fast as one connection
 * can (the request limit lifted): past the session's limits every write
 * is too_large, the database holds exactly what was acknowledged and no
 * more, the peer is not cut off, and a bystander's pings stay quick.
 */
static void
test_session_flood(void **state)
{
	static const char *const extra[] = { "--limit-requests-per-s", "0",
		"--limit-chat-messages", "150", "--limit-notes", "120", NULL };
	static const char *const codes[3] = { "too_large", NULL, NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *iv = h_user(s, "a_iv", NULL, 0);
	struct hclient *cd = h_user(s, "a_cd", NULL, 0);
	struct hclient *by = h_user(s, "a_by2", NULL, 0);
	char text[4097], sql[160];
	struct tally chat, notes;
	long long id = h_pair(iv, cd);
	long p99;

	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (int i = 0; i < 600; i++)
		pipeline(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
		    (json_int_t)id, "text", text), 5000 + i);
	for (int i = 0; i < 400; i++)
		pipeline(iv, "note.add", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)id, "item", "general", "text",
		    text), 9000 + i);
	p99 = ping_p99(by, 50);
	collect(cd, 600, codes, &chat);
	collect(iv, 400, codes, &notes);
	printf("session flood: chat %d ok, %d too_large; notes %d ok, %d "
	    "too_large; bystander ping p99 %ld ms\n", chat.ok, chat.codes[0],
	    notes.ok, notes.codes[0], p99);
	/* The limits by count or by bytes (1 MiB: 256 of 4 KiB), whichever
	 * comes first. */
	assert_int_equal(chat.ok, 150);
	assert_int_equal(chat.codes[0], 450);
	assert_int_equal(notes.ok, 120);
	assert_int_equal(notes.codes[0], 280);
	assert_int_equal(chat.other + notes.other, 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM chat WHERE "
	    "session_id = %lld", id);
	assert_int_equal(db_count(s, sql), 150);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notes WHERE "
	    "session_id = %lld", id);
	assert_int_equal(db_count(s, sql), 120);
	if (!h_slow())
		assert_true(p99 < BYSTANDER_P99_MS);
	/* The interviewer read along (chat pushes) and is still here. */
	assert_true(hc_is_open(iv));
	assert_true(hc_is_open(cd));
	json_decref(hc_ok(iv, "ping", NULL));
	hc_free(iv);
	hc_free(cd);
	hc_free(by);
	hs_finish(s);
}

/* Page through list ("notes"/"chat") of session id from cursor before,
 * each page within PAGE_MS: how many items there were in all. */
static long long
read_pages(struct hclient *c, long long id, const char *list,
    json_t *before, struct pages *times)
{
	char key[32];
	long long n = 0;
	json_t *cursor = json_incref(before);

	snprintf(key, sizeof key, "%s_before", list);
	while (json_is_integer(cursor)) {
		long t0 = now_ms();
		json_t *p = hc_ok(c, "history.get", json_pack("{s:I,s:O}",
		    "session_id", (json_int_t)id, key, cursor));
		page_time(times, now_ms() - t0);
		assert_true(json_array_size(json_object_get(p, list)) > 0);
		n += (long long)json_array_size(json_object_get(p, list));
		json_decref(cursor);
		cursor = json_incref(json_object_get(p, key));
		json_decref(p);
	}
	json_decref(cursor);
	return n;
}

/*
 * history.get of id by c: every note (when shown) and chat message, a
 * page at a time, each page quick (the median under PAGE_MS, none over
 * PAGE_MAX_MS).
 */
static void
read_whole(struct hclient *c, long long id, long long want_notes,
    long long want_chat)
{
	struct pages times = { { 0 }, 0 };
	long t0 = now_ms();
	json_t *h = hc_ok(c, "history.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	char *dump = json_dumps(h, JSON_COMPACT);
	long long notes, chat;

	page_time(&times, now_ms() - t0);
	assert_true(strlen(dump) <= 512 * 1024);
	free(dump);
	notes = (long long)json_array_size(json_object_get(h, "notes")) +
	    read_pages(c, id, "notes", json_object_get(h, "notes_before"),
	    &times);
	chat = (long long)json_array_size(json_object_get(h, "chat")) +
	    read_pages(c, id, "chat", json_object_get(h, "chat_before"),
	    &times);
	qsort(times.ms, (size_t)times.n, sizeof times.ms[0], cmp_long);
	printf("%d pages of session %lld: median %ld ms, slowest %ld ms\n",
	    times.n, id, times.ms[times.n / 2], times.ms[times.n - 1]);
	if (!h_slow()) {
		assert_true(times.ms[times.n / 2] < PAGE_MS);
		assert_true(times.ms[times.n - 1] < PAGE_MAX_MS);
	}
	assert_int_equal(h_int(h, "notes_total"), want_notes);
	assert_int_equal(h_int(h, "chat_total"), want_chat);
	assert_int_equal(notes, want_notes);
	assert_int_equal(chat, want_chat);
	json_decref(h);
}

/* Fill session id to its default limits with the largest texts: chat
 * from cd (1 MiB in 4 KiB messages: 256), notes from iv (the same). */
static void
fill(struct hclient *iv, struct hclient *cd, long long id)
{
	static const char *const codes[3] = { "too_large", NULL, NULL };
	char text[4097];
	struct tally t;

	memset(text, 'y', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (int i = 0; i < 260; i++) {
		text[0] = (char)('a' + i % 26);
		pipeline(cd, "chat.send", json_pack("{s:I,s:s}", "session_id",
		    (json_int_t)id, "text", text), 20000 + i);
		pipeline(iv, "note.add", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)id, "item", "general", "text",
		    text), 30000 + i);
	}
	collect(cd, 260, codes, &t);
	assert_int_equal(t.ok, 256);
	collect(iv, 260, codes, &t);
	assert_int_equal(t.ok, 256);
}

/* Run the terminal client's `history export ID --format json` as a user
 * with token; its output's notes and chat counts. */
static void
export_counts(const struct hserver *s, const char *token, long long id,
    long long *notes, long long *chat)
{
	char dir[400], path[480], ids[32], out[480], cmd[2048];
	json_t *j;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/home-%lld-%c", s->dir, id, token[0]);
	snprintf(path, sizeof path, "%s/mockint", dir);
	assert_int_equal(mkdir(dir, 0700) == 0 || errno == EEXIST, 1);
	assert_int_equal(mkdir(path, 0700) == 0 || errno == EEXIST, 1);
	snprintf(path, sizeof path, "%s/mockint/login", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "server=%s\ntoken=%s\nusername=x\n", s->url, token);
	fclose(f);
	chmod(path, 0600);
	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(out, sizeof out, "%s/export.json", dir);
	snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME='%s' '%s' history export "
	    "%s --format json -o '%s' </dev/null", dir, getenv("MOCKINT"), ids,
	    out);
	assert_int_equal(system(cmd), 0);
	j = json_load_file(out, 0, NULL);
	assert_non_null(j);
	*notes = (long long)json_array_size(json_object_get(j, "notes"));
	*chat = (long long)json_array_size(json_object_get(j, "chat"));
	json_decref(j);
}

/*
 * A session at every limit (1 MiB of chat and 1 MiB of notes, at the
 * largest sizes) can still be rejoined, read and exported, by both, a
 * page at a time, each quickly: nothing sent is larger than a client can
 * take, and nobody is cut off as a slow reader.
 */
static void
test_session_at_limits(void **state)
{
	static const char *const extra[] = { "--limit-requests-per-s", "0",
		NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	char tiv[128], tcd[128];
	struct hclient *iv = h_user(s, "l_iv", tiv, sizeof tiv);
	struct hclient *cd = h_user(s, "l_cd", tcd, sizeof tcd);
	struct hclient *back;
	long long id = h_pair(iv, cd), n, c;
	json_t *p;
	char *dump;

	fill(iv, cd, id);
	/* The interviewer comes back: the session push arrives, whole,
	 * within what a client takes, with the newest page of each. */
	back = hc_connect(s);
	json_decref(hc_ok(back, "auth", json_pack("{s:s}", "token", tiv)));
	p = hc_wait_push(back, "session", 10000);
	assert_non_null(p);
	dump = json_dumps(p, JSON_COMPACT);
	assert_true(strlen(dump) <= 512 * 1024);
	free(dump);
	assert_int_equal(h_int(p, "notes_total"), 256);
	assert_int_equal(h_int(p, "chat_total"), 256);
	assert_true(json_is_integer(json_object_get(p, "notes_before")));
	json_decref(p);
	assert_true(hc_is_open(back));
	/* While live, the interviewer reads it all; the candidate the chat. */
	read_whole(back, id, 256, 256);
	hc_error(cd, "history.get", json_pack("{s:I,s:I}", "session_id",
	    (json_int_t)id, "notes_before", (json_int_t)1000000), "forbidden");
	json_decref(hc_ok(back, "session.end", json_pack("{s:I}", "session_id",
	    (json_int_t)id)));
	/* Ended: both read everything, and the client exports everything. */
	read_whole(cd, id, 256, 256);
	export_counts(s, tiv, id, &n, &c);
	assert_int_equal(n, 256);
	assert_int_equal(c, 256);
	export_counts(s, tcd, id, &n, &c);
	assert_int_equal(n, 256);
	assert_int_equal(c, 256);
	hc_free(back);
	hc_free(iv);
	hc_free(cd);
	hs_finish(s);
}

/*
 * Room codes cannot be guessed: joins are limited per connection (and
 * per address), right or wrong; a room whose owner is gone closes.
 */
static void
test_room_guessing(void **state)
{
	static const char *const extra[] = { "--room-linger", "1", NULL };
	static const char *const codes[3] = { "not_found", "rate_limited",
		NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *owner = h_user(s, "g_owner", NULL, 0);
	struct hclient *guess = h_user(s, "g_guess", NULL, 0);
	struct hclient *late = h_user(s, "g_late", NULL, 0);
	struct tally t;
	json_t *r;
	char code[16];

	r = hc_ok(owner, "room.create", json_pack("{s:s}", "role",
	    "interviewer"));
	snprintf(code, sizeof code, "%s", h_str(r, "code"));
	assert_int_equal(strlen(code), 8);
	json_decref(r);
	for (int i = 0; i < 40; i++)
		pipeline(guess, "room.join", json_pack("{s:s}", "code",
		    "ZZZZZZZZ"), 100 + i);
	collect(guess, 40, codes, &t);
	assert_int_equal(t.codes[0], 10);	/* a minute's worth */
	assert_int_equal(t.codes[1], 30);
	assert_true(t.retry_ms > 0);
	/* Even the right code, past the limit. */
	hc_error(guess, "room.join", json_pack("{s:s}", "code", code),
	    "rate_limited");
	/* The owner goes away: a second later the room is closed. */
	hc_free(owner);
	h_sleep(1500);
	hc_error(late, "room.join", json_pack("{s:s}", "code", code),
	    "not_found");
	hc_free(guess);
	hc_free(late);
	hs_finish(s);
}

/*
 * queue.join/leave spam: past the push limit rate_limited; and the users
 * waiting get rounds of positions, not one push per change.
 */
static void
test_queue_spam(void **state)
{
	static const char *const codes[3] = { "rate_limited", "not_found",
		NULL };
	struct hserver *s = hs_start_bank(NULL, NULL);
	struct hclient *spam = h_user(s, "q_spam", NULL, 0);
	struct hclient *wait = h_user(s, "q_wait", NULL, 0);
	struct tally t;
	int pushes = 0;
	json_t *m;

	json_decref(hc_ok(wait, "queue.join", json_pack("{s:s}", "role",
	    "interviewer")));
	for (int i = 0; i < 100; i++)
		pipeline(spam, i % 2 ? "queue.leave" : "queue.join", i % 2 ?
		    NULL : json_pack("{s:s,s:s}", "role", "interviewer",
		    "category", "nowhere"), 200 + i);
	collect(spam, 100, codes, &t);
	printf("queue spam: %d ok, %d rate_limited, %d not queued\n", t.ok,
	    t.codes[0], t.codes[1]);
	/* A burst of 10, then 2/s (a leave after a refused join finds
	 * nothing to leave). */
	assert_true(t.ok >= 10 && t.ok <= 12);
	assert_true(t.codes[0] >= 60);
	assert_int_equal(t.other, 0);
	assert_true(t.retry_ms > 0);
	while ((m = hc_wait_push(wait, "queue", 700)) != NULL) {
		pushes++;
		json_decref(m);
	}
	assert_true(pushes <= 4);
	hc_free(spam);
	hc_free(wait);
	hs_finish(s);
}

/* Sessions a user may start per hour: the third is refused. */
static void
test_sessions_per_hour(void **state)
{
	static const char *const extra[] = { "--limit-sessions-per-hour", "2",
		NULL };
	struct hserver *s = hs_start_bank(NULL, extra);
	struct hclient *a = h_user(s, "h_a", NULL, 0);
	struct hclient *b = h_user(s, "h_b", NULL, 0);
	json_t *e;

	for (int i = 0; i < 2; i++) {
		long long id = h_pair(a, b);

		json_decref(hc_ok(a, "session.end", json_pack("{s:I}",
		    "session_id", (json_int_t)id)));
		json_decref(hc_wait_push(a, "ended", 5000));
		json_decref(hc_wait_push(b, "ended", 5000));
	}
	e = hc_request(a, "queue.join", json_pack("{s:s}", "role",
	    "interviewer"));
	assert_string_equal(h_str(e, "code"), "rate_limited");
	assert_true(h_int(e, "retry_after_ms") > 60000);
	json_decref(e);
	hc_error(b, "room.create", json_pack("{s:s}", "role", "candidate"),
	    "rate_limited");
	hc_free(a);
	hc_free(b);
	hs_finish(s);
}

/* A chat client_id is the sender's own: the peer reusing it does not
 * silence the first sender's message, nor the other way round. */
static void
test_chat_ids_per_sender(void **state)
{
	struct hserver *s = hs_start_bank(NULL, NULL);
	struct hclient *iv = h_user(s, "c_iv", NULL, 0);
	struct hclient *cd = h_user(s, "c_cd", NULL, 0);
	long long id = h_pair(iv, cd);
	json_t *a, *b, *h;

	a = hc_ok(cd, "chat.send", json_pack("{s:I,s:s,s:s}", "session_id",
	    (json_int_t)id, "text", "from the candidate", "client_id", "m1"));
	b = hc_ok(iv, "chat.send", json_pack("{s:I,s:s,s:s}", "session_id",
	    (json_int_t)id, "text", "from the interviewer", "client_id",
	    "m1"));
	assert_true(h_int(a, "chat_id") != h_int(b, "chat_id"));
	json_decref(a);
	json_decref(b);
	/* The sender's own resend is still one message. */
	json_decref(hc_ok(cd, "chat.send", json_pack("{s:I,s:s,s:s}",
	    "session_id", (json_int_t)id, "text", "from the candidate",
	    "client_id", "m1")));
	h = hc_ok(iv, "history.get", json_pack("{s:I}", "session_id",
	    (json_int_t)id));
	assert_int_equal(h_int(h, "chat_total"), 2);
	json_decref(h);
	hc_free(iv);
	hc_free(cd);
	hs_finish(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_flood),
		cmocka_unit_test(test_session_flood),
		cmocka_unit_test(test_session_at_limits),
		cmocka_unit_test(test_room_guessing),
		cmocka_unit_test(test_queue_spam),
		cmocka_unit_test(test_sessions_per_hour),
		cmocka_unit_test(test_chat_ids_per_sender),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
