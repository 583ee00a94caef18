/*
 * main.c — mockintd's start and stop: options, the database, the question
 * bank, the layers in order, the loop, the signals. Everything else
 * belongs to its layer; this is the one place that knows them all and
 * wires the lower ones to the upper ones through the callbacks they take.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "auth.h"
#include "backup.h"
#include "bank.h"
#include "checkpointer.h"
#include "connlimit.h"
#include "dispatch.h"
#include "health.h"
#include "http.h"
#include "job.h"
#include "lobby.h"
#include "log.h"
#include "loop_lag.h"
#include "metrics_page.h"
#include "net.h"
#include "options.h"
#include "presence.h"
#include "proto.h"
#include "reload.h"
#include "readers.h"
#include "server.h"
#include "session.h"
#include "store.h"
#include "store_questions.h"
#include "view.h"
#include "web.h"
#include "writer.h"

/* Room for any start-up error: an option, a database, a bank. */
#define ERR_SIZE 512

static uv_signal_t sig_int, sig_term, sig_hup;
static uv_loop_t loop;

static void
close_signals(void)
{
	uv_close((uv_handle_t *)&sig_int, NULL);
	uv_close((uv_handle_t *)&sig_term, NULL);
	uv_close((uv_handle_t *)&sig_hup, NULL);
}

/*
 * Stop what runs on the loop, in the order that loses nothing: timers
 * first (no new work), then the readers and the checkpointer, then the
 * writer (every write submitted is committed; its connection closes last,
 * so it checkpoints the WAL into the database file), then the completions
 * still queued.
 * Memory is freed only once the loop has stopped (free_all).
 */
static void
stop_all(void)
{
	loop_lag_stop();
	lobby_stop();
	session_stop();
	auth_stop();
	readers_stop();
	checkpointer_stop();
	writer_stop();
	store_jobs_stop();
	store_allow_all_threads();
	close_signals();
}

static void
free_all(void)
{
	/* Completions that came in after the stop (a hash that finished
	 * late) are delivered now, while every module is still whole. */
	store_jobs_free();
	lobby_shutdown();
	session_shutdown();
	presence_free_all();
	connlimit_free_all();
	view_free_all();
	auth_free();
	http_routes_clear();
	web_free();
	bank_install(NULL);
	net_free();
}

/* Every connection is gone. */
static void
net_stopped(void)
{
	stop_all();
}

/* SIGHUP: read the question bank again (reload.h). */
static void
on_hup(uv_signal_t *h, int signum)
{
	reload_start(srv.opts->questions);
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
load_bank(const struct options *o, struct store *st)
{
	struct questions_problems pr;
	struct bank *b;
	int rc = 0;

	if (o->questions == NULL) {
		log_warn(0, "no --questions: the bank is empty and no "
		    "interview can start");
		return 0;
	}
	questions_problems_init(&pr);
	b = bank_load(o->questions, &pr);
	questions_problems_print(&pr, stderr);
	questions_problems_free(&pr);
	if (bank_count(b) == 0) {
		log_error(0, "no usable question in %s", o->questions);
		rc = -1;
	} else if (store_questions_sync(st, b) != 0) {
		log_error(0, "could not store the question bank");
		rc = -1;
	} else
		log_info(0, "loaded %zu questions from %s", bank_count(b),
		    o->questions);
	if (rc == 0)
		bank_install(b);
	else
		bank_unref(b);
	return rc;
}

static const struct net_hooks hooks = { dispatch_message, auth_conn_closed };

/*
 * Everything up to serving, with the start-up connection st (migrated):
 * the bank, the store's threads, the layers bottom up, the routes, the
 * listener. Returns the bound port or -1; on -1 stop_all has been called.
 */
static int
start(const struct options *o, struct store *st)
{
	char err[ERR_SIZE];
	int port;

	store_jobs_start();
	if (load_bank(o, st) != 0)
		goto fail;
	if (writer_start(o->db, o->sync_full, (size_t)o->limits.write_queue,
	    err, sizeof err) != 0 ||
	    readers_start(o->db, 0, err, sizeof err) != 0 ||
	    checkpointer_start(o->db, o->sync_full, err, sizeof err) != 0) {
		log_error(0, "%s", err);
		goto fail;
	}
	presence_init();
	if (auth_init() != 0 || session_init(st) != 0)
		goto fail;
	lobby_init();
	health_init();
	metrics_page_init();
	if (web_init(o->web_dir) != 0)
		goto fail;
	/* A failed lws_create_context() on our loop has already begun its
	 * own teardown: only the rest is stopped here. */
	if ((port = net_start(&hooks)) < 0)
		goto fail;
	loop_lag_start();
	return port;
fail:
	stop_all();
	return -1;
}

static int
run(const struct options *o)
{
	char err[ERR_SIZE];
	struct store *st;
	int port, rc = 1;

	srv.opts = o;
	srv.started_at = proto_now_ms();
	/* Creates and migrates the database; then only the start-up reads
	 * (the bank's copy, the live sessions) use it. */
	st = store_open(o->db, o->sync_full, err, sizeof err);
	if (st == NULL) {
		log_error(0, "%s", err);
		return 1;
	}
	uv_loop_init(&loop);
	srv.loop = &loop;
	uv_signal_init(&loop, &sig_int);
	uv_signal_init(&loop, &sig_term);
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);
	uv_signal_init(&loop, &sig_hup);
	uv_signal_start(&sig_hup, on_hup, SIGHUP);
	port = start(o, st);
	store_close(st);
	if (port >= 0) {
		/* From here on the loop thread serves clients: every
		 * database call belongs to the store's threads. */
		store_forbid_this_thread();
		/* Tests and scripts wait for exactly this line. */
		printf("listening on %s:%d\n", o->host, port);
		fflush(stdout);
		log_info(0, "mockintd %s listening on %s:%d (%s), database "
		    "%s%s%s", MOCKINT_VERSION, o->host, port, o->tls_cert ?
		    "TLS" : "no TLS", o->db, o->config ? ", configuration " :
		    "", o->config ? o->config : "");
		rc = 0;
	}
	/* Runs until every handle is closed: after a signal, or at once
	 * when start-up failed. */
	uv_run(&loop, UV_RUN_DEFAULT);
	free_all();
	if (uv_loop_close(&loop) != 0) {
		log_error(0, "handles left open at exit");
		rc = 1;
	}
	if (rc == 0)
		log_info(0, "stopped");
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	char err[ERR_SIZE];
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
