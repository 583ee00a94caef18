/*
 * guard.h — who may try a password, or create an account, now: the
 * throttling policy of accounts, built on throttle.h's tables. The design
 * (SECURITY.md, "Throttling") in short:
 *
 *   - failures per (username, address): N free (--login-failures), then
 *     an exponential back-off from 1 s up to --login-window;
 *   - failures per address: 4N free, then the same back-off; only
 *     failures on existing accounts count, so that wrong logins on
 *     made-up names (a neighbour behind the same proxy) lock nobody out,
 *     and a (username, address) pair that logged in before is not held
 *     back by its address at all;
 *   - failures per username, from every address: past 4N the username is
 *     under attack, and each address may try it once a minute (at most
 *     --login-window) — the owner, from an address that has not failed,
 *     tries at once;
 *   - password hashes in flight per address: at most GUARD_HASHES_PER_ADDR,
 *     so that one address cannot fill the hashing queue;
 *   - registrations per address: --limit-registrations-per-hour.
 *
 * An attempt that is let through is begun (guard_*_begin, which fills a
 * ticket) and ended exactly once with its outcome (guard_*_end): attempts
 * in flight count, so a burst sent at once cannot slip past while the
 * first ones hash. Loop thread only.
 */
#ifndef MOCKINT_GUARD_H
#define MOCKINT_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* One address may have this many password hashes waiting or running. */
#define GUARD_HASHES_PER_ADDR 8
/* The longest wait an attacked username imposes on a fresh address. */
#define GUARD_CEILING_MS (60 * 1000)
/* Entries per table at most (each well under 256 bytes). */
#define GUARD_TABLE_CAP 65536

/* What an attempt began on, to end it with. */
struct guard_ticket {
	char user[40];
	char addr[64];
	int kind;		/* 0: none begun; else what was begun */
	int known;		/* logged in from there: no address limits */
};

/* How a password attempt ended. */
enum guard_outcome {
	GUARD_RIGHT,		/* the right password */
	GUARD_WRONG,		/* an account, a wrong password */
	GUARD_NO_ACCOUNT,	/* no such account (a dummy was verified) */
	GUARD_NOT_TRIED		/* not verified at all (the store failed) */
};

/* From srv.opts, at start-up. */
void guard_init(void);
void guard_free(void);
/* Drop what the tables no longer need (a timer calls it). */
void guard_prune(int64_t now);

/*
 * A password attempt for username (valid, folded) from addr: 0 and a
 * begun ticket, or the ms to wait (nothing begun).
 */
int64_t guard_login_begin(struct guard_ticket *t, const char *username,
    const char *addr, int64_t now);
void guard_login_end(struct guard_ticket *t, enum guard_outcome o,
    int64_t now);

/* A registration from addr: 0 and a begun ticket, or the ms to wait. */
int64_t guard_register_begin(struct guard_ticket *t, const char *addr,
    int64_t now);
/* counted: it cost a hash (an account made, or the name was taken). */
void guard_register_end(struct guard_ticket *t, int counted, int64_t now);

/* Entries in all tables, and those pushed out by the caps (metrics). */
size_t guard_entries(void);
uint64_t guard_evicted(void);

#endif
