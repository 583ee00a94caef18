/*
 * guard.c — the throttling policy of password attempts and registrations
 * (see guard.h), on six throttle tables.
 */
#include "guard.h"

#include <limits.h>
#include <stdio.h>

#include "metrics.h"
#include "options.h"
#include "server.h"
#include "throttle.h"

/* A counted failure is forgotten after an hour without one. */
#define FAIL_DECAY_MS (3600LL * 1000)
/* A pair that logged in is trusted by its address for 30 days. */
#define KNOWN_DECAY_MS (30LL * 24 * 3600 * 1000)
/* The first back-off past the free failures; it doubles. */
#define BACKOFF_MS 1000
#define HOUR_MS (3600LL * 1000)

enum { TICKET_LOGIN = 1, TICKET_REGISTER };

static struct throttle *pair_fails;	/* "username\naddress" */
static struct throttle *user_fails;	/* username, from every address */
static struct throttle *addr_fails;	/* address, existing accounts only */
static struct throttle *known_pairs;	/* "username\naddress" that got in */
static struct throttle *addr_hashes;	/* address: hashes in flight */
static struct throttle *addr_regs;	/* address: registrations */
static struct throttle_policy pair_policy, armed_policy, addr_policy,
    hashes_policy, regs_policy;
static int ceiling;			/* user_fails past it: under attack */

static void
gauge_read(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)guard_entries(), ctx);
}

static const struct metrics_gauge gauge = {
	"mockint_throttle_entries",
	"Entries in the login and registration throttles.",
	NULL, gauge_read
};

void
guard_init(void)
{
	const struct options *o = srv.opts;
	int64_t window = (int64_t)o->login_window_s * 1000;
	int64_t armed = window < GUARD_CEILING_MS ? window : GUARD_CEILING_MS;
	int regs = o->limits.registrations_per_hour;

	pair_policy = (struct throttle_policy){ o->login_failures, BACKOFF_MS,
	    window, 0 };
	/* Under attack: one try a minute per address, from the first fail. */
	armed_policy = (struct throttle_policy){ 0, armed, armed, 1 };
	/* An address may be a whole classroom behind one NAT: allow more. */
	addr_policy = (struct throttle_policy){ 4 * o->login_failures,
	    BACKOFF_MS, window, 0 };
	hashes_policy = (struct throttle_policy){ INT_MAX, 0, 0,
	    GUARD_HASHES_PER_ADDR };
	regs_policy = (struct throttle_policy){ regs, 0, 0, 0 };
	ceiling = 4 * o->login_failures;
	pair_fails = throttle_new(FAIL_DECAY_MS, GUARD_TABLE_CAP);
	user_fails = throttle_new(FAIL_DECAY_MS, GUARD_TABLE_CAP);
	addr_fails = throttle_new(FAIL_DECAY_MS, GUARD_TABLE_CAP);
	known_pairs = throttle_new(KNOWN_DECAY_MS, GUARD_TABLE_CAP);
	addr_hashes = throttle_new(FAIL_DECAY_MS, GUARD_TABLE_CAP);
	/* N an hour: one registration is forgotten every hour / N. */
	addr_regs = throttle_new(regs > 0 ? HOUR_MS / regs : HOUR_MS,
	    GUARD_TABLE_CAP);
	metrics_gauge_register(&gauge);
}

void
guard_free(void)
{
	throttle_free(pair_fails);
	throttle_free(user_fails);
	throttle_free(addr_fails);
	throttle_free(known_pairs);
	throttle_free(addr_hashes);
	throttle_free(addr_regs);
	pair_fails = user_fails = addr_fails = known_pairs = addr_hashes =
	    addr_regs = NULL;
}

void
guard_prune(int64_t now)
{
	throttle_prune(pair_fails, now);
	throttle_prune(user_fails, now);
	throttle_prune(addr_fails, now);
	throttle_prune(known_pairs, now);
	throttle_prune(addr_hashes, now);
	throttle_prune(addr_regs, now);
}

size_t
guard_entries(void)
{
	if (pair_fails == NULL)
		return 0;
	return throttle_size(pair_fails) + throttle_size(user_fails) +
	    throttle_size(addr_fails) + throttle_size(known_pairs) +
	    throttle_size(addr_hashes) + throttle_size(addr_regs);
}

uint64_t
guard_evicted(void)
{
	if (pair_fails == NULL)
		return 0;
	return throttle_evicted(pair_fails) + throttle_evicted(user_fails) +
	    throttle_evicted(addr_fails) + throttle_evicted(known_pairs) +
	    throttle_evicted(addr_hashes) + throttle_evicted(addr_regs);
}

static void
pair_key(char *buf, size_t len, const struct guard_ticket *t)
{
	/* A username has no newline: the pair cannot be forged. */
	snprintf(buf, len, "%s\n%s", t->user, t->addr);
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void
ticket_fill(struct guard_ticket *t, const char *username, const char *addr)
{
	snprintf(t->user, sizeof t->user, "%s", username);
	snprintf(t->addr, sizeof t->addr, "%s", addr);
	t->kind = 0;
	t->known = 0;
}

int64_t
guard_login_begin(struct guard_ticket *t, const char *username,
    const char *addr, int64_t now)
{
	char pair[sizeof t->user + sizeof t->addr + 1];
	int64_t wait;

	ticket_fill(t, username, addr);
	pair_key(pair, sizeof pair, t);
	t->known = throttle_count(known_pairs, pair, now) > 0;
	wait = throttle_wait(pair_fails, pair, &pair_policy, now);
	if (throttle_count(user_fails, t->user, now) >= ceiling)
		wait = max64(wait, throttle_wait(pair_fails, pair,
		    &armed_policy, now));
	if (!t->known) {
		wait = max64(wait, throttle_wait(addr_fails, t->addr,
		    &addr_policy, now));
		wait = max64(wait, throttle_wait(addr_hashes, t->addr,
		    &hashes_policy, now));
	}
	if (wait > 0)
		return wait;
	throttle_begin(pair_fails, pair, now);
	if (!t->known) {
		throttle_begin(addr_fails, t->addr, now);
		throttle_begin(addr_hashes, t->addr, now);
	}
	t->kind = TICKET_LOGIN;
	return 0;
}

void
guard_login_end(struct guard_ticket *t, enum guard_outcome o, int64_t now)
{
	char pair[sizeof t->user + sizeof t->addr + 1];
	int failed = o == GUARD_WRONG || o == GUARD_NO_ACCOUNT;

	if (t->kind != TICKET_LOGIN)
		return;
	t->kind = 0;
	pair_key(pair, sizeof pair, t);
	/* A made-up name is throttled like a real one, by name: the replies
	 * must not tell them apart. Only the address's count differs. */
	throttle_end(pair_fails, pair, failed, now);
	if (failed)
		throttle_add(user_fails, t->user, now);
	if (!t->known) {
		throttle_end(addr_fails, t->addr, o == GUARD_WRONG, now);
		throttle_end(addr_hashes, t->addr, 0, now);
	}
	if (o == GUARD_RIGHT) {
		throttle_reset(pair_fails, pair);
		/* Known for KNOWN_DECAY_MS from this, the latest, login. */
		throttle_reset(known_pairs, pair);
		throttle_add(known_pairs, pair, now);
	}
}

int64_t
guard_register_begin(struct guard_ticket *t, const char *addr, int64_t now)
{
	int64_t wait;

	ticket_fill(t, "", addr);
	wait = throttle_wait(addr_hashes, t->addr, &hashes_policy, now);
	if (regs_policy.free > 0)
		wait = max64(wait, throttle_wait(addr_regs, t->addr,
		    &regs_policy, now));
	if (wait > 0)
		return wait;
	throttle_begin(addr_hashes, t->addr, now);
	throttle_begin(addr_regs, t->addr, now);
	t->kind = TICKET_REGISTER;
	return 0;
}

void
guard_register_end(struct guard_ticket *t, int counted, int64_t now)
{
	if (t->kind != TICKET_REGISTER)
		return;
	t->kind = 0;
	throttle_end(addr_hashes, t->addr, 0, now);
	throttle_end(addr_regs, t->addr, counted, now);
}
