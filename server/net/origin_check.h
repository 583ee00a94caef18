/*
 * origin_check.h — which browser pages may open a WebSocket to us.
 *
 * A browser lets any page open a WebSocket to any server, with the user's
 * network position (a server on the user's loopback or intranet), and
 * says which page it was in the Origin header; the server must refuse the
 * pages it does not serve (cross-site WebSocket hijacking). So an upgrade
 * whose Origin is present must name this server's own origin — the
 * listener's scheme (https with --tls-cert, else http) and the Host header
 * the request came with — or one given with --allowed-origin; otherwise
 * it is refused with 403 before any WebSocket opens. "Origin: null" (a
 * sandboxed frame, a file: page) is refused. No Origin at all is not a
 * browser page (the terminal client, scripts): allowed, as they could
 * send any Origin they liked anyway.
 *
 * Behind a trusted proxy (--trusted-proxy, proxy.h) the browser's origin
 * is the proxy's: TLS usually ends there, so the scheme is the one its
 * X-Forwarded-Proto says (when it is exactly http or https) and the host
 * its X-Forwarded-Host when it sends one, else the Host header it passes
 * on (deploy/nginx.conf passes both). From anyone else these headers are
 * ignored: only a trusted proxy is believed about what the client asked.
 */
#ifndef MOCKINT_ORIGIN_CHECK_H
#define MOCKINT_ORIGIN_CHECK_H

#include <stddef.h>

struct lws;

/* Whether the upgrade request on wsi (its headers still there) may go
 * on: 1, or 0 with why set (for the 403's body and the log). */
int origin_check(struct lws *wsi, char *why, size_t whylen);

#endif
