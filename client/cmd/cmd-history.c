/*
 * cmd-history.c — history, history show and history export: the table of
 * one's sessions, one session's readable report, and its export as
 * Markdown, JSON or CSV (export.c does the writing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "export.h"
#include "fmt.h"
#include "xmalloc.h"

static int cmd_history_exec(struct cmd_ctx *, int, char **);
static int cmd_history_show_exec(struct cmd_ctx *, int, char **);
static int cmd_history_export_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_history_entry = {
	"history", NULL, "[--limit N] [--before CURSOR]",
	"List your sessions, newest first (20 by default, at most 100 a\n"
	"page). When there are more, the last line says how to see them.",
	cmd_history_exec
};

const struct cmd_entry cmd_history_show_entry = {
	"history", "show", "ID",
	"Print the report of one session: the question, the scores, the\n"
	"notes under each checklist item, the chat and the feedback.",
	cmd_history_show_exec
};

const struct cmd_entry cmd_history_export_entry = {
	"history", "export", "ID [--format md|json|csv] [-o FILE]",
	"Export one session: md (default) a Markdown report to share, json\n"
	"the server's whole record, csv one row per note. Written to FILE\n"
	"with -o, else to standard output.",
	cmd_history_export_exec
};

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static int
terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col >= 60)
		return ws.ws_col;
	return 100;
}

static int
cmd_history_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *limit_s = NULL, *before_s = NULL;
	const struct cmd_opt opts[] = {
		{ "limit", 'n', &limit_s, NULL },
		{ "before", 0, &before_s, NULL },
		{ NULL, 0, NULL, NULL }
	};
	char *none, t[32], c1[64], c2[64], c4[256];
	json_t *f = json_object(), *r = NULL, *e, *next;
	int n, rc = cmd_getopt(&cmd_history_entry, argc, argv, opts, &none, 0,
	    &n), titlew;
	long long v;
	size_t i;

	if (rc != CMD_OK) {
		json_decref(f);
		return rc < 0 ? CMD_OK : rc;
	}
	rc = CMD_USAGE;
	if (limit_s != NULL) {
		if ((v = cmd_parse_id("--limit", limit_s)) < 0 || v > 100) {
			if (v > 100)
				cmd_error("--limit is at most 100");
			goto out;
		}
		json_object_set_new(f, "limit", json_integer(v));
	}
	if (before_s != NULL) {
		if ((v = cmd_parse_id("--before", before_s)) < 0)
			goto out;
		json_object_set_new(f, "before", json_integer(v));
	}
	rc = CMD_FAIL;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		goto out;
	r = cmd_request(ctx, "history.list", f);
	f = NULL;
	if (r == NULL)
		goto out;
	if (json_array_size(json_object_get(r, "sessions")) == 0) {
		printf("No sessions yet: 'mockint interview' starts one.\n");
		rc = CMD_OK;
		goto out;
	}
	/* ID, date, role, peer, result take 61 columns; the title the rest. */
	titlew = terminal_width() - 63;
	if (titlew < 20)
		titlew = 20;
	printf("%6s  %-16s  %s  %s  %s  %s\n", "ID", "DATE",
	    fmt_pad("ROLE", 11, c1, sizeof c1), fmt_pad("PEER", 12, c2,
	    sizeof c2), fmt_pad("QUESTION", titlew, c4, sizeof c4), "RESULT");
	json_array_foreach(json_object_get(r, "sessions"), i, e) {
		json_t *q = json_object_get(e, "question");
		json_t *ov = json_object_get(e, "overall");
		char result[64];

		if (json_is_number(ov))
			snprintf(result, sizeof result, "%s %.2f",
			    str(e, "reason"), json_number_value(ov));
		else
			snprintf(result, sizeof result, "%s",
			    str(e, "reason")[0] ? str(e, "reason") :
			    str(e, "phase"));
		printf("%6lld  %-16s  %s  %s  %s  %s\n",
		    (long long)json_integer_value(json_object_get(e,
		    "session_id")), fmt_time(json_integer_value(
		    json_object_get(e, "started_at")), t, sizeof t),
		    fmt_pad(str(e, "role"), 11, c1, sizeof c1),
		    fmt_pad(str(json_object_get(e, "peer"), "username"), 12,
		    c2, sizeof c2), fmt_pad(str(q, "title"), titlew, c4,
		    sizeof c4), result);
	}
	next = json_object_get(r, "next");
	if (json_is_integer(next))
		printf("More: mockint history --before %lld\n",
		    (long long)json_integer_value(next));
	rc = CMD_OK;
out:
	json_decref(f);
	json_decref(r);
	return rc;
}

/*
 * The server sends a record's notes and chat in pages, the newest first
 * ("notes_before"/"chat_before" is the cursor for the page before): ask
 * for the older pages of list in turn and put them in front, so that the
 * record is whole. -1 after printing why.
 */
static int
fetch_older(struct cmd_ctx *ctx, json_t *h, long long id, const char *list)
{
	char cursor[32];
	json_t *all = json_object_get(h, list), *page, *older;
	size_t guard = 0;

	snprintf(cursor, sizeof cursor, "%s_before", list);
	while (json_is_integer(json_object_get(h, cursor))) {
		/* Each page holds at least one item: bounded by the total. */
		if (++guard > 100000)
			return -1;
		page = cmd_request(ctx, "history.get", json_pack("{s:I,s:O}",
		    "session_id", (json_int_t)id, cursor,
		    json_object_get(h, cursor)));
		if (page == NULL)
			return -1;
		older = json_object_get(page, list);
		if (!json_is_array(older) || json_array_size(older) == 0) {
			json_decref(page);
			return -1;
		}
		json_array_extend(older, all);
		json_array_clear(all);
		json_array_extend(all, older);
		json_object_set(h, cursor, json_object_get(page, cursor));
		json_decref(page);
	}
	return 0;
}

/* history.get for the one ID argument; NULL after printing why. */
static json_t *
get_session(struct cmd_ctx *ctx, const char *id_s, int *rc)
{
	long long id = cmd_parse_id("the session ID", id_s);
	json_t *r;

	*rc = CMD_USAGE;
	if (id < 0)
		return NULL;
	*rc = CMD_FAIL;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return NULL;
	r = rpc_call_sync(ctx->rpc, "history.get", json_pack("{s:I}",
	    "session_id", (json_int_t)id), CMD_REPLY_MS, NULL, 0);
	if (r == NULL) {
		cmd_error("%s: no reply to history.get", ctx->server);
		return NULL;
	}
	if (!rpc_is_ok(r)) {
		const char *code = rpc_error_code(r);

		if (code != NULL && strcmp(code, "not_found") == 0)
			cmd_error("no session %lld of yours ('mockint "
			    "history' lists them)", id);
		else
			cmd_print_error(r, "history.get");
		json_decref(r);
		return NULL;
	}
	if (fetch_older(ctx, r, id, "notes") != 0 ||
	    fetch_older(ctx, r, id, "chat") != 0) {
		cmd_error("%s: could not read the whole of session %lld",
		    ctx->server, id);
		json_decref(r);
		return NULL;
	}
	*rc = CMD_OK;
	return r;
}

static int
cmd_history_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *id[1];
	json_t *r;
	int n, rc = cmd_getopt(&cmd_history_show_entry, argc, argv, NULL, id,
	    1, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (n != 1) {
		cmd_error("history show: which session?");
		cmd_usage(&cmd_history_show_entry, 0);
		return CMD_USAGE;
	}
	if ((r = get_session(ctx, id[0], &rc)) == NULL)
		return rc;
	if (export_write(stdout, r, EXPORT_TEXT) == -1) {
		cmd_error("cannot write the report: %s", strerror(errno));
		rc = CMD_FAIL;
	}
	json_decref(r);
	return rc;
}

static int
cmd_history_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *format = "md", *file = NULL;
	const struct cmd_opt opts[] = {
		{ "format", 'f', &format, NULL },
		{ "output", 'o', &file, NULL },
		{ NULL, 0, NULL, NULL }
	};
	enum export_format f;
	char *id[1], *tmp = NULL;
	FILE *out = stdout;
	json_t *r = NULL;
	int n, rc = cmd_getopt(&cmd_history_export_entry, argc, argv, opts, id,
	    1, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (n != 1) {
		cmd_error("history export: which session?");
		cmd_usage(&cmd_history_export_entry, 0);
		return CMD_USAGE;
	}
	if (export_format_parse(format, &f) == -1 || f == EXPORT_TEXT) {
		cmd_error("--format must be md, json or csv (not '%s')",
		    format);
		return CMD_USAGE;
	}
	if ((r = get_session(ctx, id[0], &rc)) == NULL)
		return rc;
	rc = CMD_FAIL;
	if (file != NULL && strcmp(file, "-") != 0) {
		/* Never leave half an export behind: temp file, rename. */
		tmp = xasprintf("%s.tmp%ld", file, (long)getpid());
		if ((out = fopen(tmp, "w")) == NULL) {
			cmd_error("cannot write %s: %s", tmp, strerror(errno));
			goto out;
		}
	}
	if (export_write(out, r, f) == -1) {
		cmd_error("cannot write the export: %s", strerror(errno));
		goto out;
	}
	if (tmp != NULL) {
		int bad = fclose(out) != 0;

		out = stdout;
		if (bad || rename(tmp, file) == -1) {
			cmd_error("cannot write %s: %s", file,
			    strerror(errno));
			goto out;
		}
		fprintf(stderr, "Wrote %s.\n", file);
	}
	rc = CMD_OK;
out:
	if (out != stdout)
		fclose(out);
	if (tmp != NULL && rc != CMD_OK)
		unlink(tmp);
	free(tmp);
	json_decref(r);
	return rc;
}
