/*
 * browse.c — 'mockint history' on a terminal: the history browser's
 * controller. Keys go to the model (vm/browse.c), which asks for pages,
 * reports and exports; the requests are made here, blocking but bounded
 * (CMD_REPLY_MS), and between keys the loop runs so that the connection
 * stays answered. A connection that dropped meanwhile is made again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ansi.h"
#include "browse.h"
#include "cmd.h"
#include "export.h"
#include "history.h"
#include "ui.h"

/* How long a key is waited for before the loop runs again. */
#define BROWSE_IDLE_MS	200
/* A search reads at most this many sessions ahead. */
#define BROWSE_SEARCH_MAX	2000

/* The connection, made again (quietly: the screen is up) when the
 * server dropped it meanwhile. -1 with why filled. */
static int
ensure_open(struct cmd_ctx *ctx, char *why, size_t whylen)
{
	json_t *r;

	if (rpc_state(ctx->rpc) == RPC_OPEN)
		return 0;
	if (rpc_open_sync(ctx->rpc, ctx->server, CMD_CONNECT_MS, why,
	    whylen) == -1)
		return -1;
	r = rpc_call_sync(ctx->rpc, "auth", json_pack("{s:s}", "token",
	    ctx->cfg.token), CMD_REPLY_MS, why, whylen);
	if (r == NULL || !rpc_is_ok(r)) {
		snprintf(why, whylen, "could not log in again");
		json_decref(r);
		return -1;
	}
	json_decref(r);
	return 0;
}

/* An ok reply (fields consumed), or NULL with why filled. */
static json_t *
request(struct cmd_ctx *ctx, const char *type, json_t *fields, char *why,
    size_t whylen)
{
	json_t *r;

	if (ensure_open(ctx, why, whylen) == -1) {
		json_decref(fields);
		return NULL;
	}
	r = cmd_sanitize(rpc_call_sync(ctx->rpc, type, fields, CMD_REPLY_MS,
	    why, whylen));
	if (r != NULL && !rpc_is_ok(r)) {
		snprintf(why, whylen, "%s", rpc_error_message(r));
		json_decref(r);
		return NULL;
	}
	return r;
}

static void
more(struct cmd_ctx *ctx, struct browse *b, int limit)
{
	char why[256];
	json_t *f = json_pack("{s:I}", "before", (json_int_t)b->next), *r;

	if (limit > 0)
		json_object_set_new(f, "limit", json_integer(limit));
	if ((r = request(ctx, "history.list", f, why, sizeof why)) == NULL) {
		browse_set_status(b, "could not load more: %s", why);
		b->next = 0;
		return;
	}
	browse_add_page(b, r);
	json_decref(r);
}

/* The report of the session under the cursor, in the pager. */
static void
open_report(struct cmd_ctx *ctx, struct browse *b)
{
	const json_t *e = browse_current(b);
	long long id = json_integer_value(json_object_get(e, "session_id"));
	char why[256], *text = NULL;
	size_t len = 0;
	json_t *h;
	FILE *mem;
	int colour = ansi_enabled();

	if (ensure_open(ctx, why, sizeof why) == -1 || (h = history_get_quiet(
	    ctx, id, why, sizeof why)) == NULL) {
		browse_set_status(b, "session %lld: %s", id, why);
		return;
	}
	if ((mem = open_memstream(&text, &len)) == NULL) {
		browse_set_status(b, "out of memory");
		json_decref(h);
		return;
	}
	/* Curses draws the text: no escapes in it. */
	ansi_enable(0);
	export_write(mem, h, EXPORT_TEXT);
	ansi_enable(colour);
	fclose(mem);
	browse_open(b, id, text);
	free(text);
	json_decref(h);
}

static void
export_report(struct cmd_ctx *ctx, struct browse *b)
{
	const char *file = browse_export_name(b);
	const char *dot = strrchr(file, '.');
	enum export_format f = EXPORT_MD;
	char why[512];
	json_t *h;

	if (dot != NULL && (export_format_parse(dot + 1, &f) == -1 ||
	    f == EXPORT_TEXT))
		f = EXPORT_MD;
	if (ensure_open(ctx, why, sizeof why) == -1 || (h = history_get_quiet(
	    ctx, b->open_id, why, sizeof why)) == NULL) {
		browse_set_status(b, "session %lld: %s",
		    (long long)b->open_id, why);
		return;
	}
	if (export_file(file, h, f, why, sizeof why) == -1)
		browse_set_status(b, "%s", why);
	else
		browse_set_status(b, "Wrote %s.", file);
	json_decref(h);
}

static void
loop(struct cmd_ctx *ctx, struct browse *b, int limit)
{
	enum browse_act a;
	enum ui_input in;
	int key;

	for (;;) {
		if (b->dirty)
			ui_draw_browse(b);
		in = ui_wait_key(&key, BROWSE_IDLE_MS);
		uv_run(&ctx->loop, UV_RUN_NOWAIT);
		if (in == UI_RESIZE)
			b->dirty = 1;
		if (in != UI_KEY)
			continue;
		a = browse_key(b, key);
		/* A search reads on until it has enough, or everything. */
		while (a == BROWSE_MORE && b->next != 0 &&
		    json_array_size(b->entries) < BROWSE_SEARCH_MAX) {
			more(ctx, b, limit);
			if (b->search == NULL)
				break;
		}
		if (a == BROWSE_OPEN)
			open_report(ctx, b);
		else if (a == BROWSE_EXPORT_FILE)
			export_report(ctx, b);
		else if (a == BROWSE_QUIT)
			return;
	}
}

int
browse_run(struct cmd_ctx *ctx, json_t *fields)
{
	struct browse b;
	json_t *r;
	int limit = (int)json_integer_value(json_object_get(fields, "limit"));

	if ((r = cmd_request(ctx, "history.list", fields)) == NULL)
		return CMD_FAIL;
	if (json_array_size(json_object_get(r, "sessions")) == 0) {
		printf("No sessions yet: 'mockint interview' starts one.\n");
		json_decref(r);
		return CMD_OK;
	}
	browse_init(&b);
	browse_add_page(&b, r);
	json_decref(r);
	if (ui_start() == -1) {
		cmd_error("cannot start the screen (is TERM set?)");
		browse_free(&b);
		return CMD_FAIL;
	}
	loop(ctx, &b, limit);
	ui_stop();
	browse_free(&b);
	return CMD_OK;
}
