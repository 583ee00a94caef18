/*
 * main.c — mockintd's start and stop: options, the database, the question
 * bank, the loop, the signals; everything else belongs to its module.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>
#include <sodium.h>

#include "auth.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "presence.h"
#include "proto.h"
#include "server.h"
#include "store.h"


static uv_signal_t sig_int, sig_term;
static uv_loop_t loop;

static void
closed_nothing(uv_handle_t *h)
{
}

static void
net_stopped(void)
{
	auth_shutdown();
	uv_close((uv_handle_t *)&sig_int, closed_nothing);
	uv_close((uv_handle_t *)&sig_term, closed_nothing);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	log_info(0, "signal %d: shutting down", signum);
	net_stop(net_stopped);
}

static int
run(const struct options *o)
{
	char err[512];
	int port, rc = 1;

	srv.opts = o;
	srv.started_at = proto_now_ms();
	srv.store = store_open(o->db, o->sync_full, err, sizeof err);
	if (srv.store == NULL) {
		log_error(0, "%s", err);
		return 1;
	}
	uv_loop_init(&loop);
	srv.loop = &loop;
	uv_signal_init(&loop, &sig_int);
	uv_signal_init(&loop, &sig_term);
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);

	if (auth_init() != 0) {
		uv_close((uv_handle_t *)&sig_int, closed_nothing);
		uv_close((uv_handle_t *)&sig_term, closed_nothing);
		uv_run(&loop, UV_RUN_DEFAULT);
		goto out;
	}
	port = net_start();
	if (port < 0) {
		auth_shutdown();
		uv_close((uv_handle_t *)&sig_int, closed_nothing);
		uv_close((uv_handle_t *)&sig_term, closed_nothing);
		if (srv.lws != NULL)
			lws_context_destroy(srv.lws);
		uv_run(&loop, UV_RUN_DEFAULT);
		goto out;
	}
	/* Tests and scripts wait for exactly this line. */
	printf("listening on %s:%d\n", o->host, port);
	fflush(stdout);
	log_info(0, "mockintd %s listening on %s:%d, database %s",
	    MOCKINT_VERSION, o->host, port, o->db);

	uv_run(&loop, UV_RUN_DEFAULT);
	/* lws finished tearing down during the run; this is then a no-op. */
	if (srv.lws != NULL)
		lws_context_destroy(srv.lws);
	rc = 0;
out:
	if (uv_loop_close(&loop) != 0) {
		log_error(0, "handles left open at exit");
		rc = 1;
	}
	presence_free_all();
	store_close(srv.store);
	srv.store = NULL;
	if (rc == 0)
		log_info(0, "stopped");
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	char err[512];
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "mockintd: libsodium failed to initialise\n");
		return 1;
	}
	options_defaults(&o);
	switch (options_parse(&o, argc, argv, err, sizeof err)) {
	case OPTIONS_HELP:
		options_usage(stdout);
		rc = 0;
		goto out;
	case OPTIONS_VERSION:
		printf("mockintd %s (protocol %s)\n", MOCKINT_VERSION,
		    PROTO_SUBPROTOCOL);
		rc = 0;
		goto out;
	case OPTIONS_ERROR:
		fprintf(stderr, "mockintd: %s\n", err);
		options_usage(stderr);
		rc = 2;
		goto out;
	case OPTIONS_RUN:
		break;
	}
	log_set_level(o.log_level);
	signal(SIGPIPE, SIG_IGN);
	rc = run(&o);
out:
	options_free(&o);
	return rc;
}
