/*
 * server.h — what the whole process shares: its one loop, its settings
 * and its life (started, stopping). A process runs exactly one server, so
 * modules reach these through the global `srv` rather than threading them
 * through every call (as tmux does with its globals). Everything else a
 * layer needs belongs to that layer (the store's handles, the bank, the
 * lws context).
 */
#ifndef MOCKINT_SERVER_H
#define MOCKINT_SERVER_H

#include <stdint.h>
#include <uv.h>

struct options;

struct server {
	uv_loop_t *loop;
	const struct options *opts;
	int64_t started_at;	/* Unix ms */
	int shutting_down;
};

extern struct server srv;

#endif
