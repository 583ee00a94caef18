/*
 * connlimit.c — connection caps per client address and in total, and the
 * open-file limit (see connlimit.h).
 *
 * Every accepted socket counts, not only finished WebSocket handshakes:
 * a peer opening sockets and never completing a handshake holds file
 * descriptors just the same, and refusing at accept costs nothing.
 */
#include "connlimit.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "log.h"
#include "metrics.h"
#include "options.h"
#include "proxy.h"
#include "server.h"
#include "xmalloc.h"

/* Descriptors kept back for the database, the loop, logs and the like. */
#define FD_RESERVE 64
/* lws sizes two tables by the limit: no need to go past a million. */
#define NOFILE_CEIL ((rlim_t)1 << 20)
#define NBUCKETS 4096

struct addr {
	char ip[INET6_ADDRSTRLEN];
	size_t n;			/* sockets open from ip */
	struct addr *next;
};

struct sock {
	const struct lws *wsi;
	struct addr *a;
	struct sock *next;
};

static struct addr *addrs[NBUCKETS];
static struct sock *socks[NBUCKETS];
/* Admitted by connlimit_admit, waiting for lws to create its wsi. */
static struct addr *pending;
static size_t nopen, max_total, max_per_ip;
static uint64_t last_log_ms;
static unsigned long suppressed;

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % NBUCKETS;
}

static uint32_t
hash_ptr(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	/* wsis are heap objects: the low bits carry no information. */
	return (uint32_t)((v >> 4) ^ (v >> 16)) % NBUCKETS;
}

static struct addr *
addr_get(const char *ip)
{
	struct addr **pp = &addrs[hash_str(ip)], *a;

	for (a = *pp; a != NULL; a = a->next)
		if (strcmp(a->ip, ip) == 0)
			return a;
	a = xcalloc(1, sizeof *a);
	snprintf(a->ip, sizeof a->ip, "%s", ip);
	a->next = *pp;
	*pp = a;
	return a;
}

/* One socket fewer counted against a: forget a when it was the last.
 * (A refusal leaves no empty entry: it means a->n reached the cap.) */
static void
addr_drop(struct addr *a)
{
	struct addr **pp;

	if (--a->n > 0)
		return;
	for (pp = &addrs[hash_str(a->ip)]; *pp != a; pp = &(*pp)->next)
		;
	*pp = a->next;
	free(a);
}

unsigned
connlimit_start(const struct options *o)
{
	struct rlimit rl;
	rlim_t have = 1024, want;
	size_t room;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > NOFILE_CEIL ?
		    NOFILE_CEIL : rl.rlim_max;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
			rlim_t was = rl.rlim_cur;

			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
				log_info(0, "raised the open-file limit from "
				    "%llu to %llu", (unsigned long long)was,
				    (unsigned long long)want);
			else {
				log_warn(0, "cannot raise the open-file limit "
				    "above %llu", (unsigned long long)was);
				rl.rlim_cur = was;
			}
		}
		have = rl.rlim_cur == RLIM_INFINITY ||
		    rl.rlim_cur > NOFILE_CEIL ? NOFILE_CEIL : rl.rlim_cur;
	}
	room = have > 2 * FD_RESERVE ? (size_t)have - FD_RESERVE :
	    (size_t)have / 2;
	max_total = o->max_conns > 0 ? (size_t)o->max_conns : room;
	if (max_total > room) {
		log_warn(0, "--max-conns %d is more than the open-file limit "
		    "(%llu) allows: using %zu", o->max_conns,
		    (unsigned long long)have, room);
		max_total = room;
	}
	max_per_ip = (size_t)o->max_conns_per_ip;
	if (max_per_ip > 0)
		log_info(0, "connection limits: %zu in total, %zu per address",
		    max_total, max_per_ip);
	else
		log_info(0, "connection limits: %zu in total, none per address",
		    max_total);
	return (unsigned)have;
}

/* A refusal, logged at most once a second so that a flood cannot flood
 * the log too; the lines in between are counted. */
static void
refused(const char *ip, const char *limit, size_t cap)
{
	uint64_t now = srv.loop != NULL ? uv_now(srv.loop) : 0;
	char more[64] = "";

	metrics_refused(limit);
	if (last_log_ms != 0 && now - last_log_ms < 1000) {
		suppressed++;
		return;
	}
	if (suppressed > 0)
		snprintf(more, sizeof more, " (and %lu more since the last "
		    "such line)", suppressed);
	log_warn(0, "refused a connection from %s: %s limit of %zu reached%s",
	    ip, strcmp(limit, "total") == 0 ? "the total" : "the per-address",
	    cap, more);
	last_log_ms = now != 0 ? now : 1;
	suppressed = 0;
}

int
connlimit_admit(const void *arg)
{
	const struct lws_filter_network_conn_args *filt = arg;
	char ip[INET6_ADDRSTRLEN] = "?";
	struct addr *a;

	/* A socket admitted before that never got its wsi (lws failed to
	 * adopt it) no longer counts. */
	if (pending != NULL) {
		nopen--;
		addr_drop(pending);
		pending = NULL;
	}
	if (filt->cli_addr.ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    &filt->cli_addr)->sin_addr, ip, sizeof ip);
	else if (filt->cli_addr.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    &filt->cli_addr)->sin6_addr, ip, sizeof ip);
	if (nopen >= max_total) {
		refused(ip, "total", max_total);
		return -1;
	}
	a = addr_get(ip);
	/* A trusted proxy speaks for many clients: they are counted by
	 * their own address once their handshake names it. */
	if (max_per_ip > 0 && a->n >= max_per_ip && !proxy_trusted(ip)) {
		refused(ip, "per_address", max_per_ip);
		return -1;
	}
	a->n++;
	nopen++;
	pending = a;
	return 0;
}

void
connlimit_bind(struct lws *wsi)
{
	struct sock **pp = &socks[hash_ptr(wsi)], *s;

	if (pending == NULL)
		return;		/* not an accepted socket (the listener) */
	/* A stale entry for a recycled address: lws freed that wsi on a
	 * path that does not report it. */
	connlimit_release(wsi);
	s = xmalloc(sizeof *s);
	s->wsi = wsi;
	s->a = pending;
	s->next = *pp;
	*pp = s;
	pending = NULL;
}

static struct sock *
sock_find(const struct lws *wsi)
{
	struct sock *s;

	for (s = socks[hash_ptr(wsi)]; s != NULL; s = s->next)
		if (s->wsi == wsi)
			return s;
	return NULL;
}

int
connlimit_rebind(struct lws *wsi, const char *ip)
{
	struct sock *s = sock_find(wsi);
	struct addr *a, *was;

	if (s == NULL || strcmp(s->a->ip, ip) == 0)
		return 0;
	a = addr_get(ip);
	if (max_per_ip > 0 && a->n >= max_per_ip) {
		refused(ip, "per_address", max_per_ip);
		return -1;
	}
	was = s->a;
	a->n++;
	s->a = a;
	addr_drop(was);
	return 0;
}

void
connlimit_release(struct lws *wsi)
{
	struct sock **pp, *s;

	for (pp = &socks[hash_ptr(wsi)]; (s = *pp) != NULL; pp = &s->next)
		if (s->wsi == wsi) {
			*pp = s->next;
			nopen--;
			addr_drop(s->a);
			free(s);
			return;
		}
}

size_t
connlimit_open(void)
{
	return nopen;
}

size_t
connlimit_max(void)
{
	return max_total;
}

void
connlimit_free_all(void)
{
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct sock *s, *sn;
		struct addr *a, *an;

		for (s = socks[i]; s != NULL; s = sn) {
			sn = s->next;
			free(s);
		}
		socks[i] = NULL;
		for (a = addrs[i]; a != NULL; a = an) {
			an = a->next;
			free(a);
		}
		addrs[i] = NULL;
	}
	pending = NULL;
	nopen = 0;
}
