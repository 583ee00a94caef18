/*
 * proxy.h — the client's address when mockintd runs behind a reverse
 * proxy (--trusted-proxy CIDR, repeatable).
 *
 * Only a TCP peer inside one of the trusted CIDRs is believed about
 * X-Forwarded-For. Each proxy on the way appends the address it got the
 * request from, so the list is read from the right: the first address
 * that is not itself a trusted proxy is the client's. Everything left of
 * it was written by the client and is never read, so a client cannot
 * choose its address nor make the header look malformed (the rightmost
 * entry is the proxy's own). When every entry is a trusted proxy the
 * leftmost one is the client's.
 *
 * The first part is pure (parsing and matching, unit-tested); the second
 * is the server's list, made from its options at start-up.
 */
#ifndef MOCKINT_PROXY_H
#define MOCKINT_PROXY_H

#include <stddef.h>

struct options;

/* Text of an address: IPv6 at its longest, and the NUL. */
#define PROXY_ADDR_MAX 46

/* An IPv4 or IPv6 address; an IPv4-mapped IPv6 address is kept as IPv4. */
struct proxy_addr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char b[16];	/* network order; IPv4 uses the first 4 */
};

struct proxy_cidr {
	struct proxy_addr net;	/* masked to bits */
	unsigned bits;
};

/* s is len bytes of text (no NUL needed): 0, or -1 if not an address. */
int proxy_addr_parse(const char *s, size_t len, struct proxy_addr *a);
/* "ADDR" (all bits) or "ADDR/BITS": 0, or -1 when malformed. */
int proxy_cidr_parse(const char *s, struct proxy_cidr *c);
/* Whether a lies in c (families must agree). */
int proxy_cidr_match(const struct proxy_cidr *c, const struct proxy_addr *a);

struct proxy_list {
	struct proxy_cidr *v;
	size_t n;
};

/* Whether the address in text ip is in one of l's CIDRs. */
int proxy_list_trusts(const struct proxy_list *l, const char *ip);

enum proxy_pick {
	PROXY_PEER,		/* peer untrusted, or no header: the peer */
	PROXY_FORWARDED,	/* the client's address from the header */
	PROXY_MALFORMED,	/* unreadable where it mattered: the peer */
};

/*
 * The client's address of a request that came from peer with the
 * X-Forwarded-For value xff (NULL or "" when absent; several headers
 * joined by commas), into out (canonical text, PROXY_ADDR_MAX bytes
 * suffice). Says which case it was.
 */
enum proxy_pick proxy_pick(const struct proxy_list *l, const char *peer,
    const char *xff, char *out, size_t outlen);

/* The server's list, from o->trusted_proxies: 0, or -1 (logged). */
int proxy_start(const struct options *o);
void proxy_free(void);
/* Whether ip is one of the server's trusted proxies. */
int proxy_trusted(const char *ip);
/*
 * proxy_pick with the server's list; a malformed header from a trusted
 * proxy is logged the first time (it means the proxy is misconfigured).
 * Returns 1 when out came from the header, else 0.
 */
int proxy_client(const char *peer, const char *xff, char *out,
    size_t outlen);

#endif
