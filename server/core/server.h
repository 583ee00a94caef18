/*
 * server.h — the one server instance: its loop, settings, store and
 * question bank. A process runs exactly one, so modules reach it through
 * the global `srv` rather than threading it through every call (as tmux
 * does with its globals).
 */
#ifndef MOCKINT_SERVER_H
#define MOCKINT_SERVER_H

#include <stdint.h>
#include <uv.h>

struct options;
struct store;
struct bank;
struct lws_context;

struct server {
	uv_loop_t *loop;
	const struct options *opts;
	struct store *store;
	struct bank *bank;
	struct lws_context *lws;
	int64_t started_at;	/* Unix ms */
	int shutting_down;
};

extern struct server srv;

#endif
