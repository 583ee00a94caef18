/*
 * mockint-history.c — the history benchmark: how fast `history.list` and
 * `history.get` answer on a large database (the target: 100,000
 * sessions and 1,000,000 notes, a page and a 200-note session each under
 * 5 ms on the server).
 *
 *   mockint-history seed --db FILE --questions DIR [--sessions N]
 *       [--notes N] [--tokens FILE]
 *     fills FILE (created and migrated with mockintd's own store code)
 *     with users, ended sessions with phases, notes and chat, in one
 *     transaction; user hist0000 is in 1,000 of the sessions and session
 *     1 has 200 notes. Writes hist0000's token to the tokens file.
 *
 *   mockint-history measure --url ws://HOST:PORT --tokens FILE [--n N]
 *     authenticates as hist0000 and times N history.list pages (walking
 *     the cursor, then starting over) and N history.get of session 1,
 *     one request at a time, and prints p50/p99/max and a CSV line. The
 *     times are round trips on loopback: an upper bound on the server's.
 */
#include <math.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "bank.h"
#include "store_questions.h"
#include "envelope.h"
#include "lag.h"
#include "log.h"
#include "stats.h"
#include "store.h"
#include "token.h"
#include "wsclient.h"
#include "xmalloc.h"

#define USERS 1000
#define TARGET_SESSIONS 1000	/* sessions of hist0000 */
#define BIG_NOTES 200		/* notes of session 1 */

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "mockint-history: %s: %s\n", what,
	    db ? sqlite3_errmsg(db) : "failed");
	exit(1);
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql, db);
	return s;
}

static void
step(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("insert", db);
	sqlite3_reset(s);
}

/* The statements that write a seeded session and what it holds. */
struct seed_stmts {
	sqlite3 *db;
	sqlite3_stmt *session, *phase, *note, *chat;
};

static void
seed_users(sqlite3 *db, int64_t now)
{
	sqlite3_stmt *su = prep(db, "INSERT INTO users (id, username, pwhash, "
	    "created_at) VALUES (?1, ?2, 'not-a-hash: benchmark user', ?3)");
	char name[32];

	for (int u = 1; u <= USERS; u++) {
		snprintf(name, sizeof name, "hist%04d", u - 1);
		sqlite3_bind_int(su, 1, u);
		sqlite3_bind_text(su, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(su, 3, now);
		step(db, su);
	}
	sqlite3_finalize(su);
}

/* Session s of question qid, interviewer iv and candidate cd, begun at
 * t0: its phases, n notes and two chat messages. */
static void
seed_session(struct seed_stmts *k, long s, const char *qid, int64_t iv,
    int64_t cd, long n, int64_t t0)
{
	static const char *const phases[] = { "prep", "answer", "followup",
		"scoring", "done" };
	char text[96];

	sqlite3_bind_int64(k->session, 1, s);
	sqlite3_bind_int64(k->session, 2, iv);
	sqlite3_bind_int64(k->session, 3, cd);
	sqlite3_bind_text(k->session, 4, qid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k->session, 5, t0);
	sqlite3_bind_int64(k->session, 6, t0 + 1140000);
	sqlite3_bind_double(k->session, 7, 1 + (double)(rnd() % 300) / 100);
	step(k->db, k->session);
	for (int p = 0; p < 5; p++) {
		sqlite3_bind_int64(k->phase, 1, s);
		sqlite3_bind_text(k->phase, 2, phases[p], -1, SQLITE_STATIC);
		sqlite3_bind_int64(k->phase, 3, t0 + p * 240000);
		if (p < 4)
			sqlite3_bind_int64(k->phase, 4, t0 + (p + 1) * 240000);
		else
			sqlite3_bind_null(k->phase, 4);
		step(k->db, k->phase);
	}
	for (long i = 0; i < n; i++) {
		snprintf(text, sizeof text, "note %ld of session %ld: "
		    "clear structure, good numbers", i, s);
		sqlite3_bind_int64(k->note, 1, s);
		sqlite3_bind_int64(k->note, 2, iv);
		sqlite3_bind_text(k->note, 3, i % 3 ? "general" :
		    "situation_task", -1, SQLITE_STATIC);
		sqlite3_bind_text(k->note, 4, text, -1, SQLITE_TRANSIENT);
		if (i % 3 == 0)
			sqlite3_bind_int(k->note, 5, 1 + (int)(rnd() % 4));
		else
			sqlite3_bind_null(k->note, 5);
		sqlite3_bind_int64(k->note, 6, t0 + 300000 + i * 1000);
		step(k->db, k->note);
	}
	for (int i = 0; i < 2; i++) {
		sqlite3_bind_int64(k->chat, 1, s);
		sqlite3_bind_int64(k->chat, 2, i ? iv : cd);
		sqlite3_bind_text(k->chat, 3, i ? "thanks, well done" :
		    "ready when you are", -1, SQLITE_STATIC);
		sqlite3_bind_int64(k->chat, 4, t0 + i * 1000);
		step(k->db, k->chat);
	}
}

/* Every session, notes spread over them (the first holds BIG_NOTES). */
static void
seed_sessions(sqlite3 *db, const struct bank *b, long sessions, long notes,
    int64_t now)
{
	struct seed_stmts k = { db, NULL, NULL, NULL, NULL };
	long left = notes;

	k.session = prep(db, "INSERT INTO sessions (id, interviewer_id, "
	    "candidate_id, question_id, origin, phase, phase_lengths, "
	    "created_at, ended_at, reason, overall) VALUES (?1, ?2, ?3, ?4, "
	    "'queue', 'done', '[60,600,300,180]', ?5, ?6, 'completed', ?7)");
	k.phase = prep(db, "INSERT INTO session_phases (session_id, phase, "
	    "started_at, ended_at) VALUES (?1, ?2, ?3, ?4)");
	k.note = prep(db, "INSERT INTO notes (session_id, author_id, item, "
	    "text, score, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	k.chat = prep(db, "INSERT INTO chat (session_id, from_id, text, at) "
	    "VALUES (?1, ?2, ?3, ?4)");
	for (long s = 1; s <= sessions; s++) {
		const struct question *q = bank_at(b, rnd() % bank_count(b));
		/* hist0000 (user 1) takes part in the first 1,000. */
		int64_t iv = s <= TARGET_SESSIONS ? 1 : 1 + (int64_t)(rnd() %
		    USERS), cd = 1 + (int64_t)(rnd() % USERS);
		long n = s == 1 ? BIG_NOTES : s == sessions ? left :
		    (long)(rnd() % (2 * (size_t)notes / (size_t)sessions + 1));

		if (cd == iv)
			cd = cd % USERS + 1;
		if (n > left)
			n = left;
		left -= n;
		seed_session(&k, s, q->id, iv, cd, n,
		    now - (sessions - s) * 60000 - 3600000);
	}
	sqlite3_finalize(k.session);
	sqlite3_finalize(k.phase);
	sqlite3_finalize(k.note);
	sqlite3_finalize(k.chat);
}

/* hist0000's token: stored hashed, written out in the clear. */
static void
seed_token(sqlite3 *db, int64_t now, char *token)
{
	unsigned char th[TOKEN_HASH_BYTES];
	sqlite3_stmt *stok;

	token_new(token, th);
	stok = prep(db, "INSERT INTO tokens (hash, user_id, created_at, "
	    "renewed_at, expires_at, last_used_at) VALUES (?1, 1, ?2, ?2, ?3, "
	    "?2)");
	sqlite3_bind_blob(stok, 1, th, sizeof th, SQLITE_STATIC);
	sqlite3_bind_int64(stok, 2, now);
	sqlite3_bind_int64(stok, 3, now + 86400000);
	step(db, stok);
	sqlite3_finalize(stok);
}

static int
seed(const char *path, const char *qdir, long sessions, long notes,
    const char *tokfile)
{
	struct questions_problems pr;
	struct bank *b;
	struct store *st;
	sqlite3 *db;
	char err[512], token[TOKEN_TEXT_LEN + 1];
	int64_t now = proto_now_ms();
	FILE *f;

	log_set_level(LOG_WARN);
	if ((st = store_open(path, 0, err, sizeof err)) == NULL) {
		fprintf(stderr, "mockint-history: %s\n", err);
		return 1;
	}
	questions_problems_init(&pr);
	b = bank_load(qdir, &pr);
	questions_problems_free(&pr);
	if (b == NULL || bank_count(b) == 0 || store_questions_sync(st, b)) {
		fprintf(stderr, "mockint-history: no question bank in %s\n",
		    qdir);
		return 1;
	}
	db = store_db(st);
	sqlite3_exec(db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die("begin", db);
	seed_users(db, now);
	seed_sessions(db, b, sessions, notes, now);
	seed_token(db, now, token);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", db);
	if ((f = fopen(tokfile, "w")) == NULL || fprintf(f, "%s\n", token) < 0 ||
	    fclose(f) != 0)
		die(tokfile, NULL);
	printf("seeded %s: %d users, %ld sessions, %ld notes\n", path, USERS,
	    sessions, notes);
	bank_free(b);
	store_close(st);
	return 0;
}

/* A blocking request/reply over one connection, for measuring. */
static uv_loop_t loop;
static struct wsc_context *wctx;
static int opened, closed;
static json_t *reply;
static long long want;
static uint64_t parse_us;	/* time spent parsing the last reply here */
static size_t reply_bytes;

static uint64_t now_us(void);

static void
on_open(struct wsc *ws, void *arg)
{
	opened = 1;
}

static void
on_message(struct wsc *ws, const char *buf, size_t len, int binary,
    void *arg)
{
	uint64_t t0 = now_us();
	json_t *m = json_loadb(buf, len, 0, NULL);

	parse_us = now_us() - t0;
	reply_bytes = len;

	if (m != NULL && json_integer_value(json_object_get(m, "re")) == want &&
	    reply == NULL)
		reply = m;
	else
		json_decref(m);
}

static void
on_close(struct wsc *ws, int code, const char *why, void *arg)
{
	closed = 1;
	fprintf(stderr, "mockint-history: connection closed: %s\n", why);
}

static uint64_t
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static json_t *
request(struct wsc *ws, const char *type, json_t *fields, uint64_t *us)
{
	static long long id;
	json_t *req = proto_request(type, ++id, fields);
	char *text = json_dumps(req, JSON_COMPACT);
	const char *rtype;
	uint64_t t0 = now_us();

	json_decref(req);
	want = id;
	reply = NULL;
	wsc_send(ws, text, strlen(text));
	free(text);
	while (reply == NULL && !closed && now_us() - t0 < 10000000)
		uv_run(&loop, UV_RUN_ONCE);
	/* The round trip without this side's parsing of the reply. */
	if (us != NULL)
		*us = now_us() - t0 - parse_us;
	if (reply == NULL || (rtype = json_string_value(json_object_get(reply,
	    "type"))) == NULL || strcmp(rtype, "ok") != 0) {
		fprintf(stderr, "mockint-history: %s failed\n", type);
		exit(1);
	}
	return reply;
}

static void
print_hist(const char *what, const struct hist *h)
{
	printf("%-26s %8.2f %8.2f %8.2f  (%llu requests)\n", what,
	    (double)hist_pct(h, 0.5) / 1000, (double)hist_pct(h, 0.99) / 1000,
	    (double)h->max / 1000, (unsigned long long)h->n);
}

static int
measure(const char *url, const char *tokfile, int n)
{
	static const struct wsc_callbacks cb = { on_open, on_message, on_close };
	struct hist hl, hg;
	struct lag_snap lag0, lag1;
	double lp50, lp99, lmax;
	char token[128], why[256];
	struct wsc *ws;
	FILE *f = fopen(tokfile, "r");
	json_int_t cursor = 0;
	uint64_t us;

	if (f == NULL || fgets(token, sizeof token, f) == NULL)
		die(tokfile, NULL);
	fclose(f);
	token[strcspn(token, "\n")] = '\0';
	uv_loop_init(&loop);
	wctx = wsc_context_new(&loop, NULL);
	ws = wsc_connect(wctx, url, "mockint.v1", &cb, NULL, why, sizeof why);
	if (ws == NULL)
		die(why, NULL);
	while (!opened && !closed)
		uv_run(&loop, UV_RUN_ONCE);
	json_decref(request(ws, "auth", json_pack("{s:s}", "token", token),
	    NULL));
	hist_reset(&hl);
	hist_reset(&hg);
	lag_scrape(url, 2000, &lag0);
	for (int i = 0; i < n; i++) {
		json_t *f2 = json_pack("{s:i}", "limit", 20), *r;

		if (cursor > 0)
			json_object_set_new(f2, "before", json_integer(cursor));
		r = request(ws, "history.list", f2, &us);
		hist_add(&hl, us);
		cursor = json_integer_value(json_object_get(r, "next"));
		json_decref(r);
	}
	for (int i = 0; i < n; i++) {
		json_t *r = request(ws, "history.get", json_pack("{s:i}",
		    "session_id", 1), &us);

		if (i == 0 && json_array_size(json_object_get(r, "notes")) !=
		    BIG_NOTES) {
			fprintf(stderr, "mockint-history: session 1 has %zu "
			    "notes, not %d\n", json_array_size(
			    json_object_get(r, "notes")), BIG_NOTES);
			exit(1);
		}
		hist_add(&hg, us);
		json_decref(r);
	}
	lag_scrape(url, 2000, &lag1);
	lag_window(&lag0, &lag1, &lp50, &lp99, &lmax);
	printf("round trips on loopback, less the client's own parsing of the "
	    "reply (history.get replies: %zu bytes)\n", reply_bytes);
	printf("%-26s %8s %8s %8s\n", "round trip (ms)", "p50", "p99", "max");
	print_hist("history.list (20/page)", &hl);
	print_hist("history.get (200 notes)", &hg);
	if (lp50 >= 0)
		printf("loop lag p50 %.2f ms, p99 %.2f ms, max <= %.1f ms\n",
		    lp50, lp99, lmax);
	printf("label,list_p50_ms,list_p99_ms,list_max_ms,get_p50_ms,"
	    "get_p99_ms,get_max_ms,get_bytes,lag_p50_ms,lag_p99_ms,"
	    "lag_max_ms\n");
	printf("history,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%zu,%.2f,%.2f,%.1f\n",
	    (double)hist_pct(&hl, 0.5) / 1000, (double)hist_pct(&hl, 0.99) /
	    1000, (double)hl.max / 1000, (double)hist_pct(&hg, 0.5) / 1000,
	    (double)hist_pct(&hg, 0.99) / 1000, (double)hg.max / 1000,
	    reply_bytes, lp50, lp99, lmax);
	wsc_free(ws);
	/* Two calls around a run of the loop: see wsclient.h. */
	wsc_context_free(wctx);
	uv_run(&loop, UV_RUN_DEFAULT);
	wsc_context_free(wctx);
	uv_loop_close(&loop);
	return 0;
}

static const char *
arg(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return dflt;
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc >= 2 && strcmp(argv[1], "seed") == 0 &&
	    arg(argc, argv, "--db", NULL) && arg(argc, argv, "--questions",
	    NULL))
		return seed(arg(argc, argv, "--db", NULL), arg(argc, argv,
		    "--questions", NULL), atol(arg(argc, argv, "--sessions",
		    "100000")), atol(arg(argc, argv, "--notes", "1000000")),
		    arg(argc, argv, "--tokens", "history-token.txt"));
	if (argc >= 2 && strcmp(argv[1], "measure") == 0 &&
	    arg(argc, argv, "--url", NULL))
		return measure(arg(argc, argv, "--url", NULL), arg(argc, argv,
		    "--tokens", "history-token.txt"), atoi(arg(argc, argv,
		    "--n", "300")));
	fprintf(stderr, "usage: mockint-history seed --db FILE --questions DIR "
	    "[--sessions N] [--notes N] [--tokens FILE]\n"
	    "       mockint-history measure --url ws://HOST:PORT "
	    "[--tokens FILE] [--n N]\n");
	return 2;
}
