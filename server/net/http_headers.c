/*
 * http_headers.c — Accept-Encoding and If-None-Match (see http_headers.h).
 */
#include "http_headers.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* HTTP's optional white space. */
static const char *
skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Whether the qvalue at q (up to end) is above 0: "1", "1.", "1.000",
 * "0.001" are; "0", "0.", "0.000" and anything that is not a qvalue
 * (RFC 9110 12.4.2: "0" or "1", then "." and at most three digits) are
 * not.
 */
static int
q_positive(const char *q, const char *end)
{
	int digits = 0, nonzero;

	while (end > q && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (q == end || (*q != '0' && *q != '1'))
		return 0;
	nonzero = *q++ == '1';
	if (q < end && *q++ != '.')
		return 0;
	for (; q < end; q++, digits++) {
		if (*q < '0' || *q > '9' || digits == 3)
			return 0;
		nonzero |= *q != '0';
	}
	return nonzero;
}

/* The weight of the list element [p, end) (its parameters after the
 * coding): 1 without a q, else whether its q is above 0. */
static int
element_weight(const char *p, const char *end)
{
	int positive = 1;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p = skip_ows(p + 1);
		if ((*p == 'q' || *p == 'Q') && p + 1 < end && p[1] == '=') {
			const char *v = p + 2, *next = memchr(v, ';',
			    (size_t)(end - v));

			positive = q_positive(v, next != NULL ? next : end);
		}
	}
	return positive;
}

int
http_accepts_gzip(const char *ae)
{
	int gzip = -1, star = -1;

	if (ae == NULL)
		return 0;
	while (*ae != '\0') {
		const char *end = strchr(ae, ','), *tok = skip_ows(ae), *t;
		size_t n;

		if (end == NULL)
			end = ae + strlen(ae);
		for (t = tok; t < end && *t != ';' && *t != ' ' &&
		    *t != '\t'; t++)
			;
		n = (size_t)(t - tok);
		if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0)) {
			/* Listed twice: a refusal wins. */
			if (gzip != 0)
				gzip = element_weight(t, end);
		} else if (n == 1 && *tok == '*')
			star = element_weight(t, end);
		ae = *end == ',' ? end + 1 : end;
	}
	return gzip >= 0 ? gzip : star > 0;
}

/* etag without its W/ and quotes: *len bytes at the result. */
static const char *
opaque(const char *etag, size_t *len)
{
	const char *close;

	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	if (*etag != '"' || (close = strchr(etag + 1, '"')) == NULL)
		return NULL;
	*len = (size_t)(close - etag - 1);
	return etag + 1;
}

int
http_etag_matches(const char *inm, const char *etag)
{
	const char *want, *p;
	size_t want_len, len;

	if (inm == NULL || (want = opaque(etag, &want_len)) == NULL)
		return 0;
	p = skip_ows(inm);
	if (*p == '*')
		return *skip_ows(p + 1) == '\0';
	while (*p != '\0') {
		const char *tag = opaque(p, &len);

		if (tag == NULL)
			return 0;
		if (len == want_len && memcmp(tag, want, len) == 0)
			return 1;
		p = skip_ows(tag + len + 1);
		if (*p != ',' && *p != '\0')
			return 0;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
	}
	return 0;
}
