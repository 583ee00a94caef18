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
#include "backup.h"
#include "bank.h"
#include "connlimit.h"
#include "log.h"
#include "metrics.h"
#include "net.h"
#include "options.h"
#include "presence.h"
#include "proto.h"
#include "queue.h"
#include "room.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "view.h"
#include "writer.h"

static uv_signal_t sig_int, sig_term;
static uv_loop_t loop;

static void
close_signals(void)
{
	uv_close((uv_handle_t *)&sig_int, NULL);
	uv_close((uv_handle_t *)&sig_term, NULL);
}

/* Every connection is gone: let go of what the loop still holds. */
static void
net_stopped(void)
{
	/* Writes in flight finish first: what was acknowledged is kept. */
	writer_stop();
	session_shutdown();
	queue_shutdown();
	room_shutdown();
	auth_shutdown();
	close_signals();
}

static void
on_signal(uv_signal_t *h, int signum)
{
	log_info(0, "signal %d: shutting down", signum);
	net_stop(net_stopped);
}

/*
 * Load --questions into memory and the database. Without the option the
 * server starts with an empty bank (interviews cannot start); with it, an
 * empty bank is fatal, since that is surely a mistake.
 */
static int
load_bank(const struct options *o)
{
	struct questions_problems pr;
	int rc = 0;

	if (o->questions == NULL) {
		log_warn(0, "no --questions: the bank is empty and no "
		    "interview can start");
		return 0;
	}
	questions_problems_init(&pr);
	srv.bank = bank_load(o->questions, &pr);
	questions_problems_print(&pr, stderr);
	questions_problems_free(&pr);
	if (srv.bank == NULL || bank_count(srv.bank) == 0) {
		log_error(0, "no usable question in %s", o->questions);
		rc = -1;
	} else if (store_questions_sync(srv.store, srv.bank) != 0) {
		log_error(0, "could not store the question bank");
		rc = -1;
	} else
		log_info(0, "loaded %zu questions from %s",
		    bank_count(srv.bank), o->questions);
	return rc;
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
	metrics_watch_db(store_db(srv.store));
	uv_loop_init(&loop);
	srv.loop = &loop;
	uv_signal_init(&loop, &sig_int);
	uv_signal_init(&loop, &sig_term);
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);

	if (load_bank(o) != 0) {
		close_signals();
		goto drain;
	}
	if (writer_start(o->db, o->sync_full, err, sizeof err) != 0) {
		log_error(0, "%s", err);
		close_signals();
		goto drain;
	}
	if (auth_init() != 0) {
		writer_stop();
		close_signals();
		goto drain;
	}
	if (session_init() != 0 || (port = net_start()) < 0) {
		writer_stop();
		session_shutdown();
		auth_shutdown();
		close_signals();
		/* A failed lws_create_context() on our loop has already begun
		 * its own teardown: destroying it again here, before the loop
		 * ran, unloads lws's libuv plugin under its open handles. */
		goto drain;
	}
	/* Tests and scripts wait for exactly this line. */
	printf("listening on %s:%d\n", o->host, port);
	fflush(stdout);
	log_info(0, "mockintd %s listening on %s:%d (%s), database %s%s%s",
	    MOCKINT_VERSION, o->host, port, o->tls_cert ? "TLS" : "no TLS",
	    o->db, o->config ? ", configuration " : "", o->config ? o->config :
	    "");
	rc = 0;
drain:
	/* Runs until every handle is closed: after a signal, or at once
	 * when start-up failed. */
	uv_run(&loop, UV_RUN_DEFAULT);
	/* lws finished tearing down during the run; this is then a no-op. */
	if (srv.lws != NULL)
		lws_context_destroy(srv.lws);
	if (uv_loop_close(&loop) != 0) {
		log_error(0, "handles left open at exit");
		rc = 1;
	}
	presence_free_all();
	connlimit_free_all();
	view_free_all();
	bank_free(srv.bank);
	srv.bank = NULL;
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
	if (o.check_questions != NULL) {
		rc = bank_check_dir(o.check_questions, stdout);
		goto out;
	}
	if (o.backup != NULL) {
		rc = backup_run(o.db, o.backup);
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	rc = run(&o);
out:
	options_free(&o);
	return rc;
}
