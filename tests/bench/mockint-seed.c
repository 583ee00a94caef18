/*
 * mockint-seed.c — the fast path to many users for benchmarks: writes N
 * users (PREFIX000000, PREFIX000001, ...) into a mockintd database, all
 * with the same password hashed ONCE with Argon2id, and a fresh login
 * token for each, stored the way mockintd stores them (the BLAKE2b-256 of
 * the raw bytes). The tokens themselves are written to a file, one per
 * line in user order, for mockint-load to `auth` with. Registering 20,000
 * users through the server would cost 20,000 Argon2id hashes (minutes of
 * CPU); this costs one.
 *
 * The database is opened (and created and migrated when new) with
 * mockintd's own store code, so the schema is exactly the server's. It may
 * be seeded while mockintd is stopped, or while it runs (WAL lets the two
 * share it; the server's reads see the new users at once). Users that
 * exist already get the password again and one more token.
 */
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "proto.h"
#include "store.h"
#include "token.h"

#define DAY_MS (24LL * 3600 * 1000)

struct seed_opts {
	const char *db, *tokens, *prefix, *password;
	long users, start, token_days;
	unsigned long long ops;
	size_t mem;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: mockint-seed --db FILE --users N [--tokens FILE] "
	    "[--prefix P]\n"
	    "                    [--start K] [--password PW] "
	    "[--pwhash-ops N] [--pwhash-mem BYTES]\n"
	    "                    [--token-days D]\n\n"
	    "Writes users P%%06d for K..K+N-1 (default bench000000...) with one\n"
	    "Argon2id hash of PW (default 'bench-password', libsodium INTERACTIVE\n"
	    "limits like mockintd) and a new token each; the tokens go to FILE\n"
	    "(default tokens.txt), one per line in user order.\n");
}

static int
num(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse(int argc, char **argv, struct seed_opts *o)
{
	memset(o, 0, sizeof *o);
	o->tokens = "tokens.txt";
	o->prefix = "bench";
	o->password = "bench-password";
	o->token_days = 30;
	o->ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	o->mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long long n;

		if (strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (v == NULL) {
			fprintf(stderr, "mockint-seed: %s needs a value\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--db") == 0)
			o->db = v;
		else if (strcmp(a, "--tokens") == 0)
			o->tokens = v;
		else if (strcmp(a, "--prefix") == 0)
			o->prefix = v;
		else if (strcmp(a, "--password") == 0)
			o->password = v;
		else if (strcmp(a, "--users") == 0 && num(v, 1, 10000000, &n) == 0)
			o->users = (long)n;
		else if (strcmp(a, "--start") == 0 && num(v, 0, 99999999, &n) == 0)
			o->start = (long)n;
		else if (strcmp(a, "--token-days") == 0 &&
		    num(v, 1, 3650, &n) == 0)
			o->token_days = (long)n;
		else if (strcmp(a, "--pwhash-ops") == 0 &&
		    num(v, crypto_pwhash_OPSLIMIT_MIN, 1000, &n) == 0)
			o->ops = (unsigned long long)n;
		else if (strcmp(a, "--pwhash-mem") == 0 &&
		    num(v, crypto_pwhash_MEMLIMIT_MIN, 4LL << 30, &n) == 0)
			o->mem = (size_t)n;
		else {
			fprintf(stderr, "mockint-seed: bad option or value: %s "
			    "%s\n", a, v);
			return -1;
		}
	}
	if (o->db == NULL || o->users == 0) {
		fprintf(stderr, "mockint-seed: --db and --users are needed\n");
		return -1;
	}
	if (strlen(o->prefix) + 8 > 32 || strlen(o->password) < 8) {
		fprintf(stderr, "mockint-seed: the prefix makes names over 32 "
		    "characters, or the password is under 8 bytes\n");
		return -1;
	}
	return 0;
}

static int
seed(sqlite3 *db, const struct seed_opts *o, const char *pwhash, FILE *out)
{
	sqlite3_stmt *up = NULL, *id = NULL, *tok = NULL;
	int64_t now = proto_now_ms();
	int rc = -1;

	/* An existing user keeps their id and gets the bench password. */
	if (sqlite3_prepare_v2(db, "INSERT INTO users (username, pwhash, "
	    "created_at) VALUES (?1, ?2, ?3) ON CONFLICT (username) DO UPDATE "
	    "SET pwhash = excluded.pwhash", -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM users WHERE username = ?1",
	    -1, &id, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO tokens (hash, user_id, "
	    "created_at, renewed_at, expires_at, last_used_at) VALUES (?1, ?2, "
	    "?3, ?3, ?4, ?3)",
	    -1, &tok, NULL) != SQLITE_OK) {
		fprintf(stderr, "mockint-seed: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	/* One transaction: one commit for every row. */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "mockint-seed: BEGIN: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	for (long i = 0; i < o->users; i++) {
		char name[40], text[TOKEN_TEXT_LEN + 1];
		unsigned char hash[TOKEN_HASH_BYTES];
		int64_t uid;

		snprintf(name, sizeof name, "%s%06ld", o->prefix, o->start + i);
		sqlite3_reset(up);
		sqlite3_bind_text(up, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(up, 2, pwhash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 3, now);
		sqlite3_reset(id);
		sqlite3_bind_text(id, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE ||
		    sqlite3_step(id) != SQLITE_ROW)
			goto fail;
		uid = sqlite3_column_int64(id, 0);
		/* renewed_at = now: auth will not write for a day. */
		token_new(text, hash);
		sqlite3_reset(tok);
		sqlite3_bind_blob(tok, 1, hash, sizeof hash, SQLITE_STATIC);
		sqlite3_bind_int64(tok, 2, uid);
		sqlite3_bind_int64(tok, 3, now);
		sqlite3_bind_int64(tok, 4, now + o->token_days * DAY_MS);
		if (sqlite3_step(tok) != SQLITE_DONE)
			goto fail;
		fprintf(out, "%s\n", text);
		sodium_memzero(text, sizeof text);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "mockint-seed: %s\n", sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(up);
	sqlite3_finalize(id);
	sqlite3_finalize(tok);
	return rc;
}

int
main(int argc, char **argv)
{
	struct seed_opts o;
	char err[512], pwhash[crypto_pwhash_STRBYTES];
	struct store *st;
	struct timespec t0, t1;
	FILE *out;
	int rc;

	if (parse(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "mockint-seed: libsodium failed to initialise\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The one Argon2id hash: the same string works for every user. */
	if (crypto_pwhash_str(pwhash, o.password, strlen(o.password), o.ops,
	    o.mem) != 0) {
		fprintf(stderr, "mockint-seed: out of memory hashing\n");
		return 1;
	}
	log_set_level(LOG_WARN);
	st = store_open(o.db, 0, err, sizeof err);
	if (st == NULL) {
		fprintf(stderr, "mockint-seed: %s\n", err);
		return 1;
	}
	/* Tokens are credentials: only the owner may read the file. */
	umask(077);
	if ((out = fopen(o.tokens, "w")) == NULL) {
		fprintf(stderr, "mockint-seed: %s: %s\n", o.tokens,
		    strerror(errno));
		store_close(st);
		return 1;
	}
	rc = seed(store_db(st), &o, pwhash, out);
	if (fclose(out) != 0)
		rc = -1;
	store_close(st);
	if (rc != 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("seeded %ld users (%s%06ld..%s%06ld) in %.2f s; tokens in %s\n",
	    o.users, o.prefix, o.start, o.prefix, o.start + o.users - 1,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, o.tokens);
	return 0;
}
