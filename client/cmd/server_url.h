/*
 * server_url.h — the one check of a server URL, made before anything
 * uses it (the --server option, $MOCKINT_SERVER, the saved login), so
 * that a typo is a usage error and never saved: ws:// or wss://, a host
 * name, an IPv4 address or a bracketed IPv6 one, an optional port from 1
 * to 65535 written in digits only, and an optional path.
 */
#ifndef MOCKINT_SERVER_URL_H
#define MOCKINT_SERVER_URL_H

#include <stddef.h>

/* 0 when url is usable; else -1 with why ("the port must be ...")
 * filled, one clause for "bad server URL 'X': why". */
int server_url_check(const char *url, char *why, size_t whylen);

#endif
