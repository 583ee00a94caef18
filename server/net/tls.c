/*
 * tls.c — TLS for the listening socket (see tls.h).
 */
#include "tls.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "options.h"

/* Open the file as the server will, to fail early with errno's reason. */
static int
readable(const char *what, const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		log_error(0, "cannot read %s %s: %s", what, path,
		    strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

int
tls_configure(struct lws_context_creation_info *info,
    const struct options *o)
{
	struct stat st;

	if (o->tls_cert == NULL)
		return 0;
	if (readable("--tls-cert", o->tls_cert) != 0 ||
	    readable("--tls-key", o->tls_key) != 0)
		return -1;
	if (stat(o->tls_key, &st) == 0 && (st.st_mode & 077) != 0)
		log_warn(0, "--tls-key %s can be read by other users "
		    "(mode %03o): chmod 600 it", o->tls_key,
		    (unsigned)(st.st_mode & 0777));
	info->options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info->ssl_cert_filepath = o->tls_cert;
	info->ssl_private_key_filepath = o->tls_key;
	/* TLS 1.2 and up, whatever the system's OpenSSL defaults say. */
	info->ssl_options_set = SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 |
	    SSL_OP_NO_TLSv1_1;
	/*
	 * HTTP/1.1 only: WebSockets and the two GET endpoints need nothing
	 * more, and it keeps lws's HTTP/2 code off the open network.
	 */
	info->alpn = "http/1.1";
	log_info(0, "TLS with the certificate %s", o->tls_cert);
	return 0;
}
