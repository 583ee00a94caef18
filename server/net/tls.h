/*
 * tls.h — the server's side of TLS: --tls-cert and --tls-key handed to
 * libwebsockets' OpenSSL support, so that the one port serves wss:// and
 * https:// instead of ws:// and http://.
 */
#ifndef MOCKINT_TLS_H
#define MOCKINT_TLS_H

struct lws_context_creation_info;
struct options;

/*
 * With o->tls_cert set, check both files can be read and fill info in;
 * without it do nothing. -1 (logged) when a file cannot be read; a file
 * lws cannot use makes lws_create_context() fail instead.
 */
int tls_configure(struct lws_context_creation_info *info,
    const struct options *o);

#endif
