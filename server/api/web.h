/*
 * web.h — the browser client over HTTP: every path that is not a route of
 * its own (/healthz, /metrics) on the public port goes here. "/" is
 * /index.html; the assets are those compiled in (web_assets.h), or with
 * --web DIR the files of DIR (web_dir.c), for development: edit, reload,
 * no rebuild.
 *
 * Every answer with an asset carries the same policy (SECURITY.md):
 *
 * - Content-Security-Policy: the page runs only its own scripts and
 *   styles (no inline ones), talks only to its own origin, cannot be
 *   framed, and has no <base> or plugins;
 * - X-Content-Type-Options: nosniff, so a script is run only when we said
 *   it is one; Referrer-Policy: no-referrer (a room link is a secret);
 * - an ETag, and Cache-Control: no-cache: the names of the files carry no
 *   hash of their content (the client has no build step), so a browser
 *   must ask again each time, and If-None-Match makes that a 304 without
 *   a body; anything longer would run a stale module against an upgraded
 *   server;
 * - Vary: Accept-Encoding, and the gzipped copy when the client takes it.
 *
 * Anything else is 404: other extensions, dotfiles, a directory.
 */
#ifndef MOCKINT_WEB_H
#define MOCKINT_WEB_H

/* Serve the assets compiled in (dir NULL) or the files of dir. Runs at
 * start-up, before the loop serves (it resolves dir): 0, or -1 logged. */
int web_init(const char *dir);
/* After the loop has stopped. */
void web_free(void);

#endif
