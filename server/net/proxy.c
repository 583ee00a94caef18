/*
 * proxy.c — trusted reverse proxies and X-Forwarded-For (see proxy.h).
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "options.h"
#include "xmalloc.h"

/* ::ffff:a.b.c.d, an IPv4 address carried in IPv6. */
static const unsigned char v4_mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};
#define V4_MAPPED_BITS 96

/* Whether a came from IPv4-mapped IPv6 text: made IPv4 in place. */
static int
unmap(struct proxy_addr *a)
{
	if (a->family != AF_INET6 ||
	    memcmp(a->b, v4_mapped_prefix, sizeof v4_mapped_prefix) != 0)
		return 0;
	memmove(a->b, a->b + sizeof v4_mapped_prefix, 4);
	memset(a->b + 4, 0, sizeof a->b - 4);
	a->family = AF_INET;
	return 1;
}

static int
parse(const char *s, size_t len, struct proxy_addr *a, int *mapped)
{
	char buf[PROXY_ADDR_MAX];

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof *a);
	a->family = memchr(buf, ':', len) != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a->family, buf, a->b) != 1)
		return -1;
	*mapped = unmap(a);
	return 0;
}

int
proxy_addr_parse(const char *s, size_t len, struct proxy_addr *a)
{
	int mapped;

	return parse(s, len, a, &mapped);
}

int
proxy_cidr_parse(const char *s, struct proxy_cidr *c)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned long bits;
	int mapped;
	char *end;

	if (parse(s, alen, &c->net, &mapped) != 0)
		return -1;
	c->bits = c->net.family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		/* Digits only: strtoul would take " 8", "+8" or "-0". */
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		bits = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || bits > (mapped ? 128 : c->bits))
			return -1;
		if (mapped) {
			/* ::ffff:10.0.0.0/104 is 10.0.0.0/8. */
			if (bits < V4_MAPPED_BITS)
				return -1;
			bits -= V4_MAPPED_BITS;
		}
		c->bits = (unsigned)bits;
	}
	/* Keep the network, not the host bits: matching compares whole
	 * bytes first. */
	for (unsigned i = 0; i < sizeof c->net.b; i++) {
		unsigned from = i * 8;

		if (from >= c->bits)
			c->net.b[i] = 0;
		else if (c->bits - from < 8)
			c->net.b[i] &= (unsigned char)(0xff << (8 -
			    (c->bits - from)));
	}
	return 0;
}

int
proxy_cidr_match(const struct proxy_cidr *c, const struct proxy_addr *a)
{
	unsigned whole = c->bits / 8, rest = c->bits % 8;

	if (a->family != c->net.family)
		return 0;
	if (memcmp(a->b, c->net.b, whole) != 0)
		return 0;
	return rest == 0 || ((a->b[whole] ^ c->net.b[whole]) &
	    (0xff << (8 - rest)) & 0xff) == 0;
}

static int
trusts(const struct proxy_list *l, const struct proxy_addr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (proxy_cidr_match(&l->v[i], a))
			return 1;
	return 0;
}

int
proxy_list_trusts(const struct proxy_list *l, const char *ip)
{
	struct proxy_addr a;

	return l->n > 0 && proxy_addr_parse(ip, strlen(ip), &a) == 0 &&
	    trusts(l, &a);
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

enum proxy_pick
proxy_pick(const struct proxy_list *l, const char *peer, const char *xff,
    char *out, size_t outlen)
{
	const char *end, *start, *s, *e;
	struct proxy_addr a;

	snprintf(out, outlen, "%s", peer);
	if (xff == NULL || *xff == '\0' || !proxy_list_trusts(l, peer))
		return PROXY_PEER;
	/* Entry by entry from the right: [start, end), commas between. */
	for (end = xff + strlen(xff);; end = start - 1) {
		for (start = end; start > xff && start[-1] != ','; start--)
			;
		for (s = start; s < end && is_blank(*s); s++)
			;
		for (e = end; e > s && is_blank(e[-1]); e--)
			;
		if (proxy_addr_parse(s, (size_t)(e - s), &a) != 0) {
			snprintf(out, outlen, "%s", peer);
			return PROXY_MALFORMED;
		}
		inet_ntop(a.family, a.b, out, (socklen_t)outlen);
		/* The client's; or every entry was a proxy: the leftmost. */
		if (!trusts(l, &a) || start == xff)
			return PROXY_FORWARDED;
	}
}

static struct proxy_list trusted;
static int malformed_logged;

int
proxy_start(const struct options *o)
{
	const struct options_list *ol = &o->trusted_proxies;

	proxy_free();
	if (ol->n == 0)
		return 0;
	trusted.v = xcalloc(ol->n, sizeof *trusted.v);
	for (size_t i = 0; i < ol->n; i++) {
		if (proxy_cidr_parse(ol->v[i], &trusted.v[i]) != 0) {
			log_error(0, "--trusted-proxy %s: not an address or "
			    "ADDRESS/BITS", ol->v[i]);
			proxy_free();
			return -1;
		}
		trusted.n++;
		log_info(0, "trusting X-Forwarded-For from %s", ol->v[i]);
	}
	return 0;
}

void
proxy_free(void)
{
	free(trusted.v);
	trusted.v = NULL;
	trusted.n = 0;
	malformed_logged = 0;
}

int
proxy_trusted(const char *ip)
{
	return proxy_list_trusts(&trusted, ip);
}

int
proxy_client(const char *peer, const char *xff, char *out, size_t outlen)
{
	switch (proxy_pick(&trusted, peer, xff, out, outlen)) {
	case PROXY_FORWARDED:
		return 1;
	case PROXY_MALFORMED:
		if (!malformed_logged)
			log_warn(0, "a malformed X-Forwarded-For from the "
			    "trusted proxy %s (\"%.80s\"): using the proxy's "
			    "address; is the proxy set up to send one "
			    "address per hop? (said once)", peer, xff);
		malformed_logged = 1;
		return 0;
	case PROXY_PEER:
		break;
	}
	return 0;
}
