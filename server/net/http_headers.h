/*
 * http_headers.h — reading the request headers that decide an answer:
 * whether the client takes gzip (Accept-Encoding, RFC 9110 12.5.3) and
 * whether the representation it has is still the one we would send
 * (If-None-Match, RFC 9110 13.1.2). Pure functions on the header's text,
 * so that every odd spelling is unit-tested (tests/unit/test-http-headers.c).
 */
#ifndef MOCKINT_HTTP_HEADERS_H
#define MOCKINT_HTTP_HEADERS_H

/*
 * Whether an Accept-Encoding value (NULL: the header was absent) allows
 * gzip: "gzip" or "x-gzip" with a q above 0, or else "*" with a q above
 * 0. Codings are matched without regard to case; a q that is not a
 * qvalue counts as 0, and "gzip;q=0" refuses gzip whatever "*" says.
 * An absent header allows only identity: we do not guess.
 */
int http_accepts_gzip(const char *accept_encoding);

/*
 * Whether an If-None-Match value (NULL: absent) matches etag (a quoted
 * entity-tag, as sent in our ETag): "*", or a list holding it, compared
 * weakly (a W/ prefix on either side is ignored), as RFC 9110 says for
 * this header. A malformed list matches nothing from where it breaks.
 */
int http_etag_matches(const char *if_none_match, const char *etag);

#endif
