/*
 * origin.c — web origins as text (see origin.h).
 */
#include "origin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PORT_MAX 65535
#define PORT_DIGITS_MAX 5

static int
host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

static int
v6_char(char c)
{
	return isxdigit((unsigned char)c) || c == ':' || c == '.';
}

/*
 * "host[:port]" (the whole of s) into o->host and o->port, the port
 * defaulting to dflt. Lower-cases the host.
 */
static int
host_port(const char *s, unsigned dflt, struct origin *o)
{
	const char *end, *p;
	size_t n;

	if (*s == '[') {
		for (end = s + 1; v6_char(*end); end++)
			;
		if (*end != ']' || end == s + 1)
			return -1;
		end++;
	} else {
		for (end = s; host_char(*end); end++)
			;
		if (end == s)
			return -1;
	}
	n = (size_t)(end - s);
	if (n >= sizeof o->host)
		return -1;
	for (size_t i = 0; i < n; i++)
		o->host[i] = (char)tolower((unsigned char)s[i]);
	o->host[n] = '\0';
	o->port = dflt;
	if (*end == '\0')
		return 0;
	if (*end != ':')
		return -1;
	for (p = end + 1; isdigit((unsigned char)*p); p++)
		;
	if (*p != '\0' || p == end + 1 || p - end - 1 > PORT_DIGITS_MAX)
		return -1;
	o->port = (unsigned)strtoul(end + 1, NULL, 10);
	return o->port >= 1 && o->port <= PORT_MAX ? 0 : -1;
}

/* The default port of scheme, or 0 when it is not one of ours. */
static unsigned
default_port(const char *scheme, size_t n)
{
	if (n == 4 && strncasecmp(scheme, "http", n) == 0)
		return 80;
	if (n == 5 && strncasecmp(scheme, "https", n) == 0)
		return 443;
	return 0;
}

int
origin_from_host(const char *scheme, const char *host, struct origin *o)
{
	size_t n = strlen(scheme);
	unsigned dflt = default_port(scheme, n);

	if (dflt == 0 || n >= sizeof o->scheme)
		return -1;
	for (size_t i = 0; i <= n; i++)
		o->scheme[i] = (char)tolower((unsigned char)scheme[i]);
	return host_port(host, dflt, o);
}

int
origin_parse(const char *s, struct origin *o)
{
	const char *sep = strstr(s, "://");
	char scheme[sizeof o->scheme];

	if (sep == NULL || (size_t)(sep - s) >= sizeof scheme)
		return -1;
	memcpy(scheme, s, (size_t)(sep - s));
	scheme[sep - s] = '\0';
	return origin_from_host(scheme, sep + 3, o);
}

int
origin_equal(const struct origin *a, const struct origin *b)
{
	return strcmp(a->scheme, b->scheme) == 0 &&
	    strcmp(a->host, b->host) == 0 && a->port == b->port;
}
