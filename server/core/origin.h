/*
 * origin.h — web origins (RFC 6454) as text: "scheme://host[:port]", the
 * form of a browser's Origin header and of --allowed-origin. Pure parsing
 * and comparison, so that options.c can validate the option and net/ can
 * check a WebSocket handshake with the same rules (unit-tested in
 * tests/unit/test-origin.c).
 */
#ifndef MOCKINT_ORIGIN_H
#define MOCKINT_ORIGIN_H

/* A host name at its longest (RFC 1035), and the brackets of IPv6. */
#define ORIGIN_HOST_MAX 256

/* An origin made comparable: the scheme and host in lower case, the port
 * always there (80 for http, 443 for https when it was left out). */
struct origin {
	char scheme[8];			/* "http" or "https" */
	char host[ORIGIN_HOST_MAX];	/* a name, an IPv4 or "[IPv6]" */
	unsigned port;
};

/*
 * Parse "http://host[:port]" or "https://host[:port]": nothing before the
 * scheme, no user, no path (not even "/"), no query. host is letters,
 * digits, '-', '.', '_', or an IPv6 address in brackets; port 1 to 65535.
 * "null" (an opaque origin) is not an origin. 0, or -1.
 */
int origin_parse(const char *s, struct origin *o);

/*
 * The origin of a request that reached us with scheme ("http" or
 * "https") and Host header value host ("name[:port]", the port defaulting
 * to the scheme's). 0, or -1 when host is not one.
 */
int origin_from_host(const char *scheme, const char *host, struct origin *o);

/* Whether a and b are the same origin. */
int origin_equal(const struct origin *a, const struct origin *b);

#endif
