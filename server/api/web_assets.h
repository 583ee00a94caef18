/*
 * web_assets.h — the browser client (client/web/) compiled into mockintd:
 * server/api/web_embed.cmake turns every .html, .css, .js and .svg file
 * under client/web/ into this table at build time, so that a deployment
 * is still one binary (web.h serves it).
 *
 * Each asset is held twice when gzip makes it smaller: raw, and gzipped
 * once at build time (gzip -9n: no name, no time stamp, so a rebuild of
 * the same file gives the same bytes). Its ETag is the start of the
 * SHA-256 of the raw bytes, quoted; the gzipped representation's ETag is
 * the same with "-gz" before the closing quote, since a strong validator
 * differs between the encodings of one resource (RFC 9110 8.8.3.3).
 */
#ifndef MOCKINT_WEB_ASSETS_H
#define MOCKINT_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char *path;	/* the URL path: "/index.html", "/js/app.js" */
	const char *type;	/* Content-Type */
	const unsigned char *raw;
	size_t raw_len;
	const unsigned char *gz;	/* NULL when gzip is no smaller */
	size_t gz_len;
	const char *etag;	/* of raw, quoted: "\"0123abcd...\"" */
	const char *etag_gz;	/* of gz, quoted; NULL when gz is */
};

/* Sorted by path (strcmp), for web_asset_find's binary search. */
extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

#endif
