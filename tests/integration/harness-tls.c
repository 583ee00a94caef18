/*
 * harness-tls.c — the harness's TLS server (see hs_start_tls in
 * harness.h): a throw-away CA and a server certificate made with the
 * openssl command in the server's temporary directory, then mockintd
 * with --tls-cert and --tls-key.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/*
 * P-256 keys: quick to make. The server certificate names both
 * 127.0.0.1 (an IP SAN, which is what the client checks for an address)
 * and localhost.
 */
static const char make_certs[] =
    "cd '%s' && {"
    " printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n"
    "basicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf"
    " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
    " -nodes -keyout ca.key -out ca.pem -days 2"
    " -subj '/CN=mockint test CA'"
    " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    " -keyout server.key -out server.csr -subj '/CN=localhost'"
    " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key"
    " -CAcreateserial -out server.pem -days 2 -extfile ext.cnf"
    " && chmod 600 server.key; } > openssl.log 2>&1";

struct hserver *
hs_start_tls(const char *phases, const char *const *extra)
{
	static char cert[320], key[320];
	char dir[256] = "/tmp/mockint-test-XXXXXX", cmd[1536];
	const char *args[32];
	struct hserver *s;
	int n = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, make_certs, dir);
	if (system(cmd) != 0)
		fail_msg("openssl could not make the test certificates (see "
		    "%s/openssl.log)", dir);
	snprintf(cert, sizeof cert, "%s/server.pem", dir);
	snprintf(key, sizeof key, "%s/server.key", dir);
	args[n++] = "--tls-cert";
	args[n++] = cert;
	args[n++] = "--tls-key";
	args[n++] = key;
	for (int i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	s = hs_start_bank_in(dir, phases, args);
	snprintf(s->url, sizeof s->url, "wss://127.0.0.1:%d", s->port);
	snprintf(s->ca, sizeof s->ca, "%s/ca.pem", dir);
	return s;
}
