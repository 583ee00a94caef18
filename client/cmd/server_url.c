/*
 * server_url.c — the server URL check (see server_url.h). libwebsockets
 * parses URLs leniently (a port of "18181x" reads as 18181, 83717 wraps
 * to 18181), so the client checks every part itself first.
 */
#include "server_url.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define URL_MAX		400	/* the transport keeps 512 bytes */
#define HOST_MAX	253	/* DNS */
#define PORT_MAX	65535

static int
host_char(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* The host at s (up to ':', '/' or the end); its length, or -1. */
static int
host_len(const char *s, char *why, size_t whylen)
{
	size_t n = 0;

	if (s[0] == '[') {
		/* An IPv6 literal: hex digits, colons and dots in brackets. */
		for (n = 1; s[n] != '\0' && s[n] != ']'; n++)
			if (!isxdigit((unsigned char)s[n]) && s[n] != ':' &&
			    s[n] != '.')
				break;
		if (s[n] != ']' || n == 1) {
			snprintf(why, whylen, "a bracketed IPv6 address is "
			    "not closed or holds other characters");
			return -1;
		}
		return (int)n + 1;
	}
	while (host_char((unsigned char)s[n]))
		n++;
	if (n == 0) {
		snprintf(why, whylen, "no host name");
		return -1;
	}
	if (n > HOST_MAX) {
		snprintf(why, whylen, "the host name is too long");
		return -1;
	}
	if (s[n] != '\0' && s[n] != ':' && s[n] != '/') {
		snprintf(why, whylen, "'%c' cannot be in a host name", s[n]);
		return -1;
	}
	return (int)n;
}

static int
port_ok(const char *s, size_t n, char *why, size_t whylen)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i])) {
			snprintf(why, whylen, "the port must be a number "
			    "from 1 to %d", PORT_MAX);
			return -1;
		}
		if (v <= PORT_MAX)
			v = v * 10 + (s[i] - '0');
	}
	if (n == 0 || v < 1 || v > PORT_MAX) {
		snprintf(why, whylen, "the port must be a number from 1 to %d",
		    PORT_MAX);
		return -1;
	}
	return 0;
}

int
server_url_check(const char *url, char *why, size_t whylen)
{
	const char *p;
	int n;

	if (strlen(url) > URL_MAX) {
		snprintf(why, whylen, "longer than %d bytes", URL_MAX);
		return -1;
	}
	if (strncmp(url, "ws://", 5) == 0)
		p = url + 5;
	else if (strncmp(url, "wss://", 6) == 0)
		p = url + 6;
	else {
		snprintf(why, whylen, "it must start with ws:// or wss://");
		return -1;
	}
	if ((n = host_len(p, why, whylen)) < 0)
		return -1;
	p += n;
	if (*p != '\0' && *p != ':' && *p != '/') {
		snprintf(why, whylen, "'%c' cannot follow the host", *p);
		return -1;
	}
	if (*p == ':') {
		size_t len = strcspn(p + 1, "/");

		if (port_ok(p + 1, len, why, whylen) == -1)
			return -1;
		p += 1 + len;
	}
	/* A path: printable, without spaces, query or fragment. */
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    *p == '?' || *p == '#') {
			snprintf(why, whylen, "the path holds a space, a "
			    "control, '?' or '#'");
			return -1;
		}
	return 0;
}
